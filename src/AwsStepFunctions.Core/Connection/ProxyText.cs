using System;
using System.Text;

namespace AwsStepFunctions.Core
{
    /// <summary>Proxy settings as they may be shown: in messages, in invocation.fields, in the task's JSON.</summary>
    public static class ProxyText
    {
        /// <summary>
        /// Every item of a proxy entry (one URL or a comma-separated list) with anything that could be credentials replaced by
        /// ****: all text before the item's last '@', after the scheme if there is one. A password may itself contain '@' or
        /// ':', and an entry typed without a scheme (user:pass@host:port) is just as secret, so neither the first '@' nor the
        /// presence of "://" can be relied on.
        /// </summary>
        public static string Redact(string? entry)
        {
            if (string.IsNullOrEmpty(entry) || entry!.IndexOf('@') < 0) return entry ?? "";
            var items = entry.Split(',');
            var result = new StringBuilder(entry.Length);
            for (var i = 0; i < items.Length; i++)
            {
                if (i > 0) result.Append(',');
                result.Append(RedactItem(items[i]));
            }
            return result.ToString();
        }

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

        private static string RedactItem(string item)
        {
            var at = item.LastIndexOf('@');
            if (at < 0) return item;
            var scheme = item.IndexOf("://", StringComparison.Ordinal);
            var start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
            // Keep leading blanks of a list item ("a, b") so the shape of the list stays readable.
            while (start < at && char.IsWhiteSpace(item[start])) start++;
            return item.Substring(0, start) + "****" + item.Substring(at);
        }
    }
}
