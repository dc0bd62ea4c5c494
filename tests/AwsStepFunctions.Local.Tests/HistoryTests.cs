using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.StepFunctions;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

public sealed class HistoryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    [Theory]
    [InlineData("PassStateEntered", "stateEnteredEventDetails")]
    [InlineData("ChoiceStateExited", "stateExitedEventDetails")]
    [InlineData("ExecutionStarted", "executionStartedEventDetails")]
    [InlineData("ExecutionFailed", "executionFailedEventDetails")]
    [InlineData("WaitStateAborted", "waitStateAbortedEventDetails")]
    public void DetailsKey_FollowsTheWireNaming(string type, string key) => Assert.Equal(key, HistoryWire.DetailsKey(type));

    [Fact]
    public void Event_WithoutDetails_HasNoDetailsMember_AndDataCanBeWithheld()
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var bare = HistoryWire.ToJson(new HistoryEventRecord(2, 1, time, "WaitStateEntered", null), true);
        Assert.Equal(["timestamp", "type", "id", "previousEventId"], bare.Select(p => p.Key));
        Assert.Equal(1_700_000_000.123, bare["timestamp"]!.GetValue<double>());

        var details = new JsonObject { ["input"] = "{\"secret\":1}", ["inputDetails"] = new JsonObject { ["truncated"] = false }, ["roleArn"] = "r" };
        var withheld = HistoryWire.ToJson(new HistoryEventRecord(1, 0, time, "ExecutionStarted", details), false);
        var d = withheld["executionStartedEventDetails"]!;
        Assert.Null(d["input"]);
        Assert.NotNull(d["inputDetails"]);
        Assert.Equal("r", d["roleArn"]!.GetValue<string>());
        Assert.NotNull(details["input"]);
    }

    [Fact]
    public async Task AssignedVariables_AreOnTheWire_AndWithheldWithTheRestOfTheData()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("vars"), """
            {"StartAt":"Set","States":{"Set":{"Type":"Pass","Assign":{"who.$":"$.who","count":3},"End":true}}}
            """);
        var arn = await Client.StartAsync(machine, "vars", """{"who":"<me>"}""");
        await Client.WaitForEndAsync(arn);

        foreach (var include in new[] { true, false })
        {
            var history = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["includeExecutionData"] = include })).Json;
            var exited = history["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "PassStateExited")!["stateExitedEventDetails"]!;
            Assert.False(exited["assignedVariablesDetails"]!["truncated"]!.GetValue<bool>());
            if (include)
            {
                Assert.Equal("\"<me>\"", exited["assignedVariables"]!["who"]!.GetValue<string>());
                Assert.Equal("3", exited["assignedVariables"]!["count"]!.GetValue<string>());
            }
            else Assert.Null(exited["assignedVariables"]);
        }
    }

    [Fact]
    public async Task History_PagesForwardAndInReverse()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("hist"), Definitions.WaitLong);
        var arn = await Client.StartAsync(machine, "paged");
        var record = fixture.Server.StepFunctions.Store.FindExecution(arn)!;
        await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = arn });
        await Client.WaitForEndAsync(arn);
        // Extra synthetic events make the paging independent of how many events the engine writes.
        var last = record.History().LastOrDefault()?.Id ?? 0;
        for (var i = 1; i <= 5; i++) record.AppendForTest(new HistoryEventRecord(last + i, last + i - 1, DateTimeOffset.UtcNow, "Synthetic", null));
        var total = record.History().Length;

        foreach (var reverse in new[] { false, true })
        {
            var ids = new System.Collections.Generic.List<long>();
            string? token = null;
            do
            {
                var body = new JsonObject { ["executionArn"] = arn, ["maxResults"] = 3, ["reverseOrder"] = reverse };
                if (token is not null) body["nextToken"] = token;
                var page = (await Client.CallAsync("GetExecutionHistory", body)).Ok();
                var events = page["events"]!.AsArray();
                Assert.True(events.Count <= 3);
                ids.AddRange(events.Select(e => e!["id"]!.GetValue<long>()));
                token = page["nextToken"]?.GetValue<string>();
            } while (token is not null);
            var expected = Enumerable.Range(1, total).Select(i => (long)i);
            Assert.Equal(reverse ? expected.Reverse() : expected, ids);
        }
    }

    [Fact]
    public async Task History_OfARealExecution_StartsWithExecutionStartedAndLinksEvents()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("hist"), Definitions.Pass);
        var arn = await Client.StartAsync(machine, "shape", "{\"v\":7}");
        await Client.WaitForEndAsync(arn);
        var events = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn })).Ok()["events"]!.AsArray();
        Assert.NotEmpty(events);
        Assert.Equal("ExecutionStarted", events[0]!["type"]!.GetValue<string>());
        Assert.Equal(0, events[0]!["previousEventId"]!.GetValue<long>());
        Assert.Equal("{\"v\":7}", events[0]!["executionStartedEventDetails"]!["input"]!.GetValue<string>());
        Assert.Equal("ExecutionSucceeded", events[^1]!["type"]!.GetValue<string>());
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(i + 1, events[i]!["id"]!.GetValue<long>());
            Assert.Equal(System.Text.Json.JsonValueKind.Number, events[i]!["timestamp"]!.GetValueKind());
        }

        var withheld = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["includeExecutionData"] = false })).Ok();
        Assert.Null(withheld["events"]![0]!["executionStartedEventDetails"]!["input"]);
    }

    [Fact]
    public async Task History_BadMembers_AreRefused()
    {
        (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:execution:A:b" })).AssertError("ExecutionDoesNotExist");
        (await Client.CallAsync("GetExecutionHistory", new JsonObject())).AssertError("ValidationException");
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("hist"), Definitions.Pass);
        var arn = await Client.StartAsync(machine);
        (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["maxResults"] = 5000 })).AssertError("ValidationException");
        (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["reverseOrder"] = "yes" })).AssertError("SerializationException");
    }
}
