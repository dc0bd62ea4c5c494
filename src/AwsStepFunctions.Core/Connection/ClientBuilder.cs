using System;
using System.Collections.Generic;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using AwsStepFunctions.Core.Sdk;

namespace AwsStepFunctions.Core
{
    /// <summary>Builds the SDK client for one ConnectionSettings: region, endpoint, identity, role, proxy, trust.</summary>
    internal static partial class ClientBuilder
    {
        /// <summary>How long the SDK's default credential chain may look (container and instance metadata included).</summary>
        internal static readonly TimeSpan DefaultChainBound = TimeSpan.FromSeconds(5);
        private static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(100);
        /// <summary>StartSyncExecution runs an Express execution of up to five minutes inside one request.</summary>
        private static readonly TimeSpan SyncRequestTimeout = TimeSpan.FromSeconds(330);

        public static ResolvedConnection Resolve(ConnectionSettings settings)
        {
            Validate.Credentials(settings.AccessKeyId, settings.SecretAccessKey);
            if (settings.RoleArn != null) Validate.RoleArn(settings.RoleArn);
            if (settings.RoleArn == null && (settings.ExternalId != null || settings.RoleSessionName != null))
                throw Validate.Fail("role_arn", "RoleArnRequired", "role_arn must be given when "
                    + (settings.ExternalId != null && settings.RoleSessionName != null ? "external_id and role_session_name are set."
                        : settings.ExternalId != null ? "external_id is set." : "role_session_name is set."));
            Validate.ExternalId(settings.ExternalId);
            Validate.RoleSessionName(settings.RoleSessionName);
            // At least 0.1 s: a smaller value rounds to no time at all on .NET Framework, where the SDK then refuses it.
            if (settings.RequestTimeoutSeconds != null && (double.IsNaN(settings.RequestTimeoutSeconds.Value)
                || settings.RequestTimeoutSeconds < 0.1 || settings.RequestTimeoutSeconds > 3600))
                throw Validate.Fail("request_timeout", "InvalidRequestTimeout",
                    $"request_timeout must be greater than 0 (at least 0.1) and at most 3600 seconds (got {settings.RequestTimeoutSeconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");

            var resolved = new ResolvedConnection
            {
                Region = ResolveRegion(settings),
                RequestTimeout = settings.RequestTimeoutSeconds is double t ? TimeSpan.FromSeconds(t) : DefaultRequestTimeout,
            };
            Validate.RegionName(resolved.Region);

            var endpoint = SettingOrEnv(settings.EndpointUrl, "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL");
            Uri? endpointUri = null;
            if (endpoint != null)
            {
                endpointUri = EndpointText.Validate(endpoint, out var normalized);
                resolved.EndpointUrl = normalized;
            }
            // The parameter wins over the variables, so a given -EndpointUrl is the one just parsed (not parsed again per call).
            var sts = StsEndpointSetting(settings.EndpointUrl, Env, ReferenceEquals(endpoint, settings.EndpointUrl) ? endpointUri : null);
            if (sts != null)
                resolved.StsEndpointUrl = ReferenceEquals(sts, endpoint) ? resolved.EndpointUrl : Validate.EndpointUrl(sts).ToString().TrimEnd('/');

            resolved.Proxy = ProxyPlan.From(settings);
            var anchors = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
            // The bundles' versions (path, size, write time), not their paths, go into the cache key: a bundle replaced during
            // a long session gets a client that trusts what it holds now.
            string proxyBundleVersion = "", awsBundleVersion = "";
            if (!string.IsNullOrEmpty(settings.ProxyCaBundleFile))
                anchors.AddRange(CaBundle.Load(settings.ProxyCaBundleFile!, "proxy_ca_bundle_file", out proxyBundleVersion));
            var awsCaBundle = Env("AWS_CA_BUNDLE");
            // Like the AWS CLI, the environment's bundle is read only when a connection can use TLS: parsing a system bundle
            // (~150 certificates) cost a first call against an http:// endpoint 25 ms for nothing. -ProxyCaBundleFile is
            // always read, since the user named it.
            if (awsCaBundle != null && UsesTls(settings, resolved))
                anchors.AddRange(CaBundle.Load(awsCaBundle, "AWS_CA_BUNDLE", out awsBundleVersion));
            if (anchors.Count > 0) resolved.Anchors = anchors;
            if (resolved.Proxy != null && resolved.Proxy.IsTls && !RuntimeCanTlsToProxy())
                throw new StepFunctionsFailure(FailureKind.Proxy, ExitCode.ProxyConnectionError, "ProxyConnectionError",
                    "ProxyConnectionError: Failed to connect to proxy URL " + resolved.Proxy.DisplayUrl)
                { Detail = $"This runtime ({RuntimeInformation.FrameworkDescription}) cannot use TLS to a proxy (https:// proxy URL); use PowerShell 7 (.NET 8 or later) or an http:// proxy." };

            resolved.CacheKey = string.Join("|", new[]
            {
                resolved.Region, resolved.EndpointUrl ?? "", resolved.StsEndpointUrl ?? "",
                settings.AccessKeyId ?? "", SecureText.Hash(settings.SecretAccessKey),
                settings.ProfileName ?? "", settings.AccessKeyId == null ? CredentialEnvironmentKey(Env, settings.ProfileName == null) : "",
                settings.RoleArn ?? "", settings.ExternalId ?? "", settings.RoleSessionName ?? "",
                resolved.Proxy?.DisplayUrl ?? "", settings.ProxyKind.ToString(), settings.ProxyUserName ?? "",
                SecureText.Hash(settings.ProxyPassword), proxyBundleVersion, awsBundleVersion,
                resolved.RequestTimeout.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            return resolved;
        }

        /// <summary>
        /// Variables that change a profile's credentials or where their calls go (the files, the SSO portal, STS).
        /// AWS_ENDPOINT_URL is among them: the SSO portal, SSO OIDC and web identity's STS fall back to it (NamedEndpoint), and
        /// the resolved Step Functions endpoint in the key does not show it when -EndpointUrl or AWS_ENDPOINT_URL_SFN wins.
        /// </summary>
        private static readonly string[] ProfileVariables =
        {
            "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_ENDPOINT_URL_STS",
            "AWS_ENDPOINT_URL",
        };

        /// <summary>...and, without a profile, the variables that choose the default chain's source.</summary>
        private static readonly string[] ChainVariables =
        {
            "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        };

        /// <summary>
        /// The cache key's part for credentials that come from the environment: a client keeps the source it was built with,
        /// so a runbook that points AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONFIG_FILE, AWS_ENDPOINT_URL_SSO or AWS_ENDPOINT_URL elsewhere mid-session
        /// must get a new client, not the old source. Values only, never a secret: none of these variables holds one.
        /// </summary>
        internal static string CredentialEnvironmentKey(Func<string, string?> env, bool defaultChain)
        {
            var key = new StringBuilder(defaultChain ? "chain" : "profile");
            // A line per variable: URLs and paths hold ':', seldom a line break.
            foreach (var name in ProfileVariables) key.Append('\n').Append(env(name));
            if (defaultChain)
                foreach (var name in ChainVariables) key.Append('\n').Append(env(name));
            return key.ToString();
        }

        public static SdkStepFunctionsClient Build(ConnectionSettings settings, ResolvedConnection resolved)
        {
            Prewarm.BeforeRealClient();
            var trust = resolved.Anchors != null ? new BundleTrust(resolved.Anchors) : null;
            var factory = trust != null || (resolved.Proxy != null && resolved.Proxy.IsTls)
                ? new TrustingHttpClientFactory(resolved.Proxy, trust)
                : null;
            var credentials = ResolveCredentials(settings, resolved, factory, out var credentialSource);
            var endpointUri = EndpointUri(resolved);
            var proxyShown = resolved.Proxy?.DisplayUrl ?? ProxyPlan.EnvironmentProxyFor(endpointUri);
            var failureContext = new FailureContext(proxyShown, () => trust?.LastProblem, resolved.RequestTimeout,
                publicEndpointRegion: resolved.EndpointUrl == null ? resolved.Region : null);
            var client = new SfnServiceClient(credentials, SfnConfig(resolved, factory, resolved.RequestTimeout));
            // Two more SDK clients, created on first use, for calls that a blind repeat could run twice: neither gets the SDK's
            // free repeat after a reset connection (every other call keeps it, so a dead pooled connection is retried at once,
            // not after a backoff).
            Lazy<SfnServiceClient> NotRepeatedBlindly(TimeSpan timeout, bool sdkRetries) => new Lazy<SfnServiceClient>(() =>
            {
                var config = SfnConfig(resolved, factory, timeout);
                if (!sdkRetries) config.MaxErrorRetry = 0;
                NoFreeStaleConnectionRetries(config);
                return new SfnServiceClient(credentials, config);
            }, LazyThreadSafetyMode.ExecutionAndPublication);
            // StartSyncExecution: a long timeout, and the SDK never retries (SdkStepFunctionsClient retries throttling itself).
            var syncTimeout = resolved.RequestTimeout > SyncRequestTimeout ? resolved.RequestTimeout : SyncRequestTimeout;
            var syncClient = NotRepeatedBlindly(syncTimeout, sdkRetries: false);
            // Every StartExecution: the retry policy alone decides on repeats (SfnRetryPolicy), and knows when one followed an
            // attempt of unknown outcome. The SDK's free repeat after a reset bypasses the policy, so a repeat that met this
            // call's own execution (ExecutionAlreadyExists) would have looked like a rerun of someone else's.
            var startClient = NotRepeatedBlindly(resolved.RequestTimeout, sdkRetries: true);
            return new SdkStepFunctionsClient(client, failureContext, syncClient, failureContext.For(syncTimeout, sdkRetries: false), startClient)
            {
                Description = Describe(settings, resolved, endpointUri, credentialSource, proxyShown, trust != null),
                RenewExpiredSession = (credentials as CredentialsSource)?.RenewableSession is SessionCredentials session ? session.ExpireCurrent : (Func<bool>?)null,
            };
        }

        /// <summary>What -Verbose says about a connection: where, as whom, through what. Never a secret or a proxy's user info.</summary>
        private static string Describe(ConnectionSettings settings, ResolvedConnection resolved, Uri? endpoint, string credentialSource,
            string? proxyShown, bool extraTrust)
        {
            var role = settings.RoleArn == null ? "" : $", then AssumeRole {settings.RoleArn}"
                + (resolved.StsEndpointUrl != null ? $" at {resolved.StsEndpointUrl}" : "");
            var proxy = proxyShown == null ? "none" : proxyShown + (resolved.Proxy == null ? " (from the environment)" : "");
            return $"Step Functions at {endpoint?.ToString().TrimEnd('/') ?? "(no endpoint for this region)"}, region {resolved.Region}; "
                + $"credentials: {credentialSource}{role}; proxy: {proxy}; request timeout {resolved.RequestTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s"
                + (extraTrust ? "; extra CA certificates trusted (AWS_CA_BUNDLE or -ProxyCaBundleFile)" : "") + ".";
        }

        /// <summary>Whether any connection of this client can be TLS: to Step Functions, to STS for a role, or to the proxy.</summary>
        private static bool UsesTls(ConnectionSettings settings, ResolvedConnection resolved)
        {
            // No custom endpoint means the public one, which is https.
            static bool Https(string? url) => url == null || url.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
            if (Https(resolved.EndpointUrl) || (settings.RoleArn != null && Https(resolved.StsEndpointUrl))) return true;
            if (resolved.Proxy != null) return resolved.Proxy.IsTls;
            // The runtime's own choice of environment proxy (HTTP_PROXY, NO_PROXY...): one reached over TLS needs the bundle too.
            var environmentProxy = ProxyPlan.EnvironmentProxyFor(EndpointUri(resolved));
            return environmentProxy != null && Https(environmentProxy);
        }

        /// <summary>Where Step Functions requests go: the custom endpoint, else the region's public one.</summary>
        internal static Uri? EndpointUri(ResolvedConnection resolved)
        {
            if (resolved.EndpointUrl != null) return EndpointText.Parse(resolved.EndpointUrl);
            try
            {
                var endpoint = new SfnEndpointProvider().ResolveEndpoint(new SfnEndpointParameters { Region = resolved.Region });
                return new Uri(endpoint.URL);
            }
            catch (Exception ex) when (ex is AmazonClientException || ex is UriFormatException)
            {
                return null;
            }
        }

        /// <summary>The config every Step Functions client gets (the warm-up's too, so it takes the very same paths).</summary>
        internal static SfnClientConfig SfnConfig(ResolvedConnection resolved, HttpClientFactory? factory, TimeSpan timeout)
        {
            var config = new SfnClientConfig();
            ApplyCommon(config, resolved, factory, resolved.EndpointUrl, timeout);
            return config;
        }

        internal static void ApplyCommon(ClientConfig config, ResolvedConnection resolved, HttpClientFactory? factory, string? endpointUrl, TimeSpan timeout)
        {
            if (endpointUrl != null)
            {
                // The SDK clears RegionEndpoint when ServiceURL is set: the signing region must be given separately.
                config.ServiceURL = endpointUrl;
                config.AuthenticationRegion = resolved.Region;
                // Otherwise StartSyncExecution would go to sync-127.0.0.1.
                config.DisableHostPrefixInjection = true;
            }
            else
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(resolved.Region);
            config.RetryMode = RequestRetryMode.Standard;
            // Every attempt is signed again, asking the credentials again: a retry (after a timeout of up to -RequestTimeout,
            // so minutes later) went out with its first attempt's signature, and a session that had expired meanwhile,
            // although already refreshed, made it ExpiredToken (exit 2). Costs nothing on a first attempt.
            config.ResignRetries = true;
            config.Timeout = timeout;
            config.MaxConnectionsPerServer = ConnectionLimitOn(RuntimeInformation.FrameworkDescription);
            if (factory != null)
                config.HttpClientFactory = factory;
            else if (resolved.Proxy != null)
            {
                // A plain http:// proxy is something the SDK's own settings express.
                config.SetWebProxy(new WebProxy(resolved.Proxy.Uri) { BypassProxyOnLocal = false, Credentials = resolved.Proxy.Credentials });
                config.ProxyCredentials = resolved.Proxy.Credentials;
            }
        }

        /// <summary>
        /// The SDK repeats any request (up to MaxStaleConnectionRetries times, outside its retry policy) when the connection
        /// is reset or closed before the answer, taking it for a stale pooled connection. But a connection can also drop
        /// after the service processed the request: a repeated StartSyncExecution, or StartExecution of an EXPRESS machine,
        /// would then run the workflow twice. Switched off, such failures go through the retry policy like any other
        /// (SfnRetryPolicy): repeated within its budget when that is safe, never otherwise. AWSSDK.Core versions before the
        /// setting (another one may be loaded on Windows PowerShell) do not repeat at all: nothing to switch off there.
        /// </summary>
        private static void NoFreeStaleConnectionRetries(ClientConfig config)
        {
            try
            {
                SetMaxStaleConnectionRetries(config, 0);
            }
            catch (MissingMethodException)
            {
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void SetMaxStaleConnectionRetries(ClientConfig config, int retries) => config.MaxStaleConnectionRetries = retries;

        private static string ResolveRegion(ConnectionSettings settings)
        {
            var region = SettingOrEnv(settings.Region, "AWS_REGION", "AWS_DEFAULT_REGION");
            if (region != null) return region.Trim();
            var profileName = SettingOrEnv(settings.ProfileName, "AWS_PROFILE") ?? "default";
            try
            {
                if (SharedProfiles().TryGetProfile(profileName, out var profile) && profile.Region != null)
                    return profile.Region.SystemName;
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is AmazonClientException)
            {
                // An unreadable shared file means no region from it; the validation error below says what to do.
            }
            return "";
        }

        /// <summary>The shared credentials and config files where AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE say now.</summary>
        private static CredentialProfileStoreChain SharedProfiles()
        {
            Sdk.SdkSettings.FollowSharedFileVariables();
            return new CredentialProfileStoreChain();
        }

        /// <summary>
        /// .NET Framework lets a process open two connections per host unless told otherwise, so calls in flight together
        /// (-ThrottleLimit, runspaces sharing a client) would queue behind two, and a queued StartSyncExecution could reach its
        /// timeout. .NET (Core) has no such default and is left as it is.
        /// </summary>
        internal static int? ConnectionLimitOn(string frameworkDescription)
            => frameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase) ? FrameworkConnectionLimit : (int?)null;

        /// <summary>Above the cmdlets' largest -ThrottleLimit (64), with room for a few runspaces sharing the client.</summary>
        internal const int FrameworkConnectionLimit = 256;

        /// <summary>.NET Framework never speaks TLS to a proxy; .NET (Core) does from version 8.</summary>
        internal static bool RuntimeCanTlsToProxy()
            => !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase)
               && Environment.Version.Major >= 8;

        /// <summary>
        /// Where AssumeRole goes (-RoleArn, a role profile): an -EndpointUrl that is not AWS's own, since the local endpoint and
        /// emulators serve STS too (a parameter wins over the environment, as everywhere). One of AWS's (a VPC endpoint of
        /// Step Functions) serves Step Functions only: then AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, else the region's STS.
        /// </summary>
        /// <param name="parsed">-EndpointUrl already parsed, when the caller has it.</param>
        internal static string? StsEndpointSetting(string? endpointUrl, Func<string, string?> environment, Uri? parsed = null)
        {
            if (!string.IsNullOrWhiteSpace(endpointUrl) && !IsAwsHost(parsed ?? ParseOrNull(endpointUrl!))) return endpointUrl;
            return environment("AWS_ENDPOINT_URL_STS") ?? environment("AWS_ENDPOINT_URL");
        }

        /// <summary>
        /// Where a call that carries a secret rather than a signature goes (AssumeRoleWithWebIdentity's token, the SSO sign-in):
        /// only where the environment names that service (<paramref name="variable"/>) or every service (AWS_ENDPOINT_URL), else
        /// AWS's public endpoint (null); never -EndpointUrl.
        /// </summary>
        internal static string? NamedEndpoint(string variable, Func<string, string?> environment)
        {
            var (name, url) = environment(variable) is string own ? (variable, own)
                : environment("AWS_ENDPOINT_URL") is string every ? ("AWS_ENDPOINT_URL", every) : (variable, null);
            return url == null ? null : Validate.EndpointUrl(url, name).ToString().TrimEnd('/');
        }

        private static Uri? ParseOrNull(string url) => Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ? uri : null;

        private static readonly string[] AwsHostSuffixes = { ".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".c2s.ic.gov", ".sc2s.sgov.gov" };

        private static bool IsAwsHost(Uri? uri)
        {
            if (uri == null) return false;
            foreach (var suffix in AwsHostSuffixes)
                if (uri.Host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        internal static string? Env(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }

        /// <summary>
        /// The setting if given, else the first environment variable set. The environment is read only when needed:
        /// Resolve runs on every cmdlet call, and each read was a measurable part of a warm call.
        /// </summary>
        private static string? SettingOrEnv(string? setting, string variable, string? fallbackVariable = null)
        {
            if (!string.IsNullOrWhiteSpace(setting)) return setting;
            return Env(variable) ?? (fallbackVariable == null ? null : Env(fallbackVariable));
        }
    }
}
