using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

public sealed class DistributedMapTests
{
    private const string PassThrough = "\"Work\":{\"Type\":\"Pass\",\"End\":true}";

    // Odd items fail (Fail state), even ones double themselves: the failures do not depend on timing.
    private const string OddItemsFail = """
        "Work":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"Boom"},{"Variable":"$.n","NumericEquals":3,"Next":"Boom"},
                {"Variable":"$.n","NumericEquals":5,"Next":"Boom"},{"Variable":"$.n","NumericEquals":7,"Next":"Boom"},
                {"Variable":"$.n","NumericEquals":9,"Next":"Boom"}],"Default":"Ok"},
        "Boom":{"Type":"Fail","Error":"Item.Odd","Cause":"odd item"},
        "Ok":{"Type":"Pass","Parameters":{"twice.$":"States.MathAdd($.n, $.n)"},"End":true}
        """;

    private const string TenItems = """{"items":[{"n":0},{"n":1},{"n":2},{"n":3},{"n":4},{"n":5},{"n":6},{"n":7},{"n":8},{"n":9}]}""";

    [Fact]
    public async Task The_parent_history_has_the_Map_Run_events_of_the_service_and_the_output_is_in_item_order()
    {
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine("\"Label\":\"Squares\",", PassThrough), """["a","b","c"]""");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        AslKit.JsonEqual("""["a","b","c"]""", JsonNode.Parse(kit.Outcome.Output!));
        // test_map_state_config_distributed_item_selector in LocalStack's snapshots of AWS: no MapIteration* events.
        Assert.Equal(new[] { "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded",
            "MapStateExited", "ExecutionSucceeded" }, kit.Types);
        var events = kit.Parent.History();
        Assert.Equal(3, events[2].Details!["length"]!.GetValue<int>());
        Assert.Equal(kit.MapRun.Arn, events[3].Details!["mapRunArn"]!.GetValue<string>());
        // MapStateExited links to MapRunSucceeded, as the service's does.
        Assert.Equal(events[4].Id, events[6].PreviousEventId);
        Assert.Equal(events[4].Id, events[5].PreviousEventId);

        Assert.Matches(@"^arn:aws:states:eu-west-1:123456789012:mapRun:Machine/Squares:[0-9a-f-]{36}$", kit.MapRun.Arn);
        Assert.Equal("arn:aws:states:eu-west-1:123456789012:stateMachine:Machine/Squares", kit.MapRun.StateMachineArn);
        Assert.Equal("SUCCEEDED", kit.MapRun.Status);
        Assert.Equal(3, kit.Children.Count);
        foreach (var child in kit.Children)
        {
            Assert.Matches(@"^arn:aws:states:eu-west-1:123456789012:execution:Machine/Squares:[0-9a-f-]{36}$", child.Arn);
            Assert.Equal(kit.MapRun.Arn, child.MapRunArn);
            Assert.Equal(new[] { "ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded" },
                child.History().Select(e => e.Type));
        }
        Assert.Equal(new[] { "\"a\"", "\"b\"", "\"c\"" }, kit.Children.Select(c => c.Input));
    }

    [Fact]
    public async Task Without_a_Label_the_Map_Run_ARN_carries_a_UUID_and_EXPRESS_children_get_express_ARNs()
    {
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine("", PassThrough, executionType: "EXPRESS"), "[1,2]");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        Assert.Matches(@"^arn:aws:states:eu-west-1:123456789012:mapRun:Machine/[0-9a-f-]{36}:[0-9a-f-]{36}$", kit.MapRun.Arn);
        Assert.All(kit.Children, c =>
        {
            Assert.Matches(@"^arn:aws:states:eu-west-1:123456789012:express:Machine/[0-9a-f-]{36}:[0-9a-f-]{36}:[0-9a-f-]{36}$", c.Arn);
            Assert.True(c.IsExpressChild);
        });
    }

    [Fact]
    public async Task ItemsPath_and_ItemSelector_shape_each_child_input_and_the_Map_output_goes_through_ResultPath()
    {
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine(
            "\"ItemsPath\":\"$.items\",\"ItemSelector\":{\"value.$\":\"$$.Map.Item.Value\",\"index.$\":\"$$.Map.Item.Index\"},\"ResultPath\":\"$.out\",",
            PassThrough), """{"items":["x","y"]}""");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        AslKit.JsonEqual("""{"items":["x","y"],"out":[{"value":"x","index":0},{"value":"y","index":1}]}""", JsonNode.Parse(kit.Outcome.Output!));
    }

    [Theory]
    [InlineData("\"ToleratedFailureCount\":5,", "SUCCEEDED")]
    [InlineData("\"ToleratedFailureCount\":4,", "FAILED")]
    [InlineData("\"ToleratedFailurePercentage\":50,", "SUCCEEDED")]
    [InlineData("\"ToleratedFailurePercentage\":49.9,", "FAILED")]
    [InlineData("", "FAILED")]
    public async Task Failures_up_to_the_threshold_are_tolerated_and_beyond_it_the_Map_fails(string threshold, string expected)
    {
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine(threshold + "\"ItemsPath\":\"$.items\",\"MaxConcurrency\":1,", OddItemsFail), TenItems);
        Assert.Equal(expected, kit.Outcome.Status);
        if (expected == "SUCCEEDED")
        {
            // Assumption (see README): a tolerated failure's place in the output holds its error output.
            var output = JsonNode.Parse(kit.Outcome.Output!)!.AsArray();
            Assert.Equal(10, output.Count);
            AslKit.JsonEqual("""{"twice":4}""", output[2]);
            AslKit.JsonEqual("""{"Error":"Item.Odd","Cause":"odd item"}""", output[3]);
            Assert.Equal("SUCCEEDED", kit.MapRun.Status);
            Assert.Equal(5, kit.MapRun.Count(byItem: true).Failed);
            return;
        }
        Assert.Equal(("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded"), (kit.Outcome.Error, kit.Outcome.Cause));
        Assert.Equal(new[] { "MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed" }, kit.Types.Skip(3));
        var failed = kit.Parent.History().Single(e => e.Type == "MapRunFailed").Details!;
        Assert.Equal("States.ExceedToleratedFailureThreshold", failed["error"]!.GetValue<string>());
        Assert.Equal("FAILED", kit.MapRun.Status);
    }

    [Fact]
    public async Task The_threshold_error_can_be_caught()
    {
        var definition = """
            {"StartAt":"Map","States":{"Map":{"Type":"Map","ItemsPath":"$.items","Next":"Done",
              "Catch":[{"ErrorEquals":["States.ExceedToleratedFailureThreshold"],"Next":"Handled","ResultPath":"$.error"}],
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work","States":{%S%}}},
             "Done":{"Type":"Succeed"},"Handled":{"Type":"Pass","OutputPath":"$.error","End":true}}}
            """.Replace("%S%", OddItemsFail);
        var kit = await DistributedMapKit.RunAsync(definition, TenItems);
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        AslKit.JsonEqual("""{"Error":"States.ExceedToleratedFailureThreshold","Cause":"The specified tolerated failure threshold was exceeded"}""",
            JsonNode.Parse(kit.Outcome.Output!));
    }

    [Fact]
    public async Task Mocked_Task_failures_in_children_count_against_the_threshold()
    {
        var mocks = JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"Flaky":{"Call":"Alternating"}}}},
             "MockedResponses":{"Alternating":{"0":{"Return":{"ok":0}},"1":{"Throw":{"Error":"Lambda.Boom","Cause":"mocked"}},
                                               "2":{"Return":{"ok":2}},"3":{"Throw":{"Error":"Lambda.Boom","Cause":"mocked"}}}}}
            """)!.AsObject();
        var options = new EngineOptions { TimeScale = 10_000, MockConfig = mocks };
        const string call = "\"Call\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"End\":true}";
        // MaxConcurrency 1 makes the children call in item order, so the n-th invocation is the n-th item's.
        var tolerated = await DistributedMapKit.RunAsync(DistributedMapKit.Machine("\"MaxConcurrency\":1,\"ToleratedFailureCount\":2,", call, "Call"),
            "[0,1,2,3]", options, "Flaky");
        Assert.Equal("SUCCEEDED", tolerated.Outcome.Status);
        AslKit.JsonEqual("""[{"ok":0},{"Error":"Lambda.Boom","Cause":"mocked"},{"ok":2},{"Error":"Lambda.Boom","Cause":"mocked"}]""",
            JsonNode.Parse(tolerated.Outcome.Output!));
        Assert.Equal("FAILED", tolerated.Children[1].Snapshot().Status);
        Assert.Equal("Lambda.Boom", tolerated.Children[1].Snapshot().Error);

        var exceeded = await DistributedMapKit.RunAsync(DistributedMapKit.Machine("\"MaxConcurrency\":1,\"ToleratedFailureCount\":1,", call, "Call"),
            "[0,1,2,3]", options, "Flaky");
        Assert.Equal("FAILED", exceeded.Outcome.Status);
        Assert.Equal("States.ExceedToleratedFailureThreshold", exceeded.Outcome.Error);
    }

    [Fact]
    public async Task ItemBatcher_groups_items_into_children_with_BatchInput()
    {
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine(
            "\"ItemBatcher\":{\"MaxItemsPerBatch\":2,\"BatchInput\":{\"source.$\":\"$.source\"}},\"ItemsPath\":\"$.items\",", PassThrough),
            """{"source":"s3","items":[1,2,3,4,5]}""");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        // The shape AWS gives a batch (test_map_item_batching_base_json_max_per_batch_jsonata): {"BatchInput": ..., "Items": [...]}.
        AslKit.JsonEqual("""
            [{"BatchInput":{"source":"s3"},"Items":[1,2]},{"BatchInput":{"source":"s3"},"Items":[3,4]},{"BatchInput":{"source":"s3"},"Items":[5]}]
            """, JsonNode.Parse(kit.Outcome.Output!));
        Assert.Equal(3, kit.Children.Count);
        Assert.Equal((5L, 3L), (kit.MapRun.Count(byItem: true).Total, kit.MapRun.Count(byItem: false).Total));
    }

    [Fact]
    public async Task MaxInputBytesPerBatch_closes_a_batch_before_it_grows_too_big()
    {
        // {"Items":["aaaaaaaa","bbbbbbbb"]} is 33 bytes; a third item would make it 44.
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine("\"ItemBatcher\":{\"MaxInputBytesPerBatch\":40},", PassThrough),
            """["aaaaaaaa","bbbbbbbb","cccccccc"]""");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        AslKit.JsonEqual("""[{"Items":["aaaaaaaa","bbbbbbbb"]},{"Items":["cccccccc"]}]""", JsonNode.Parse(kit.Outcome.Output!));
    }

    [Fact]
    public async Task Batch_sizes_can_come_from_paths()
    {
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine(
            "\"ItemsPath\":\"$.items\",\"ItemBatcher\":{\"MaxItemsPerBatchPath\":\"$.size\",\"MaxInputBytesPerBatchPath\":\"$.bytes\"},", PassThrough),
            """{"items":[1,2,3],"size":2,"bytes":1000}""");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        AslKit.JsonEqual("""[{"Items":[1,2]},{"Items":[3]}]""", JsonNode.Parse(kit.Outcome.Output!));
        Assert.Equal(new[] { 2, 1 }, kit.Children.Select(c => c.MapRunItemCount));

        var bad = await DistributedMapKit.RunAsync(DistributedMapKit.Machine(
            "\"ItemsPath\":\"$.items\",\"ItemBatcher\":{\"MaxItemsPerBatchPath\":\"$.size\"},", PassThrough), """{"items":[1],"size":"two"}""");
        Assert.Equal("States.Runtime", bad.Outcome.Error);
        Assert.EndsWith("The MaxItemsPerBatchPath field refers to value \"two\" which is not a valid integer: $.size", bad.Outcome.Cause);
    }

    [Fact]
    public async Task A_Distributed_Map_inside_a_child_starts_a_Map_Run_of_the_child()
    {
        const string definition = """
            {"StartAt":"Outer","States":{"Outer":{"Type":"Map","End":true,"Label":"Outer",
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Inner",
                "States":{"Inner":{"Type":"Map","End":true,"Label":"Inner",
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}}}}
            """;
        var kit = await DistributedMapKit.RunAsync(definition, "[[1,2],[3]]");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        AslKit.JsonEqual("[[1,2],[3]]", JsonNode.Parse(kit.Outcome.Output!));
        var innerRuns = kit.Children.SelectMany(c => kit.Store.MapRunsOf(c.Arn)).ToList();
        Assert.Equal(2, innerRuns.Count);
        Assert.All(innerRuns, r => Assert.Contains(":mapRun:Machine/Outer/Inner:", r.Arn));
    }

    [Fact]
    public async Task MaxConcurrency_is_never_exceeded()
    {
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine("\"MaxConcurrency\":2,",
            "\"Work\":{\"Type\":\"Wait\",\"Seconds\":1,\"End\":true}"), "[1,2,3,4,5,6,7,8]", new EngineOptions { TimeScale = 20 });
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        // From each child's own history: the most children whose [started, ended] spans overlap.
        var spans = kit.Children.Select(c => (Start: c.History().First().Timestamp, End: c.History().Last().Timestamp)).ToList();
        var most = spans.Max(s => spans.Count(o => o.Start <= s.Start && s.Start < o.End));
        Assert.Equal(2, most);
        Assert.Equal(2, kit.MapRun.MaxConcurrency);
    }

    [Fact]
    public async Task Stopping_the_parent_aborts_the_running_children_and_the_Map_Run()
    {
        var kit = DistributedMapKit.Start(DistributedMapKit.Machine("\"MaxConcurrency\":2,", "\"Work\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}"),
            "[1,2,3,4]", new EngineOptions());
        await DistributedMapKit.EventuallyAsync(() => kit.Store.MapRunsOf(kit.Parent.Arn).Count == 1 && kit.Children.Count == 2, "two children run");
        kit.Parent.Stop("Test.Stop", "stopped by the test");
        await DistributedMapKit.EventuallyAsync(() => kit.MapRun.Status != "RUNNING", "the Map Run ends");
        await DistributedMapKit.EventuallyAsync(() => kit.Children.All(c => c.Snapshot().Status != "RUNNING"), "the children end");
        Assert.Equal("ABORTED", kit.Outcome.Status);
        Assert.Equal("ABORTED", kit.MapRun.Status);
        Assert.Equal(2, kit.Children.Count);
        Assert.All(kit.Children, c => Assert.Equal("ABORTED", c.Snapshot().Status));
        Assert.All(kit.Children, c => Assert.Equal("ExecutionAborted", c.History().Last().Type));
        var counts = kit.MapRun.Count(byItem: true);
        Assert.Equal((2L, 2L), (counts.Aborted, counts.Pending));
    }

    [Fact]
    public async Task A_parent_that_times_out_aborts_its_children()
    {
        var definition = DistributedMapKit.Machine("", "\"Work\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}")
            .Replace("{\"StartAt\":\"Map\",", "{\"TimeoutSeconds\":1,\"StartAt\":\"Map\",");
        var kit = await DistributedMapKit.RunAsync(definition, "[1,2,3]", new EngineOptions());
        Assert.Equal("TIMED_OUT", kit.Outcome.Status);
        await DistributedMapKit.EventuallyAsync(() => kit.Children.All(c => c.Snapshot().Status == "ABORTED"), "the children are aborted");
        Assert.Equal(3, kit.Children.Count);
        Assert.Equal("ABORTED", kit.MapRun.Status);
    }

    [Fact]
    public async Task Many_items_without_a_concurrency_limit_all_run()
    {
        var items = "[" + string.Join(",", Enumerable.Range(0, 2000)) + "]";
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine("", PassThrough), items);
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        AslKit.JsonEqual(items, JsonNode.Parse(kit.Outcome.Output!));
        Assert.Equal(2000, kit.MapRun.Count(byItem: false).Succeeded);
    }

    [Fact]
    public async Task Children_do_not_see_the_parents_variables()
    {
        const string definition = """
            {"StartAt":"Set","States":{"Set":{"Type":"Pass","Assign":{"secret":"outer"},"Next":"Map"},
             "Map":{"Type":"Map","ItemsPath":"$.items","End":true,"ToleratedFailureCount":5,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Read",
                "States":{"Read":{"Type":"Pass","Parameters":{"seen.$":"$secret"},"End":true}}}}}}
            """;
        var kit = await DistributedMapKit.RunAsync(definition, """{"items":[1]}""");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        // The developer guide: "Distributed Map states cannot reference variables in outer scopes."
        var child = kit.Children.Single().Snapshot();
        Assert.Equal("FAILED", child.Status);
        Assert.Equal("States.Runtime", child.Error);
    }

    [Fact]
    public async Task A_ToleratedFailureCountPath_that_is_not_an_integer_fails_with_the_services_words()
    {
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine("\"ItemsPath\":\"$.Items\",\"ToleratedFailureCountPath\":\"$.ToleratedFailureCount\",", PassThrough),
            """{"Items":[0],"ToleratedFailureCount":"NoNumber"}""");
        // test_map_state_tolerated_failure_count_path[NoNumber]: ExecutionFailed follows MapStateStarted directly.
        Assert.Equal(new[] { "ExecutionStarted", "MapStateEntered", "MapStateStarted", "ExecutionFailed" }, kit.Types);
        Assert.Equal("States.Runtime", kit.Outcome.Error);
        Assert.Equal("An error occurred while executing the state 'Map' (entered at the event id #2). The ToleratedFailureCountPath field refers to value " +
                     "\"NoNumber\" which is not a valid integer: $.ToleratedFailureCount", kit.Outcome.Cause);
    }

    [Theory]
    [InlineData("-1.1")]
    [InlineData("100.1")]
    public async Task A_ToleratedFailurePercentagePath_out_of_range_fails(string value)
    {
        var kit = await DistributedMapKit.RunAsync(DistributedMapKit.Machine("\"ItemsPath\":\"$.Items\",\"ToleratedFailurePercentagePath\":\"$.P\",", PassThrough),
            "{\"Items\":[0],\"P\":" + value + "}");
        Assert.Equal("An error occurred while executing the state 'Map' (entered at the event id #2). ToleratedFailurePercentage must be between 0 and 100.",
            kit.Outcome.Cause);
    }

    [Fact]
    public async Task A_JSONata_Distributed_Map_reads_its_threshold_and_batch_size_from_expressions()
    {
        const string definition = """
            {"QueryLanguage":"JSONata","StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"Items":"{% $states.input.items %}",
              "ToleratedFailureCount":"{% $states.input.tolerate %}","ItemBatcher":{"MaxItemsPerBatch":"{% $states.input.size %}"},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"Work",
                "States":{"Work":{"Type":"Pass","Output":"{% $count($states.input.Items) %}","End":true}}}}}}
            """;
        var kit = await DistributedMapKit.RunAsync(definition, """{"items":[1,2,3],"tolerate":1,"size":2}""");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        AslKit.JsonEqual("[2,1]", JsonNode.Parse(kit.Outcome.Output!));
        Assert.Equal((double?)null, kit.MapRun.ToleratedFailure.Percentage);
        Assert.Equal(1L, kit.MapRun.ToleratedFailure.Count);
    }
}
