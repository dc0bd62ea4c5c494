using System;
using System.Text;

namespace AwsStepFunctions.Core
{
    /// <summary>Proxy settings as they may be shown: in messages, in invocation.fields, in the task's JSON.</summary>
    public static class ProxyText
    {
        /// <summary>
        /// A proxy entry (one URL or a comma-separated list) with anything that could be credentials replaced by ****: in each
        /// item, all text before its last '@', after the scheme if there is one. A password may itself contain '@' or ':', and
        /// an entry typed without a scheme (user:pass@host:port) is just as secret, so neither the first '@' nor the presence of
        /// "://" can be relied on. Nor can the commas: one inside a password ("http://bob:Sec,ret@host:3128") is not a list
        /// separator, so an item runs from its start (or its scheme) to the last '@' before the next scheme.
        /// </summary>
        public static string Redact(string? entry)
        {
            if (string.IsNullOrEmpty(entry) || entry!.IndexOf('@') < 0) return entry ?? "";
            return UserInfoInList.Replace(entry, match => match.Groups["lead"].Value + "****@");
        }

        // At the start or after a comma: blanks, an optional scheme, then anything up to the last '@' that comes before the next
        // scheme (commas included).
        private static readonly System.Text.RegularExpressions.Regex UserInfoInList = new System.Text.RegularExpressions.Regex(
            @"(?<lead>(?:^|,)\s*(?:[A-Za-z][A-Za-z0-9+.\-]*://)?)(?:(?![A-Za-z][A-Za-z0-9+.\-]*://).)*@",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Singleline);

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
