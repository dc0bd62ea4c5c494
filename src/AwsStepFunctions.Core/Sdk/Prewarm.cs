using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Pays a process's one-time costs of the first call (loading and initialising the AWS SDK, the signer, crypto, JSON,
    /// .NET's HTTP code, this core) on a thread started at import, while the session goes on importing and binding: a
    /// Universal Agent task starts a fresh PowerShell for every run, so those ~100 ms are paid on every run. It makes one
    /// Start and one Describe through a real SDK pipeline, configured as a real client is, whose connections are answered
    /// in memory: no network, no credential chain, no proxy lookup, and nothing kept that a real call would reuse (the
    /// client is thrown away; the SDK's settings from the environment are read again at the first real call). The
    /// environment's credentials are not warmed: the SDK's chain may go on to instance metadata, which is network.
    /// </summary>
    public static class Prewarm
    {
        /// <summary>Set to 1 to switch the warm-up off (a session that imports the module but rarely calls it).</summary>
        public const string DisableVariable = "AWSSTEPFUNCTIONS_DISABLE_PREWARM";

        private static int _started;

        /// <summary>Guards the two flags below: the SDK's settings are re-read before the first real client, never while one runs.</summary>
        private static readonly object SdkEnvironmentGate = new object();
        /// <summary>Set once the warm-up is about to touch the SDK, unless a real client came first.</summary>
        private static bool _sdkEnvironmentReadEarly;
        private static bool _realClientStarted;

        /// <summary>True once the warm-up has ended, however it ended, or was switched off (tests).</summary>
        public static bool HasFinished { get; private set; }

        /// <summary>
        /// Runs the warm-up on the calling thread, once per process (later calls return at once). Not on .NET Framework
        /// (Windows PowerShell): there every module shares one AWSSDK.Core, the first one loaded, and loading ours at import
        /// would choose it for modules imported after this one (about_AwsStepFunctions, COEXISTENCE).
        /// </summary>
        public static void Run()
        {
            if (Environment.GetEnvironmentVariable(DisableVariable) == "1"
                || System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                HasFinished = true;
                return;
            }
            if (Interlocked.Exchange(ref _started, 1) != 0) return;
            try
            {
                RunQuietly().GetAwaiter().GetResult();
            }
            finally
            {
                HasFinished = true;
            }
        }

        /// <summary>
        /// Called before every real client is built. The SDK reads some settings from the environment and the shared config
        /// file once per process (AWS_MAX_ATTEMPTS, AWS_USE_FIPS_ENDPOINT, defaults mode...); without the warm-up that happens
        /// at the first call. If the warm-up read them, they are read again here, once, before the first real client exists:
        /// a variable set between Import-Module and the first call still counts, and no real call can see the settings while
        /// they are being replaced (the SDK publishes a new, empty set and then fills it in).
        /// </summary>
        internal static void BeforeRealClient()
        {
            lock (SdkEnvironmentGate)
            {
                if (_realClientStarted) return;
                _realClientStarted = true;
                if (_sdkEnvironmentReadEarly) Sdk.SdkSettings.RereadEnvironment();
            }
        }

        /// <summary>False when a real client came first: the warm-up then has nothing left to do.</summary>
        private static bool BeforeTouchingSdk()
        {
            lock (SdkEnvironmentGate)
            {
                if (_realClientStarted) return false;
                _sdkEnvironmentReadEarly = true;
                return true;
            }
        }

        private static async Task RunQuietly()
        {
            try
            {
                await RunAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Best effort: whatever fails here fails again, and is reported, on the real call.
            }
        }

        /// <summary>The warm-up, unless a real client came first; throws what goes wrong.</summary>
        private static async Task RunAsync()
        {
            if (!BeforeTouchingSdk()) return;
            await StartAndDescribeInMemoryAsync().ConfigureAwait(false);
        }

        /// <summary>
        /// One Start and one Describe through a real SDK pipeline against the in-memory answers; returns what the Describe
        /// read (tests: the warm-up itself runs once per process and only if no real client came first, so tests call this).
        /// </summary>
        internal static async Task<ExecutionResult> StartAndDescribeInMemoryAsync()
        {
            var settings = new ConnectionSettings
            {
                Region = "us-east-1",
                EndpointUrl = "http://prewarm.invalid",
                AccessKeyId = "AKIDPREWARM",
                SecretAccessKey = Secret("prewarm"),
                // An explicit proxy (never used: the in-memory connections take no proxy) keeps Resolve from asking the
                // runtime for the environment's proxy, which may mean WPAD on Windows, and from reading AWS_CA_BUNDLE.
                Proxy = new[] { "http://prewarm.invalid:3128" },
            };
            var resolved = ClientBuilder.Resolve(settings);
            // The real clients' config, timeout included: a config without one asks the SDK's defaults mode, which in
            // "auto" mode looks up the region in EC2 instance metadata, over the network.
            var config = ClientBuilder.SfnConfig(resolved, new PrewarmHttpClientFactory(), resolved.RequestTimeout);
            config.MaxErrorRetry = 0;
            using var client = new Sdk.SdkStepFunctionsClient(
                new Sdk.SfnServiceClient(new BasicAWSCredentials(settings.AccessKeyId, "prewarm"), config), FailureContext.None);
            var service = new StepFunctionsService(client);
            var request = new StartRequest { StateMachineArn = PrewarmHttpClientFactory.MachineArn, Input = "{}" };
            StepFunctionsService.ValidateStart(request);
            // A real token, as every real call passes: given none, the SDK builds one from its defaults mode, which in "auto"
            // mode asks EC2 instance metadata for the region, over the network. Memory answers at once; the bound is a backstop.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var started = await service.StartAsync(request, null, bound.Token).ConfigureAwait(false);
            var described = await service.GetAsync(started.ExecutionArn, bound.Token).ConfigureAwait(false);
            _ = ExtensionOutput.FromResult(new Invocation(), described, changed: false, waited: false).ToJson();
            return described;
        }

        private static SecureString Secret(string text)
        {
            var secret = new SecureString();
            foreach (var c in text) secret.AppendChar(c);
            secret.MakeReadOnly();
            return secret;
        }
    }
}
