using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// Redriving a parent whose Distributed Map failed redrives its Map Run (same ARN): children that succeeded keep their
/// results, unsuccessful ones run again, items never started start; DescribeMapRun reports redriveCount/redriveDate.
/// </summary>
public sealed class MapRunRedriveTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    // An item with "fail": true fails on its first run only: a redrive resumes its child at that state with RedriveCount 1.
    // caught: the Map's failure goes to a Catch, so the parent succeeds.
    private static string Machine(string fields, string executionType = "STANDARD", bool caught = false) =>
        "{\"StartAt\":\"Map\",\"States\":{" + (caught ? "\"Caught\":{\"Type\":\"Pass\",\"End\":true}," : "")
        + "\"Map\":{\"Type\":\"Map\",\"Label\":\"Items\",\"MaxConcurrency\":1," + fields
        + (caught ? "\"Next\":\"Caught\",\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Caught\"}]," : "\"End\":true,")
        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"" + executionType + "\"},\"StartAt\":\"Work\",\"States\":{"
        + "\"Work\":{\"Type\":\"Pass\",\"QueryLanguage\":\"JSONata\",\"End\":true,\"Output\":"
        + "\"{% $states.input.fail and $states.context.Execution.RedriveCount = 0 ? $error('first run') : $states.input %}\"}}}}}}";

    private const string Items = """[{"n":1,"fail":false},{"n":2,"fail":true},{"n":3,"fail":false}]""";

    private async Task<(string Execution, string MapRun, JsonObject Ended)> RunAsync(string definition)
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("redrivemap"), definition);
        var execution = await Client.StartAsync(machine, input: Items);
        var ended = await Client.WaitForEndAsync(execution);
        var mapRun = (await Client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = execution })).Ok()["mapRuns"]!.AsArray().Single()!;
        return (execution, mapRun["mapRunArn"]!.GetValue<string>(), ended);
    }

    private async Task<JsonObject> DescribeMapRunAsync(string mapRun) =>
        (await Client.CallAsync("DescribeMapRun", new JsonObject { ["mapRunArn"] = mapRun })).Ok();

    private async Task<JsonArray> ChildrenAsync(string mapRun) =>
        (await Client.CallAsync("ListExecutions", new JsonObject { ["mapRunArn"] = mapRun })).Ok()["executions"]!.AsArray();

    private static long Count(JsonObject described, string counts, string member) => described[counts]![member]!.GetValue<long>();

    [Fact]
    public async Task Redriving_the_parent_reruns_only_the_failed_child_and_the_unstarted_item_in_the_same_Map_Run()
    {
        var (execution, mapRun, failed) = await RunAsync(Machine(""));
        Assert.Equal(("FAILED", "States.ExceedToleratedFailureThreshold"), (failed["status"]!.GetValue<string>(), failed["error"]!.GetValue<string>()));
        var before = await DescribeMapRunAsync(mapRun);
        Assert.Equal(("FAILED", 0), (before["status"]!.GetValue<string>(), before["redriveCount"]!.GetValue<int>()));
        Assert.Null(before["redriveDate"]);
        foreach (var counts in new[] { "itemCounts", "executionCounts" })
            Assert.Equal((1L, 1L, 1L, 0L, 0L), (Count(before, counts, "succeeded"), Count(before, counts, "failed"), Count(before, counts, "pending"),
                Count(before, counts, "failuresNotRedrivable"), Count(before, counts, "pendingRedrive")));
        var firstChildren = await ChildrenAsync(mapRun);
        var failedChild = firstChildren.Single(c => c!["status"]!.GetValue<string>() == "FAILED")!["executionArn"]!.GetValue<string>();
        var succeededChild = firstChildren.Single(c => c!["status"]!.GetValue<string>() == "SUCCEEDED")!["executionArn"]!.GetValue<string>();
        Assert.Equal("REDRIVABLE_BY_MAP_RUN", (await Client.DescribeAsync(failedChild))["redriveStatus"]!.GetValue<string>());

        (await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = execution })).Ok();
        var done = await Client.WaitForEndAsync(execution);

        Assert.Equal("SUCCEEDED", done["status"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse(Items)!.ToJsonString(), JsonNode.Parse(done["output"]!.GetValue<string>())!.ToJsonString());
        var runs = (await Client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = execution })).Ok()["mapRuns"]!.AsArray();
        Assert.Equal(mapRun, runs.Single()!["mapRunArn"]!.GetValue<string>());
        var after = await DescribeMapRunAsync(mapRun);
        Assert.Equal(("SUCCEEDED", 1), (after["status"]!.GetValue<string>(), after["redriveCount"]!.GetValue<int>()));
        Assert.NotNull(after["redriveDate"]);
        Assert.NotNull(after["stopDate"]);
        foreach (var counts in new[] { "itemCounts", "executionCounts" })
            Assert.Equal((3L, 3L, 0L, 0L, 0L), (Count(after, counts, "total"), Count(after, counts, "succeeded"), Count(after, counts, "failed"),
                Count(after, counts, "failuresNotRedrivable"), Count(after, counts, "pendingRedrive")));

        // Three children in all: the one that succeeded was left alone, the failed one was redriven in place, the third started now.
        var children = await ChildrenAsync(mapRun);
        Assert.Equal(3, children.Count);
        var kept = await Client.DescribeAsync(succeededChild);
        Assert.Equal(0, kept["redriveCount"]!.GetValue<int>());
        var redriven = await Client.DescribeAsync(failedChild);
        Assert.Equal(("SUCCEEDED", 1), (redriven["status"]!.GetValue<string>(), redriven["redriveCount"]!.GetValue<int>()));
        var childHistory = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = failedChild })).Ok()["events"]!.AsArray();
        Assert.Contains(childHistory, e => e!["type"]!.GetValue<string>() == "ExecutionRedriven");

        var history = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = execution })).Ok()["events"]!.AsArray();
        var types = history.Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(1, types.Count(t => t == "MapRunStarted"));
        var redrivenEvent = history.Single(e => e!["type"]!.GetValue<string>() == "MapRunRedriven")!["mapRunRedrivenEventDetails"]!;
        Assert.Equal((mapRun, 1), (redrivenEvent["mapRunArn"]!.GetValue<string>(), redrivenEvent["redriveCount"]!.GetValue<int>()));
        Assert.True(types.IndexOf("ExecutionRedriven") < types.IndexOf("MapRunRedriven"));
    }

    [Fact]
    public async Task An_EXPRESS_child_that_failed_is_replaced_by_a_new_child_and_the_old_one_stays_listed_but_uncounted()
    {
        var (execution, mapRun, _) = await RunAsync(Machine("", "EXPRESS"));
        var failedChild = (await ChildrenAsync(mapRun)).Single(c => c!["status"]!.GetValue<string>() == "FAILED")!["executionArn"]!.GetValue<string>();

        (await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = execution })).Ok();
        // The new EXPRESS child starts afresh (RedriveCount 0, as StartExecution would), so this item fails again.
        Assert.Equal("FAILED", (await Client.WaitForEndAsync(execution))["status"]!.GetValue<string>());

        var children = await ChildrenAsync(mapRun);
        Assert.Equal(3, children.Count);
        Assert.Equal(2, children.Count(c => c!["status"]!.GetValue<string>() == "FAILED"));
        Assert.Contains(children, c => c!["executionArn"]!.GetValue<string>() == failedChild);
        var after = await DescribeMapRunAsync(mapRun);
        Assert.Equal(("FAILED", 1), (after["status"]!.GetValue<string>(), after["redriveCount"]!.GetValue<int>()));
        Assert.Equal((3L, 1L, 1L, 1L, 0L), (Count(after, "executionCounts", "total"), Count(after, "executionCounts", "succeeded"),
            Count(after, "executionCounts", "failed"), Count(after, "executionCounts", "pending"), Count(after, "executionCounts", "pendingRedrive")));
    }

    [Fact]
    public async Task Failures_are_not_redrivable_once_tolerated_or_once_the_parent_caught_them()
    {
        var tolerated = await RunAsync(Machine("\"ToleratedFailureCount\":1,"));
        Assert.Equal("SUCCEEDED", tolerated.Ended["status"]!.GetValue<string>());
        var caught = await RunAsync(Machine("", caught: true));
        Assert.Equal("SUCCEEDED", caught.Ended["status"]!.GetValue<string>());

        foreach (var (_, mapRun, _) in new[] { tolerated, caught })
        {
            var described = await DescribeMapRunAsync(mapRun);
            Assert.Equal((1L, 0L), (Count(described, "itemCounts", "failuresNotRedrivable"), Count(described, "itemCounts", "pendingRedrive")));
            var failedChild = (await ChildrenAsync(mapRun)).Single(c => c!["status"]!.GetValue<string>() == "FAILED")!["executionArn"]!.GetValue<string>();
            Assert.Equal("NOT_REDRIVABLE", (await Client.DescribeAsync(failedChild))["redriveStatus"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task While_a_redrive_runs_the_failed_children_it_has_not_restarted_yet_are_pending_redrive()
    {
        // Two failing items (one tolerated); on redrive the first holds in a Wait, so the second waits its turn (MaxConcurrency 1).
        const string definition = "{\"StartAt\":\"Map\",\"States\":{\"Map\":{\"Type\":\"Map\",\"MaxConcurrency\":1,\"ToleratedFailureCount\":1,\"End\":true,"
            + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"},\"StartAt\":\"Work\",\"States\":{"
            + "\"Work\":{\"Type\":\"Pass\",\"QueryLanguage\":\"JSONata\",\"Next\":\"Hold\","
            + "\"Output\":\"{% $states.context.Execution.RedriveCount = 0 ? $error('first run') : $states.input %}\"},"
            + "\"Hold\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}}}}";
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("redrivemap"), definition);
        var execution = await Client.StartAsync(machine, input: "[1,2]");
        Assert.Equal("FAILED", (await Client.WaitForEndAsync(execution))["status"]!.GetValue<string>());
        var mapRun = (await Client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = execution })).Ok()["mapRuns"]!.AsArray().Single()!["mapRunArn"]!.GetValue<string>();

        (await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = execution })).Ok();
        var running = await EventuallyAsync(() => DescribeMapRunAsync(mapRun), d => Count(d, "executionCounts", "running") == 1);
        Assert.Equal(("RUNNING", 1), (running["status"]!.GetValue<string>(), running["redriveCount"]!.GetValue<int>()));
        Assert.Null(running["stopDate"]);
        Assert.Equal((1L, 1L, 0L), (Count(running, "executionCounts", "pendingRedrive"), Count(running, "executionCounts", "failed"),
            Count(running, "executionCounts", "failuresNotRedrivable")));

        (await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = execution })).Ok();
        var stopped = await EventuallyAsync(() => DescribeMapRunAsync(mapRun), d => d["status"]!.GetValue<string>() == "ABORTED");
        Assert.Equal((0L, 1L, 1L), (Count(stopped, "executionCounts", "pendingRedrive"), Count(stopped, "executionCounts", "aborted"),
            Count(stopped, "executionCounts", "failed")));
    }

    private static async Task<JsonObject> EventuallyAsync(Func<Task<JsonObject>> read, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting for the Map Run: " + value.ToJsonString());
            await Task.Delay(20);
        }
    }
}
