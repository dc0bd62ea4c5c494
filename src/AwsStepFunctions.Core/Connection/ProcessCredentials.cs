using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Credentials from a profile's credential_process, run once per session under SessionCredentials' refresh policy:
    /// 15-minute credentials are fetched again after about 11 minutes, credentials without an Expiration once.
    /// </summary>
    /// <remarks>
    /// Why not the SDK's ProcessAWSCredentials (AWSSDK.Core 4.0.102.19): its RefreshingAWSCredentials base takes a minute
    /// off every expiry and starts a background refresh whenever less than PreemptExpiryTime (15 minutes for this class)
    /// is left, so a process issuing 15-minute credentials ran again for every other request (10 runs for 21 calls in one
    /// session). It waits for the process without limit and never kills it: a process that never exits was left running
    /// after the module gave up on it, and after pwsh had exited. It hands the process the host's standard input, keeps
    /// all it prints in memory, doubles backslashes on their way to sh, and a Version other than 1 broke its own message
    /// ("terminated with System.FormatException").
    /// </remarks>
    internal sealed class ProcessCredentials : SessionCredentials
    {
        private readonly string _profileName;
        private readonly string _command;
        private readonly TimeSpan _bound;
        private readonly CancellationTokenSource _disposed = new CancellationTokenSource();
        private int _runs;

        /// <param name="profileName">The profile whose credential_process this is (the source_profile, for a role profile).</param>
        /// <param name="command">The credential_process line; never shown (it may carry a secret as an argument).</param>
        /// <param name="bound">How long one run may take before it is killed (the connection's credentials bound).</param>
        public ProcessCredentials(string profileName, string command, TimeSpan bound)
        {
            _profileName = profileName;
            _command = command.Trim();
            _bound = bound;
        }

        /// <summary>How many times the process was started (tests: one per credential lifetime).</summary>
        internal int Runs => _runs;

        protected override string Operation => $"credential_process of profile '{_profileName}'";

        protected override async Task<Session> NewSessionAsync()
        {
            var trace = RequestTrace.Writer;
            trace?.Progress($"{Operation} started at {DateTime.Now:HH:mm:ss.fff}");
            var clock = Stopwatch.StartNew();
            Interlocked.Increment(ref _runs);
            CredentialProcess.Result result;
            try
            {
                result = await CredentialProcess.RunAsync(_command, _profileName, _bound, _disposed.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                trace?.Write($"{Operation} killed after {clock.Elapsed.TotalMilliseconds:0.0} ms: it did not finish in time");
                // Told as CredentialsSource tells it when it gives up first: a timeout (exit 10), which a -Wait polls through.
                throw new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, "CredentialsTimeout",
                    $"{Operation} did not finish within {_bound.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s "
                    + "(three times request_timeout) and was stopped.", field: "credentials_user")
                { FromCredentials = true };
            }
            var issued = DateTime.UtcNow;
            try
            {
                if (result.ExitCode != 0)
                {
                    trace?.Write($"{Operation} exited with code {result.ExitCode} after {clock.Elapsed.TotalMilliseconds:0.0} ms");
                    var said = FailureMapper.OneLine(result.ErrorOutput);
                    throw new CredentialProcessException($"{Operation} exited with code {result.ExitCode}"
                        + (said.Length > 0 ? ": " + said : " and wrote no error output."));
                }
                var (credentials, expiresUtc) = CredentialProcessOutput.Parse(result.Output, _profileName, issued);
                trace?.Progress($"{Operation} answered in {clock.Elapsed.TotalMilliseconds:0.0} ms: credentials "
                    + (expiresUtc is DateTime until ? $"until {until:HH:mm:ss} UTC" : "without an expiry"));
                return expiresUtc is DateTime expires ? new Session(credentials, expires, issued) : Session.WithoutExpiry(credentials);
            }
            finally
            {
                Array.Clear(result.Output, 0, result.Output.Length);
            }
        }

        /// <summary>Kills a run still in progress.</summary>
        public override void Dispose()
        {
            _disposed.Cancel();
            _disposed.Dispose();
            base.Dispose();
        }
    }
}
