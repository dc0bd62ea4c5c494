using System;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SecurityToken;
using AwsStepFunctions.Core.Sdk;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// STS's client for AssumeRole with credentials the module renews itself (a role chain's inner role, a credential_process,
    /// SSO): STS's own retry policy ended the call at an ExpiredToken for a source session that expired on its way (a soak saw
    /// a role chain's refresh fail so), although the module would have signed the repeat with a new one.
    /// </summary>
    internal sealed class ModuleStsClient : AmazonSecurityTokenServiceClient
    {
        public ModuleStsClient(AWSCredentials credentials, AmazonSecurityTokenServiceConfig config)
            : base(credentials, config)
        {
        }

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new RenewingRetryPolicy(Config)));
        }

        /// <summary>STS's Standard retries, plus a repeat with a new source session after a refusal of an expired one.</summary>
        private sealed class RenewingRetryPolicy : StandardRetryPolicy
        {
            public RenewingRetryPolicy(IClientConfig config)
                : base(config)
            {
            }

            public override bool RetryForException(IExecutionContext executionContext, Exception exception)
                => Renewed(executionContext, exception) || base.RetryForException(executionContext, exception);

            public override Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception)
                => Renewed(executionContext, exception) ? Task.FromResult(true) : base.RetryForExceptionAsync(executionContext, exception);

            private bool Renewed(IExecutionContext executionContext, Exception exception)
                => !RetryLimitReached(executionContext) && ExpiredSessionRenewal.Renewed(executionContext, exception);
        }
    }
}
