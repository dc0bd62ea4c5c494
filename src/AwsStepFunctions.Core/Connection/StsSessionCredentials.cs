using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Credentials that STS issues as a session (AssumeRole, AssumeRoleWithWebIdentity): one STS call per session, refreshed
    /// shortly before expiry, and never an empty result (a failed refresh raises the STS failure instead of letting a request
    /// go out unsigned).
    /// </summary>
    /// <remarks>
    /// Why not RefreshingAWSCredentials: AWSSDK.Core 4.0's version subtracts a fixed ExpirationBuffer (1 minute) from
    /// every expiry, so credentials that live under a minute are "expired" the moment they arrive and every
    /// GetCredentials call (the signer calls it twice per request, async then sync) runs STS again; the two calls of one
    /// signing can then see different key pairs. Core's own STS-backed credentials cannot be pointed at a custom STS
    /// endpoint or our HttpClientFactory either, so this class owns the whole refresh policy.
    /// </remarks>
    internal abstract class StsSessionCredentials : AWSCredentials, IDisposable
    {
        private static readonly TimeSpan SyncBound = TimeSpan.FromSeconds(120);
        /// <summary>Refresh at most this long before expiry (long sessions)...</summary>
        private static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromMinutes(5);
        private readonly SemaphoreSlim _refresh = new SemaphoreSlim(1, 1);
        private volatile Session? _current;
        private int _sessions;

        /// <summary>
        /// Not default(CancellationToken): given none, the SDK builds one from its defaults mode, which in "auto" mode
        /// (AWS_DEFAULTS_MODE) asks EC2 instance metadata for the region first, over the network, off EC2 for seconds.
        /// The request timeout and the retries still bound the call.
        /// </summary>
        protected static readonly CancellationToken NeverCancelled = new CancellationTokenSource().Token;

        /// <summary>How many sessions STS issued (tests: one per credential lifetime).</summary>
        protected int SessionsIssued => _sessions;

        /// <summary>The STS operation, as messages and -Debug name it ("AssumeRole").</summary>
        protected abstract string Operation { get; }

        /// <summary>The role this session is of (role_arn in messages).</summary>
        protected abstract string RoleArn { get; }

        /// <summary>What -Debug says before the call ("AssumeRole arn (session s)"). Never a secret.</summary>
        protected abstract string CallDescription { get; }

        /// <summary>One STS call; its failures (AccessDenied, network) propagate to the request that needed credentials.</summary>
        protected abstract Task<Amazon.SecurityToken.Model.Credentials?> CallStsAsync();

        public override DateTime? Expiration
        {
            get => _current?.ExpiresUtc;
            set { /* The expiry comes from STS only. */ }
        }

        public override async Task<ImmutableCredentials> GetCredentialsAsync()
        {
            var session = _current;
            if (session != null && DateTime.UtcNow < session.RefreshAtUtc) return session.Credentials;
            await _refresh.WaitAsync().ConfigureAwait(false);
            try
            {
                // Another caller may have refreshed while this one queued.
                session = _current;
                if (session != null && DateTime.UtcNow < session.RefreshAtUtc) return session.Credentials;
                session = await NewSessionAsync().ConfigureAwait(false);
                _current = session;
                return session.Credentials;
            }
            finally
            {
                _refresh.Release();
            }
        }

        /// <summary>
        /// Synchronous callers (the SDK's signer asks again synchronously right after the async call) get the current
        /// session while it has not expired, so one request is always signed with one key pair.
        /// </summary>
        public override ImmutableCredentials GetCredentials()
        {
            var session = _current;
            if (session != null && DateTime.UtcNow < session.ExpiresUtc) return session.Credentials;
            var task = Task.Run(GetCredentialsAsync);
            if (!task.Wait(SyncBound))
                throw new TimeoutException(Operation + " did not answer within " + SyncBound.TotalSeconds + " seconds.");
            return task.GetAwaiter().GetResult();
        }

        private async Task<Session> NewSessionAsync()
        {
            var trace = RequestTrace.Writer;
            trace?.Progress($"{CallDescription} at {DateTime.Now:HH:mm:ss.fff}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Amazon.SecurityToken.Model.Credentials? credentials;
            try
            {
                credentials = await CallStsAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (trace != null)
            {
                trace.Write($"{Operation} failed after {clock.Elapsed.TotalMilliseconds:0.0} ms: {error.GetType().Name}: {ProxyText.ScrubUrlCredentials(error.Message)}");
                throw;
            }
            var issued = DateTime.UtcNow;
            if (credentials == null || string.IsNullOrEmpty(credentials.AccessKeyId) || string.IsNullOrEmpty(credentials.SecretAccessKey))
                throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, Operation + "NoCredentials",
                    $"{Operation} for role_arn '{RoleArn}' answered without an access key and secret key.", field: "role_arn", target: RoleArn);
            var expiration = credentials.Expiration ?? issued.AddMinutes(15);
            var expiresUtc = expiration.Kind == DateTimeKind.Local ? expiration.ToUniversalTime() : DateTime.SpecifyKind(expiration, DateTimeKind.Utc);
            if (expiresUtc <= issued)
                throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, Operation + "Expired",
                    $"{Operation} for role_arn '{RoleArn}' answered credentials that had already expired ({expiresUtc:o}; now {issued:o}); check the clock.",
                    field: "role_arn", target: RoleArn);
            Interlocked.Increment(ref _sessions);
            trace?.Progress($"{Operation} answered in {clock.Elapsed.TotalMilliseconds:0.0} ms: credentials until {expiresUtc:HH:mm:ss} UTC");
            return new Session(
                new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
                expiresUtc, expiresUtc - RefreshMargin(expiresUtc - issued));
        }

        /// <summary>
        /// A quarter of the lifetime, at most 5 minutes: an hour-long session refreshes 5 minutes early, a 3-second test
        /// session after about 2.25 s, so each session is used for most of its life and requests never carry an expired one.
        /// </summary>
        internal static TimeSpan RefreshMargin(TimeSpan lifetime)
            => TimeSpan.FromTicks(Math.Min(MaxRefreshMargin.Ticks, Math.Max(0, lifetime.Ticks / 4)));

        public virtual void Dispose() => _refresh.Dispose();

        private sealed class Session
        {
            public Session(ImmutableCredentials credentials, DateTime expiresUtc, DateTime refreshAtUtc)
            {
                Credentials = credentials;
                ExpiresUtc = expiresUtc;
                RefreshAtUtc = refreshAtUtc;
            }

            public ImmutableCredentials Credentials { get; }
            public DateTime ExpiresUtc { get; }
            public DateTime RefreshAtUtc { get; }
        }
    }
}
