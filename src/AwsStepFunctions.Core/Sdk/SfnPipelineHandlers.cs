using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>Resolves the endpoint per request and applies the operation's host prefix (sync- for StartSyncExecution).</summary>
    internal sealed class SfnEndpointResolver : BaseEndpointResolver
    {
        protected override void ServiceSpecificHandler(IExecutionContext executionContext, EndpointParameters parameters)
            => InjectHostPrefix(executionContext.RequestContext);

        protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
            => SfnEndpointParameters.From(requestContext.ClientConfig);
    }

    /// <summary>
    /// Chooses SigV4 for every operation. Without an auth-scheme handler in the pipeline the signer has no
    /// identity to sign with and fails with a NullReferenceException.
    /// </summary>
    internal sealed class SfnAuthSchemeHandler : BaseAuthResolverHandler
    {
        protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext)
            => AuthSchemeOption.DEFAULT_SIGV4;
    }
}
