namespace AwsStepFunctions.Core
{
    /// <summary>Proxy settings as they may be shown: in messages, in invocation.fields, in the task's JSON.</summary>
    public static class ProxyText
    {
        /// <summary>
        /// A proxy entry (one URL or a comma-separated list) with anything that could be credentials replaced by ****: all
        /// text up to the entry's last '@', after the scheme it starts with, if any. Nothing in the text can be trusted to
        /// end a password: it may hold '@', ':', a comma (so the list cannot be split first) or even "://". Hiding the other
        /// items' addresses with it costs nothing: an entry with an '@' is refused anyway, and this is what its error shows.
        /// </summary>
        public static string Redact(string? entry)
        {
            if (string.IsNullOrEmpty(entry)) return entry ?? "";
            var at = entry!.LastIndexOf('@');
            if (at < 0) return entry;
            var lead = LeadingScheme.Match(entry).Length;
            return entry.Substring(0, lead) + "****" + entry.Substring(at);
        }

        // Blanks and a scheme at the very start (its characters cannot include '@', so it ends before the last one).
        private static readonly System.Text.RegularExpressions.Regex LeadingScheme = new System.Text.RegularExpressions.Regex(
            @"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*://)?", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        // scheme://user:password@ inside any text; the password may hold '@' (the match runs to the last '@' before the host).
        private static readonly System.Text.RegularExpressions.Regex UserInfoInUrl = new System.Text.RegularExpressions.Regex(
            @"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/\s'""<>]*@", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// Any text (an exception's message) with the user info of every URL in it replaced by ****: .NET names a proxy from
        /// HTTPS_PROXY in its errors with the user and password it was given ("proxy 'http://user:pass@host:3128/' failed").
        /// </summary>
        public static string ScrubUrlCredentials(string? text)
        {
            if (string.IsNullOrEmpty(text) || text!.IndexOf('@') < 0) return text ?? "";
            return UserInfoInUrl.Replace(text, match => match.Groups["scheme"].Value + "****@");
        }
    }
}
