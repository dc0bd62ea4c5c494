using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>The use cases over the real SDK client, against recorded responses served over HTTP.</summary>
    public class ServiceTests
    {
        private const string SmArn = "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld";
        private const string ExArn = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:run-1";

        private static string Describe(string status, string input = "{}", double? startDate = null)
            => "{\"executionArn\":\"" + ExArn + "\",\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"run-1\",\"status\":\"" + status
               + "\",\"input\":" + System.Text.Json.JsonSerializer.Serialize(input) + ",\"startDate\":"
               + (startDate ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("E12", System.Globalization.CultureInfo.InvariantCulture) + "}";

        private static readonly Recorded Standard = new Recorded(200, "{\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"HelloWorld\",\"type\":\"STANDARD\",\"creationDate\":1.5E9}");
        private static readonly Recorded Started = new Recorded(200, "{\"executionArn\":\"" + ExArn + "\",\"startDate\":1.686509515191E9}");

        private static StepFunctionsService ServiceFor(RecordedServer server) => new StepFunctionsService(StepFunctionsClients.Get(TestConnections.Local(server.Url)));

        /// <summary>
        /// For tests of what a cancelled start's read-back finds: its 0.6-s bound (inside the cmdlets' Ctrl+C grace) is for a
        /// person waiting, and a CI machine running the suites in parallel sometimes needed longer for the second connection.
        /// </summary>
        private static StepFunctionsService ServiceWithTimeToReadBack(RecordedServer server)
        {
            var service = ServiceFor(server);
            service.CancelledStartLookupBound = TimeSpan.FromSeconds(5);
            return service;
        }

        private static string Target(SeenRequest r) => r.Headers["X-Amz-Target"].Replace("AWSStepFunctions.", "");

        /// <summary>
        /// Cancelled once the server has received the operation's request, so the call is cancelled mid-request however long
        /// this machine takes to send it (a fixed 100 ms could pass before the first request of a busy test run went out).
        /// </summary>
        private static CancellationTokenSource CancelOnceReceived(RecordedServer server, string operation)
        {
            var cancel = new CancellationTokenSource();
            _ = Task.Run(async () =>
            {
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (!server.Requests.Any(r => Target(r) == operation) && DateTime.UtcNow < deadline) await Task.Delay(5);
                cancel.Cancel();
            });
            return cancel;
        }

        private sealed class Collect : IProgress<WaitProgress>
        {
            public readonly List<WaitProgress> Seen = new List<WaitProgress>();
            public void Report(WaitProgress value)
            {
                lock (Seen) Seen.Add(value);
            }
        }

        [Fact]
        public async Task Start_without_wait_starts_once_with_generated_name_and_default_input()
        {
            using var server = new RecordedServer(Started);
            var result = await ServiceFor(server).StartAsync(new StartRequest { StateMachineArn = SmArn }, null, CancellationToken.None);
            Assert.Equal(ExArn, result.ExecutionArn);
            var request = Assert.Single(server.Requests);
            Assert.Equal("StartExecution", Target(request));
            Assert.Matches("\"name\":\"ue-\\d{8}T\\d{6}-[0-9a-f]{16}-1\"", request.Body);
            Assert.Contains("\"input\":\"{}\"", request.Body);
        }

        [Fact]
        public async Task Invalid_input_never_leaves_the_machine()
        {
            using var server = new RecordedServer(Started);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).StartAsync(
                new StartRequest { StateMachineArn = SmArn, Input = "{oops" }, null, CancellationToken.None));
            Assert.Equal("input", failure.Field);
            Assert.Empty(server.Requests);
        }

        [Fact]
        public async Task Start_and_wait_polls_until_final_and_reports_progress()
        {
            using var server = new RecordedServer(Standard, Started,
                new Recorded(200, Describe("RUNNING")), new Recorded(200, Describe("RUNNING")), new Recorded(200, Describe("SUCCEEDED")));
            var progress = new Collect();
            var result = await ServiceFor(server).StartAsync(new StartRequest
            {
                StateMachineArn = SmArn,
                ExecutionName = "run",
                Wait = true,
                WaitOptions = new WaitOptions { PollingIntervalSeconds = 0.05 },
            }, progress, CancellationToken.None);
            Assert.Equal("SUCCEEDED", result.Status);
            Assert.Equal(new[] { "DescribeStateMachine", "StartExecution", "DescribeExecution", "DescribeExecution", "DescribeExecution" },
                server.Requests.Select(Target));
            Assert.Equal(3, progress.Seen.Count);
            Assert.Equal(3, progress.Seen.Last().Polls);
        }

        [Fact]
        public async Task Express_machines_with_wait_use_StartSyncExecution_and_the_type_is_cached()
        {
            var express = new Recorded(200, "{\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"HelloWorld\",\"type\":\"EXPRESS\",\"creationDate\":1.5E9}");
            var sync = new Recorded(200, "{\"executionArn\":\"arn:aws:states:us-east-1:123456789012:express:HelloWorld:run-1:id\",\"status\":\"FAILED\",\"startDate\":1.686509515191E9,\"stopDate\":1.686509515291E9,\"error\":\"E\",\"cause\":\"C\"}");
            using var server = new RecordedServer(express, sync, sync);
            var service = ServiceFor(server);
            var request = new StartRequest { StateMachineArn = SmArn, Wait = true };
            var result = await service.StartAsync(request, null, CancellationToken.None);
            await service.StartAsync(request, null, CancellationToken.None);
            Assert.Equal("FAILED", result.Status);
            Assert.Equal("C", result.Cause);
            Assert.Equal(new[] { "DescribeStateMachine", "StartSyncExecution", "StartSyncExecution" }, server.Requests.Select(Target));
        }

        private static readonly Recorded SyncSucceeded = new Recorded(200,
            "{\"executionArn\":\"arn:aws:states:us-east-1:123456789012:express:HelloWorld:n-1:id\",\"status\":\"SUCCEEDED\",\"startDate\":1.5E9}");

        [Fact]
        public async Task Concurrent_starts_share_one_read_of_the_machines_type()
        {
            using var server = new RecordedServer(Express with { DelayMs = 500 }, SyncSucceeded);
            var request = new StartRequest { StateMachineArn = SmArn, Wait = true };
            // One service per start, as each cmdlet call makes its own; they share the cached client.
            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ServiceFor(server).StartAsync(request, null, CancellationToken.None)));
            Assert.All(results, r => Assert.Equal("SUCCEEDED", r.Status));
            Assert.Equal(1, server.Requests.Count(r => Target(r) == "DescribeStateMachine"));
            Assert.Equal(4, server.Requests.Count(r => Target(r) == "StartSyncExecution"));
        }

        [Fact]
        public async Task One_callers_cancellation_does_not_cancel_the_shared_read_of_the_type_for_the_others()
        {
            using var server = new RecordedServer(Express with { DelayMs = 3000 }, SyncSucceeded);
            var request = new StartRequest { StateMachineArn = SmArn, Wait = true };
            using var cancel = CancelOnceReceived(server, "DescribeStateMachine");
            var clock = Stopwatch.StartNew();
            // Counted from the cancel, not from building the client and sending the request, which a loaded host may slow.
            cancel.Token.Register(clock.Restart);
            var cancelled = ServiceFor(server).StartAsync(request, null, cancel.Token);
            var other = ServiceFor(server).StartAsync(request, null, CancellationToken.None);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => cancelled);
            Assert.Equal(FailureKind.Cancelled, failure.Kind);
            // At its own Ctrl+C, not when the shared read answers 3 s later.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the cancelled start ended after {clock.Elapsed}");
            Assert.Equal("SUCCEEDED", (await other).Status);
            Assert.Equal(new[] { "DescribeStateMachine", "StartSyncExecution" }, server.Requests.Select(Target));
        }

        [Fact]
        public async Task A_failed_read_of_the_type_is_not_remembered()
        {
            // The machine did not exist yet at the first start, and did at the second.
            var missing = new Recorded(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist\",\"message\":\"State Machine Does Not Exist\"}");
            using var server = new RecordedServer(missing, Express, SyncSucceeded);
            var request = new StartRequest { StateMachineArn = SmArn, Wait = true };
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).StartAsync(request, null, CancellationToken.None));
            Assert.Equal(FailureKind.NotFound, failure.Kind);
            Assert.Equal("SUCCEEDED", (await ServiceFor(server).StartAsync(request, null, CancellationToken.None)).Status);
            Assert.Equal(new[] { "DescribeStateMachine", "DescribeStateMachine", "StartSyncExecution" }, server.Requests.Select(Target));
        }

        [Fact]
        public async Task A_qualified_arn_s_type_is_read_once_from_the_unqualified_state_machine_for_all_its_versions_and_aliases()
        {
            using var server = new RecordedServer(
                new Recorded(200, "{\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"HelloWorld\",\"type\":\"EXPRESS\",\"creationDate\":1.5E9}"),
                new Recorded(200, "{\"executionArn\":\"arn:aws:states:us-east-1:123456789012:express:HelloWorld:n-1:id\",\"status\":\"SUCCEEDED\",\"startDate\":1.5E9}"),
                new Recorded(200, "{\"executionArn\":\"arn:aws:states:us-east-1:123456789012:express:HelloWorld:n-2:id\",\"status\":\"SUCCEEDED\",\"startDate\":1.5E9}"));
            var service = ServiceFor(server);
            Assert.Equal("SUCCEEDED", (await service.StartAsync(new StartRequest { StateMachineArn = SmArn + ":PROD", Wait = true }, null, CancellationToken.None)).Status);
            Assert.Equal("SUCCEEDED", (await service.StartAsync(new StartRequest { StateMachineArn = SmArn + ":3", Wait = true }, null, CancellationToken.None)).Status);
            var requests = server.Requests.ToArray();
            Assert.Equal(new[] { "DescribeStateMachine", "StartSyncExecution", "StartSyncExecution" }, requests.Select(Target));
            Assert.Contains("\"" + SmArn + "\"", requests[0].Body);
            Assert.Contains(SmArn + ":PROD", requests[1].Body);
            Assert.Contains(SmArn + ":3", requests[2].Body);
        }

        private static readonly Recorded DescribeDenied = new Recorded(400,
            "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":\"User: arn:aws:iam::123456789012:user/starter is not authorized to perform: states:DescribeStateMachine on resource: " + SmArn + "\"}");

        [Fact]
        public async Task A_wait_that_may_not_read_the_type_starts_and_polls_as_the_seed_did_and_asks_once_per_machine()
        {
            // A policy with the seed extension's two permissions, states:StartExecution and states:DescribeExecution.
            using var server = new RecordedServer(DescribeDenied, Started, new Recorded(200, Describe("SUCCEEDED")), Started, new Recorded(200, Describe("SUCCEEDED")));
            var request = new StartRequest { StateMachineArn = SmArn, Wait = true, WaitOptions = new WaitOptions { PollingIntervalSeconds = 0.1 } };
            var trace = new List<string>();
            using (RequestTrace.Begin(line => { lock (trace) trace.Add(line); }, failuresOnly: true))
            {
                Assert.Equal("SUCCEEDED", (await ServiceFor(server).StartAsync(request, null, CancellationToken.None)).Status);
                Assert.Equal("SUCCEEDED", (await ServiceFor(server).StartAsync(request, null, CancellationToken.None)).Status);
            }
            Assert.Equal(new[] { "DescribeStateMachine", "StartExecution", "DescribeExecution", "StartExecution", "DescribeExecution" },
                server.Requests.Select(Target));
            // Shown with -Verbose (failures only) too: the start went another way than the help says, and why.
            Assert.Contains(trace, line => line == "DescribeStateMachine HelloWorld: refused (states:DescribeStateMachine), so this -Wait starts with StartExecution and polls DescribeExecution, as for a STANDARD machine");
            Assert.Contains(trace, line => line.StartsWith("DescribeStateMachine HelloWorld: refused earlier through this connection, not asked again", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_wait_that_may_not_read_the_type_of_what_is_an_express_machine_reports_the_execution_it_started_and_what_to_grant()
        {
            const string ExpressArn = "arn:aws:states:us-east-1:123456789012:express:HelloWorld:run-1:3f6c1b2a-0d1e-4c55-9d1e-5b0b4a1f2c3d";
            using var server = new RecordedServer(DescribeDenied, new Recorded(200, "{\"executionArn\":\"" + ExpressArn + "\",\"startDate\":1.686509515191E9}"));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() =>
                ServiceFor(server).StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Wait = true }, null, CancellationToken.None));
            Assert.Equal(ExitCode.AuthorizationError, failure.ExitCode);
            Assert.Equal("ExpressTypeNotReadable", failure.ErrorId);
            Assert.True(failure.ExecutionStarted);
            Assert.Equal(ExpressArn, failure.Execution!.ExecutionArn);
            Assert.StartsWith("Started EXPRESS execution " + ExpressArn + ", but cannot wait for it", failure.Message);
            Assert.Contains("Grant states:DescribeStateMachine", failure.Message);
            // Started once, and never polled: DescribeExecution does not support EXPRESS executions.
            Assert.Equal(new[] { "DescribeStateMachine", "StartExecution" }, server.Requests.Select(Target));
        }

        private static readonly Recorded Express = new Recorded(200, "{\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"HelloWorld\",\"type\":\"EXPRESS\",\"creationDate\":1.5E9}");
        private static readonly Recorded InternalFailure = new Recorded(500, "{\"__type\":\"com.amazon.coral.service#InternalFailure\",\"message\":\"oops\"}");

        private static Task<StepFunctionsFailure> StartFailsAsync(RecordedServer server, CancellationToken cancellationToken = default)
            => StartFailsAsync(ServiceFor(server), cancellationToken);

        private static Task<StepFunctionsFailure> StartFailsAsync(StepFunctionsService service, CancellationToken cancellationToken = default)
            => Assert.ThrowsAsync<StepFunctionsFailure>(() =>
                service.StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run" }, null, cancellationToken));

        [Fact]
        public async Task A_start_whose_answer_is_lost_is_not_repeated_for_an_express_machine()
        {
            // EXPRESS starts are not idempotent: a repeat after a 500 could run the workflow twice.
            using var server = new RecordedServer(InternalFailure, Express, Started);
            var failure = await StartFailsAsync(server);
            Assert.Equal(new[] { "StartExecution", "DescribeStateMachine" }, server.Requests.Select(Target));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Contains("HTTP 500 (not retried)", failure.Message);
            // The name to look for is said: an operator with a generated name could not find the execution otherwise.
            Assert.Contains("is an EXPRESS state machine, whose starts are not idempotent, so it was not repeated: an execution named run-1 may have started", failure.Message);
        }

        [Fact]
        public async Task A_start_whose_answer_is_lost_is_repeated_with_the_same_name_once_the_machine_is_known_standard()
        {
            using var server = new RecordedServer(InternalFailure, Standard, InternalFailure, Started);
            var service = ServiceFor(server);
            var result = await service.StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None);
            Assert.Equal(ExArn, result.ExecutionArn);
            // The type is read once, after the first lost answer; from then on the SDK repeats the start itself.
            Assert.Equal(new[] { "StartExecution", "DescribeStateMachine", "StartExecution", "StartExecution" }, server.Requests.Select(Target));
            var starts = server.Requests.Where(r => Target(r) == "StartExecution").Select(r => r.Body).Distinct().ToArray();
            Assert.Single(starts);

            // The type stays known for this client: the next lost answer is repeated at once, without a lookup.
            server.Enqueue(InternalFailure, Started);
            var before = server.Requests.Count;
            await service.StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "again" }, null, CancellationToken.None);
            Assert.Equal(new[] { "StartExecution", "StartExecution" }, server.Requests.Skip(before).Select(Target));
        }

        [Fact]
        public async Task A_start_whose_answer_is_lost_is_not_repeated_when_the_machine_type_cannot_be_read()
        {
            var denied = new Recorded(400, "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":\"not authorized to perform: states:DescribeStateMachine\"}");
            using var server = new RecordedServer(InternalFailure, denied, NoSuchExecution);
            var failure = await StartFailsAsync(server);
            // Not repeated; then read back by name (the machine may be STANDARD), and not there (asked again for a moment, as
            // reads may lag the start).
            var sent = server.Requests.Select(Target).ToArray();
            Assert.Equal(new[] { "StartExecution", "DescribeStateMachine", "DescribeExecution" }, sent.Take(3));
            Assert.All(sent.Skip(3), operation => Assert.Equal("DescribeExecution", operation));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Contains("its state machine's type could not be read (DescribeStateMachine: AccessDeniedException: not authorized to perform: "
                + "states:DescribeStateMachine) to tell whether a repeat is safe, so it was not repeated", failure.Message);
        }

        [Fact]
        public async Task Ctrl_C_while_the_type_is_read_ends_the_start_as_cancelled_not_as_a_lost_answer()
        {
            var slowType = new Recorded(200, Standard.Body, DelayMs: 5000);
            var noSuchExecution = new Recorded(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist\"}");
            using var server = new RecordedServer(InternalFailure, slowType, noSuchExecution);
            using var cancel = CancelOnceReceived(server, "DescribeStateMachine");
            // The read-back gets seconds, not the 0.6 s meant for a person: what is asserted is that the cancel is reported as
            // one and the read-back's answer is used, and a loaded CI run once missed the 0.6 s for its second connection.
            var failure = await StartFailsAsync(ServiceWithTimeToReadBack(server), cancel.Token);
            Assert.Equal(FailureKind.Cancelled, failure.Kind);
            Assert.DoesNotContain("may have started", failure.Message);
            Assert.Contains("was found when read back", failure.Message);
        }

        [Fact]
        public async Task A_start_that_could_not_connect_sent_nothing_and_does_not_say_an_execution_may_have_started()
        {
            var settings = TestConnections.Local($"http://127.0.0.1:{RecordedServer.FreePort()}");
            settings.RequestTimeoutSeconds = 2;
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() =>
                new StepFunctionsService(StepFunctionsClients.Get(settings)).StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run" }, null, CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.DoesNotContain("may have started", failure.Message);
            Assert.True(FailureMapper.NeverSent(new System.Net.Http.HttpRequestException("x", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused))));
            Assert.False(FailureMapper.NeverSent(new System.Net.Http.HttpRequestException("x", new System.IO.IOException("y", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset)))));
            // A timeout is a connect failure only when opening the connection: under an IOException it came mid-transfer.
            Assert.True(FailureMapper.NeverSent(new System.Net.Http.HttpRequestException("x", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TimedOut))));
            Assert.False(FailureMapper.NeverSent(new System.Net.Http.HttpRequestException("x", new System.IO.IOException("y", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TimedOut)))));
        }

        [Fact]
        public async Task A_throttled_start_is_repeated_whatever_the_machine_type()
        {
            // Throttling is the service refusing the request unprocessed: nothing started, so the SDK repeats it.
            var throttled = new Recorded(400, "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"message\":\"Rate exceeded\"}");
            using var server = new RecordedServer(throttled, Started);
            var result = await ServiceFor(server).StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run" }, null, CancellationToken.None);
            Assert.Equal(ExArn, result.ExecutionArn);
            Assert.Equal(new[] { "StartExecution", "StartExecution" }, server.Requests.Select(Target));
        }

        [Fact]
        public async Task Concurrent_callers_with_different_identities_each_sign_as_themselves()
        {
            using var server = new RecordedServer(new Recorded(200, Describe("RUNNING")));
            var tasks = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
            {
                var settings = TestConnections.Local(server.Url);
                settings.AccessKeyId = "AKIDUSER" + (i % 4);
                settings.SecretAccessKey = TestConnections.Secure("secret-" + (i % 4));
                var client = StepFunctionsClients.Get(settings);
                await client.DescribeExecutionAsync(ExArn + "-" + i, CancellationToken.None);
                return client;
            })).ToArray();
            var clients = await Task.WhenAll(tasks);
            Assert.Equal(4, clients.Distinct().Count());
            Assert.Equal(32, server.Requests.Count);
            var secrets = Enumerable.Range(0, 4).ToDictionary(n => "AKIDUSER" + n, n => "secret-" + n);
            foreach (var request in server.Requests)
            {
                var i = int.Parse(request.Body.Split("-").Last().TrimEnd('"', '}'));
                // Signed with that caller's own secret, not only under its key id.
                Assert.Equal("AKIDUSER" + (i % 4), SignatureCheck.SignedBy(request, secrets));
            }
        }

        private static readonly Recorded AlreadyExists =
            new Recorded(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists\",\"message\":\"Execution Already Exists: '" + ExArn + "'\"}");
        private static readonly Recorded NoSuchExecution =
            new Recorded(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist\"}");

        [Fact]
        public async Task ExecutionAlreadyExists_after_an_unanswered_attempt_is_this_calls_own_start_and_reports_the_execution()
        {
            // The first attempt was processed but its answer lost (500); the machine is STANDARD, so the start is repeated,
            // and the repeat meets the execution the first attempt created, which has already ended.
            using var server = new RecordedServer(InternalFailure, Standard, AlreadyExists, new Recorded(200, Describe("SUCCEEDED", "{\"a\": 1}")));
            var result = await ServiceFor(server).StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None);
            Assert.Equal(ExArn, result.ExecutionArn);
            Assert.Equal(new[] { "StartExecution", "DescribeStateMachine", "StartExecution", "DescribeExecution" }, server.Requests.Select(Target));
            Assert.Contains(ExArn, server.Requests.Last().Body);
        }

        [Fact]
        public async Task ExecutionAlreadyExists_after_an_unanswered_attempt_that_cannot_be_read_back_says_it_may_be_this_calls_own()
        {
            using var server = new RecordedServer(InternalFailure, Standard, AlreadyExists, InternalFailure);
            var service = ServiceFor(server);
            // The read-back asks again after a 5xx until its bound: a short one, since it never gets another answer here.
            service.LostStartLookupBound = TimeSpan.FromSeconds(1);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => service.StartAsync(
                new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None));
            Assert.Equal("ExecutionAlreadyExists", failure.ErrorId);
            Assert.EndsWith("An earlier attempt of this call went unanswered, so that execution may be this call's own start (it could not be read back to tell).", failure.Message);
        }

        [Fact]
        public async Task ExecutionAlreadyExists_answered_to_the_first_attempt_is_a_rerun_however_recent_the_earlier_run()
        {
            // The same name and input as a run that started a second ago: nothing was started by this call, which must say so
            // (exit 20), not report the earlier run as its own.
            using var server = new RecordedServer(AlreadyExists, new Recorded(200, Describe("SUCCEEDED", "{\"a\": 1}")));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).StartAsync(
                new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None));
            Assert.Equal("ExecutionAlreadyExists", failure.ErrorId);
            Assert.Equal(ExitCode.DataValidationError, failure.ExitCode);
            Assert.False(failure.ExecutionStarted);
            Assert.Equal(new[] { "StartExecution" }, server.Requests.Select(Target));
        }

        [Fact]
        public async Task A_start_whose_every_answer_was_lost_reads_back_its_execution_and_reports_it_as_started()
        {
            // STANDARD (known from an earlier read), every attempt processed but answered 500: the execution exists.
            using var server = new RecordedServer(Standard, InternalFailure, InternalFailure, InternalFailure,
                new Recorded(200, Describe("RUNNING", "{\"a\": 1}")));
            var service = ServiceFor(server);
            await new StateMachineTypes(service.Client).GetAsync(SmArn, CancellationToken.None);
            var trace = new List<string>();
            ExecutionResult result;
            using (RequestTrace.Begin(line => { lock (trace) trace.Add(line); }, failuresOnly: true))
                result = await service.StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None);
            Assert.Equal(ExArn, result.ExecutionArn);
            Assert.Equal("RUNNING", result.Status);
            Assert.Equal(new[] { "DescribeStateMachine", "StartExecution", "StartExecution", "StartExecution", "DescribeExecution" }, server.Requests.Select(Target));
            Assert.Contains(trace, line => line.StartsWith("StartExecution run-1: no answer reached this call, but the execution exists", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_rerun_whose_every_answer_was_lost_is_not_reported_as_the_earlier_run()
        {
            // The name and input of a run that started 5 s ago; this call's attempts all failed (500): nothing of it started.
            var earlier = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds() / 1000.0;
            using var server = new RecordedServer(Standard, InternalFailure, InternalFailure, InternalFailure,
                new Recorded(200, Describe("SUCCEEDED", "{\"a\": 1}", earlier)));
            var service = ServiceFor(server);
            await new StateMachineTypes(service.Client).GetAsync(SmArn, CancellationToken.None);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => service.StartAsync(
                new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.False(failure.ExecutionStarted);
            Assert.Contains("An execution named run-1 exists, but it is not this call's: it started before this call (", failure.Message);
            Assert.EndsWith("so this call started nothing under that name.", failure.Message);
        }

        [Theory]
        [InlineData(-10, 0.5, true)]   // the service's clock 10 s behind this machine's: this call's start, seconds "before" it
        [InlineData(10, 0.5, true)]    // 10 s ahead
        [InlineData(0, -5, false)]     // same clocks, an execution 5 s older than the call: an earlier run
        [InlineData(-10, -5, false)]   // 10 s behind, and 5 s older than the call on the service's own clock
        public async Task A_read_back_judges_when_the_call_began_on_the_service_s_clock(int serviceClockOffsetSeconds, double startedAfterCallSeconds, bool ours)
        {
            var serviceNow = DateTimeOffset.UtcNow.AddSeconds(serviceClockOffsetSeconds);
            var started = serviceNow.AddSeconds(startedAfterCallSeconds).ToUnixTimeMilliseconds() / 1000.0;
            var dated = new Dictionary<string, string> { ["Date"] = serviceNow.AddSeconds(1).ToString("r", System.Globalization.CultureInfo.InvariantCulture) };
            using var server = new RecordedServer(Standard, InternalFailure, InternalFailure, InternalFailure,
                new Recorded(200, Describe("RUNNING", "{\"a\": 1}", started), dated));
            var service = ServiceFor(server);
            await new StateMachineTypes(service.Client).GetAsync(SmArn, CancellationToken.None);
            var start = service.StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None);
            if (ours)
                Assert.Equal(ExArn, (await start).ExecutionArn);
            else
                Assert.Contains("exists, but it is not this call's", (await Assert.ThrowsAsync<StepFunctionsFailure>(() => start)).Message);
        }

        [Theory]
        [InlineData(false)] // the cancelled start's own read-back finds the execution
        [InlineData(true)]  // the service stays silent: nothing can be told, but the record still says what to look for
        public async Task Ctrl_C_while_a_lost_start_is_read_back_ends_as_a_cancelled_start_that_names_its_execution(bool silent)
        {
            var late = new Recorded(200, Describe("RUNNING", "{\"a\": 1}"), DelayMs: 5000);
            using var server = new RecordedServer(Standard, InternalFailure, InternalFailure, InternalFailure, late,
                silent ? late : new Recorded(200, Describe("RUNNING", "{\"a\": 1}")));
            var service = silent ? ServiceFor(server) : ServiceWithTimeToReadBack(server);
            await new StateMachineTypes(service.Client).GetAsync(SmArn, CancellationToken.None);
            using var cancel = CancelOnceReceived(server, "DescribeExecution");
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => service.StartAsync(
                new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, cancel.Token));
            Assert.Equal("StartCancelled", failure.ErrorId);
            Assert.Equal(FailureKind.Cancelled, failure.Kind);
            Assert.Equal(ExArn, failure.Target);
            Assert.Equal(!silent, failure.ExecutionStarted);
            if (silent)
                Assert.Equal($"Cancelled while starting; execution {ExArn} may have started (it could not be read back to tell).", failure.Message);
            else
                Assert.Equal(ExArn, failure.Execution?.ExecutionArn);
        }

        /// <summary>Start -Wait -StopOnCancel of "run" with input {"a":1}, cancelled by <paramref name="token"/>: the failure it ends with.</summary>
        private static Task<StepFunctionsFailure> StartCancelledWithStopOnCancelAsync(RecordedServer server, CancellationToken token)
            => Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).StartAsync(new StartRequest
            {
                StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}", Wait = true,
                WaitOptions = new WaitOptions { PollingIntervalSeconds = 1, StopOnCancel = true },
            }, null, token));

        /// <summary>A policy that may start and stop but not describe executions: a read-back is refused at once.</summary>
        private static readonly Recorded ExecutionDescribeDenied = new Recorded(400,
            "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":\"User: arn:aws:iam::123456789012:user/starter is not authorized to perform: states:DescribeExecution\"}");

        [Fact]
        public async Task Ctrl_C_with_StopOnCancel_stops_a_start_it_cannot_read_back_and_says_it_had_started()
        {
            // The read-back is refused at once; the stop reaches the execution.
            using var server = new RecordedServer(Standard, new Recorded(200, "{\"executionArn\":\"" + ExArn + "\",\"startDate\":1.7E9}", DelayMs: 5000),
                ExecutionDescribeDenied, new Recorded(200, "{\"stopDate\":1.7E9}"), ExecutionDescribeDenied);
            using var cancel = CancelOnceReceived(server, "StartExecution");
            var failure = await StartCancelledWithStopOnCancelAsync(server, cancel.Token);
            Assert.Equal("StartCancelled", failure.ErrorId);
            Assert.Equal($"Cancelled while starting; execution {ExArn} could not be read back, but it had started: it was stopped.", failure.Message);
            Assert.True(failure.ExecutionStarted);
            Assert.Equal("ABORTED", failure.Execution!.Status);
            Assert.Contains("StopExecution", server.Requests.Select(Target));
        }

        [Fact]
        public async Task Ctrl_C_with_StopOnCancel_whose_stop_finds_no_execution_says_the_start_most_likely_made_none()
        {
            var noSuchExecution = new Recorded(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist: '" + ExArn + "'\"}");
            using var server = new RecordedServer(Standard, new Recorded(200, "{\"executionArn\":\"" + ExArn + "\",\"startDate\":1.7E9}", DelayMs: 5000),
                ExecutionDescribeDenied, noSuchExecution);
            using var cancel = CancelOnceReceived(server, "StartExecution");
            var failure = await StartCancelledWithStopOnCancelAsync(server, cancel.Token);
            Assert.Equal($"Cancelled while starting; execution {ExArn} could not be read back, and a stop found no such execution: the start had not taken effect then (a request still on its way could yet).", failure.Message);
            Assert.Equal(ExArn, failure.Target);
            Assert.False(failure.ExecutionStarted);
        }

        [Fact]
        public async Task A_start_cancelled_mid_request_whose_execution_is_not_found_says_so_and_names_it()
        {
            using var server = new RecordedServer(new Recorded(200, "{\"executionArn\":\"" + ExArn + "\",\"startDate\":1.7E9}", DelayMs: 5000), NoSuchExecution);
            using var cancel = CancelOnceReceived(server, "StartExecution");
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceWithTimeToReadBack(server).StartAsync(
                new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, cancel.Token));
            Assert.Equal("StartCancelled", failure.ErrorId);
            Assert.Equal(ExArn, failure.Target);
            Assert.False(failure.ExecutionStarted);
            Assert.Equal($"Cancelled while starting; no execution {ExArn} was found when read back: the start had not taken effect then (a request still on its way could yet).", failure.Message);
        }

        [Fact]
        public async Task A_start_ended_by_throttling_after_an_unanswered_attempt_reads_back_its_execution()
        {
            // The first attempt was processed (its answer a 500); the repeats were throttled until the budget ran out.
            var throttled = new Recorded(400, "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"message\":\"Rate exceeded\"}");
            using var server = new RecordedServer(Standard, InternalFailure, throttled, throttled, new Recorded(200, Describe("RUNNING", "{\"a\": 1}")));
            var service = ServiceFor(server);
            await new StateMachineTypes(service.Client).GetAsync(SmArn, CancellationToken.None);
            var result = await service.StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None);
            Assert.Equal(ExArn, result.ExecutionArn);
            Assert.Equal(new[] { "DescribeStateMachine", "StartExecution", "StartExecution", "StartExecution", "DescribeExecution" }, server.Requests.Select(Target));
        }

        [Fact]
        public async Task A_wait_on_a_machine_recreated_as_express_since_its_type_was_read_says_so()
        {
            const string ExpressArn = "arn:aws:states:us-east-1:123456789012:express:HelloWorld:run-1:3f6c1b2a-0d1e-4c55-9d1e-5b0b4a1f2c3d";
            using var server = new RecordedServer(Standard, new Recorded(200, "{\"executionArn\":\"" + ExpressArn + "\",\"startDate\":1.686509515191E9}"));
            var service = ServiceFor(server);
            await new StateMachineTypes(service.Client).GetAsync(SmArn, CancellationToken.None);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() =>
                service.StartAsync(new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Wait = true }, null, CancellationToken.None));
            Assert.Equal("MachineTypeChanged", failure.ErrorId);
            Assert.Equal(ExitCode.Fail, failure.ExitCode);
            Assert.True(failure.ExecutionStarted);
            Assert.Contains("was STANDARD when this connection read its type", failure.Message);
        }

        [Fact]
        public async Task A_start_whose_every_answer_was_lost_and_that_cannot_be_read_back_names_the_execution_to_look_for()
        {
            using var server = new RecordedServer(Standard, InternalFailure, InternalFailure, InternalFailure, NoSuchExecution);
            var service = ServiceFor(server);
            await new StateMachineTypes(service.Client).GetAsync(SmArn, CancellationToken.None);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => service.StartAsync(
                new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            // The service answered that it does not exist (for the read-back's 2 s): said as such, not as "could not tell".
            Assert.EndsWith("The request may have reached the service: an execution named run-1 may have started, but it was not found when read back for 2 s.", failure.Message);
            Assert.Equal(ExArn, failure.Target);
            Assert.True(failure.AfterUnansweredAttempt);
        }

        [Fact]
        public async Task A_start_cancelled_mid_request_reports_the_execution_the_service_created_anyway()
        {
            // The service takes 5 s to answer (long enough that a busy machine still cancels first); the caller gives up once
            // the request has arrived, but the execution exists.
            using var server = new RecordedServer(new Recorded(200, "{\"executionArn\":\"" + ExArn + "\",\"startDate\":1.7E9}", DelayMs: 5000),
                new Recorded(200, Describe("RUNNING", "{\"a\": 1}")));
            using var cancel = CancelOnceReceived(server, "StartExecution");
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceWithTimeToReadBack(server).StartAsync(
                new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, cancel.Token));
            Assert.Equal("StartCancelled", failure.ErrorId);
            Assert.True(failure.ExecutionStarted);
            Assert.Equal(ExArn, failure.Execution?.ExecutionArn);
            Assert.Contains("left running", failure.Message);
        }

        [Fact]
        public async Task A_start_cancelled_mid_request_with_StopOnCancel_stops_the_execution_it_created()
        {
            using var server = new RecordedServer(Standard, new Recorded(200, "{\"executionArn\":\"" + ExArn + "\",\"startDate\":1.7E9}", DelayMs: 5000),
                new Recorded(200, Describe("RUNNING", "{\"a\": 1}")), new Recorded(200, "{\"stopDate\":1.7E9}"), new Recorded(200, Describe("ABORTED")));
            using var cancel = CancelOnceReceived(server, "StartExecution");
            var failure = await StartCancelledWithStopOnCancelAsync(server, cancel.Token);
            Assert.Equal("StartCancelled", failure.ErrorId);
            Assert.Contains("was stopped", failure.Message);
            // The state after the stop, not the RUNNING found before it.
            Assert.Equal(new[] { "StopExecution", "DescribeExecution" }, server.Requests.Skip(server.Requests.Count - 2).Select(Target));
            Assert.Equal("ABORTED", failure.Execution!.Status);
        }

        [Theory]
        [InlineData("RUNNING", "{\"other\":true}", 0)]    // someone else's input
        [InlineData("SUCCEEDED", "{\"a\": 1}", -2)]        // our input, but a run from two minutes ago, not this call's
        [InlineData("RUNNING", "{\"a\": 1}", -2)]
        public async Task ExecutionAlreadyExists_that_is_not_this_calls_own_start_stays_a_validation_error(string status, string input, int startedMinutesAgo)
        {
            // Reporting someone's earlier run as this call's start would be a false success.
            var startDate = DateTimeOffset.UtcNow.AddMinutes(startedMinutesAgo).ToUnixTimeMilliseconds() / 1000.0;
            using var server = new RecordedServer(
                new Recorded(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists\",\"message\":\"Execution Already Exists\"}"),
                new Recorded(200, Describe(status, input, startDate)));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).StartAsync(
                new StartRequest { StateMachineArn = SmArn, ExecutionName = "run", Input = "{\"a\":1}" }, null, CancellationToken.None));
            Assert.Equal("ExecutionAlreadyExists", failure.ErrorId);
            Assert.Equal(ExitCode.DataValidationError, failure.ExitCode);
        }

        [Fact]
        public async Task The_wait_timeout_also_ends_a_poll_that_is_still_in_flight()
        {
            // The second poll answers only after 20 s; the 1.5 s timeout must not wait for it.
            using var server = new RecordedServer(new Recorded(200, Describe("RUNNING")), new Recorded(200, Describe("RUNNING"), DelayMs: 20000));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).WaitAsync(ExArn,
                new WaitOptions { PollingIntervalSeconds = 0.2, TimeoutSeconds = 1.5 }, null, CancellationToken.None));
            Assert.Equal("WaitTimeout", failure.ErrorId);
            Assert.Equal(ExitCode.Fail, failure.ExitCode);
            Assert.Equal("RUNNING", failure.Execution?.Status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"gave up after {clock.Elapsed.TotalSeconds:0.0} s");
        }

        [Fact]
        public async Task Eventually_consistent_not_found_right_after_our_start_is_retried()
        {
            var notFound = new Recorded(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist\"}");
            using var server = new RecordedServer(Standard, Started, notFound, new Recorded(200, Describe("SUCCEEDED")));
            var result = await ServiceFor(server).StartAsync(new StartRequest
            {
                StateMachineArn = SmArn, Wait = true, WaitOptions = new WaitOptions { PollingIntervalSeconds = 0.05 },
            }, null, CancellationToken.None);
            Assert.Equal("SUCCEEDED", result.Status);

            // Waiting on an ARN we did not just start: not found is the answer, at once.
            using var other = new RecordedServer(notFound);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(other).WaitAsync(ExArn, new WaitOptions { PollingIntervalSeconds = 0.05 }, null, CancellationToken.None));
            Assert.Equal("ExecutionDoesNotExist", failure.ErrorId);
            Assert.Single(other.Requests);
        }

        [Fact]
        public async Task Wait_survives_transient_errors()
        {
            using var server = new RecordedServer(
                new Recorded(200, Describe("RUNNING")),
                new Recorded(503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"down\"}"),
                new Recorded(503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"down\"}"),
                new Recorded(503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"down\"}"),
                new Recorded(503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"down\"}"),
                new Recorded(503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"down\"}"),
                new Recorded(200, Describe("ABORTED")));
            var progress = new Collect();
            var result = await ServiceFor(server).WaitAsync(ExArn, new WaitOptions { PollingIntervalSeconds = 0.05, UnreachableTimeoutSeconds = 30 }, progress, CancellationToken.None);
            Assert.Equal("ABORTED", result.Status);
            Assert.Contains(progress.Seen, p => p.LastTransientError != null);
        }

        [Fact]
        public async Task Wait_survives_bare_429_and_408_from_something_in_between()
        {
            // A gateway's or proxy's own answer: no AWS error code, not JSON.
            var html = new Dictionary<string, string> { ["Content-Type"] = "text/html" };
            var tooMany = new Recorded(429, "<html>Too Many Requests</html>", html);
            var timedOut = new Recorded(408, "<html>Request Timeout</html>", html);
            using var server = new RecordedServer(new Recorded(200, Describe("RUNNING")), tooMany, tooMany, tooMany, tooMany,
                timedOut, timedOut, timedOut, timedOut, new Recorded(200, Describe("SUCCEEDED")));
            var progress = new Collect();
            var result = await ServiceFor(server).WaitAsync(ExArn, new WaitOptions { PollingIntervalSeconds = 0.05, UnreachableTimeoutSeconds = 60 }, progress, CancellationToken.None);
            Assert.Equal("SUCCEEDED", result.Status);
            Assert.Contains(progress.Seen, p => p.LastTransientError != null && p.LastTransientError.Contains("429"));
        }

        [Fact]
        public async Task A_wait_throttled_past_the_bound_ends_as_throttling_not_as_unreachable()
        {
            using var server = new RecordedServer(new Recorded(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).WaitAsync(ExArn,
                new WaitOptions { PollingIntervalSeconds = 0.05, UnreachableTimeoutSeconds = 0.5 }, null, CancellationToken.None));
            Assert.Equal("ThrottledTooLong", failure.ErrorId);
            Assert.Equal(ExitCode.Fail, failure.ExitCode);
            Assert.Contains("throttled", failure.Message);
        }

        [Fact]
        public async Task A_slow_poll_that_answers_within_the_unreachable_bound_is_waited_for_whatever_the_polling_interval()
        {
            // The interval slept since the last success is no unreachable time: with an interval as long as the bound, the
            // second poll still gets the whole bound (its answer takes 5.5 s, more than the 5 s every poll is always given).
            // A bound of 8 s leaves a loaded machine 2.5 s beyond the answer (6 s left 0.5 s, and CI once needed more).
            using var server = new RecordedServer(
                new Recorded(200, Describe("RUNNING")),
                new Recorded(200, Describe("SUCCEEDED"), DelayMs: 5500));
            var settings = TestConnections.Local(server.Url);
            settings.RequestTimeoutSeconds = 10;
            var result = await new StepFunctionsService(StepFunctionsClients.Get(settings)).WaitAsync(ExArn,
                new WaitOptions { PollingIntervalSeconds = 8, UnreachableTimeoutSeconds = 8 }, null, CancellationToken.None);
            Assert.Equal("SUCCEEDED", result.Status);
        }

        [Fact]
        public async Task Unreachable_endpoint_ends_the_wait_with_exit_10_after_the_bound()
        {
            var settings = TestConnections.Local($"http://127.0.0.1:{RecordedServer.FreePort()}");
            var service = new StepFunctionsService(StepFunctionsClients.Get(settings));
            var clock = Stopwatch.StartNew();
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => service.WaitAsync(ExArn,
                new WaitOptions { PollingIntervalSeconds = 0.1, UnreachableTimeoutSeconds = 1 }, null, CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Equal("EndpointUnreachable", failure.ErrorId);
            Assert.InRange(clock.Elapsed.TotalSeconds, 1, 20);
        }

        [Fact]
        public async Task A_timeout_shorter_than_the_polling_interval_reads_the_status_again_at_the_deadline()
        {
            // Polls every 30 s, gives up after 1 s: the execution ended in between, and the wait must say so, not "still RUNNING".
            using var server = new RecordedServer(new Recorded(200, Describe("RUNNING")), new Recorded(200, Describe("SUCCEEDED")));
            var clock = Stopwatch.StartNew();
            var result = await ServiceFor(server).WaitAsync(ExArn,
                new WaitOptions { PollingIntervalSeconds = 30, TimeoutSeconds = 1 }, null, CancellationToken.None);
            Assert.Equal("SUCCEEDED", result.Status);
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
            Assert.Equal(2, server.Requests.Count);
        }

        [Fact]
        public async Task A_timeout_whose_final_read_gets_no_answer_reports_the_status_last_seen_within_a_few_seconds()
        {
            using var server = new RecordedServer(new Recorded(200, Describe("RUNNING")), new Recorded(200, Describe("SUCCEEDED"), DelayMs: 20000));
            var clock = Stopwatch.StartNew();
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).WaitAsync(ExArn,
                new WaitOptions { PollingIntervalSeconds = 30, TimeoutSeconds = 1 }, null, CancellationToken.None));
            Assert.Equal("WaitTimeout", failure.ErrorId);
            Assert.Equal("RUNNING", failure.Execution!.Status);
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
        }

        [Fact]
        public async Task Wait_timeout_is_exit_1_saying_the_execution_still_runs()
        {
            using var server = new RecordedServer(new Recorded(200, Describe("RUNNING")));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).WaitAsync(ExArn,
                // Long enough for a first Describe on a new client on a busy machine: the status must be known by then.
                new WaitOptions { PollingIntervalSeconds = 0.05, TimeoutSeconds = 2 }, null, CancellationToken.None));
            Assert.Equal(FailureKind.Timeout, failure.Kind);
            Assert.Equal(ExitCode.Fail, failure.ExitCode);
            Assert.Equal("WaitTimeout", failure.ErrorId);
            Assert.Equal("RUNNING", failure.Execution!.Status);
            var output = ExtensionOutput.FromFailure(new Invocation(), failure);
            Assert.Equal(1, output.exit_code);
            Assert.Equal($"FAIL: Gave up waiting after 2 s; the execution is still RUNNING: {ExArn}", output.status_description);
        }

        [Fact]
        public async Task Cancel_returns_at_once_and_StopOnCancel_stops_the_execution()
        {
            using var server = new RecordedServer(new Recorded(200, Describe("RUNNING")));
            using var cts = new CancellationTokenSource();
            var wait = ServiceFor(server).WaitAsync(ExArn, new WaitOptions { PollingIntervalSeconds = 60, StopOnCancel = true }, null, cts.Token);
            while (server.Requests.IsEmpty) await Task.Delay(10);
            server.Enqueue(new Recorded(200, "{\"stopDate\":1.686509516205E9}"));
            server.Enqueue(new Recorded(200, Describe("ABORTED")));
            var clock = Stopwatch.StartNew();
            cts.Cancel();
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => wait);
            // Within the product's own bound for a stop after Ctrl+C, far below the 60 s poll the wait was sleeping through.
            Assert.True(clock.Elapsed < StepFunctionsService.StopOnCancelBound, clock.Elapsed.ToString());
            Assert.Equal(FailureKind.Cancelled, failure.Kind);
            Assert.Equal(new[] { "StopExecution", "DescribeExecution" }, server.Requests.Skip(server.Requests.Count - 2).Select(Target));
            Assert.Contains("stopped", failure.Message);
            Assert.Equal("ABORTED", failure.Execution!.Status);
        }

        [Fact]
        public async Task A_stop_on_cancel_whose_state_cannot_be_read_afterwards_reports_the_execution_as_the_stop_left_it()
        {
            using var server = new RecordedServer(new Recorded(200, Describe("RUNNING")));
            using var cts = new CancellationTokenSource();
            var wait = ServiceFor(server).WaitAsync(ExArn, new WaitOptions { PollingIntervalSeconds = 60, StopOnCancel = true }, null, cts.Token);
            while (server.Requests.IsEmpty) await Task.Delay(10);
            server.Enqueue(new Recorded(200, "{\"stopDate\":1.686509516205E9}"));
            server.Enqueue(new Recorded(500, "{\"__type\":\"InternalFailure\",\"message\":\"broken\"}"));
            cts.Cancel();
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => wait);
            Assert.Contains("was stopped", failure.Message);
            Assert.Equal("ABORTED", failure.Execution!.Status);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1686509516205), failure.Execution.StopDate);
        }

        [Fact]
        public async Task Failures_after_the_start_carry_changed_and_the_execution()
        {
            using var server = new RecordedServer(Standard, Started, new Recorded(200, Describe("RUNNING")));
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => ServiceFor(server).StartAsync(new StartRequest
            {
                StateMachineArn = SmArn, Wait = true, WaitOptions = new WaitOptions { PollingIntervalSeconds = 0.05, TimeoutSeconds = 0.2 },
            }, null, CancellationToken.None));
            var output = ExtensionOutput.FromFailure(new Invocation(), failure);
            Assert.True(output.changed);
            Assert.Equal(ExArn, output.result!.ExecutionArn);
        }

        [Fact]
        public async Task AssumeRole_goes_to_the_same_endpoint_once_and_signs_with_the_session()
        {
            var expiration = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            var sts = new Recorded(200,
                "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials>"
                + "<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>tempSecret</SecretAccessKey><SessionToken>tempToken</SessionToken>"
                + "<Expiration>" + expiration + "</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId>"
                + "<Arn>arn:aws:sts::123456789012:assumed-role/Deploy/s</Arn></AssumedRoleUser></AssumeRoleResult>"
                + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>",
                new Dictionary<string, string> { ["Content-Type"] = "text/xml" });
            using var server = new RecordedServer(sts, new Recorded(200, Describe("RUNNING")));
            var settings = TestConnections.Local(server.Url);
            settings.RoleArn = "arn:aws:iam::123456789012:role/Deploy";
            settings.ExternalId = "ext-42";
            var client = StepFunctionsClients.Get(settings);
            await client.DescribeExecutionAsync(ExArn, CancellationToken.None);
            await client.DescribeExecutionAsync(ExArn, CancellationToken.None);
            var requests = server.Requests.ToArray();
            Assert.Equal(3, requests.Length);
            Assert.Contains("Action=AssumeRole", requests[0].Body);
            Assert.Contains("ExternalId=ext-42", requests[0].Body);
            Assert.Contains("RoleSessionName=ue-aws-stepfunctions-", requests[0].Body);
            Assert.Contains("Credential=AKIDEXAMPLE/", requests[0].Headers["Authorization"]);
            Assert.Contains("Credential=ASIAEXAMPLE/", requests[1].Headers["Authorization"]);
            Assert.Equal("tempToken", requests[2].Headers["X-Amz-Security-Token"]);
        }

        [Fact]
        public async Task Sts_access_denied_is_exit_3()
        {
            var denied = new Recorded(403,
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                + "<Message>User is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>r</RequestId></ErrorResponse>",
                new Dictionary<string, string> { ["Content-Type"] = "text/xml" });
            using var server = new RecordedServer(denied);
            var settings = TestConnections.Local(server.Url);
            settings.RoleArn = "arn:aws:iam::123456789012:role/Denied";
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.AuthorizationError, failure.ExitCode);
        }
    }
}
