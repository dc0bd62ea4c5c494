using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace AwsStepFunctions.Core.Sdk
{
    internal sealed class SfnServiceMetadata : IServiceMetadata
    {
        public string ServiceId => "SFN";
        public System.Collections.Generic.IDictionary<string, string> OperationNameMapping { get; } =
            new System.Collections.Generic.Dictionary<string, string>(0);
    }

    /// <summary>
    /// The SDK service client: the SDK's pipeline does credentials, SigV4, retries, clock-skew correction,
    /// HTTP and error unmarshalling; this class only adds the endpoint and auth-scheme handlers.
    /// </summary>
    internal sealed class SfnServiceClient : AmazonServiceClient
    {
        private static readonly IServiceMetadata Metadata = new SfnServiceMetadata();

        public SfnServiceClient(AWSCredentials credentials, SfnClientConfig config)
            : base(credentials, config)
        {
        }

        protected override IServiceMetadata ServiceMetadata => Metadata;

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            pipeline.RemoveHandler<EndpointResolver>();
            pipeline.AddHandlerAfter<Marshaller>(new SfnEndpointResolver());
            pipeline.AddHandlerAfter<Marshaller>(new SfnAuthSchemeHandler());
        }

        public Task<SfnResponse> CallAsync(SfnRequest request, CancellationToken cancellationToken)
        {
            var options = new InvokeOptions
            {
                RequestMarshaller = SfnRequestMarshaller.Instance,
                ResponseUnmarshaller = SfnResponseUnmarshaller.Instance,
            };
            return InvokeAsync<SfnResponse>(request, options, cancellationToken);
        }
    }
}
