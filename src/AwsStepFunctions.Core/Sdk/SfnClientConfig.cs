using System;
using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>
    /// Step Functions' ClientConfig, shaped like the SDK's generated config: service "states", ServiceId "SFN",
    /// signing name "states" and the endpoint provider ported from the service's endpoint rules.
    /// </summary>
    internal sealed class SfnClientConfig : ClientConfig
    {
        // Standard retry mode everywhere: Adaptive refuses requests client-side at once when throttled,
        // which turns a short throttling burst into a failed task.
        private static readonly IDefaultConfiguration Standard = new DefaultConfiguration
        {
            Name = DefaultConfigurationMode.Standard,
            RetryMode = RequestRetryMode.Standard,
            ConnectTimeout = TimeSpan.FromMilliseconds(3100),
            TlsNegotiationTimeout = TimeSpan.FromMilliseconds(3100),
        };

        public SfnClientConfig()
            : base(new DefaultConfigurationProvider(new List<IDefaultConfiguration> { Standard }))
        {
            ServiceId = "SFN";
            AuthenticationServiceName = "states";
            EndpointProvider = new SfnEndpointProvider();
            RetryMode = RequestRetryMode.Standard;
        }

        public override string RegionEndpointServiceName => "states";

        public override string ServiceVersion => "2016-11-23";

        // The SDK reads this on every request; Assembly.GetName() parses the assembly's metadata each time it is called.
        private static readonly string ModuleUserAgent = "ue-aws-stepfunctions/" + typeof(SfnClientConfig).Assembly.GetName().Version;

        public override string UserAgent => ModuleUserAgent;

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
            => EndpointProvider.ResolveEndpoint(SfnEndpointParameters.From(this));
    }
}
