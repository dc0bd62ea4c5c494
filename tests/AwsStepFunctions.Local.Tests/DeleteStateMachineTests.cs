using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Asl;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// DeleteStateMachine of a STANDARD machine whose executions still run, as the API reference and AWS's knowledge-center
/// article on machines "stuck in DELETING" describe it: the machine is DELETING, refuses new starts, a create of its name
/// and updates (StateMachineDeleting), each running execution fails at its next state transition with States.Runtime
/// "State machine NAME has been deleted." (one waiting in a Wait state keeps it DELETING), and the machine is gone once
/// none runs. A ManualClock moves the Wait states, so nothing here depends on how fast the machine is.
/// </summary>
public sealed class DeleteStateMachineTests
{
    private const string PauseThenDone = """
        {"StartAt":"Pause","States":{
          "Pause":{"Type":"Wait","Seconds":60,"Next":"Done"},
          "Done":{"Type":"Pass","End":true}}}
        """;

    /// <summary>A catcher for everything, which must not take the deletion's States.Runtime.</summary>
    private const string PauseInParallelWithCatch = """
        {"StartAt":"Fan","States":{
          "Fan":{"Type":"Parallel","Next":"Done",
            "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
            "Branches":[{"StartAt":"Pause","States":{
              "Pause":{"Type":"Wait","Seconds":60,"Next":"After"},
              "After":{"Type":"Pass","End":true}}}]},
          "Caught":{"Type":"Pass","End":true},
          "Done":{"Type":"Pass","End":true}}}
        """;

    /// <summary>A Task whose mocked call fails every time, retried after 60 s.</summary>
    private const string RetriedTask = """
        {"StartAt":"Call","States":{
          "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Done",
                  "Retry":[{"ErrorEquals":["Flaky.Error"],"IntervalSeconds":60,"MaxAttempts":3}]},
          "Done":{"Type":"Pass","End":true}}}
        """;

    private const string FlakyMocks = """
        {"StateMachines":{"Flaky":{"TestCases":{"Fails":{"Call":"Boom"}}}},
         "MockedResponses":{"Boom":{"0-9":{"Throw":{"Error":"Flaky.Error","Cause":"mocked"}}}}}
        """;

    private const string Fails = """{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Custom.Broken"}}}""";

    [Fact]
    public async Task A_machine_with_running_executions_is_DELETING_until_the_last_one_has_ended()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock);
        var machine = await client.CreateAsync("Held", PauseThenDone);
        var failed = await client.StartAsync(machine, "{}");
        var running = await client.StartAsync(machine, "{}");
        await clock.WaitForTimersAsync(2);
        (await client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = failed })).Ok();

        (await client.CallAsync("DeleteStateMachine", Arn(machine))).Ok();
        Assert.Equal("DELETING", Str(await DescribeMachineAsync(client, machine), "status"));
        // Deleting again is still no error, and the machine is still listed while it is being deleted.
        (await client.CallAsync("DeleteStateMachine", Arn(machine))).Ok();
        Assert.Contains(machine, await ListedAsync(client));

        var start = await client.CallAsync("StartExecution", Arn(machine));
        start.AssertError("StateMachineDeleting");
        Assert.Equal($"The specified state machine is being deleted: '{machine}'", start.ErrorMessage);
        (await client.CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = "Held", ["definition"] = Fails, ["roleArn"] = "arn:aws:iam::123456789012:role/Test",
        })).AssertError("StateMachineDeleting");
        (await client.CallAsync("UpdateStateMachine", new JsonObject { ["stateMachineArn"] = machine, ["definition"] = Fails }))
            .AssertError("StateMachineDeleting");
        var redrive = await client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = failed });
        redrive.AssertError("ExecutionNotRedrivable");
        Assert.Contains("State machine is in DELETING status.", redrive.ErrorMessage);

        // The Wait state is no transition: the execution still runs, and the machine stays DELETING.
        Assert.Equal("RUNNING", Str(await client.DescribeAsync(running), "status"));
        clock.Advance(TimeSpan.FromSeconds(60));
        var ended = await client.WaitForEndAsync(running);
        Assert.Equal("FAILED", Str(ended, "status"));
        Assert.Equal("States.Runtime", Str(ended, "error"));
        Assert.Equal("State machine Held has been deleted.", Str(ended, "cause"));
        var history = await client.HistoryAsync(running);
        Assert.Equal(new[] { "ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionFailed" }, history.Select(e => Str(e!, "type")));

        (await client.CallAsync("DescribeStateMachine", Arn(machine))).AssertError("StateMachineDoesNotExist");
        Assert.DoesNotContain(machine, await ListedAsync(client));
        // The name is free again.
        await client.CreateAsync("Held", Fails);
    }

    [Fact]
    public async Task The_deletion_ends_a_branch_at_its_next_transition_and_no_catcher_takes_it()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock);
        var machine = await client.CreateAsync("Fanned", PauseInParallelWithCatch);
        var running = await client.StartAsync(machine, "{}");
        await clock.WaitForTimersAsync(1);
        (await client.CallAsync("DeleteStateMachine", Arn(machine))).Ok();
        clock.Advance(TimeSpan.FromSeconds(60));

        var ended = await client.WaitForEndAsync(running);
        Assert.Equal("FAILED", Str(ended, "status"));
        Assert.Equal("States.Runtime", Str(ended, "error"));
        Assert.Equal("State machine Fanned has been deleted.", Str(ended, "cause"));
        var types = (await client.HistoryAsync(running)).Select(e => Str(e!, "type")).ToList();
        Assert.DoesNotContain("PassStateEntered", types);
        Assert.Equal("ExecutionFailed", types[^1]);
        (await client.CallAsync("DescribeStateMachine", Arn(machine))).AssertError("StateMachineDoesNotExist");
    }

    /// <summary>A Distributed Map whose children each wait a minute, with a catcher for everything.</summary>
    private const string PauseInDistributedMapWithCatch = """
        {"StartAt":"Fan","States":{
          "Fan":{"Type":"Map","Next":"Done",
            "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
            "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
              "StartAt":"Pause","States":{
                "Pause":{"Type":"Wait","Seconds":60,"Next":"After"},
                "After":{"Type":"Pass","End":true}}}},
          "Caught":{"Type":"Pass","End":true},
          "Done":{"Type":"Pass","End":true}}}
        """;

    [Fact]
    public async Task The_deletion_ends_a_Distributed_Maps_children_at_their_next_transition_and_then_its_parent()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock);
        var machine = await client.CreateAsync("Distributed", PauseInDistributedMapWithCatch);
        var running = await client.StartAsync(machine, "[1,2]");
        await clock.WaitForTimersAsync(2);
        (await client.CallAsync("DeleteStateMachine", Arn(machine))).Ok();
        clock.Advance(TimeSpan.FromSeconds(60));

        var ended = await client.WaitForEndAsync(running);
        Assert.Equal("FAILED", Str(ended, "status"));
        Assert.Equal("States.Runtime", Str(ended, "error"));
        Assert.Equal("State machine Distributed has been deleted.", Str(ended, "cause"));
        var types = (await client.HistoryAsync(running)).Select(e => Str(e!, "type")).ToList();
        Assert.DoesNotContain("PassStateEntered", types);
        Assert.Equal(new[] { "MapRunFailed", "ExecutionFailed" }, types.TakeLast(2));

        var mapRun = Str((await client.CallAsync("ListMapRuns", new JsonObject { ["executionArn"] = running })).Ok()["mapRuns"]![0]!, "mapRunArn");
        Assert.Equal("FAILED", Str((await client.CallAsync("DescribeMapRun", new JsonObject { ["mapRunArn"] = mapRun })).Ok(), "status"));
        var children = (await client.CallAsync("ListExecutions", new JsonObject { ["mapRunArn"] = mapRun })).Ok()["executions"]!.AsArray();
        Assert.Equal(2, children.Count);
        foreach (var child in children)
        {
            var described = await client.WaitForEndAsync(Str(child!, "executionArn"));
            Assert.Equal("FAILED", Str(described, "status"));
            Assert.Equal("States.Runtime", Str(described, "error"));
            Assert.Equal("State machine Distributed has been deleted.", Str(described, "cause"));
            Assert.DoesNotContain("PassStateEntered", (await client.HistoryAsync(Str(child!, "executionArn"))).Select(e => Str(e!, "type")));
        }
        (await client.CallAsync("DescribeStateMachine", Arn(machine))).AssertError("StateMachineDoesNotExist");
    }

    [Fact]
    public async Task A_retry_waiting_out_its_interval_does_not_make_another_attempt_after_the_deletion()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, FlakyMocks);
        var machine = await client.CreateAsync("Flaky", RetriedTask);
        var running = await client.StartAsync(machine + "#Fails", "{}");
        await clock.WaitForTimersAsync(1);
        (await client.CallAsync("DeleteStateMachine", Arn(machine))).Ok();
        clock.Advance(TimeSpan.FromSeconds(60));

        var ended = await client.WaitForEndAsync(running);
        Assert.Equal("FAILED", Str(ended, "status"));
        Assert.Equal("States.Runtime", Str(ended, "error"));
        var types = (await client.HistoryAsync(running)).Select(e => Str(e!, "type")).ToList();
        Assert.Single(types, "TaskScheduled");
        Assert.Equal("ExecutionFailed", types[^1]);
    }

    [Fact]
    public async Task A_machine_created_again_under_the_name_is_a_new_machine()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock);
        // An EXPRESS machine goes at once, its execution still waiting: it must not hold the name's next machine DELETING.
        var express = await client.CreateAsync("Reused", PauseThenDone, "EXPRESS");
        await client.StartAsync(express, "{}");
        await clock.WaitForTimersAsync(1);
        (await client.CallAsync("DeleteStateMachine", Arn(express))).Ok();
        var standard = await client.CreateAsync("Reused", Fails);
        Assert.Equal(express, standard);
        var failed = await client.StartAsync(standard, "{}");
        Assert.Equal("FAILED", Str(await client.WaitForEndAsync(failed), "status"));
        (await client.CallAsync("DeleteStateMachine", Arn(standard))).Ok();
        (await client.CallAsync("DescribeStateMachine", Arn(standard))).AssertError("StateMachineDoesNotExist");

        // The executions of a deleted machine are not the next one's.
        var third = await client.CreateAsync("Reused", Fails);
        var listed = (await client.CallAsync("ListExecutions", Arn(third))).Ok()["executions"]!.AsArray();
        Assert.Empty(listed);
        Assert.Equal("FAILED", Str(await client.DescribeAsync(failed), "status"));
    }

    [Fact]
    public async Task A_Distributed_Map_label_ARN_is_refused_and_deletes_nothing()
    {
        await using var client = await ClockedClient.StartAsync(TimeProvider.System);
        var machine = await client.CreateAsync("Labelled", Fails);
        var reply = await client.CallAsync("DeleteStateMachine", Arn(machine + "/mapLabel"));
        reply.AssertError("ValidationException");
        Assert.Contains(machine + "/mapLabel", reply.ErrorMessage);
        Assert.Equal("ACTIVE", Str(await DescribeMachineAsync(client, machine), "status"));
    }

    [Fact]
    public async Task A_machine_whose_executions_have_ended_and_an_EXPRESS_machine_go_at_once()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock);
        var finished = await client.CreateAsync("Finished", Fails);
        Assert.Equal("FAILED", Str(await client.WaitForEndAsync(await client.StartAsync(finished, "{}")), "status"));
        (await client.CallAsync("DeleteStateMachine", Arn(finished))).Ok();
        (await client.CallAsync("DescribeStateMachine", Arn(finished))).AssertError("StateMachineDoesNotExist");

        // An EXPRESS machine's executions are not tracked by the service: it goes at once, even with one waiting.
        var express = await client.CreateAsync("Quick", PauseThenDone, "EXPRESS");
        await client.StartAsync(express, "{}");
        await clock.WaitForTimersAsync(1);
        (await client.CallAsync("DeleteStateMachine", Arn(express))).Ok();
        (await client.CallAsync("DescribeStateMachine", Arn(express))).AssertError("StateMachineDoesNotExist");
    }

    private static JsonObject Arn(string machine) => new() { ["stateMachineArn"] = machine };

    private static async Task<JsonObject> DescribeMachineAsync(ClockedClient client, string machine) =>
        (await client.CallAsync("DescribeStateMachine", Arn(machine))).Ok();

    private static async Task<string[]> ListedAsync(ClockedClient client) =>
        (await client.CallAsync("ListStateMachines", new JsonObject())).Ok()["stateMachines"]!.AsArray()
            .Select(m => Str(m!, "stateMachineArn")).ToArray();

    private static string Str(JsonNode node, string member) => node[member]!.GetValue<string>();
}
