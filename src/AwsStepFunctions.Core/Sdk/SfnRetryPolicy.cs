using System;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>
    /// The SDK's Standard retry policy (budget, backoff, retry quota, clock-skew correction unchanged), except for a request
    /// marked not repeatable (SfnRequest.Repeatable: a StartExecution whose state machine may be EXPRESS). Throttling still
    /// repeats it: the service refused it unprocessed. After a 5xx, a timeout or a dropped connection it may have started
    /// an execution, so it is repeated only once SfnRequest.LookUpType has found the machine to be STANDARD, where a
    /// repeated name and input start nothing new; an EXPRESS machine would run the workflow twice.
    /// </summary>
    internal sealed class SfnRetryPolicy : StandardRetryPolicy
    {
        public SfnRetryPolicy(IClientConfig config)
            : base(config)
        {
        }

        /// <summary>The synchronous path (unused by this module's async calls) never looks the type up.</summary>
        public override bool RetryForException(IExecutionContext executionContext, Exception exception)
            => RenewedAfterExpiredToken(executionContext, exception) || !CredentialsUnavailableException.In(exception)
               && (!(executionContext.RequestContext.OriginalRequest is SfnRequest request) || request.Repeatable || IsThrottlingError(exception))
               && base.RetryForException(executionContext, exception);

        public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception)
        {
            // Refused before anything was done: no "unknown outcome" to remember.
            if (RenewedAfterExpiredToken(executionContext, exception)) return true;
            var repeat = await DecideAsync(executionContext, exception).ConfigureAwait(false);
            // Throttling was refused unprocessed and a connection never opened sent nothing; anything else may have been acted on.
            if (repeat && executionContext.RequestContext.OriginalRequest is SfnRequest sfn && !IsThrottlingError(exception) && !FailureMapper.NeverSent(exception))
                sfn.RepeatedAfterUnknownOutcome = true;
            return repeat;
        }

        /// <summary>
        /// ExpiredToken for a session the module renews itself (a role's, web identity's, SSO's, a credential_process's): the
        /// request reached the service after the session's expiry (in flight for longer than the refresh margin, or a clock
        /// behind the issuer's). The service refused it unprocessed; it is signed again with a new session (ResignRetries),
        /// within the attempts' budget. Keys that cannot be renewed keep ExpiredToken as the authentication failure it is.
        /// </summary>
        private bool RenewedAfterExpiredToken(IExecutionContext executionContext, Exception exception)
        {
            if (!(exception is AmazonServiceException service)) return false;
            if (!(executionContext.RequestContext.Identity is CredentialsSource source) || !source.Renewable || RetryLimitReached(executionContext))
                return false;
            if (FailureMapper.IsExpiredToken(service.ErrorCode))
                return source.RenewAfterExpired(SignedAccessKeyId(executionContext.RequestContext.Request));
            // The SDK signs in two halves (the token from the asynchronous call, the key from a synchronous one right after);
            // a refresh published between them gives one request the old session's token and the new session's key, which
            // the service refuses as an unknown token. Signed again, both come from the new session. Also refused unprocessed.
            return service.ErrorCode == "UnrecognizedClientException" && executionContext.RequestContext.Retries == 0;
        }

        /// <summary>The access key id in the request's SigV4 Authorization header ("... Credential=AKID/date/region/...").</summary>
        private static string? SignedAccessKeyId(IRequest? request)
        {
            if (request == null || !request.Headers.TryGetValue("Authorization", out var authorization)) return null;
            var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (start < 0) return null;
            start += "Credential=".Length;
            var end = authorization.IndexOf('/', start);
            return end > start ? authorization.Substring(start, end - start) : null;
        }

        private async Task<bool> DecideAsync(IExecutionContext executionContext, Exception exception)
        {
            // The credential sources retry their own calls (STS's, the portal's client): repeating here multiplied them.
            if (CredentialsUnavailableException.In(exception)) return false;
            if (!await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false)) return false;
            if (!(executionContext.RequestContext.OriginalRequest is SfnRequest request) || request.Repeatable || IsThrottlingError(exception))
                return true;
            // A connection that could not even be opened sent nothing: repeating is safe whatever the machine.
            if (FailureMapper.NeverSent(exception)) return true;
            // No lookup when no repeat could follow (the attempts are used up).
            if (request.LookUpType == null || request.TypeLookedUp || RetryLimitReached(executionContext)) return false;
            request.TypeLookedUp = true;
            request.TypeFound = await request.LookUpType().ConfigureAwait(false);
            request.Repeatable = request.TypeFound.Type == "STANDARD";
            return request.Repeatable;
        }
    }
}
