using System;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Asl;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// RedriveExecution over the wire, as the service does it: the execution continues at the state that failed with that
/// state's input, the earlier history stays as it was, ids continue after ExecutionRedriven, and DescribeExecution reports
/// redriveCount/redriveDate/redriveStatus(+Reason). Only closed, unsuccessful STANDARD executions within 14 days qualify.
/// </summary>
public sealed class RedriveExecutionTests
{
    private const string Mocks = """
        {"StateMachines":{"Orders":{"TestCases":{"FailsOnce":{"Charge":"DeclinedThenCharged"}}}},
         "MockedResponses":{"DeclinedThenCharged":{
            "0":{"Throw":{"Error":"Payment.Declined","Cause":"card declined"}},
            "1":{"Return":{"charged":true}}}}}
        """;

    private const string Orders = """
        {"StartAt":"Prepare","States":{
          "Prepare":{"Type":"Pass","Result":"prepared","ResultPath":"$.step","Next":"Charge"},
          "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.charge","Next":"Report"},
          "Report":{"Type":"Pass","Parameters":{"order.$":"$.order","charge.$":"$.charge","redrives.$":"$$.Execution.RedriveCount"},"End":true}}}
        """;

    private const string AlwaysFails = """{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Custom.Broken","Cause":"always"}}}""";

    private const string PauseThenDone = """
        {"StartAt":"Prepare","States":{
          "Prepare":{"Type":"Pass","Result":1,"ResultPath":"$.p","Next":"Pause"},
          "Pause":{"Type":"Wait","Seconds":60,"Next":"Done"},
          "Done":{"Type":"Succeed"}}}
        """;

    [Fact]
    public async Task Only_the_failed_iteration_of_an_inline_Map_runs_again()
    {
        // Only item 2 reaches Charge; item 1 succeeds before it fails (MaxConcurrency 1), item 3 has not started yet.
        const string eachOrder = """
            {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,"End":true,"ItemProcessor":{
              "StartAt":"Route","States":{
                "Route":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericEquals":2,"Next":"Charge"}],"Default":"Fine"},
                "Fine":{"Type":"Pass","End":true},
                "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}
            """;
        await using var client = await ClockedClient.StartAsync(TimeProvider.System, Mocks);
        var machine = await client.CreateAsync("Orders", eachOrder);
        var arn = await client.StartAsync(machine + "#FailsOnce", """{"items":[{"v":1},{"v":2},{"v":3}]}""");
        Assert.Equal("FAILED", Str(await client.WaitForEndAsync(arn), "status"));
        var before = await client.HistoryAsync(arn);

        (await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn })).Ok();
        var done = await client.WaitForEndAsync(arn);

        Assert.Equal("SUCCEEDED", Str(done, "status"));
        AslKit.JsonEqual("""[{"v":1},{"charged":true},{"v":3}]""", JsonNode.Parse(Str(done, "output")));
        var redriven = (await client.HistoryAsync(arn)).Skip(before.Count + 1).ToList();
        Assert.Equal(new[] { 1, 2 }, redriven.Where(e => Str(e!, "type") == "MapIterationStarted")
            .Select(e => e!["mapIterationStartedEventDetails"]!["index"]!.GetValue<int>()));
        // Item 2 resumes at Charge (Route is not entered again); item 3 runs Route and Fine.
        Assert.Equal(new[] { "Charge", "Route", "Fine" }, redriven.Where(e => Str(e!, "type").EndsWith("StateEntered", StringComparison.Ordinal))
            .Select(e => Str(e!["stateEnteredEventDetails"]!, "name")).Skip(1));
    }

    [Fact]
    public async Task A_failed_Task_is_run_again_from_where_it_failed_and_the_history_continues()
    {
        await using var client = await ClockedClient.StartAsync(TimeProvider.System, Mocks);
        var machine = await client.CreateAsync("Orders", Orders);
        var arn = await client.StartAsync(machine + "#FailsOnce", """{"order":7}""");
        var failed = await client.WaitForEndAsync(arn);
        Assert.Equal(("FAILED", "Payment.Declined"), (Str(failed, "status"), Str(failed, "error")));
        Assert.Equal("REDRIVABLE", Str(failed, "redriveStatus"));
        Assert.Null(failed["redriveStatusReason"]);
        Assert.Equal(0, failed["redriveCount"]!.GetValue<int>());
        Assert.Null(failed["redriveDate"]);
        var before = await client.HistoryAsync(arn);

        var redrive = (await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn, ["clientToken"] = "redrive-1" })).Ok();
        var done = await client.WaitForEndAsync(arn);

        Assert.Equal("SUCCEEDED", Str(done, "status"));
        AslKit.JsonEqual("""{"order":7,"charge":{"charged":true},"redrives":1}""", JsonNode.Parse(Str(done, "output")));
        Assert.Null(done["error"]);
        Assert.Null(done["cause"]);
        Assert.Equal(failed["startDate"]!.GetValue<double>(), done["startDate"]!.GetValue<double>());
        Assert.Equal(1, done["redriveCount"]!.GetValue<int>());
        Assert.Equal(redrive["redriveDate"]!.GetValue<double>(), done["redriveDate"]!.GetValue<double>());
        Assert.Equal("NOT_REDRIVABLE", Str(done, "redriveStatus"));
        Assert.Equal("Execution is SUCCEEDED and cannot be redriven.", Str(done, "redriveStatusReason"));

        var after = await client.HistoryAsync(arn);
        Assert.Equal(Enumerable.Range(1, after.Count).Select(i => (long)i), after.Select(e => e!["id"]!.GetValue<long>()));
        // The first run's events are kept exactly as they were.
        for (var i = 0; i < before.Count; i++) Assert.True(JsonNode.DeepEquals(before[i], after[i]), $"event {i + 1} changed");
        var redriven = after[before.Count]!;
        Assert.Equal("ExecutionRedriven", Str(redriven, "type"));
        Assert.Equal(before.Count, redriven["previousEventId"]!.GetValue<long>());
        Assert.Equal(1, redriven["executionRedrivenEventDetails"]!["redriveCount"]!.GetValue<int>());
        // Then the failed state again, entered with the input it had the first time; Prepare is not run again.
        var reentered = after[before.Count + 1]!;
        Assert.Equal("TaskStateEntered", Str(reentered, "type"));
        Assert.Equal(redriven["id"]!.GetValue<long>(), reentered["previousEventId"]!.GetValue<long>());
        var firstEntry = before.Single(e => Str(e!, "type") == "TaskStateEntered")!;
        Assert.Equal(Str(firstEntry["stateEnteredEventDetails"]!, "input"), Str(reentered["stateEnteredEventDetails"]!, "input"));
        Assert.Equal("Charge", Str(reentered["stateEnteredEventDetails"]!, "name"));
        Assert.Single(after, e => Str(e!, "type") == "PassStateEntered" && Str(e!["stateEnteredEventDetails"]!, "name") == "Prepare");
        Assert.Equal(new[] { "TaskFailed", "TaskSucceeded" }, after.Select(e => Str(e!, "type")).Where(t => t is "TaskFailed" or "TaskSucceeded"));
        Assert.Equal("ExecutionSucceeded", Str(after[^1]!, "type"));

        var listed = (await client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["redriveFilter"] = "REDRIVEN" })).Ok();
        Assert.Equal(arn, Str(listed["executions"]!.AsArray().Single()!, "executionArn"));

        var again = await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn });
        again.AssertError("ExecutionNotRedrivable");
        Assert.Contains("Execution is SUCCEEDED and cannot be redriven.", again.ErrorMessage);
    }

    [Fact]
    public async Task Each_redrive_counts_and_writes_its_own_ExecutionRedriven()
    {
        await using var client = await ClockedClient.StartAsync(TimeProvider.System, Mocks);
        var arn = await client.StartAsync(await client.CreateAsync("Fails", AlwaysFails), "{}");
        await client.WaitForEndAsync(arn);
        for (var i = 0; i < 2; i++)
        {
            (await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn })).Ok();
            Assert.Equal("FAILED", Str(await client.WaitForEndAsync(arn), "status"));
        }
        var d = await client.DescribeAsync(arn);
        Assert.Equal(2, d["redriveCount"]!.GetValue<int>());
        Assert.Equal("REDRIVABLE", Str(d, "redriveStatus"));
        var history = await client.HistoryAsync(arn);
        Assert.Equal(new[] { "ExecutionStarted", "FailStateEntered", "ExecutionFailed",
            "ExecutionRedriven", "FailStateEntered", "ExecutionFailed",
            "ExecutionRedriven", "FailStateEntered", "ExecutionFailed" }, history.Select(e => Str(e!, "type")));
        Assert.Equal(new[] { 1, 2 }, history.Where(e => Str(e!, "type") == "ExecutionRedriven")
            .Select(e => e!["executionRedrivenEventDetails"]!["redriveCount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Running_succeeded_express_and_deleted_machine_executions_are_not_redrivable()
    {
        await using var client = await ClockedClient.StartAsync(TimeProvider.System, Mocks);

        var running = await client.StartAsync(await client.CreateAsync("Slow", PauseThenDone), "{}");
        await AssertNotRedrivableAsync(client, running, "Execution is RUNNING and cannot be redriven.");
        (await client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = running, ["error"] = "Op.Stop" })).Ok();
        Assert.Equal("ABORTED", Str(await client.WaitForEndAsync(running), "status"));
        Assert.Equal("REDRIVABLE", Str(await client.DescribeAsync(running), "redriveStatus"));

        var pass = await client.CreateAsync("Quick", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        var succeeded = await client.StartAsync(pass, "{}");
        await client.WaitForEndAsync(succeeded);
        await AssertNotRedrivableAsync(client, succeeded, "Execution is SUCCEEDED and cannot be redriven.");

        var failingMachine = await client.CreateAsync("Doomed", AlwaysFails);
        var orphan = await client.StartAsync(failingMachine, "{}");
        await client.WaitForEndAsync(orphan);
        (await client.CallAsync("DeleteStateMachine", new JsonObject { ["stateMachineArn"] = failingMachine })).Ok();
        await AssertNotRedrivableAsync(client, orphan, "State machine is in DELETING status.");

        var express = await client.CreateAsync("FailsFast", AlwaysFails, "EXPRESS");
        var expressRun = await client.StartAsync(express, "{}");
        var refused = await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = expressRun });
        refused.AssertError("ExecutionNotRedrivable");
        Assert.Contains("EXPRESS", refused.ErrorMessage);

        (await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = running + "-missing" })).AssertError("ExecutionDoesNotExist");
        (await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = "not-an-arn" })).AssertError("InvalidArn");
        (await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = running, ["clientToken"] = new string('t', 65) }))
            .AssertError("ValidationException");
    }

    [Fact]
    public async Task An_execution_closed_more_than_14_days_ago_is_past_the_redrivable_period()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, Mocks);
        var arn = await client.StartAsync(await client.CreateAsync("Fails", AlwaysFails), "{}");
        Assert.Equal("FAILED", Str(await client.WaitForEndAsync(arn), "status"));

        clock.Advance(TimeSpan.FromDays(14));
        Assert.Equal("REDRIVABLE", Str(await client.DescribeAsync(arn), "redriveStatus"));
        clock.Advance(TimeSpan.FromSeconds(1));
        await AssertNotRedrivableAsync(client, arn, "Execution redrivable period exceeded.");
    }

    [Fact]
    public async Task An_aborted_execution_resumes_at_the_state_that_was_running()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, Mocks);
        var arn = await client.StartAsync(await client.CreateAsync("Paused", PauseThenDone), """{"x":1}""");
        await clock.WaitForTimersAsync(1);
        (await client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = arn })).Ok();
        Assert.Equal("ABORTED", Str(await client.WaitForEndAsync(arn), "status"));
        var stoppedAt = (await client.HistoryAsync(arn)).Count;

        (await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn })).Ok();
        await clock.WaitForTimersAsync(1);
        Assert.Equal("RUNNING", Str(await client.DescribeAsync(arn), "status"));
        clock.Advance(TimeSpan.FromSeconds(60));
        var done = await client.WaitForEndAsync(arn);
        Assert.Equal("SUCCEEDED", Str(done, "status"));
        AslKit.JsonEqual("""{"x":1,"p":1}""", JsonNode.Parse(Str(done, "output")));
        var resumed = (await client.HistoryAsync(arn)).Skip(stoppedAt).Select(e => Str(e!, "type"));
        Assert.Equal(new[] { "ExecutionRedriven", "WaitStateEntered", "WaitStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded" }, resumed);
    }

    private static async Task AssertNotRedrivableAsync(ClockedClient client, string arn, string reason)
    {
        var d = await client.DescribeAsync(arn);
        Assert.Equal("NOT_REDRIVABLE", Str(d, "redriveStatus"));
        Assert.Equal(reason, Str(d, "redriveStatusReason"));
        var refused = await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn });
        refused.AssertError("ExecutionNotRedrivable");
        Assert.Contains(arn, refused.ErrorMessage);
        Assert.Contains(reason, refused.ErrorMessage);
    }

    private static string Str(JsonNode node, string member) => node[member]!.GetValue<string>();
}
