using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Credentials issued as a session (STS's AssumeRole and AssumeRoleWithWebIdentity, the SSO portal's role credentials, a
    /// credential_process): one call per session, shared by every caller that needs it, refreshed shortly before expiry;
    /// a failed refresh keeps the session until shortly before it expires and raises its failure only then (never an empty result
    /// that would let a request go out unsigned); one key pair per signed request. A session without an expiry (a
    /// credential_process may print none) is fetched once and kept.
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
        /// <summary>...and, after a failed refresh, keep the session until at most this long before expiry.</summary>
        private static readonly TimeSpan MaxKeepMargin = TimeSpan.FromMinutes(1);
        /// <summary>How long the caller that started a refresh waits for it while the current session may still be used.</summary>
        private static readonly TimeSpan StarterGrace = TimeSpan.FromSeconds(1);
        /// <summary>After a failed refresh, while the session still lives, the next try waits at most this long.</summary>
        private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
        private readonly object _gate = new object();
        private volatile Session? _current;
        /// <summary>The refresh in progress, which every caller that needs new credentials awaits: never one run per caller.</summary>
        private Task<Session>? _refreshing;
        /// <summary>After a failed refresh of a session that still lives: no new try before this time (ticks, UTC).</summary>
        private long _retryAfterTicks;

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

        public override Task<ImmutableCredentials> GetCredentialsAsync()
        {
            // Warm calls: the session's own completed task, nothing allocated.
            var session = _current;
            return session != null && Usable(session, DateTime.UtcNow) ? session.Completed : RefreshedAsync();
        }

        /// <summary>
        /// Before its refresh time; or after it, while it lives, when the last refresh failed and its retry is not yet due.
        /// </summary>
        private bool Usable(Session session, DateTime now)
            => now < session.RefreshAtUtc || (now < session.KeepUntilUtc && now.Ticks < Interlocked.Read(ref _retryAfterTicks));

        private async Task<ImmutableCredentials> RefreshedAsync()
        {
            Task<Session> refresh;
            var started = false;
            lock (_gate)
            {
                // Another caller may have refreshed meanwhile.
                var session = _current;
                if (session != null && Usable(session, DateTime.UtcNow)) return session.Credentials;
                if (_refreshing == null)
                {
                    started = true;
                    // Task.Run: the refresh's end (which clears _refreshing under this lock) comes after this assignment.
                    _refreshing = Task.Run(RefreshOnceAsync);
                }
                refresh = _refreshing;
            }
            try
            {
                // While the session may still be used, a slow refresh (a credential_process taking seconds, STS hanging to its
                // timeout) holds calls up little: the caller that started it waits a second at most, the others not at all,
                // and they go on with the living session while the refresh finishes for a later call. Before, every caller
                // waited for it, and one that outlasted the bound (3 x -RequestTimeout) ended calls with exit 10 although
                // their credentials were valid for minutes. Once the session may no longer be used, every caller waits.
                if (!refresh.IsCompleted && _current is Session keepable && DateTime.UtcNow < keepable.KeepUntilUtc)
                {
                    if (started) await WithinAsync(refresh, StarterGrace).ConfigureAwait(false);
                    if (!refresh.IsCompleted && DateTime.UtcNow < keepable.KeepUntilUtc)
                    {
                        // Its failure, if it fails, is the kept session's business (RefreshOnceAsync): observed here.
                        _ = refresh.ContinueWith(done => done.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                        return keepable.Credentials;
                    }
                }
                return (await refresh.ConfigureAwait(false)).Credentials;
            }
            // A failed refresh does not end a session that still lives (a credential_process or STS failing once in the
            // last minutes of an hour's credentials ended a -Wait of hours): it is used until shortly before it expires
            // (KeepUntilUtc), and the refresh tried again a little later. Only then does the failure reach the request.
            catch (Exception) when (_current is Session living && DateTime.UtcNow < living.KeepUntilUtc)
            {
                return living.Credentials;
            }
        }

        /// <summary>Waits for <paramref name="task"/> to complete, at most <paramref name="bound"/>; the timer is not left behind.</summary>
        private static async Task WithinAsync(Task task, TimeSpan bound)
        {
            using var stopDelay = new CancellationTokenSource();
            await Task.WhenAny(task, Task.Delay(bound, stopDelay.Token)).ConfigureAwait(false);
            stopDelay.Cancel();
        }

        private async Task<Session> RefreshOnceAsync()
        {
            try
            {
                var session = await NewSessionAsync().ConfigureAwait(false);
                // Under the gate: ExpireIfCurrent's read-then-write must not overwrite a session just published.
                lock (_gate) _current = session;
                return session;
            }
            catch (Exception error)
            {
                var now = DateTime.UtcNow;
                if (_current is Session living && now < living.KeepUntilUtc)
                {
                    var delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, (living.KeepUntilUtc - now).Ticks / 4));
                    Interlocked.Exchange(ref _retryAfterTicks, (now + delay).Ticks);
                    RequestTrace.Writer?.Write($"{Operation} failed ({error.GetType().Name}: {FailureMapper.OneLine(ProxyText.ScrubUrlCredentials(error.Message))}); "
                        + $"the current credentials, valid until {living.ExpiresUtc:HH:mm:ss} UTC, are used meanwhile, at most until "
                        + $"{living.KeepUntilUtc:HH:mm:ss} UTC; next try in {delay.TotalSeconds:0.#} s");
                }
                throw;
            }
            finally
            {
                lock (_gate) _refreshing = null;
            }
        }

        /// <summary>
        /// The service answered ExpiredToken to a request signed with <paramref name="accessKeyId"/> (it was in flight past the
        /// expiry, or the clocks differ): when that is still the current session, it is used no more and the next call gets a
        /// new one (a failure of that refresh is not covered by a kept session). True when a new session will be used; false
        /// when the key is not known.
        /// </summary>
        internal bool ExpireIfCurrent(string? accessKeyId) => accessKeyId != null && Expire(accessKeyId);

        /// <summary>The current session was refused as expired by a call that cannot tell which key it signed with: renew it.</summary>
        internal bool ExpireCurrent() => Expire(onlyKey: null);

        /// <summary>Marks the current session spent (only when it holds <paramref name="onlyKey"/>, if given); false without one.</summary>
        private bool Expire(string? onlyKey)
        {
            lock (_gate)
            {
                var session = _current;
                if (session == null) return false;
                if (onlyKey == null || session.Credentials.AccessKey == onlyKey) _current = session.Spent();
                return true;
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

        /// <summary>
        /// How long before expiry a session stops being kept after a failed refresh: an eighth of the lifetime, at most a
        /// minute (botocore's mandatory window plays this part). A request signed with the session in its last milliseconds
        /// reached the service expired, and a passing STS failure became ExpiredToken (exit 2).
        /// </summary>
        internal static TimeSpan KeepMargin(TimeSpan lifetime)
            => TimeSpan.FromTicks(Math.Min(MaxKeepMargin.Ticks, Math.Max(0, lifetime.Ticks / 8)));

        public virtual void Dispose()
        {
        }

        protected sealed class Session
        {
            /// <summary>A session issued at <paramref name="issuedUtc"/>, refreshed a margin before it expires.</summary>
            public Session(ImmutableCredentials credentials, DateTime expiresUtc, DateTime issuedUtc)
            {
                Credentials = credentials;
                ExpiresUtc = expiresUtc;
                RefreshAtUtc = expiresUtc - RefreshMargin(expiresUtc - issuedUtc);
                KeepUntilUtc = expiresUtc - KeepMargin(expiresUtc - issuedUtc);
                Completed = Task.FromResult(credentials);
            }

            private Session(ImmutableCredentials credentials)
            {
                Credentials = credentials;
                ExpiresUtc = RefreshAtUtc = KeepUntilUtc = DateTime.MaxValue;
                Completed = Task.FromResult(credentials);
            }

            private Session(Session spent)
            {
                Credentials = spent.Credentials;
                Completed = spent.Completed;
                // The expiry stays: the synchronous half of a signing already under way keeps the key of its token.
                ExpiresUtc = spent.ExpiresUtc;
                RefreshAtUtc = KeepUntilUtc = DateTime.MinValue;
            }

            /// <summary>The same credentials, refused as expired by the service: never handed out again, never kept.</summary>
            public Session Spent() => new Session(this);

            /// <summary>Credentials without an expiry: kept for the life of this object, never fetched again.</summary>
            public static Session WithoutExpiry(ImmutableCredentials credentials) => new Session(credentials);

            public ImmutableCredentials Credentials { get; }
            /// <summary>The credentials as a completed task, made once: what every warm call returns.</summary>
            public Task<ImmutableCredentials> Completed { get; }
            public DateTime ExpiresUtc { get; }
            public DateTime RefreshAtUtc { get; }
            /// <summary>
            /// The last moment a failed refresh may leave the session in use: a request signed then must still reach the
            /// service before the expiry, whatever its own time on the wire and the clocks' difference.
            /// </summary>
            public DateTime KeepUntilUtc { get; }
            public bool NeverExpires => ExpiresUtc == DateTime.MaxValue;
        }
    }
}
