using System;
using System.Net;
using System.Net.Http;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Used only where ClientConfig cannot say it: an https:// proxy, or extra trust anchors (ProxyCaBundleFile,
    /// AWS_CA_BUNDLE). Without an explicit proxy the handler keeps .NET's default proxy (HTTPS_PROXY/HTTP_PROXY/NO_PROXY).
    /// </summary>
    internal sealed class TrustingHttpClientFactory : HttpClientFactory
    {
        private readonly ProxyPlan? _proxy;
        private readonly BundleTrust? _trust;

        public TrustingHttpClientFactory(ProxyPlan? proxy, BundleTrust? trust)
        {
            _proxy = proxy;
            _trust = trust;
        }

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<HttpClient>> _clients =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<HttpClient>>();
        private int _created;

        /// <summary>How many HttpClients this factory made: one per timeout keeps connections alive across calls.</summary>
        internal int Created => _created;

        /// <summary>
        /// The SDK asks for a client on every request when its own cache is off (it must be: its cache key does not know
        /// our proxy and trust), so this factory keeps one client per timeout and connection limit itself.
        /// </summary>
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var key = (clientConfig.Timeout?.Ticks ?? -1) + "|" + (clientConfig.MaxConnectionsPerServer ?? -1);
            return _clients.GetOrAdd(key, _ => new Lazy<HttpClient>(() => Build(clientConfig))).Value;
        }

        private HttpClient Build(IClientConfig clientConfig)
        {
            System.Threading.Interlocked.Increment(ref _created);
            var handler = new HttpClientHandler { AllowAutoRedirect = false };
            if (_proxy != null)
            {
                handler.UseProxy = true;
                handler.Proxy = new WebProxy(_proxy.Uri) { Credentials = _proxy.Credentials, BypassProxyOnLocal = false };
            }
            if (_trust != null)
            {
                // .NET applies this callback to the TLS session with an https:// proxy as well as to the endpoint's.
                var trust = _trust;
                handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors);
            }
            if (clientConfig.MaxConnectionsPerServer.HasValue)
                handler.MaxConnectionsPerServer = clientConfig.MaxConnectionsPerServer.Value;
            var client = new HttpClient(handler, disposeHandler: true);
            if (clientConfig.Timeout.HasValue)
                client.Timeout = clientConfig.Timeout.Value;
            return client;
        }

        // One HttpClient per SDK client: the client cache above already keys on proxy and trust.
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }
}
