using System.Collections.Generic;
using System.Security;

namespace AwsStepFunctions.Core
{
    /// <summary>How the module reaches a proxy (the seed's "proxy_type" field).</summary>
    public enum ProxyKind
    {
        Http,
        Https,
        HttpsWithCredentials,
    }

    /// <summary>
    /// Everything needed to reach Step Functions as one identity. Secrets stay in SecureString.
    /// Two settings with equal <see cref="CacheKey"/> share one client (connections, credentials).
    /// </summary>
    public sealed class ConnectionSettings
    {
        public string? Region { get; set; }
        public string? AccessKeyId { get; set; }
        public SecureString? SecretAccessKey { get; set; }
        public string? ProfileName { get; set; }
        public string? RoleArn { get; set; }
        public string? ExternalId { get; set; }
        public string? RoleSessionName { get; set; }
        public string? EndpointUrl { get; set; }
        /// <summary>Null or empty: no explicit proxy (HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply).</summary>
        public IReadOnlyList<string>? Proxy { get; set; }
        public ProxyKind ProxyKind { get; set; } = ProxyKind.Http;
        public string? ProxyUserName { get; set; }
        public SecureString? ProxyPassword { get; set; }
        public string? ProxyCaBundleFile { get; set; }
        /// <summary>Seconds one HTTP request may take before the SDK retries it (default 100; StartSyncExecution allows at least 330).</summary>
        public double? RequestTimeoutSeconds { get; set; }
    }
}
