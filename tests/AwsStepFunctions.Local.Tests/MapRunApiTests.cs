using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>DescribeMapRun, ListMapRuns, UpdateMapRun and the Map Run's children over the wire.</summary>
public sealed class MapRunApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    private static string Distributed(string fields, string processorStates, string executionType = "STANDARD") =>
        "{\"StartAt\":\"Map\",\"States\":{\"Map\":{\"Type\":\"Map\",\"End\":true," + fields
        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"" + executionType + "\"},"
        + "\"StartAt\":\"Work\",\"States\":{" + processorStates + "}}}}}";

    private const string Pass = "\"Work\":{\"Type\":\"Pass\",\"End\":true}";
    private const string WaitLong = "\"Work\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}";

    private async Task<(string Machine, string Execution, string MapRun)> RunAsync(string definition, string input, bool wait = true)
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("dmap"), definition);
        var execution = await Client.StartAsync(machine, input: input);
        if (wait) Assert.Equal("SUCCEEDED", (await Client.WaitForEndAsync(execution))["status"]!.GetValue<string>());
        var mapRun = await EventuallyAsync(async () =>
            (await Client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = execution })).Ok()["mapRuns"]!.AsArray().FirstOrDefault());
        return (machine, execution, mapRun!["mapRunArn"]!.GetValue<string>());
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> read, Func<T, bool>? done = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var value = await read();
            if (value is not null && (done is null || done(value))) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting for the Map Run");
            await Task.Delay(20);
        }
    }

    private async Task<JsonObject> DescribeMapRunAsync(string mapRun) =>
        (await Client.CallAsync("DescribeMapRun", new JsonObject { ["mapRunArn"] = mapRun })).Ok();

    [Fact]
    public async Task A_finished_Map_Run_is_described_listed_and_its_STANDARD_children_are_executions_of_their_own()
    {
        var (machine, execution, mapRun) = await RunAsync(Distributed("\"Label\":\"Items\",\"MaxConcurrency\":2,", Pass), "[1,2,3]");
        Assert.StartsWith(machine.Replace(":stateMachine:", ":mapRun:") + "/Items:", mapRun);

        var listed = (await Client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = execution })).Ok()["mapRuns"]!.AsArray().Single()!;
        Assert.Equal(execution, listed["executionArn"]!.GetValue<string>());
        Assert.Equal(machine + "/Items", listed["stateMachineArn"]!.GetValue<string>());
        Assert.NotNull(listed["stopDate"]);

        var described = await DescribeMapRunAsync(mapRun);
        Assert.Equal(("SUCCEEDED", execution, 2), (described["status"]!.GetValue<string>(), described["executionArn"]!.GetValue<string>(),
            described["maxConcurrency"]!.GetValue<int>()));
        Assert.Equal(0, described["toleratedFailureCount"]!.GetValue<long>());
        Assert.Equal(0.0, described["toleratedFailurePercentage"]!.GetValue<double>());
        foreach (var counts in new[] { described["itemCounts"]!, described["executionCounts"]! })
        {
            Assert.Equal(3, counts["total"]!.GetValue<long>());
            Assert.Equal(3, counts["succeeded"]!.GetValue<long>());
            Assert.Equal(3, counts["resultsWritten"]!.GetValue<long>());
            Assert.Equal(0, counts["pending"]!.GetValue<long>() + counts["running"]!.GetValue<long>() + counts["failed"]!.GetValue<long>());
        }

        var children = await Client.ListAllAsync("ListExecutions", new JsonObject { ["mapRunArn"] = mapRun }, "executions", pageSize: 2);
        Assert.Equal(3, children.Count);
        Assert.All(children, c =>
        {
            Assert.Equal(mapRun, c["mapRunArn"]!.GetValue<string>());
            Assert.Equal(1, c["itemCount"]!.GetValue<int>());
            Assert.Equal(machine + "/Items", c["stateMachineArn"]!.GetValue<string>());
            Assert.StartsWith(machine.Replace(":stateMachine:", ":execution:") + "/Items:", c["executionArn"]!.GetValue<string>());
        });
        var childArn = children[0]["executionArn"]!.GetValue<string>();
        var child = await Client.DescribeAsync(childArn);
        Assert.Equal(mapRun, child["mapRunArn"]!.GetValue<string>());
        Assert.Equal(machine + "/Items", child["stateMachineArn"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", child["status"]!.GetValue<string>());
        Assert.Equal(child["input"]!.GetValue<string>(), child["output"]!.GetValue<string>());

        var history = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = childArn })).Ok()["events"]!.AsArray();
        Assert.Equal(new[] { "ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded" },
            history.Select(e => e!["type"]!.GetValue<string>()));

        // The parent's own listing does not include the children; the parent's history names the Map Run.
        var parents = (await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine })).Ok()["executions"]!.AsArray();
        Assert.Equal(execution, parents.Single()!["executionArn"]!.GetValue<string>());
        Assert.Null(parents.Single()!["mapRunArn"]);
        var parentHistory = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = execution })).Ok()["events"]!.AsArray();
        Assert.Equal(mapRun, parentHistory.Single(e => e!["type"]!.GetValue<string>() == "MapRunStarted")!["mapRunStartedEventDetails"]!["mapRunArn"]!.GetValue<string>());
        Assert.Contains(parentHistory, e => e!["type"]!.GetValue<string>() == "MapRunSucceeded");
    }

    [Fact]
    public async Task DescribeExecution_answers_for_an_EXPRESS_child_but_its_history_is_refused_like_any_express_execution()
    {
        var (_, _, mapRun) = await RunAsync(Distributed("", Pass, "EXPRESS"), "[1]");
        var child = (await Client.CallAsync("ListExecutions", new JsonObject { ["mapRunArn"] = mapRun })).Ok()["executions"]!.AsArray().Single()!;
        var arn = child["executionArn"]!.GetValue<string>();
        Assert.Contains(":express:", arn);
        var described = await Client.DescribeAsync(arn);
        Assert.Equal(("SUCCEEDED", mapRun), (described["status"]!.GetValue<string>(), described["mapRunArn"]!.GetValue<string>()));
        var history = await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn });
        history.AssertError("InvalidArn");
        // An express ARN that no Map Run dispatched is still the wrong resource type.
        var other = await Client.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = arn[..^5] + "00000" });
        other.AssertError("InvalidArn");
    }

    [Fact]
    public async Task MaxConcurrencyPath_sets_the_Map_Runs_MaxConcurrency_from_the_input()
    {
        var (_, execution, mapRun) = await RunAsync(
            Distributed("\"ItemsPath\":\"$.items\",\"MaxConcurrencyPath\":\"$.limit\",", WaitLong), """{"items":[1,2,3],"limit":2}""", wait: false);
        var described = await EventuallyAsync(async () => (JsonObject?)await DescribeMapRunAsync(mapRun), d => d["executionCounts"]!["running"]!.GetValue<long>() == 2);
        Assert.Equal(2, described["maxConcurrency"]!.GetValue<int>());
        Assert.Equal(1L, described["itemCounts"]!["pending"]!.GetValue<long>());
        (await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = execution })).Ok();
    }

    [Fact]
    public async Task UpdateMapRun_raises_MaxConcurrency_of_a_running_Map_Run_and_stopping_the_parent_aborts_it()
    {
        var (_, execution, mapRun) = await RunAsync(Distributed("\"MaxConcurrency\":1,", WaitLong), "[1,2,3]", wait: false);
        await EventuallyAsync(async () => (JsonObject?)await DescribeMapRunAsync(mapRun), d => d["executionCounts"]!["running"]!.GetValue<long>() == 1);
        var described = await DescribeMapRunAsync(mapRun);
        Assert.Equal((1L, 2L), (described["executionCounts"]!["running"]!.GetValue<long>(), described["itemCounts"]!["pending"]!.GetValue<long>()));

        (await Client.CallAsync("UpdateMapRun", new JsonObject { ["mapRunArn"] = mapRun, ["maxConcurrency"] = 3, ["toleratedFailureCount"] = 2 })).Ok();
        var updated = await EventuallyAsync(async () => (JsonObject?)await DescribeMapRunAsync(mapRun), d => d["executionCounts"]!["running"]!.GetValue<long>() == 3);
        Assert.Equal((3, 2L), (updated["maxConcurrency"]!.GetValue<int>(), updated["toleratedFailureCount"]!.GetValue<long>()));
        Assert.Equal("RUNNING", updated["status"]!.GetValue<string>());

        (await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = execution })).Ok();
        var aborted = await EventuallyAsync(async () => (JsonObject?)await DescribeMapRunAsync(mapRun), d => d["executionCounts"]!["aborted"]!.GetValue<long>() == 3);
        Assert.Equal("ABORTED", aborted["status"]!.GetValue<string>());
        Assert.NotNull(aborted["stopDate"]);
        var children = (await Client.CallAsync("ListExecutions", new JsonObject { ["mapRunArn"] = mapRun, ["statusFilter"] = "ABORTED" })).Ok()["executions"]!.AsArray();
        Assert.Equal(3, children.Count);
    }

    [Fact]
    public async Task Bad_and_unknown_Map_Run_ARNs_and_requests_get_the_services_errors()
    {
        var (machine, execution, mapRun) = await RunAsync(Distributed("", Pass), "[1]");
        var unknown = mapRun[..^5] + "00000";
        (await Client.CallAsync("DescribeMapRun", new JsonObject { ["mapRunArn"] = "arn:aws:states:eu-west-1:123456789012:mapRun:nolabel" })).AssertError("InvalidArn");
        (await Client.CallAsync("DescribeMapRun", new JsonObject { ["mapRunArn"] = execution })).AssertError("InvalidArn");
        (await Client.CallAsync("DescribeMapRun", new JsonObject { ["mapRunArn"] = unknown })).AssertError("ResourceNotFound");
        (await Client.CallAsync("DescribeMapRun", new JsonObject())).AssertError("ValidationException");
        (await Client.CallAsync("UpdateMapRun", new JsonObject { ["mapRunArn"] = unknown, ["maxConcurrency"] = 1 })).AssertError("ResourceNotFound");
        (await Client.CallAsync("UpdateMapRun", new JsonObject { ["mapRunArn"] = mapRun, ["maxConcurrency"] = -1 })).AssertError("ValidationException");
        (await Client.CallAsync("UpdateMapRun", new JsonObject { ["mapRunArn"] = mapRun, ["toleratedFailurePercentage"] = 100.5 })).AssertError("ValidationException");
        (await Client.CallAsync("UpdateMapRun", new JsonObject { ["mapRunArn"] = mapRun })).AssertError("ValidationException");
        // The run has ended: the model's own ValidationException, with its reason (the model-level ones above carry none).
        var ended = await Client.CallAsync("UpdateMapRun", new JsonObject { ["mapRunArn"] = mapRun, ["maxConcurrency"] = 5 });
        ended.AssertError("ValidationException");
        Assert.Equal("CANNOT_UPDATE_COMPLETED_MAP_RUN", ended.Json["reason"]!.GetValue<string>());
        Assert.Equal("com.amazonaws.swf.service.v2.model#ValidationException", ended.Json["__type"]!.GetValue<string>());
        Assert.NotEqual(5, (await DescribeMapRunAsync(mapRun))["maxConcurrency"]!.GetValue<int>());
        (await Client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = execution + "x" })).AssertError("ExecutionDoesNotExist");
        (await Client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = "not-an-arn" })).AssertError("InvalidArn");
        (await Client.CallAsync("ListExecutions", new JsonObject { ["mapRunArn"] = unknown })).AssertError("ResourceNotFound");
        (await Client.CallAsync("ListExecutions", new JsonObject { ["mapRunArn"] = "arn:aws:states:eu-west-1:123456789012:mapRun:x" })).AssertError("InvalidArn");
        var both = await Client.CallAsync("ListExecutions", new JsonObject { ["mapRunArn"] = mapRun, ["stateMachineArn"] = machine });
        both.AssertError("ValidationException");
    }

    [Fact]
    public async Task Map_Run_operations_are_authorized_as_their_own_actions_on_the_Map_Run()
    {
        var (_, execution, mapRun) = await RunAsync(Distributed("", Pass), "[1]");
        var reader = fixture.As(ServerFixture.Reader);
        (await reader.CallAsync("DescribeMapRun", new JsonObject { ["mapRunArn"] = mapRun })).Ok();
        (await reader.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = execution })).Ok();
        var denied = await reader.CallAsync("UpdateMapRun", new JsonObject { ["mapRunArn"] = mapRun, ["maxConcurrency"] = 5 });
        denied.AssertError("AccessDeniedException");
        Assert.Equal($"User: arn:aws:iam::123456789012:user/reader is not authorized to perform: states:UpdateMapRun on resource: {mapRun} " +
                     "because no identity-based policy allows the states:UpdateMapRun action", denied.ErrorMessage);

        var viewer = Client.With(await fixture.As(ServerFixture.Runner).AssumeRoleAsync(ServerFixture.ViewerRole, "viewer"));
        (await viewer.CallAsync("DescribeMapRun", new JsonObject { ["mapRunArn"] = mapRun })).AssertError("AccessDeniedException");
    }

    [Fact]
    public async Task Redriving_a_parent_whose_Map_Run_failed_redrives_that_Map_Run_and_its_failed_child_not_the_child_alone()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("dmap"),
            Distributed("", "\"Work\":{\"Type\":\"Fail\",\"Error\":\"Item.Bad\",\"Cause\":\"always\"}"));
        var execution = await Client.StartAsync(machine, input: "[1]");
        var failed = await Client.WaitForEndAsync(execution);
        Assert.Equal(("FAILED", "States.ExceedToleratedFailureThreshold"), (failed["status"]!.GetValue<string>(), failed["error"]!.GetValue<string>()));
        var mapRun = (await Client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = execution })).Ok()["mapRuns"]!.AsArray().Single()!["mapRunArn"]!.GetValue<string>();
        Assert.Equal("FAILED", (await DescribeMapRunAsync(mapRun))["status"]!.GetValue<string>());
        // A failed child is redriven through its parent's Map Run, never on its own.
        var childArn = (await Client.CallAsync("ListExecutions", new JsonObject { ["mapRunArn"] = mapRun })).Ok()["executions"]![0]!["executionArn"]!.GetValue<string>();
        Assert.Equal("REDRIVABLE_BY_MAP_RUN", (await Client.DescribeAsync(childArn))["redriveStatus"]!.GetValue<string>());
        var refused = await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = childArn });
        Assert.Equal("ExecutionNotRedrivable", refused.ErrorCode);

        (await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = execution })).Ok();
        await EventuallyAsync(async () => (await Client.DescribeAsync(execution)) is var d && d["status"]!.GetValue<string>() == "FAILED" && d["redriveCount"]!.GetValue<int>() == 1 ? d : null);
        var runs = (await Client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = execution })).Ok()["mapRuns"]!.AsArray();
        Assert.Equal(mapRun, runs.Single()!["mapRunArn"]!.GetValue<string>());
        Assert.Equal(("FAILED", 1), ((await DescribeMapRunAsync(mapRun))["status"]!.GetValue<string>(), (await DescribeMapRunAsync(mapRun))["redriveCount"]!.GetValue<int>()));
        Assert.Equal(1, (await Client.DescribeAsync(childArn))["redriveCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stopping_a_STANDARD_child_counts_as_its_failure()
    {
        var (_, execution, mapRun) = await RunAsync(Distributed("", WaitLong), "[1]", wait: false);
        var child = await EventuallyAsync(async () =>
            (await Client.CallAsync("ListExecutions", new JsonObject { ["mapRunArn"] = mapRun })).Ok()["executions"]!.AsArray().FirstOrDefault());
        (await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = child!["executionArn"]!.DeepClone(), ["error"] = "Test.Stop" })).Ok();
        var parent = await Client.WaitForEndAsync(execution);
        Assert.Equal(("FAILED", "States.ExceedToleratedFailureThreshold"), (parent["status"]!.GetValue<string>(), parent["error"]!.GetValue<string>()));
        var described = await DescribeMapRunAsync(mapRun);
        Assert.Equal(("FAILED", 1L), (described["status"]!.GetValue<string>(), described["executionCounts"]!["aborted"]!.GetValue<long>()));
    }

    [Fact]
    public async Task StartSyncExecution_cannot_keep_a_Map_Run_and_says_so()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("dmap"), Distributed("", Pass), "EXPRESS");
        var reply = (await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = machine, ["input"] = "[1]" })).Ok();
        Assert.Equal(("FAILED", "States.Runtime"), (reply["status"]!.GetValue<string>(), reply["error"]!.GetValue<string>()));
        Assert.Contains("DISTRIBUTED Map cannot run here", reply["cause"]!.GetValue<string>());
    }
}
