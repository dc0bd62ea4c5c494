using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

public sealed class ParallelMapTests
{
    [Fact]
    public async Task Parallel_runs_every_branch_on_the_same_input_and_outputs_an_array_in_branch_order()
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"LookupCustomerInfo","States":{"LookupCustomerInfo":{"Type":"Parallel","End":true,
              "ResultSelector":{"address.$":"$[0].address","phone.$":"$[1].phone"},"ResultPath":"$.customer",
              "Branches":[
                {"StartAt":"LookupAddress","States":{"LookupAddress":{"Type":"Wait","Seconds":5,"Next":"A2"},
                                                    "A2":{"Type":"Pass","Parameters":{"address.$":"States.Format('{} Main St', $.id)"},"End":true}}},
                {"StartAt":"LookupPhone","States":{"LookupPhone":{"Type":"Pass","Parameters":{"phone":"555-0100"},"End":true}}}]}}}
            """, """{"id":12}""");
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        AslKit.JsonEqual("""{"id":12,"customer":{"address":"12 Main St","phone":"555-0100"}}""", JsonNode.Parse(host.Outcome.Output!));
        var types = host.Types;
        Assert.Equal(new[] { "ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted" }, types.Take(3));
        Assert.Equal(new[] { "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded" }, types.TakeLast(3));
        // Each branch's first event links to ParallelStateStarted.
        var started = host.Events.First(e => e.Type == "ParallelStateStarted").Id;
        Assert.Equal(2, host.Events.Count(e => e.PreviousEventId == started));
        var succeeded = host.Events.First(e => e.Type == "ParallelStateSucceeded");
        Assert.Equal(succeeded.Id - 1, succeeded.PreviousEventId);
    }

    [Fact]
    public async Task A_failing_branch_fails_the_Parallel_with_its_error_and_Catch_sees_it()
    {
        const string machine = """
            {"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Ok",
              "Catch":[{"ErrorEquals":["CATCHERROR"],"Next":"Caught","ResultPath":"$.err"}],
              "Branches":[
                {"StartAt":"Slow","States":{"Slow":{"Type":"Wait","Seconds":3600,"End":true}}},
                {"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"%ERR%","Cause":"branch two failed"}}}]},
             "Ok":{"Type":"Succeed"},
             "Caught":{"Type":"Pass","End":true}}}
            """;
        var caught = await AslKit.RunAsync(machine.Replace("%ERR%", "CATCHERROR"), """{"a":1}""");
        Assert.Equal("SUCCEEDED", caught.Outcome!.Status);
        AslKit.JsonEqual("""{"a":1,"err":{"Error":"CATCHERROR","Cause":"branch two failed"}}""", JsonNode.Parse(caught.Outcome.Output!));
        Assert.Contains("ParallelStateFailed", caught.Types);
        Assert.DoesNotContain("WaitStateExited", caught.Types);

        var failed = await AslKit.RunAsync(machine.Replace("%ERR%", "Other"));
        Assert.Equal(("FAILED", "Other", "branch two failed"), (failed.Outcome!.Status, failed.Outcome.Error, failed.Outcome.Cause));

        var branchFailed = await AslKit.RunAsync(machine.Replace("%ERR%", "Other").Replace("\"CATCHERROR\"", "\"States.BranchFailed\""));
        Assert.Equal("SUCCEEDED", branchFailed.Outcome!.Status);
    }

    // Developer guide, Map state: ItemsPath, ItemSelector with $$.Map.Item.Value, ResultPath.
    private const string ShippingMap = """
        {"StartAt":"Validate-All","States":{"Validate-All":{"Type":"Map","End":true,
          "InputPath":"$.detail","ItemsPath":"$.shipped","MaxConcurrency":0,"ResultPath":"$.detail.shipped",
          "ItemSelector":{"parcel.$":"$$.Map.Item.Value","courier.$":"$.delivery-partner","index.$":"$$.Map.Item.Index"},
          "ItemProcessor":{"StartAt":"Validate","States":{"Validate":{"Type":"Pass","End":true}}}}}}
        """;

    private const string ShippingInput = """
        {"ship-date":"2016-03-14T01:59:00Z","detail":{"delivery-partner":"UQS","shipped":[
          {"prod":"R31","dest-code":9511,"quantity":1344},{"prod":"S39","dest-code":9511,"quantity":40}]}}
        """;

    [Fact]
    public async Task Map_runs_the_processor_per_item_with_ItemSelector_and_context()
    {
        var host = await AslKit.RunAsync(ShippingMap, ShippingInput);
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        // ResultPath $.detail.shipped applies to the raw input (InputPath only feeds ItemsPath and ItemSelector).
        var expected = JsonNode.Parse(ShippingInput)!;
        expected["detail"]!["shipped"] = JsonNode.Parse("""
            [{"parcel":{"prod":"R31","dest-code":9511,"quantity":1344},"courier":"UQS","index":0},
             {"parcel":{"prod":"S39","dest-code":9511,"quantity":40},"courier":"UQS","index":1}]
            """);
        AslKit.JsonEqual(expected.ToJsonString(), JsonNode.Parse(host.Outcome.Output!));
        Assert.Equal(2, host.Details("MapStateStarted")["length"]!.GetValue<int>());
        var iterations = host.Events.Where(e => e.Type == "MapIterationStarted").Select(e => e.Details!).ToArray();
        Assert.Equal(new[] { 0, 1 }, iterations.Select(d => d["index"]!.GetValue<int>()).OrderBy(i => i));
        Assert.All(iterations, d => Assert.Equal("Validate-All", d["name"]!.GetValue<string>()));
        Assert.Equal(2, host.Types.Count(t => t == "MapIterationSucceeded"));
        Assert.Equal(new[] { "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded" }, host.Types.TakeLast(3));
    }

    [Fact]
    public async Task Map_with_the_older_Iterator_and_Parameters_fields_still_runs()
    {
        var output = await AslKit.OutputAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.items","Parameters":{"v.$":"$$.Map.Item.Value"},
              "Iterator":{"StartAt":"Double","States":{"Double":{"Type":"Pass","Parameters":{"twice.$":"States.MathAdd($.v, $.v)"},"End":true}}}}}}
            """, """{"items":[1,2,3]}""");
        AslKit.JsonEqual("""[{"twice":2},{"twice":4},{"twice":6}]""", output);
    }

    [Fact]
    public async Task Map_MaxConcurrency_limits_running_iterations()
    {
        var clock = new ManualClock();
        var (run, host) = AslKit.Start("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":2,
              "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}}}}
            """, "[1,2,3,4,5]", new EngineOptions { Time = clock });
        await clock.WaitForTimersAsync(2);
        await Task.Delay(50);
        Assert.Equal(2, clock.ActiveTimers);
        Assert.Equal(2, host.Types.Count(t => t == "MapIterationStarted"));
        for (var round = 0; round < 3; round++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            // Two iterations end and two start (items 3 and 4), then two end and the last starts: wait for every new timer,
            // or the next Advance may come before an iteration has armed its own.
            if (round < 2) await clock.WaitForTimersAsync(round == 0 ? 2 : 1);
        }
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        AslKit.JsonEqual("[1,2,3,4,5]", JsonNode.Parse(host.Outcome.Output!));
    }

    [Fact]
    public async Task A_failing_iteration_fails_the_Map_and_aborts_the_others()
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,
              "ItemProcessor":{"StartAt":"C","States":{
                "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Slow"},
                "Slow":{"Type":"Wait","Seconds":3600,"End":true},
                "Bad":{"Type":"Fail","Error":"Item.Bad","Cause":"item 2"}}}}}}
            """, "[1,3,2]");
        Assert.Equal(("FAILED", "Item.Bad", "item 2"), (host.Outcome!.Status, host.Outcome.Error, host.Outcome.Cause));
        Assert.Equal(1, host.Types.Count(t => t == "MapIterationFailed"));
        Assert.Equal(2, host.Types.Count(t => t == "MapIterationAborted"));
        Assert.Equal(new[] { "MapStateFailed", "ExecutionFailed" }, host.Types.TakeLast(2));
    }

    [Fact]
    public async Task Map_over_a_non_array_fails_with_States_Runtime()
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.items",
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """, """{"items":"nope"}""");
        Assert.Equal("States.Runtime", host.Outcome!.Error);
        Assert.EndsWith("Map state input must be an array but was: \"nope\"", host.Outcome.Cause);
    }

    [Fact]
    public async Task Stop_during_a_Parallel_ends_every_branch()
    {
        var clock = new ManualClock();
        var (run, host) = AslKit.Start("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":100,"End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":200,"End":true}}}]}}}
            """, "{}", new EngineOptions { Time = clock });
        await clock.WaitForTimersAsync(2);
        run.Stop("E", "C");
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        Assert.Equal("ABORTED", host.Outcome!.Status);
        Assert.Equal("ExecutionAborted", host.Types.Last());
        Assert.Equal(0, clock.ActiveTimers);
        Assert.Empty(host.Violations);
    }
}
