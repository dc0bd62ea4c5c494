using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// The explicit proxy chosen from ConnectionSettings. The list holds one or two URLs (`http://h:p` and/or `https://h:p`,
    /// as two items or one comma-separated item); the URL's scheme is how the proxy itself is reached (https = TLS to the proxy).
    /// ProxyKind Http picks the http:// entry; Https and HttpsWithCredentials pick the https:// entry when present, else the
    /// http:// one. Credentials (ProxyUserName/ProxyPassword) are sent whenever given; HttpsWithCredentials requires them.
    /// </summary>
    internal sealed class ProxyPlan
    {
        private ProxyPlan(Uri uri, string displayUrl, NetworkCredential? credentials)
        {
            Uri = uri;
            DisplayUrl = displayUrl;
            Credentials = credentials;
        }

        public Uri Uri { get; }
        /// <summary>scheme://host:port, never with user info.</summary>
        public string DisplayUrl { get; }
        public NetworkCredential? Credentials { get; }
        public bool IsTls => Uri.Scheme == Uri.UriSchemeHttps;

        public static IReadOnlyList<Uri> ParseList(IReadOnlyList<string>? proxy)
        {
            var result = new List<Uri>();
            if (proxy == null) return result;
            // Checked first, before the list is split: a password may contain characters that make the URL unparseable (a
            // comma would even split it into two items, one quoted in the error below), and the rule to state is still this one.
            if (proxy.Any(p => (p ?? "").IndexOf('@') >= 0))
                throw Validate.Fail("proxy", "InvalidProxy",
                    "proxy entries must not carry credentials in the URL; use proxy_credentials_user/-ProxyCredential.");
            foreach (var item in proxy.SelectMany(p => (p ?? "").Split(',')).Select(p => p.Trim()).Where(p => p.Length > 0))
            {
                if (!Uri.TryCreate(item, UriKind.Absolute, out var uri)
                    || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                    || string.IsNullOrEmpty(uri.Host) || !HasExplicitPort(item)
                    || (uri.AbsolutePath != "/" && uri.AbsolutePath.Length > 0) || uri.Query.Length > 0)
                    throw Validate.Fail("proxy", "InvalidProxy",
                        $"proxy entry '{ProxyText.Redact(item)}' must be 'http://host:port' or 'https://host:port' (a list may hold one of each, e.g. 'http://host:port,https://host:port').",
                        ProxyText.Redact(item));
                result.Add(uri);
            }
            if (result.Count > 2)
                throw Validate.Fail("proxy", "InvalidProxy", "proxy accepts at most two URLs (one http:// and one https://).");
            if (result.Count == 2 && result[0].Scheme == result[1].Scheme)
                throw Validate.Fail("proxy", "InvalidProxy", "proxy with two URLs must hold one http:// and one https:// URL.");
            return result;
        }

        public static ProxyPlan? From(ConnectionSettings settings)
        {
            var list = ParseList(settings.Proxy);
            var hasUser = !string.IsNullOrEmpty(settings.ProxyUserName);
            var hasPassword = settings.ProxyPassword != null && settings.ProxyPassword.Length > 0;
            if (list.Count == 0)
            {
                var needsProxy = WhatNeedsAProxy(settings, hasUser);
                if (needsProxy.Count > 0)
                    throw Validate.Fail("proxy", "ProxyRequired", $"proxy must be given when {string.Join(" and ", needsProxy)}.");
                return null;
            }
            if (settings.ProxyKind == ProxyKind.HttpsWithCredentials && !hasUser)
                throw Validate.Fail("proxy_credentials_user", "ProxyCredentialsRequired",
                    "proxy_credentials_user must be set when proxy_type is HttpsWithCredentials.");
            if (settings.ProxyKind == ProxyKind.HttpsWithCredentials && !hasPassword)
                throw Validate.Fail("proxy_credentials_password", "ProxyCredentialsRequired",
                    "proxy_credentials_password must be set when proxy_type is HttpsWithCredentials.");
            if (hasPassword && !hasUser)
                throw Validate.Fail("proxy_credentials_user", "ProxyCredentialsRequired",
                    "proxy_credentials_user must be set when a proxy password is given.");

            var http = list.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttp);
            var https = list.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttps);
            var chosen = settings.ProxyKind == ProxyKind.Http ? (http ?? https!) : (https ?? http!);
            NetworkCredential? credentials = null;
            if (hasUser)
                credentials = hasPassword
                    ? new NetworkCredential(settings.ProxyUserName, settings.ProxyPassword)
                    : new NetworkCredential(settings.ProxyUserName, "");
            return new ProxyPlan(chosen, $"{chosen.Scheme}://{chosen.Host}:{chosen.Port}", credentials);
        }

        /// <summary>The settings that mean something only with a proxy, each named, so the message says which one was given.</summary>
        private static List<string> WhatNeedsAProxy(ConnectionSettings settings, bool hasUser)
        {
            var given = new List<string>();
            if (settings.ProxyKind == ProxyKind.HttpsWithCredentials) given.Add("proxy_type is HttpsWithCredentials");
            if (hasUser) given.Add("proxy_credentials_user is set");
            if (!string.IsNullOrEmpty(settings.ProxyCaBundleFile)) given.Add("proxy_ca_bundle_file is set");
            return given;
        }

        private static bool HasExplicitPort(string text)
        {
            var afterScheme = text.IndexOf("://", StringComparison.Ordinal);
            var hostPart = afterScheme >= 0 ? text.Substring(afterScheme + 3) : text;
            var slash = hostPart.IndexOf('/');
            if (slash >= 0) hostPart = hostPart.Substring(0, slash);
            var at = hostPart.LastIndexOf('@');
            if (at >= 0) hostPart = hostPart.Substring(at + 1);
            var colon = hostPart.LastIndexOf(':');
            return colon > 0 && colon > hostPart.LastIndexOf(']') && int.TryParse(hostPart.Substring(colon + 1), out var port) && port > 0 && port < 65536;
        }

        /// <summary>
        /// The proxy .NET itself will use for the endpoint when no explicit proxy is set (HTTPS_PROXY/HTTP_PROXY/ALL_PROXY,
        /// NO_PROXY honoured), as scheme://host:port without credentials; null when requests go direct. It asks
        /// HttpClient.DefaultProxy, the very object the handlers use, so the message can never name a different proxy.
        /// The property does not exist on .NET Framework (which ignores these variables): null there.
        /// </summary>
        internal static string? EnvironmentProxyFor(Uri? endpoint)
        {
            if (endpoint == null) return null;
            return DefaultProxyProperty?.GetValue(null) is IWebProxy proxy ? ProxyFor(proxy, endpoint) : null;
        }

        /// <summary>Looked up once: with AWS_CA_BUNDLE set, every call against an http:// endpoint asks it.</summary>
        private static readonly System.Reflection.PropertyInfo? DefaultProxyProperty = typeof(System.Net.Http.HttpClient).GetProperty("DefaultProxy",
            System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static);

        /// <summary>What a proxy object chooses for the endpoint, as scheme://host:port (no user info); null when bypassed.</summary>
        internal static string? ProxyFor(IWebProxy proxy, Uri endpoint)
        {
            try
            {
                if (proxy.IsBypassed(endpoint)) return null;
                var uri = proxy.GetProxy(endpoint);
                if (uri == null || uri == endpoint) return null;
                return $"{uri.Scheme}://{uri.Host}:{uri.Port}";
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is NotSupportedException || ex is ArgumentException)
            {
                return null;
            }
        }
    }
}
