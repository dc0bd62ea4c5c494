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

        /// <summary>A request refused because its session expired on the way, signed again with a new session (see ExpiredSessionRenewal).</summary>
        private bool RenewedAfterExpiredToken(IExecutionContext executionContext, Exception exception)
            => !RetryLimitReached(executionContext) && ExpiredSessionRenewal.Renewed(executionContext, exception);

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
