using System;
using System.Net.Http;
using System.Text.Json;
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
            // The warm-up's endpoint is prewarm.invalid, a name no resolver answers (RFC 2606): only the in-memory connections
            // can have produced this result, through the SDK's whole pipeline (marshalling, signing, unmarshalling).
            var described = await Prewarm.StartAndDescribeInMemoryAsync();
            Assert.Equal("arn:aws:states:us-east-1:123456789012:execution:Prewarm:prewarm", described.ExecutionArn);
            Assert.Equal("SUCCEEDED", described.Status);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), described.StartDate);
            // Its client is thrown away, never cached: a real call must not reuse it.
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
                // What the SDK's unmarshallers need of each answer, written out here rather than read back from the factory.
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("arn:aws:states:us-east-1:123456789012:execution:Prewarm:prewarm", answer.RootElement.GetProperty("executionArn").GetString());
                Assert.Equal(1.7e9, answer.RootElement.GetProperty("startDate").GetDouble());
                if (target.EndsWith(".DescribeExecution", StringComparison.Ordinal))
                {
                    Assert.Equal("SUCCEEDED", answer.RootElement.GetProperty("status").GetString());
                    Assert.Equal("arn:aws:states:us-east-1:123456789012:stateMachine:Prewarm", answer.RootElement.GetProperty("stateMachineArn").GetString());
                }
            }
        }
    }
}
