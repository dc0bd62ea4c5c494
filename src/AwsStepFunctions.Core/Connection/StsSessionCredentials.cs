using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>Credentials that STS issues as a session (AssumeRole, AssumeRoleWithWebIdentity), checked and traced alike.</summary>
    internal abstract class StsSessionCredentials : SessionCredentials
    {
        private int _sessions;

        /// <summary>STS states expiries by its own clock; subclasses watch their STS client with it.</summary>
        protected IssuerClock IssuerClock { get; } = new IssuerClock();

        /// <summary>How many sessions STS issued (tests: one per credential lifetime).</summary>
        protected int SessionsIssued => _sessions;

        /// <summary>The role this session is of (role_arn in messages).</summary>
        protected abstract string RoleArn { get; }

        /// <summary>What -Debug says before the call ("AssumeRole arn (session s)"). Never a secret.</summary>
        protected abstract string CallDescription { get; }

        /// <summary>One STS call; its failures (AccessDenied, network) propagate to the request that needed credentials.</summary>
        protected abstract Task<Amazon.SecurityToken.Model.Credentials?> CallStsAsync();

        protected override async Task<Session> NewSessionAsync()
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
            var expiresUtc = credentials.Expiration is DateTime stated
                ? IssuerClock.ToLocal(stated.Kind == DateTimeKind.Local ? stated.ToUniversalTime() : DateTime.SpecifyKind(stated, DateTimeKind.Utc))
                : issued.AddMinutes(15);
            var clocks = IssuerClock.Describe();
            if (expiresUtc <= issued)
                throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, Operation + "Expired",
                    $"{Operation} for role_arn '{RoleArn}' answered credentials that had already expired ({expiresUtc:o} by this machine's clock{(clocks == null ? "" : ", where " + clocks)}; now {issued:o}); check the clock.",
                    field: "role_arn", target: RoleArn);
            Interlocked.Increment(ref _sessions);
            trace?.Progress($"{Operation} answered in {clock.Elapsed.TotalMilliseconds:0.0} ms: credentials until {expiresUtc:HH:mm:ss} UTC"
                + (clocks == null ? "" : $" by this machine's clock ({clocks})"));
            return new Session(
                new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken), expiresUtc, issued);
        }
    }
}
