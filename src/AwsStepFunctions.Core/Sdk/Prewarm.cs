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
    /// Start and one Describe through a real SDK pipeline whose connections are answered in memory: no network, no
    /// credential chain, and nothing kept that a real call would reuse (the client is thrown away). The environment's
    /// credentials are not warmed: the SDK's chain may go on to instance metadata, which is network.
    /// </summary>
    public static class Prewarm
    {
        /// <summary>Set to 1 to switch the warm-up off (a session that imports the module but rarely calls it).</summary>
        public const string DisableVariable = "AWSSTEPFUNCTIONS_DISABLE_PREWARM";

        private static int _started;

        /// <summary>Runs the warm-up on the calling thread, once per process (later calls return at once).</summary>
        public static void Run()
        {
            if (Environment.GetEnvironmentVariable(DisableVariable) == "1") return;
            if (Interlocked.Exchange(ref _started, 1) != 0) return;
            RunQuietly().GetAwaiter().GetResult();
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

        /// <summary>One Start and one Describe against the in-memory answers; throws what goes wrong (tests).</summary>
        internal static async Task RunAsync()
        {
            var settings = new ConnectionSettings
            {
                Region = "us-east-1",
                EndpointUrl = "http://prewarm.invalid",
                AccessKeyId = "AKIDPREWARM",
                SecretAccessKey = Secret("prewarm"),
            };
            var resolved = ClientBuilder.Resolve(settings);
            var config = new Sdk.SfnClientConfig
            {
                ServiceURL = resolved.EndpointUrl,
                AuthenticationRegion = resolved.Region,
                HttpClientFactory = new PrewarmHttpClientFactory(),
                MaxErrorRetry = 0,
            };
            using var client = new Sdk.SdkStepFunctionsClient(
                new Sdk.SfnServiceClient(new BasicAWSCredentials(settings.AccessKeyId, "prewarm"), config), FailureContext.None);
            var service = new StepFunctionsService(client);
            var request = new StartRequest { StateMachineArn = PrewarmHttpClientFactory.MachineArn, Input = "{}" };
            StepFunctionsService.ValidateStart(request);
            var started = await service.StartAsync(request, null, CancellationToken.None).ConfigureAwait(false);
            var described = await service.GetAsync(started.ExecutionArn, CancellationToken.None).ConfigureAwait(false);
            _ = ExtensionOutput.FromResult(new Invocation(), described, changed: false, waited: false).ToJson();
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
