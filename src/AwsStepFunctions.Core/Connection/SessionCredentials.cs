using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Credentials issued as a session (STS's AssumeRole and AssumeRoleWithWebIdentity, the SSO portal's role credentials, a
    /// credential_process): one call per session, refreshed shortly before expiry, never an empty result (a failed refresh
    /// raises its failure instead of letting a request go out unsigned), and one key pair per signed request. A session
    /// without an expiry (a credential_process may print none) is fetched once and kept.
    /// </summary>
    /// <remarks>
    /// Why not RefreshingAWSCredentials: AWSSDK.Core 4.0's version subtracts a fixed ExpirationBuffer (1 minute) from
    /// every expiry, so credentials that live under a minute are "expired" the moment they arrive and every
    /// GetCredentials call (the signer calls it twice per request, async then sync) fetches again; the two calls of one
    /// signing can then see different key pairs. The SDK's own session credentials cannot be pointed at a custom endpoint
    /// or our HttpClientFactory either, so this class owns the whole refresh policy.
    /// </remarks>
    internal abstract class SessionCredentials : AWSCredentials, IDisposable
    {
        private static readonly TimeSpan SyncBound = TimeSpan.FromSeconds(120);
        /// <summary>Refresh at most this long before expiry (long sessions)...</summary>
        private static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromMinutes(5);
        private readonly SemaphoreSlim _refresh = new SemaphoreSlim(1, 1);
        private volatile Session? _current;

        /// <summary>
        /// Not default(CancellationToken): given none, the SDK builds one from its defaults mode, which in "auto" mode
        /// (AWS_DEFAULTS_MODE) asks EC2 instance metadata for the region first, over the network, off EC2 for seconds.
        /// The request timeout and the retries still bound the call.
        /// </summary>
        protected static readonly CancellationToken NeverCancelled = new CancellationTokenSource().Token;

        /// <summary>What the synchronous path's timeout names ("AssumeRole").</summary>
        protected abstract string Operation { get; }

        /// <summary>One call for a new session; its failures propagate to the request that needed credentials.</summary>
        protected abstract Task<Session> NewSessionAsync();

        public override DateTime? Expiration
        {
            get => _current is Session session && !session.NeverExpires ? session.ExpiresUtc : (DateTime?)null;
            set { /* The expiry comes from the issuer only. */ }
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

        /// <summary>
        /// A quarter of the lifetime, at most 5 minutes: an hour-long session refreshes 5 minutes early, a 3-second test
        /// session after about 2.25 s, so each session is used for most of its life and requests never carry an expired one.
        /// </summary>
        internal static TimeSpan RefreshMargin(TimeSpan lifetime)
            => TimeSpan.FromTicks(Math.Min(MaxRefreshMargin.Ticks, Math.Max(0, lifetime.Ticks / 4)));

        public virtual void Dispose() => _refresh.Dispose();

        protected sealed class Session
        {
            /// <summary>A session issued at <paramref name="issuedUtc"/>, refreshed a margin before it expires.</summary>
            public Session(ImmutableCredentials credentials, DateTime expiresUtc, DateTime issuedUtc)
            {
                Credentials = credentials;
                ExpiresUtc = expiresUtc;
                RefreshAtUtc = expiresUtc - RefreshMargin(expiresUtc - issuedUtc);
            }

            private Session(ImmutableCredentials credentials)
            {
                Credentials = credentials;
                ExpiresUtc = RefreshAtUtc = DateTime.MaxValue;
            }

            /// <summary>Credentials without an expiry: kept for the life of this object, never fetched again.</summary>
            public static Session WithoutExpiry(ImmutableCredentials credentials) => new Session(credentials);

            public ImmutableCredentials Credentials { get; }
            public DateTime ExpiresUtc { get; }
            public DateTime RefreshAtUtc { get; }
            public bool NeverExpires => ExpiresUtc == DateTime.MaxValue;
        }
    }
}
