using System;

namespace AwsStepFunctions.Core
{
    /// <summary>What the mapper needs to know about the connection a failure happened on.</summary>
    internal sealed class FailureContext
    {
        public static readonly FailureContext None = new FailureContext(null, null);

        public FailureContext(string? proxyDisplayUrl, Func<string?>? lastCertificateProblem, TimeSpan? requestTimeout = null, bool sdkRetries = true,
            string? publicEndpointRegion = null)
        {
            ProxyDisplayUrl = proxyDisplayUrl;
            PublicEndpointRegion = publicEndpointRegion;
            LastCertificateProblem = lastCertificateProblem;
            RequestTimeout = requestTimeout;
            SdkRetries = sdkRetries;
        }

        /// <summary>
        /// The proxy the endpoint is reached through, without credentials: the explicit one, or the one HTTPS_PROXY /
        /// HTTP_PROXY give for the endpoint (NO_PROXY honoured); null when requests go direct.
        /// </summary>
        public string? ProxyDisplayUrl { get; }

        /// <summary>What our certificate validation last rejected (when a custom CA bundle is in play).</summary>
        public Func<string?>? LastCertificateProblem { get; }

        /// <summary>How long one attempt may take (the SDK client's Timeout), for the timeout message.</summary>
        public TimeSpan? RequestTimeout { get; }

        /// <summary>
        /// The region whose public endpoint the requests go to; null with a custom endpoint. A host name that does not resolve
        /// is then most often a mistyped region, which the message says when the SDK does not know the region.
        /// </summary>
        public string? PublicEndpointRegion { get; }

        /// <summary>False for the StartSyncExecution client, which never retries: messages must not claim retries.</summary>
        public bool SdkRetries { get; }

        /// <summary>The same connection seen through another SDK client (StartSyncExecution's: its own timeout, no retries).</summary>
        public FailureContext For(TimeSpan timeout, bool sdkRetries) => new FailureContext(ProxyDisplayUrl, LastCertificateProblem, timeout, sdkRetries, PublicEndpointRegion);

        /// <summary>The same client's failures for a request it did not repeat (a StartExecution that may be EXPRESS).</summary>
        public FailureContext WithoutRetries() => new FailureContext(ProxyDisplayUrl, LastCertificateProblem, RequestTimeout, sdkRetries: false, PublicEndpointRegion);

        /// <summary>How the message ends: what the SDK did before giving up.</summary>
        internal string AfterRetries => SdkRetries ? " after the SDK's retries" : " (not retried)";
    }
}
