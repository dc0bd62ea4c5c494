using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>The import-time warm-up: the whole first-call path runs, and nothing leaves the process.</summary>
    public class PrewarmTests
    {
        [Fact]
        public async Task Runs_a_start_and_a_describe_through_the_sdk_pipeline_without_reaching_any_host()
        {
            // The warm-up's endpoint is prewarm.invalid, a name no resolver answers (RFC 2606): a request that went to a socket
            // would fail this run. Its client is thrown away: a real call must never reuse it.
            await Prewarm.RunAsync();
            Assert.False(StepFunctionsClients.HasClientFor("http://prewarm.invalid"));
        }

        [Fact]
        public void Uses_dotnets_own_http_connection_code_over_in_memory_connections()
        {
            using var client = new PrewarmHttpClientFactory().CreateHttpClient(new Sdk.SfnClientConfig());
            var handler = typeof(HttpMessageInvoker).GetField("_handler", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(client);
            Assert.IsType<SocketsHttpHandler>(handler);
            Assert.NotNull(((SocketsHttpHandler)handler!).ConnectCallback);
            Assert.False(((SocketsHttpHandler)handler!).UseProxy);
        }

        [Fact]
        public async Task Answers_start_and_describe_over_in_memory_connections()
        {
            using var client = new PrewarmHttpClientFactory().CreateHttpClient(new Sdk.SfnClientConfig());
            foreach (var target in new[] { "AWSStepFunctions.StartExecution", "AWSStepFunctions.DescribeExecution" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "http://prewarm.invalid/") { Content = new StringContent("{}") };
                request.Headers.Add("X-Amz-Target", target);
                using var response = await client.SendAsync(request);
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(PrewarmHttpClientFactory.AnswerFor(target), await response.Content.ReadAsStringAsync());
            }
        }
    }
}
