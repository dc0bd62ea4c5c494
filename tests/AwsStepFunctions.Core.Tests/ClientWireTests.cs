using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    public class ClientWireTests
    {
        private const string SmArn = "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld";
        private const string ExArn = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:run-1";

        // Recorded from AWS (ids changed): timestamps in exponent form, as the service writes them.
        private const string DescribeSucceeded = "{\"executionArn\":\"" + ExArn + "\",\"input\":\"{}\",\"inputDetails\":{\"included\":true},"
            + "\"name\":\"run-1\",\"output\":\"{\\\"hello\\\":\\\"world\\\"}\",\"outputDetails\":{\"included\":true},"
            + "\"redriveCount\":0,\"redriveStatus\":\"NOT_REDRIVABLE\",\"startDate\":1.686509515191E9,"
            + "\"stateMachineArn\":\"" + SmArn + "\",\"status\":\"SUCCEEDED\",\"stopDate\":1.686509516205E9}";

        private static IStepFunctionsClient ClientFor(RecordedServer server) => StepFunctionsClients.Get(TestConnections.Local(server.Url));

        [Fact]
        public async Task StartExecution_sends_awsJson_with_target_content_type_and_sigv4()
        {
            using var server = new RecordedServer(new Recorded(200, "{\"executionArn\":\"" + ExArn + "\",\"startDate\":1.686509515191E9}"));
            var result = await ClientFor(server).StartExecutionAsync(SmArn, "run-1", "{\"a\":1}", lookUpType: null, CancellationToken.None);

            Assert.Equal(ExArn, result.ExecutionArn);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1686509515191), result.StartDate);
            var request = Assert.Single(server.Requests);
            Assert.Equal("POST", request.Method);
            Assert.Equal("AWSStepFunctions.StartExecution", request.Headers["X-Amz-Target"]);
            Assert.StartsWith("application/x-amz-json-1.0", request.Headers["Content-Type"]);
            var auth = request.Headers["Authorization"];
            Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\d{8}/us-east-1/states/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$", auth);
            Assert.True(request.Headers.ContainsKey("X-Amz-Date"));
            Assert.Equal("AKIDEXAMPLE", SignatureCheck.SignedBy(request, new Dictionary<string, string> { ["AKIDEXAMPLE"] = TestConnections.ExampleSecret }));
            using var body = JsonDocument.Parse(request.Body);
            Assert.Equal(SmArn, body.RootElement.GetProperty("stateMachineArn").GetString());
            Assert.Equal("run-1", body.RootElement.GetProperty("name").GetString());
            Assert.Equal("{\"a\":1}", body.RootElement.GetProperty("input").GetString());
            Assert.DoesNotContain("wJalrXUtnFEMI", string.Join("\n", request.Headers.Values));
        }

        [Fact]
        public async Task DescribeExecution_reads_exponent_timestamps_and_output_details()
        {
            using var server = new RecordedServer(new Recorded(200, DescribeSucceeded));
            var result = await ClientFor(server).DescribeExecutionAsync(ExArn, CancellationToken.None);
            Assert.Equal("SUCCEEDED", result.Status);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1686509515191), result.StartDate);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1686509516205), result.StopDate);
            Assert.Equal("{\"hello\":\"world\"}", result.Output);
            Assert.True(result.OutputIncluded);
            Assert.Equal(SmArn, result.StateMachineArn);
            Assert.Equal("AWSStepFunctions.DescribeExecution", server.Requests.Single().Headers["X-Amz-Target"]);
        }

        [Fact]
        public async Task Plain_decimal_timestamps_are_read_too()
        {
            using var server = new RecordedServer(new Recorded(200, "{\"executionArn\":\"" + ExArn + "\",\"status\":\"FAILED\",\"startDate\":1686509515.191,\"error\":\"States.TaskFailed\",\"cause\":\"boom\"}"));
            var result = await ClientFor(server).DescribeExecutionAsync(ExArn, CancellationToken.None);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1686509515191), result.StartDate);
            Assert.Equal("States.TaskFailed", result.Error);
            Assert.Equal("boom", result.Cause);
        }

        [Theory]
        [InlineData("com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist", "Execution Does Not Exist: 'x'", "ExecutionDoesNotExist", ExitCode.DataValidationError, FailureKind.NotFound)]
        [InlineData("com.amazonaws.swf.service.v2.model#InvalidArn", "Invalid Arn: 'x'", "InvalidArn", ExitCode.DataValidationError, FailureKind.Validation)]
        [InlineData("com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists", "Execution Already Exists: 'x'", "ExecutionAlreadyExists", ExitCode.DataValidationError, FailureKind.Conflict)]
        [InlineData("com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist", "State Machine Does Not Exist: 'x'", "StateMachineDoesNotExist", ExitCode.DataValidationError, FailureKind.NotFound)]
        [InlineData("com.amazon.coral.service#UnrecognizedClientException", "The security token included in the request is invalid.", "UnrecognizedClientException", ExitCode.AuthenticationError, FailureKind.Authentication)]
        [InlineData("com.amazon.coral.service#AccessDeniedException", "User: arn:aws:iam::123456789012:user/x is not authorized", "AccessDeniedException", ExitCode.AuthorizationError, FailureKind.Authorization)]
        [InlineData("com.amazon.coral.validate#ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/", "1 validation error detected", "ValidationException", ExitCode.DataValidationError, FailureKind.Validation)]
        [InlineData("MissingAuthenticationTokenException", "Missing Authentication Token", "MissingAuthenticationTokenException", ExitCode.AuthenticationError, FailureKind.Authentication)]
        public async Task Error_shapes_become_typed_failures(string type, string message, string errorId, ExitCode exit, FailureKind kind)
        {
            using var server = new RecordedServer(new Recorded(400, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}"));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ClientFor(server).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(errorId, failure.ErrorId);
            Assert.Equal(exit, failure.ExitCode);
            Assert.Equal(kind, failure.Kind);
            Assert.Contains(message, failure.Message);
        }

        [Fact]
        public async Task Error_code_falls_back_to_the_x_amzn_ErrorType_header()
        {
            using var server = new RecordedServer(new Recorded(403, "",
                new System.Collections.Generic.Dictionary<string, string> { ["x-amzn-ErrorType"] = "IncompleteSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/" }));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ClientFor(server).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal("IncompleteSignatureException", failure.ErrorId);
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
        }

        [Theory]
        [InlineData(404, "<html><body>Not Found</body></html>")]
        [InlineData(405, "")]
        [InlineData(403, "Forbidden")]
        public async Task An_http_error_without_an_aws_error_says_the_endpoint_is_not_step_functions(int status, string body)
        {
            using var server = new RecordedServer(new Recorded(status, body));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ClientFor(server).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal("NotAStepFunctionsEndpoint", failure.ErrorId);
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.StartsWith($"The endpoint answered HTTP {status} without an AWS error", failure.Message);
            Assert.Contains("-EndpointUrl", failure.Message);
            // A wait gives up at once: polling a web server for the unreachable timeout would not mend it.
            Assert.False(StepFunctionsService.IsTransient(failure));
        }

        [Fact]
        public async Task A_maximal_input_stays_a_body_the_service_takes()
        {
            // 262,144 bytes of JSON made mostly of quotes, and non-ASCII text: JSON escaping may double the quotes (\"), but
            // nothing may become \uXXXX, which made such a body 4-6 times the input and over the 1 MiB a request may carry.
            var quotes = "[" + string.Join(",", Enumerable.Repeat("\"\"", 65000)) + "]";
            var text = "{\"s\":\"" + new string('\u00fc', 100000) + "\"}";
            using var server = new RecordedServer(new Recorded(200, "{\"executionArn\":\"" + ExArn + "\",\"startDate\":1.5E9}"));
            foreach (var input in new[] { quotes, text })
            {
                Validate.Input(input);
                await ClientFor(server).StartExecutionAsync(SmArn, "run-1", input, lookUpType: null, CancellationToken.None);
            }
            var bodies = server.Requests.Select(r => System.Text.Encoding.UTF8.GetByteCount(r.Body)).ToArray();
            Assert.True(bodies[0] < 2 * System.Text.Encoding.UTF8.GetByteCount(quotes) + 1024, $"body of {bodies[0]} bytes");
            Assert.True(bodies[1] < System.Text.Encoding.UTF8.GetByteCount(text) + 1024, $"body of {bodies[1]} bytes");
            using var sent = JsonDocument.Parse(server.Requests.Last().Body);
            Assert.Equal(text, sent.RootElement.GetProperty("input").GetString());
        }

        [Fact]
        public async Task Server_errors_are_retried_by_the_sdk_then_succeed()
        {
            using var server = new RecordedServer(
                new Recorded(500, "{\"__type\":\"com.amazon.coral.service#InternalFailure\",\"message\":\"oops\"}"),
                new Recorded(400, "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"message\":\"Rate exceeded\"}"),
                new Recorded(200, DescribeSucceeded));
            var result = await ClientFor(server).DescribeExecutionAsync(ExArn, CancellationToken.None);
            Assert.Equal("SUCCEEDED", result.Status);
            Assert.Equal(3, server.Requests.Count);
        }

        [Fact]
        public async Task Html_error_pages_from_a_load_balancer_are_retried_and_then_exit_10()
        {
            var html = new Recorded(503, "<html><body>Service Unavailable</body></html>", new System.Collections.Generic.Dictionary<string, string> { ["Content-Type"] = "text/html" });
            using (var recovering = new RecordedServer(html, new Recorded(200, DescribeSucceeded)))
                Assert.Equal("SUCCEEDED", (await ClientFor(recovering).DescribeExecutionAsync(ExArn, CancellationToken.None)).Status);
            using var down = new RecordedServer(html);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ClientFor(down).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.True(down.Requests.Count > 1);
        }

        [Fact]
        public async Task Throttling_beyond_the_retry_budget_is_exit_1_and_says_so()
        {
            using var server = new RecordedServer(new Recorded(400, "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"message\":\"Rate exceeded\"}"));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ClientFor(server).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.Fail, failure.ExitCode);
            Assert.Equal(FailureKind.Throttled, failure.Kind);
            Assert.Contains("Throttled", failure.Message);
            Assert.True(server.Requests.Count > 1, "the SDK's standard retry mode retries throttling");
        }

        [Fact]
        public async Task A_closed_port_is_a_connection_error()
        {
            var settings = TestConnections.Local($"http://127.0.0.1:{RecordedServer.FreePort()}");
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Equal(FailureKind.Connection, failure.Kind);
        }

        [Theory]
        [InlineData(SmArn)]
        [InlineData(SmArn + ":live")]
        public async Task StartSyncExecution_through_an_alias_reports_the_machine_and_the_alias_whatever_the_answer_names(string answered)
        {
            using var server = new RecordedServer(new Recorded(200, "{\"executionArn\":\"arn:aws:states:us-east-1:123456789012:express:HelloWorld:run-1:abc\",\"stateMachineArn\":\""
                + answered + "\",\"status\":\"SUCCEEDED\",\"startDate\":1.686509515191E9,\"output\":\"{}\"}"));
            var result = await ClientFor(server).StartSyncExecutionAsync(SmArn + ":live", "run-1", "{}", CancellationToken.None);
            Assert.Equal(SmArn, result.StateMachineArn);
            Assert.Equal(SmArn + ":live", result.StateMachineAliasArn);
            Assert.Null(result.StateMachineVersionArn);
        }

        [Fact]
        public async Task StartSyncExecution_keeps_the_custom_host_without_sync_prefix()
        {
            using var server = new RecordedServer(new Recorded(200, "{\"executionArn\":\"arn:aws:states:us-east-1:123456789012:express:HelloWorld:run-1:abc\",\"stateMachineArn\":\"" + SmArn
                + "\",\"name\":\"run-1\",\"status\":\"SUCCEEDED\",\"startDate\":1.686509515191E9,\"stopDate\":1.686509515291E9,\"output\":\"{}\",\"billingDetails\":{\"billedMemoryUsedInMB\":64,\"billedDurationInMilliseconds\":100}}"));
            var result = await ClientFor(server).StartSyncExecutionAsync(SmArn, "run-1", "{}", CancellationToken.None);
            Assert.Equal("SUCCEEDED", result.Status);
            var request = server.Requests.Single();
            Assert.Equal("AWSStepFunctions.StartSyncExecution", request.Headers["X-Amz-Target"]);
            Assert.Equal($"127.0.0.1:{server.Port}", request.Host);
        }

        [Fact]
        public async Task DescribeStateMachine_asks_for_metadata_only_so_a_kms_encrypted_definition_needs_no_decrypt_permission()
        {
            using var server = new RecordedServer(new Recorded(200,
                "{\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"HelloWorld\",\"type\":\"EXPRESS\",\"status\":\"ACTIVE\",\"creationDate\":1.5E9,\"roleArn\":\"arn:aws:iam::123456789012:role/R\"}"));
            var summary = await ClientFor(server).DescribeStateMachineAsync(SmArn, CancellationToken.None);
            Assert.Equal("EXPRESS", summary.Type);
            using var body = System.Text.Json.JsonDocument.Parse(server.Requests.Single().Body);
            Assert.Equal(SmArn, body.RootElement.GetProperty("stateMachineArn").GetString());
            Assert.Equal("METADATA_ONLY", body.RootElement.GetProperty("includedData").GetString());
        }

        [Fact]
        public async Task DescribeStateMachine_asks_again_without_includedData_where_the_endpoint_does_not_know_it_and_remembers()
        {
            var machine = new Recorded(200, "{\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"HelloWorld\",\"type\":\"STANDARD\",\"creationDate\":1.5E9}");
            using var server = new RecordedServer(
                new Recorded(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#ValidationException\",\"message\":\"1 validation error detected: Value at 'includedData' failed to satisfy constraint: unknown member\"}"),
                machine, machine);
            var client = ClientFor(server);
            Assert.Equal("STANDARD", (await client.DescribeStateMachineAsync(SmArn, CancellationToken.None)).Type);
            Assert.Equal("STANDARD", (await client.DescribeStateMachineAsync(SmArn, CancellationToken.None)).Type);
            var bodies = server.Requests.Select(r => r.Body).ToArray();
            Assert.Equal(3, bodies.Length);
            Assert.Contains("\"includedData\":\"METADATA_ONLY\"", bodies[0]);
            Assert.DoesNotContain("includedData", bodies[1]);
            Assert.DoesNotContain("includedData", bodies[2]);
        }

        [Fact]
        public async Task DescribeStateMachine_and_ListStateMachines_page_through()
        {
            using var server = new RecordedServer(
                new Recorded(200, "{\"stateMachines\":[{\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"HelloWorld\",\"type\":\"STANDARD\",\"creationDate\":1.5E9}],\"nextToken\":\"t1\"}"),
                new Recorded(200, "{\"stateMachines\":[{\"stateMachineArn\":\"" + SmArn + "2\",\"name\":\"HelloWorld2\",\"type\":\"EXPRESS\",\"creationDate\":1.5E9}]}"));
            var list = await ClientFor(server).ListStateMachinesAsync(CancellationToken.None);
            Assert.Equal(new[] { "HelloWorld", "HelloWorld2" }, list.Select(s => s.Name));
            Assert.Equal("EXPRESS", list[1].Type);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1500000000), list[0].CreationDate);
            Assert.Contains("\"nextToken\":\"t1\"", server.Requests.Skip(1).First().Body);
        }

        [Fact]
        public async Task One_http_client_serves_every_call_of_an_sdk_client()
        {
            using var server = new RecordedServer(new Recorded(200, DescribeSucceeded));
            var factory = new TrustingHttpClientFactory(null, null);
            var config = new Sdk.SfnClientConfig { ServiceURL = server.Url, AuthenticationRegion = "us-east-1", HttpClientFactory = factory };
            using var client = new Sdk.SdkStepFunctionsClient(
                new Sdk.SfnServiceClient(new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "secret"), config), FailureContext.None);
            for (var i = 0; i < 5; i++) await client.DescribeExecutionAsync(ExArn, CancellationToken.None);
            Assert.Equal(5, server.Requests.Count);
            Assert.Equal(1, factory.Created);
        }

        [Fact]
        public void The_sdk_pipeline_keeps_signing_retries_errors_and_http_and_drops_the_handlers_that_do_nothing_here()
        {
            var config = new Sdk.SfnClientConfig { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "us-east-1" };
            using var client = new Sdk.SfnServiceClient(new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "secret"), config);
            var handlers = client.HandlerNames;
            var kept = new[] { "Marshaller", "SfnAuthSchemeHandler", "SfnEndpointResolver", "RetryHandler", "RequestTraceHandler", "Signer", "ErrorHandler", "Unmarshaller", "HttpHandler`1" };
            Assert.Equal(kept, handlers.Where(kept.Contains));
            foreach (var dropped in new[] { "MetricsHandler", "ErrorCallbackHandler", "CallbackHandler", "CompressionHandler", "ChecksumHandler", "EndpointDiscoveryHandler", "EndpointResolver" })
                Assert.DoesNotContain(dropped, handlers);
        }

        [Fact]
        public async Task The_services_answer_to_an_unknown_key_or_a_wrong_secret_is_an_authentication_error()
        {
            using var server = new RecordedServer(new Recorded(400, "{\"__type\":\"com.amazon.coral.service#InvalidSignatureException\",\"message\":\"The request signature we calculated does not match the signature you provided.\"}"));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ClientFor(server).StopExecutionAsync(ExArn, null, null, CancellationToken.None));
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.DoesNotContain("wJalrXUtnFEMI", failure.ToString());
        }
        [Fact]
        public async Task GetExecutionHistory_reads_each_events_details_whatever_its_type_and_sends_only_what_differs_from_the_defaults()
        {
            // The API reference's shape: a task that failed, and an event type this module has never heard of, whose details
            // are still read by their *EventDetails member. The input is escaped as a sender may escape it (\u0022).
            var page = "{\"events\":["
                + "{\"id\":1,\"previousEventId\":0,\"timestamp\":1.686509515191E9,\"type\":\"ExecutionStarted\","
                + "\"executionStartedEventDetails\":{\"input\":\"{\\u0022order\\u0022:42}\",\"inputDetails\":{\"truncated\":false}}},"
                + "{\"id\":4,\"previousEventId\":3,\"timestamp\":1.686509515300E9,\"type\":\"TaskFailed\","
                + "\"taskFailedEventDetails\":{\"resourceType\":\"lambda\",\"resource\":\"invoke\",\"error\":\"Lambda.Unknown\",\"cause\":\"boom\"}},"
                + "{\"id\":5,\"previousEventId\":4,\"timestamp\":1.686509515400E9,\"type\":\"SomethingNew\","
                + "\"somethingNewEventDetails\":{\"error\":\"New.Error\",\"name\":\"not a state\"}},"
                + "{\"id\":6,\"previousEventId\":5,\"timestamp\":1.686509515500E9,\"type\":\"TaskStateExited\","
                + "\"stateExitedEventDetails\":{\"name\":\"Charge\",\"output\":\"{}\"}}"
                + "],\"nextToken\":\"page-2\"}";
            using var server = new RecordedServer(new Recorded(200, page));
            var read = await ClientFor(server).GetExecutionHistoryAsync(ExArn, 25, reverseOrder: true, includeExecutionData: false, nextToken: "page-1",
                CancellationToken.None);

            Assert.Equal("page-2", read.NextToken);
            Assert.Equal(new long[] { 1, 4, 5, 6 }, read.Events.Select(e => e.Id).ToArray());
            var started = read.Events[0];
            Assert.Equal(ExArn, started.ExecutionArn);
            Assert.Equal(0, started.PreviousEventId);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1686509515191), started.Timestamp);
            Assert.Equal("{\"order\":42}", started.Input);
            Assert.Equal("{\"input\":\"{\\\"order\\\":42}\",\"inputDetails\":{\"truncated\":false}}", started.Details);
            Assert.Null(started.StateName);
            var failed = read.Events[1];
            Assert.Equal(("Lambda.Unknown", "boom", "invoke"), (failed.Error, failed.Cause, failed.Resource));
            var unknown = read.Events[2];
            Assert.Equal("SomethingNew", unknown.Type);
            Assert.Equal("New.Error", unknown.Error);
            // Only the *StateEntered and *StateExited events name a state.
            Assert.Null(unknown.StateName);
            Assert.Equal("Charge", read.Events[3].StateName);
            Assert.Equal("{}", read.Events[3].Output);

            var request = Assert.Single(server.Requests);
            Assert.Equal("AWSStepFunctions.GetExecutionHistory", request.Headers["X-Amz-Target"]);
            Assert.Equal("{\"executionArn\":\"" + ExArn + "\",\"maxResults\":25,\"reverseOrder\":true,\"includeExecutionData\":false,\"nextToken\":\"page-1\"}",
                request.Body);
        }

        [Fact]
        public async Task ListMapRuns_reads_the_arns_and_the_next_token_and_DescribeMapRun_every_count()
        {
            const string run = "arn:aws:states:us-east-1:123456789012:mapRun:Hello/Checker:0a1b2c3d-1111-2222-3333-444455556666";
            var list = "{\"mapRuns\":[{\"executionArn\":\"" + ExArn + "\",\"mapRunArn\":\"" + run + "\",\"stateMachineArn\":\"x\",\"startDate\":1.686509515191E9}],"
                + "\"nextToken\":\"runs-2\"}";
            // The API reference's shape, a redriven run with every count set apart from the others.
            var described = "{\"mapRunArn\":\"" + run + "\",\"executionArn\":\"" + ExArn + "\",\"status\":\"FAILED\","
                + "\"startDate\":1.686509515191E9,\"stopDate\":1.686509516E9,\"maxConcurrency\":40,\"toleratedFailurePercentage\":12.5,"
                + "\"toleratedFailureCount\":3,\"itemCounts\":{\"pending\":1,\"running\":2,\"succeeded\":3,\"failed\":4,\"timedOut\":5,"
                + "\"aborted\":6,\"total\":21,\"resultsWritten\":7,\"failuresNotRedrivable\":8,\"pendingRedrive\":9},"
                + "\"executionCounts\":{\"succeeded\":10,\"total\":11},\"redriveCount\":2,\"redriveDate\":1.6865096E9}";
            using var server = new RecordedServer(new Recorded(200, list), new Recorded(200, described));
            var client = ClientFor(server);
            var page = await client.ListMapRunsAsync(ExArn, 5, "runs-1", CancellationToken.None);
            var read = await client.DescribeMapRunAsync(run, CancellationToken.None);

            Assert.Equal(new[] { run }, page.Arns);
            Assert.Equal("runs-2", page.NextToken);
            Assert.Equal((run, ExArn, "Checker", "FAILED"), (read.MapRunArn, read.ExecutionArn, read.Label, read.Status));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1686509515191), read.StartDate);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1686509516000), read.StopDate);
            Assert.Equal((40, 12.5, 3L, 2), (read.MaxConcurrency, read.ToleratedFailurePercentage, read.ToleratedFailureCount, read.RedriveCount));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1686509600000), read.RedriveDate);
            var items = read.ItemCounts;
            Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6, 21, 7, 8, 9 }, new[] { items.Pending, items.Running, items.Succeeded, items.Failed, items.TimedOut,
                items.Aborted, items.Total, items.ResultsWritten, items.FailuresNotRedrivable, items.PendingRedrive });
            Assert.Equal("3/21 succeeded, 4 failed, 5 timed out, 6 aborted, 2 running, 1 pending", items.ToString());
            // Members the answer leaves out count nothing.
            Assert.Equal((10L, 11L, 0L), (read.ExecutionCounts.Succeeded, read.ExecutionCounts.Total, read.ExecutionCounts.Failed));
            Assert.Equal("10/11 succeeded", read.ExecutionCounts.ToString());

            var requests = server.Requests.ToArray();
            Assert.Equal(2, requests.Length);
            Assert.Equal("AWSStepFunctions.ListMapRuns", requests[0].Headers["X-Amz-Target"]);
            Assert.Equal("{\"executionArn\":\"" + ExArn + "\",\"maxResults\":5,\"nextToken\":\"runs-1\"}", requests[0].Body);
            Assert.Equal("AWSStepFunctions.DescribeMapRun", requests[1].Headers["X-Amz-Target"]);
            Assert.Equal("{\"mapRunArn\":\"" + run + "\"}", requests[1].Body);
        }

        [Fact]
        public async Task UpdateMapRun_sends_only_the_settings_given_and_is_repeated_after_a_lost_answer()
        {
            const string run = "arn:aws:states:us-east-1:123456789012:mapRun:Hello/Checker:0a1b2c3d-1111-2222-3333-444455556666";
            // The same settings twice change nothing more than once: a 500 is retried like any repeatable call.
            using var server = new RecordedServer(new Recorded(500, "{\"__type\":\"InternalFailure\",\"message\":\"try again\"}"), new Recorded(200, "{}"));
            await ClientFor(server).UpdateMapRunAsync(run, new MapRunSettings { MaxConcurrency = 0, ToleratedFailurePercentage = 12.5 }, CancellationToken.None);

            var requests = server.Requests.ToArray();
            Assert.Equal(2, requests.Length);
            Assert.All(requests, r => Assert.Equal("AWSStepFunctions.UpdateMapRun", r.Headers["X-Amz-Target"]));
            Assert.All(requests, r => Assert.Equal("{\"mapRunArn\":\"" + run + "\",\"maxConcurrency\":0,\"toleratedFailurePercentage\":12.5}", r.Body));
        }

        [Fact]
        public async Task A_ValidationException_with_a_reason_carries_it_in_its_message_once()
        {
            const string run = "arn:aws:states:us-east-1:123456789012:mapRun:Hello/Checker:0a1b2c3d-1111-2222-3333-444455556666";
            using var server = new RecordedServer(
                new Recorded(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#ValidationException\",\"message\":\"The Map Run has ended\",\"reason\":\"CANNOT_UPDATE_COMPLETED_MAP_RUN\"}"),
                new Recorded(400, "{\"__type\":\"ValidationException\",\"message\":\"Refused: CANNOT_UPDATE_COMPLETED_MAP_RUN\",\"reason\":\"CANNOT_UPDATE_COMPLETED_MAP_RUN\"}"));
            var client = ClientFor(server);
            var settings = new MapRunSettings { MaxConcurrency = 1 };

            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => client.UpdateMapRunAsync(run, settings, CancellationToken.None));
            Assert.Equal(("ValidationException", ExitCode.DataValidationError), (failure.ErrorId, failure.ExitCode));
            Assert.Contains("The Map Run has ended (reason: CANNOT_UPDATE_COMPLETED_MAP_RUN)", failure.Message);
            // A message that already names its reason is not told it twice.
            failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => client.UpdateMapRunAsync(run, settings, CancellationToken.None));
            Assert.Contains("Refused: CANNOT_UPDATE_COMPLETED_MAP_RUN", failure.Message);
            Assert.DoesNotContain("(reason:", failure.Message);
        }

        [Fact]
        public async Task ListExecutions_of_a_map_run_sends_its_arn_and_reads_each_childs_item_count()
        {
            const string run = "arn:aws:states:us-east-1:123456789012:mapRun:Hello/Checker:0a1b2c3d-1111-2222-3333-444455556666";
            const string child = "arn:aws:states:us-east-1:123456789012:execution:Hello/Checker:child-1";
            var page = "{\"executions\":[{\"executionArn\":\"" + child + "\",\"stateMachineArn\":\"arn:aws:states:us-east-1:123456789012:stateMachine:Hello/Checker\","
                + "\"name\":\"child-1\",\"status\":\"FAILED\",\"startDate\":1.686509515191E9,\"mapRunArn\":\"" + run + "\",\"itemCount\":3}]}";
            using var server = new RecordedServer(new Recorded(200, page));
            var read = await ClientFor(server).ListExecutionsAsync(run, "FAILED", null, 10, null, CancellationToken.None, ofMapRun: true);

            var only = Assert.Single(read.Executions);
            Assert.Equal((child, run, (int?)3), (only.ExecutionArn, only.MapRunArn, only.ItemCount));
            Assert.Null(read.NextToken);
            Assert.Equal("{\"mapRunArn\":\"" + run + "\",\"statusFilter\":\"FAILED\",\"maxResults\":10}", Assert.Single(server.Requests).Body);
        }
    }
}
