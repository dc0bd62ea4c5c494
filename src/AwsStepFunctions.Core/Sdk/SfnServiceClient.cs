using System.Linq;
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
            // Standard retries, but a StartExecution that may be EXPRESS is not repeated after an ambiguous failure.
            pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new SfnRetryPolicy(Config)));
            // Inside the retries, so -Debug shows every attempt.
            pipeline.AddHandlerAfter<RetryHandler>(new RequestTraceHandler());
            // Handlers that do nothing for this client but still cost every call an async layer and its allocations
            // (the pipeline had 16; a warm call is a few hundred microseconds): the client raises no events (the three
            // CallbackHandlers, ErrorCallbackHandler), logs no metrics (MetricsHandler), and Step Functions has no
            // endpoint discovery, no request compression and no flexible checksums. Signing, credentials, retries,
            // clock-skew correction, error unmarshalling and HTTP stay the SDK's own.
            RemoveAll<MetricsHandler>(pipeline);
            RemoveAll<ErrorCallbackHandler>(pipeline);
            RemoveAll<CallbackHandler>(pipeline);
            RemoveAll<CompressionHandler>(pipeline);
            RemoveAll<ChecksumHandler>(pipeline);
            RemoveAll<EndpointDiscoveryHandler>(pipeline);
        }

        /// <summary>The pipeline's handlers in execution order, by type name (tests pin what stays and what goes).</summary>
        internal string[] HandlerNames => RuntimePipeline.Handlers.Select(h => h.GetType().Name).ToArray();

        /// <summary>Other AWSSDK.Core 4.x versions build slightly different pipelines: absent is fine.</summary>
        private static void RemoveAll<T>(RuntimePipeline pipeline) where T : IPipelineHandler
        {
            while (pipeline.Handlers.OfType<T>().Any()) pipeline.RemoveHandler<T>();
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
