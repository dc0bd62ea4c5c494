using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// Redriving an execution whose inline Map or Parallel failed: the branches and iterations that succeeded keep their
/// output and leave no events; each failed or aborted one resumes at the state it stopped in, with its own variables.
/// </summary>
public sealed class InlineRedriveEngineTests
{
    // Only the item whose "v" is 2 reaches Charge, so which invocation fails does not depend on timing.
    private static readonly JsonObject Mocks = JsonNode.Parse("""
        {"StateMachines":{"Machine":{"TestCases":{"FailsOnce":{"Charge":"FailOnceThenOk"}}}},
         "MockedResponses":{
            "FailOnceThenOk":{"0":{"Throw":{"Error":"Payment.Declined","Cause":"card declined"}},"1":{"Return":{"charged":true}}}}}
        """)!.AsObject();

    private static EngineOptions Options() => new() { TimeScale = 10_000, MockConfig = Mocks };

    private const string Processor = """
        {"StartAt":"Route","States":{
          "Route":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericEquals":2,"Next":"Note"}],"Default":"Fine"},
          "Fine":{"Type":"Pass","Parameters":{"fine.$":"$.v"},"End":true},
          "Note":{"Type":"Pass","Assign":{"noted.$":"$.v"},"Next":"Charge"},
          "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultSelector":{"charged.$":"$.charged","noted.$":"$noted"},"End":true}}}
        """;

    /// <summary>The machine with the shared item processor in place of PROCESSOR.</summary>
    private static string WithProcessor(string machine) => machine.Replace("PROCESSOR", Processor, StringComparison.Ordinal);

    [Fact]
    public async Task Only_the_failed_branch_of_a_Parallel_runs_again_from_its_failed_state_with_its_variables()
    {
        var machine = WithProcessor("""
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Result":1,"ResultPath":"$.n","Next":"Both"},
              "Both":{"Type":"Parallel","End":true,"Parameters":{"v":2},"Branches":[
                {"StartAt":"Left","States":{"Left":{"Type":"Pass","Result":"left","End":true}}},
                PROCESSOR]}}}
            """);
        var first = await AslKit.RunAsync(machine, "{}", Options(), "FailsOnce");
        Assert.Equal(("FAILED", "Payment.Declined"), (first.Outcome!.Status, first.Outcome.Error));
        Assert.Equal("Both", first.Outcome.ResumePoint!.StateName);

        var second = await RedriveEngineTests.RedriveAsync(machine, first, "{}", Options(), redriveCount: 1);

        Assert.Equal("SUCCEEDED", second.Outcome!.Status);
        AslKit.JsonEqual("""["left",{"charged":true,"noted":2}]""", JsonNode.Parse(second.Outcome.Output!));
        // The Parallel is entered again; in the failed branch only Charge runs (Route and Note are not entered again).
        Assert.Equal(new[] { "ParallelStateEntered", "ParallelStateStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
            "TaskSucceeded", "TaskStateExited", "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded" }, second.NewTypes);
    }

    [Fact]
    public async Task Only_the_failed_and_aborted_iterations_of_a_Map_run_again()
    {
        var machine = WithProcessor("""
            {"StartAt":"Each","States":{
              "Each":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":PROCESSOR}}}
            """);
        const string input = """{"items":[{"v":1},{"v":2},{"v":3}]}""";
        var first = await AslKit.RunAsync(machine, input, Options(), "FailsOnce");
        Assert.Equal(("FAILED", "Payment.Declined"), (first.Outcome!.Status, first.Outcome.Error));

        var second = await RedriveEngineTests.RedriveAsync(machine, first, input, Options(), redriveCount: 1);

        Assert.Equal("SUCCEEDED", second.Outcome!.Status);
        AslKit.JsonEqual("""[{"fine":1},{"charged":true,"noted":2},{"fine":3}]""", JsonNode.Parse(second.Outcome.Output!));
        var started = second.NewEvents.Where(e => e.Type == "MapIterationStarted").Select(e => e.Details!["index"]!.GetValue<int>()).ToArray();
        // Item 0 succeeded before the failure and is kept. Item 1 resumes at Charge. Whether item 2 finished before item 1
        // failed (kept) or was aborted (run again) depends on timing; if it runs again, it starts from Route.
        Assert.Contains(1, started);
        Assert.DoesNotContain(0, started);
        Assert.Equal(1, second.NewTypes.Count(t => t == "TaskStateEntered"));
        Assert.Equal(started.Length - 1, second.NewTypes.Count(t => t == "ChoiceStateEntered"));
        Assert.Equal(new[] { "MapStateEntered", "MapStateStarted" }, second.NewTypes.Take(2));
    }

    [Fact]
    public async Task A_Map_inside_a_Parallel_branch_resumes_inside_the_Map()
    {
        var machine = WithProcessor("""
            {"StartAt":"Both","States":{
              "Both":{"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"Left","States":{"Left":{"Type":"Pass","Result":"left","End":true}}},
                {"StartAt":"Count","States":{
                  "Count":{"Type":"Pass","Assign":{"counted":3},"Next":"Each"},
                  "Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,"End":true,"ItemProcessor":PROCESSOR}}}]}}}
            """);
        const string input = """{"items":[{"v":1},{"v":2},{"v":3}]}""";
        var first = await AslKit.RunAsync(machine, input, Options(), "FailsOnce");
        Assert.Equal(("FAILED", "Payment.Declined"), (first.Outcome!.Status, first.Outcome.Error));

        var second = await RedriveEngineTests.RedriveAsync(machine, first, input, Options(), redriveCount: 1);

        Assert.Equal("SUCCEEDED", second.Outcome!.Status);
        AslKit.JsonEqual("""["left",[{"fine":1},{"charged":true,"noted":2},{"fine":3}]]""", JsonNode.Parse(second.Outcome.Output!));
        // MaxConcurrency 1: item 2 never started the first time, so it runs now from Route; item 0 is kept; Count is not run again.
        var started = second.NewEvents.Where(e => e.Type == "MapIterationStarted").Select(e => e.Details!["index"]!.GetValue<int>());
        Assert.Equal(new[] { 1, 2 }, started.Order());
        Assert.Equal(new[] { "ParallelStateEntered", "ParallelStateStarted", "MapStateEntered", "MapStateStarted" }, second.NewTypes.Take(4));
        Assert.Equal(1, second.NewTypes.Count(t => t == "ChoiceStateEntered"));
        Assert.Equal(1, second.NewTypes.Count(t => t == "PassStateEntered"));
    }

    [Fact]
    public async Task A_second_failure_after_a_redrive_still_keeps_the_outputs_kept_the_first_time()
    {
        var mocks = JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"FailsOnce":{"Charge":"FailTwiceThenOk"}}}},
             "MockedResponses":{"FailTwiceThenOk":{"0-1":{"Throw":{"Error":"Payment.Declined","Cause":"card declined"}},"2":{"Return":{"charged":true}}}}}
            """)!.AsObject();
        var options = new EngineOptions { TimeScale = 10_000, MockConfig = mocks };
        var machine = WithProcessor("""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Parameters":{"v":2},"Branches":[
              {"StartAt":"Left","States":{"Left":{"Type":"Pass","Result":"left","End":true}}},
              PROCESSOR]}}}
            """);
        var first = await AslKit.RunAsync(machine, "{}", options, "FailsOnce");
        var second = await RedriveEngineTests.RedriveAsync(machine, first, "{}", options, redriveCount: 1);
        Assert.Equal("FAILED", second.Outcome!.Status);

        var third = RedriveEngineTests.StartRedriveAfter(machine, second, "{}", options, redriveCount: 2, out var run);
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("SUCCEEDED", third.Outcome!.Status);
        AslKit.JsonEqual("""["left",{"charged":true,"noted":2}]""", JsonNode.Parse(third.Outcome.Output!));
        Assert.DoesNotContain("PassStateEntered", third.NewTypes);
    }
}
