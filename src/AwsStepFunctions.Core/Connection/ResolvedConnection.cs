using System;
using System.Collections.Generic;

namespace AwsStepFunctions.Core
{
    /// <summary>The settings after validation and environment fallbacks: what one cached client is built from.</summary>
    internal sealed class ResolvedConnection
    {
        public string Region = "";
        public string? EndpointUrl;
        public string? StsEndpointUrl;
        public ProxyPlan? Proxy;
        /// <summary>
        /// Extra trust anchors (ProxyCaBundleFile, AWS_CA_BUNDLE): read and checked on every call (CaBundle caches the parse).
        /// They are indexed into a BundleTrust only in Build, once per cached client: indexing a system bundle's ~150
        /// certificates cost every warm cmdlet call ~65 us when AWS_CA_BUNDLE was set.
        /// </summary>
        public List<System.Security.Cryptography.X509Certificates.X509Certificate2>? Anchors;
        public TimeSpan RequestTimeout;

        /// <summary>Everything that makes two clients different; the secret appears only as a hash.</summary>
        public string CacheKey = "";
    }
}
