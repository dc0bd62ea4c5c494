using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>StartSyncExecution is not idempotent: only throttling (nothing started) may be repeated.</summary>
    public class SyncExecutionRetryTests
    {
        private const string SmArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Express";
        private const string ExArn = "arn:aws:states:us-east-1:123456789012:express:Express:run-1:0a1b";
        private static readonly string Succeeded = "{\"executionArn\":\"" + ExArn + "\",\"status\":\"SUCCEEDED\",\"startDate\":1.5E9,\"stopDate\":1.5E9,\"output\":\"{}\"}";

        [Theory]
        [InlineData(500, "{\"__type\":\"InternalFailure\",\"message\":\"boom\"}")]
        [InlineData(503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"later\"}")]
        public async Task A_5xx_is_not_repeated(int status, string body)
        {
            using var server = new RecordedServer(new Recorded(status, body), new Recorded(200, Succeeded));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() =>
                StepFunctionsClients.Get(TestConnections.Local(server.Url)).StartSyncExecutionAsync(SmArn, "run-1", "{}", CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Contains("not retried", failure.Message);
            Assert.DoesNotContain("SDK's retries", failure.Message);
            Assert.Contains("second Express execution", failure.Message);
            Assert.Single(server.Requests);
        }

        /// <summary>The SDK's own attempt numbers (amz-sdk-request: attempt=N; max=M) of every request the server saw.</summary>
        private static string[] SdkAttempts(SilentServer server)
            => server.Heads.Select(h => Regex.Match(h, @"(?im)^amz-sdk-request:\s*(.*?)\s*$").Groups[1].Value).Distinct().ToArray();

        [Fact]
        public async Task A_connection_lost_after_the_request_arrived_is_not_repeated_by_the_SDK()
        {
            // The SDK retries this for every other operation (StartExecution is idempotent by name); here it could start a
            // second execution. (HttpClient itself may resend the first request of a new connection pool when the connection
            // drops; that is below the SDK and sends the same signed attempt, so the attempt header is what is checked.)
            using var dropping = new SilentServer(hangUp: true);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() =>
                StepFunctionsClients.Get(TestConnections.Local(dropping.Url)).StartSyncExecutionAsync(SmArn, "run-1", "{}", CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Contains("was not repeated", failure.Message);
            Assert.Equal(new[] { "attempt=1; max=1" }, SdkAttempts(dropping));
        }

        [Fact]
        public async Task Other_operations_still_retry_a_lost_connection()
        {
            using var dropping = new SilentServer(hangUp: true);
            await Assert.ThrowsAsync<StepFunctionsFailure>(() =>
                StepFunctionsClients.Get(TestConnections.Local(dropping.Url)).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(new[] { "attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3" }, SdkAttempts(dropping));
        }

        [Fact]
        public async Task Throttling_is_retried_because_nothing_started()
        {
            using var server = new RecordedServer(new Recorded(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"), new Recorded(200, Succeeded));
            var result = await StepFunctionsClients.Get(TestConnections.Local(server.Url)).StartSyncExecutionAsync(SmArn, "run-1", "{}", CancellationToken.None);
            Assert.Equal("SUCCEEDED", result.Status);
            Assert.Equal(2, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("AWSStepFunctions.StartSyncExecution", r.Headers["X-Amz-Target"]));
        }

        [Fact]
        public async Task Throttling_beyond_the_budget_ends_throttled()
        {
            using var server = new RecordedServer(new Recorded(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() =>
                StepFunctionsClients.Get(TestConnections.Local(server.Url)).StartSyncExecutionAsync(SmArn, "run-1", "{}", CancellationToken.None));
            Assert.Equal(FailureKind.Throttled, failure.Kind);
            Assert.Equal(Sdk.SdkStepFunctionsClient.SyncThrottleAttempts, server.Requests.Count);
        }
    }
}
