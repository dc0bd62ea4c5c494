using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>The shared, bounded-lifetime cache of state machine types.</summary>
    public class StateMachineTypesTests
    {
        private const string SmArn = "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld";
        private static readonly Recorded Express = new Recorded(200, "{\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"HelloWorld\",\"type\":\"EXPRESS\",\"creationDate\":1.5E9}");
        private static readonly Recorded Standard = new Recorded(200, "{\"stateMachineArn\":\"" + SmArn + "\",\"name\":\"HelloWorld\",\"type\":\"STANDARD\",\"creationDate\":1.5E9}");

        private static IStepFunctionsClient ClientFor(RecordedServer server) => StepFunctionsClients.Get(TestConnections.Local(server.Url));

        [Fact]
        public async Task A_type_is_trusted_for_its_lifetime_then_read_again()
        {
            // The machine was recreated with the other type between the two reads: the second read must see it.
            using var server = new RecordedServer(Standard, Express);
            var client = ClientFor(server);
            var trusting = new StateMachineTypes(client);
            Assert.Equal("STANDARD", await trusting.GetAsync(SmArn, CancellationToken.None));
            Assert.Equal("STANDARD", await trusting.GetAsync(SmArn, CancellationToken.None));
            Assert.Equal("STANDARD", trusting.Known(SmArn));
            Assert.Single(server.Requests);

            var expired = new StateMachineTypes(client, TimeSpan.Zero);
            Assert.Null(expired.Known(SmArn));
            Assert.Equal("EXPRESS", await expired.GetAsync(SmArn, CancellationToken.None));
            Assert.Equal(2, server.Requests.Count);
        }

        [Fact]
        public async Task A_call_that_uses_a_type_read_for_another_call_says_so_in_its_own_trace()
        {
            using var server = new RecordedServer(Standard);
            var types = new StateMachineTypes(ClientFor(server));
            var first = new List<string>();
            using (RequestTrace.Begin(first.Add)) await types.GetAsync(SmArn, CancellationToken.None);
            Assert.Contains(first, line => line.StartsWith("DescribeStateMachine HelloWorld attempt 1: POST", StringComparison.Ordinal));

            var second = new List<string>();
            using (RequestTrace.Begin(second.Add)) Assert.Equal("STANDARD", await types.GetAsync(SmArn, CancellationToken.None));
            var line = Assert.Single(second);
            Assert.Matches(@"^DescribeStateMachine HelloWorld: STANDARD, from a read this connection made \d+\.\d s ago \(no request sent\)$", line);
            Assert.Single(server.Requests);

            var failuresOnly = new List<string>();
            using (RequestTrace.Begin(failuresOnly.Add, failuresOnly: true)) await types.GetAsync(SmArn, CancellationToken.None);
            Assert.Empty(failuresOnly);
        }

        [Fact]
        public async Task A_client_that_fails_at_once_ends_the_read_with_its_failure_instead_of_reading_again_and_again()
        {
            var client = new FailingAtOnce();
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => new StateMachineTypes(client).GetAsync(SmArn, CancellationToken.None));
            Assert.Equal("AccessDeniedException", failure.ErrorId);
            Assert.Equal(1, client.Describes);
            var lookup = await new StateMachineTypes(client).TryGetAsync(SmArn, CancellationToken.None);
            Assert.Null(lookup.Type);
            Assert.Equal("not authorized to perform: states:DescribeStateMachine", lookup.Problem);
            Assert.Equal(2, client.Describes);
        }

        /// <summary>
        /// A client whose DescribeStateMachine returns an already failed task, as the SDK client does when its credentials
        /// cannot be resolved (a failing credential_process): the real client needs this machine's AWS configuration for it.
        /// </summary>
        private sealed class FailingAtOnce : IStepFunctionsClient
        {
            private int _describes;
            public int Describes => _describes;

            public Task<StateMachineSummary> DescribeStateMachineAsync(string stateMachineArn, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref _describes);
                return Task.FromException<StateMachineSummary>(new StepFunctionsFailure(FailureKind.Authorization, ExitCode.AuthorizationError,
                    "AccessDeniedException", "not authorized to perform: states:DescribeStateMachine"));
            }

            public Task<ExecutionResult> StartExecutionAsync(string stateMachineArn, string name, string? input, Func<Task<MachineTypeLookup>>? lookUpType,
                CancellationToken cancellationToken) => throw new NotSupportedException();
            public Task<ExecutionResult> StartSyncExecutionAsync(string stateMachineArn, string name, string? input, CancellationToken cancellationToken)
                => throw new NotSupportedException();
            public Task<ExecutionResult> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken) => throw new NotSupportedException();
            public Task<DateTimeOffset> StopExecutionAsync(string executionArn, string? error, string? cause, CancellationToken cancellationToken)
                => throw new NotSupportedException();
            public Task<DateTimeOffset> RedriveExecutionAsync(string executionArn, string clientToken, CancellationToken cancellationToken)
                => throw new NotSupportedException();
            public Task<IReadOnlyList<StateMachineSummary>> ListStateMachinesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
            public Task<ExecutionPage> ListExecutionsAsync(string listedArn, string? statusFilter, string? redriveFilter, int maxResults, string? nextToken,
                CancellationToken cancellationToken, bool ofMapRun = false) => throw new NotSupportedException();
            public Task<ArnPage> ListMapRunsAsync(string executionArn, int maxResults, string? nextToken, CancellationToken cancellationToken)
                => throw new NotSupportedException();
            public Task<MapRun> DescribeMapRunAsync(string mapRunArn, CancellationToken cancellationToken) => throw new NotSupportedException();
            public Task UpdateMapRunAsync(string mapRunArn, MapRunSettings settings, CancellationToken cancellationToken) => throw new NotSupportedException();
            public Task<HistoryPage> GetExecutionHistoryAsync(string executionArn, int maxResults, bool reverseOrder, bool includeExecutionData,
                string? nextToken, CancellationToken cancellationToken) => throw new NotSupportedException();
            public Task<IReadOnlyList<StateMachineQualifier>> ListQualifiersAsync(string stateMachineArn, CancellationToken cancellationToken)
                => throw new NotSupportedException();
        }
    }
}
