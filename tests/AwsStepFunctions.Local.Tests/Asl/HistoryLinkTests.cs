using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// How the service links history events (previousEventId). Each expected history is what AWS recorded for the same
/// definition and input in LocalStack's AWS-validated snapshots (the test named in the comment), written out here as
/// event type and previousEventId; ids run from 1.
/// </summary>
public sealed class HistoryLinkTests
{
    private static void AssertLinks(RecordingHost host, params (string Type, long Previous)[] expected) =>
        Assert.Equal(
            expected.Select((e, i) => $"{i + 1} {e.Type} <- {e.Previous}"),
            host.Events.Select(e => $"{e.Id} {e.Type} <- {e.PreviousEventId}"));

    [Fact]
    public async Task The_first_state_links_to_0_like_ExecutionStarted_and_the_rest_to_the_event_before()
    {
        // test_undefined_reference[BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES] without its failing Output.
        var host = await AslKit.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"State0","States":{"State0":{"Type":"Pass","Next":"State1"},
             "State1":{"Type":"Pass","End":true}}}
            """);
        AssertLinks(host, ("ExecutionStarted", 0), ("PassStateEntered", 0), ("PassStateExited", 2), ("PassStateEntered", 3),
            ("PassStateExited", 4), ("ExecutionSucceeded", 5));
    }

    [Fact]
    public async Task An_EvaluationFailed_at_a_state_entry_links_where_its_StateEntered_did()
    {
        // test_undefined_reference[BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES].
        var host = await AslKit.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"State0","States":{"State0":{"Type":"Pass","Next":"State1"},
             "State1":{"Type":"Pass","Next":"State2"},"State2":{"Type":"Pass","Output":{"result":"{% $doesNotExist %}"},"End":true}}}
            """);
        AssertLinks(host, ("ExecutionStarted", 0), ("PassStateEntered", 0), ("PassStateExited", 2), ("PassStateEntered", 3),
            ("PassStateExited", 4), ("PassStateEntered", 5), ("EvaluationFailed", 5), ("ExecutionFailed", 7));
        // The cause still names the StateEntered event.
        Assert.Contains("(entered at the event id #6)", host.Outcome!.Cause);
    }

    [Fact]
    public async Task An_EvaluationFailed_of_Map_Items_is_followed_by_MapStateFailed_linked_to_it()
    {
        // test_map_state_items_eval_jsonata_variable_sampling_fail[number].
        var host = await AslKit.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Start","States":{
              "Start":{"Type":"Pass","Assign":{"ItemsVar":"{% 1 %}"},"Next":"MapIterateState"},
              "MapIterateState":{"Type":"Map","MaxConcurrency":1,"Items":"{% $ItemsVar %}",
                "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Pass","States":{"Pass":{"Type":"Pass","End":true}}},"End":true}}}
            """);
        AssertLinks(host, ("ExecutionStarted", 0), ("PassStateEntered", 0), ("PassStateExited", 2), ("MapStateEntered", 3),
            ("EvaluationFailed", 3), ("MapStateFailed", 5), ("ExecutionFailed", 6));
    }

    [Fact]
    public async Task A_Wait_evaluates_its_Timestamp_after_entering_so_its_EvaluationFailed_links_to_WaitStateEntered()
    {
        // test_wait_timestamp_jsonata[NO_T].
        var host = await AslKit.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"WaitState","States":{"WaitState":{"Type":"Wait","Timestamp":"{% $states.input.TimestampValue %}","End":true}}}
            """, """{"TimestampValue":"2016-12-05 21:29:29Z"}""");
        AssertLinks(host, ("ExecutionStarted", 0), ("WaitStateEntered", 0), ("EvaluationFailed", 2), ("ExecutionFailed", 3));
    }

    [Fact]
    public async Task ExecutionAborted_links_to_0()
    {
        // test_stop_execution: stopped during a one-minute Wait.
        var clock = new ManualClock();
        var (run, host) = AslKit.Start("""{"StartAt":"State_1","States":{"State_1":{"Type":"Wait","Seconds":60,"End":true}}}""", "{}",
            new EngineOptions { Time = clock });
        await clock.WaitForTimersAsync(1);
        run.Stop(null, null);
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        AssertLinks(host, ("ExecutionStarted", 0), ("WaitStateEntered", 0), ("ExecutionAborted", 0));
    }

    [Fact]
    public async Task A_Map_one_at_a_time_links_each_iteration_to_the_last_event_of_the_one_before()
    {
        // test_base_map[ITEMS]: MapIterationSucceeded is linked to but never linked from, except by MapStateSucceeded and
        // MapStateExited, which both link to the last one.
        var host = await AslKit.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Start","States":{"Start":{"Type":"Map","Items":[1,"{% $number(\"2\") %}",3],"MaxConcurrency":1,
              "ItemProcessor":{"StartAt":"Process","States":{"Process":{"Type":"Pass","End":true}}},"End":true}}}
            """);
        AssertLinks(host, ("ExecutionStarted", 0), ("MapStateEntered", 0), ("MapStateStarted", 2),
            ("MapIterationStarted", 3), ("PassStateEntered", 4), ("PassStateExited", 5), ("MapIterationSucceeded", 6),
            ("MapIterationStarted", 6), ("PassStateEntered", 8), ("PassStateExited", 9), ("MapIterationSucceeded", 10),
            ("MapIterationStarted", 10), ("PassStateEntered", 12), ("PassStateExited", 13), ("MapIterationSucceeded", 14),
            ("MapStateSucceeded", 15), ("MapStateExited", 15), ("ExecutionSucceeded", 17));
    }

    [Fact]
    public async Task A_nested_Map_follows_the_same_links_at_each_level()
    {
        // test_map_state_nested.
        var host = await AslKit.RunAsync("""
            {"StartAt":"MapL1","States":{"MapL1":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},
              "StartAt":"MapL2","States":{"MapL2":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},
                "StartAt":"MapL2Pass","States":{"MapL2Pass":{"Type":"Pass","End":true}}},"End":true}}},"End":true}}}
            """, "[[1,2],[3]]");
        AssertLinks(host, ("ExecutionStarted", 0), ("MapStateEntered", 0), ("MapStateStarted", 2),
            ("MapIterationStarted", 3), ("MapStateEntered", 4), ("MapStateStarted", 5),
            ("MapIterationStarted", 6), ("PassStateEntered", 7), ("PassStateExited", 8), ("MapIterationSucceeded", 9),
            ("MapIterationStarted", 9), ("PassStateEntered", 11), ("PassStateExited", 12), ("MapIterationSucceeded", 13),
            ("MapStateSucceeded", 14), ("MapStateExited", 14), ("MapIterationSucceeded", 16),
            ("MapIterationStarted", 16), ("MapStateEntered", 18), ("MapStateStarted", 19),
            ("MapIterationStarted", 20), ("PassStateEntered", 21), ("PassStateExited", 22), ("MapIterationSucceeded", 23),
            ("MapStateSucceeded", 24), ("MapStateExited", 24), ("MapIterationSucceeded", 26),
            ("MapStateSucceeded", 27), ("MapStateExited", 27), ("ExecutionSucceeded", 29));
    }

    [Fact]
    public async Task An_empty_Map_links_its_end_to_MapStateStarted()
    {
        // test_map_state_items_input_array[empty].
        var host = await AslKit.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Start","States":{"Start":{"Type":"Pass","Output":"{% $states.input.items %}","Next":"MapIterateState"},
              "MapIterateState":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Pass",
                "States":{"Pass":{"Type":"Pass","End":true}}},"End":true}}}
            """, """{"items":[]}""");
        AssertLinks(host, ("ExecutionStarted", 0), ("PassStateEntered", 0), ("PassStateExited", 2), ("MapStateEntered", 3),
            ("MapStateStarted", 4), ("MapStateSucceeded", 5), ("MapStateExited", 5), ("ExecutionSucceeded", 7));
    }

    private const string FailingMap = """
        {"StartAt":"StartState","States":{"StartState":{"Type":"Pass","Result":[1],"ResultPath":"$.arr","Next":"MapState"},
          "MapState":{"Type":"Map","ResultPath":null,"InputPath":"$.arr","MaxConcurrency":1,
            "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"HandleItemFail",
              "States":{"HandleItemFail":{"Type":"Fail","Error":"HandleItemFailError","Cause":"HandleItemFailCause"}}},
            %HANDLER%,"Next":"Final"},
          %CAUGHT%"Final":{"Type":"Pass","End":true}}}
        """;

    private const string Caught = """ "FinalCaught":{"Type":"Pass","End":true}, """;

    [Fact]
    public async Task A_retried_Map_writes_no_MapStateFailed_until_the_last_attempt_and_starts_again_from_the_failing_event()
    {
        // test_map_state_retry.
        var host = await AslKit.RunAsync(FailingMap.Replace("%HANDLER%", """ "Retry":[{"ErrorEquals":["HandleItemFailError"],"MaxAttempts":2}]""").Replace("%CAUGHT%", ""));
        AssertLinks(host, ("ExecutionStarted", 0), ("PassStateEntered", 0), ("PassStateExited", 2), ("MapStateEntered", 3),
            ("MapStateStarted", 4), ("MapIterationStarted", 5), ("FailStateEntered", 6), ("MapIterationFailed", 7),
            ("MapStateStarted", 7), ("MapIterationStarted", 9), ("FailStateEntered", 10), ("MapIterationFailed", 11),
            ("MapStateStarted", 11), ("MapIterationStarted", 13), ("FailStateEntered", 14), ("MapIterationFailed", 15),
            ("MapStateFailed", 15), ("ExecutionFailed", 17));
    }

    [Fact]
    public async Task A_caught_Map_failure_links_MapStateFailed_to_the_failing_event_and_MapStateExited_to_MapStateFailed()
    {
        // test_map_state_catch.
        var host = await AslKit.RunAsync(FailingMap.Replace("%HANDLER%", """ "Catch":[{"ErrorEquals":["HandleItemFailError"],"Next":"FinalCaught"}]""").Replace("%CAUGHT%", Caught));
        AssertLinks(host, ("ExecutionStarted", 0), ("PassStateEntered", 0), ("PassStateExited", 2), ("MapStateEntered", 3),
            ("MapStateStarted", 4), ("MapIterationStarted", 5), ("FailStateEntered", 6), ("MapIterationFailed", 7),
            ("MapStateFailed", 7), ("MapStateExited", 9), ("PassStateEntered", 10), ("PassStateExited", 11), ("ExecutionSucceeded", 12));
    }

    private const string FailingParallel = """
        {"StartAt":"ParallelState","States":{"ParallelState":{"Type":"Parallel",
          "Branches":[{"StartAt":"Branch1","States":{"Branch1":{"Type":"Fail","Error":"FailureType","Cause":"Cause description"}}}],
          %HANDLER%,"Next":"Final"},
          %CAUGHT%"Final":{"Type":"Pass","End":true}}}
        """;

    [Fact]
    public async Task A_caught_Parallel_failure_links_like_a_Map_one()
    {
        // test_parallel_state_catch.
        var host = await AslKit.RunAsync(FailingParallel.Replace("%HANDLER%", """ "Catch":[{"ErrorEquals":["FailureType"],"Next":"FinalCaught"}]""").Replace("%CAUGHT%", Caught));
        AssertLinks(host, ("ExecutionStarted", 0), ("ParallelStateEntered", 0), ("ParallelStateStarted", 2), ("FailStateEntered", 3),
            ("ParallelStateFailed", 4), ("ParallelStateExited", 5), ("PassStateEntered", 6), ("PassStateExited", 7), ("ExecutionSucceeded", 8));
    }

    [Fact]
    public async Task A_retried_Parallel_starts_again_from_the_failing_event_with_no_ParallelStateFailed_between()
    {
        // test_parallel_state_retry.
        var host = await AslKit.RunAsync(FailingParallel.Replace("%HANDLER%", """ "Retry":[{"ErrorEquals":["FailureType"],"MaxAttempts":2}]""").Replace("%CAUGHT%", ""));
        AssertLinks(host, ("ExecutionStarted", 0), ("ParallelStateEntered", 0), ("ParallelStateStarted", 2), ("FailStateEntered", 3),
            ("ParallelStateStarted", 4), ("FailStateEntered", 5), ("ParallelStateStarted", 6), ("FailStateEntered", 7),
            ("ParallelStateFailed", 8), ("ExecutionFailed", 9));
    }

    [Fact]
    public async Task ParallelStateSucceeded_and_ParallelStateExited_both_link_to_the_last_branch_event()
    {
        // test_parallel_state_order: ParallelStateExited (13) links to 11, the last branch event, past ParallelStateSucceeded.
        var host = await AslKit.RunAsync("""
            {"StartAt":"StartState","States":{"StartState":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Branch0","States":{"Branch0":{"Type":"Pass","Result":{"branch":0},"End":true}}},
              {"StartAt":"Branch1","States":{"Branch1":{"Type":"Pass","Result":{"branch":1},"End":true}}}]}}}
            """);
        var types = host.Types;
        Assert.Equal(["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"], types.Take(3));
        Assert.Equal(["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"], types.TakeLast(3));
        var events = host.Events;
        Assert.All(events.Where(e => e.Type == "PassStateEntered"), e => Assert.Equal(3, e.PreviousEventId));
        var lastBranchEvent = events[^4].Id;
        Assert.Equal(lastBranchEvent, events[^3].PreviousEventId);
        Assert.Equal(lastBranchEvent, events[^2].PreviousEventId);
        Assert.Equal(events[^2].Id, events[^1].PreviousEventId);
    }

    /// <summary>A Map whose iteration of item 1 fails while every other iteration waits for an hour.</summary>
    private const string MapWhereItemOneFailsAndTheOthersWait = """
        {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Which","States":{
          "Which":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":1,"Next":"Boom"}],"Default":"Slow"},
          "Slow":{"Type":"Wait","Seconds":3600,"End":true},
          "Boom":{"Type":"Fail","Error":"Boom"}}}}}}
        """;

    [Fact]
    public async Task Each_aborted_iteration_s_events_stay_together_when_several_iterations_are_aborted_at_once()
    {
        // Five iterations waiting when the sixth fails are aborted on whatever threads their cancellations run: each one's
        // MapIterationAborted must be followed by its own WaitStateAborted, never by another iteration's events. A race
        // (once seen on CI) shows only in some runs: 3,000 of them reproduced it in seconds on a loaded machine.
        for (var n = 0; n < 3000; n++)
        {
            var host = await AslKit.RunAsync(MapWhereItemOneFailsAndTheOthersWait, "[0,2,1,3,4,5]", new EngineOptions { Time = new ManualClock() });
            var events = host.Events;
            Assert.All(events.Where(e => e.Type == "WaitStateAborted"), e => Assert.Equal("MapIterationAborted", events.Single(x => x.Id == e.Id - 1).Type));
        }
    }

    [Fact]
    public async Task Iterations_that_start_together_link_to_MapStateStarted_and_a_failure_is_what_the_rest_links_to()
    {
        // test_service_lambda_map_timeout: every MapIterationStarted links to MapStateStarted; MapIterationFailed, the
        // other iterations' MapIterationAborted and MapStateFailed all link to the event that failed the Map.
        var host = await AslKit.RunAsync(MapWhereItemOneFailsAndTheOthersWait, "[0,2,1]", new EngineOptions { Time = new ManualClock() });
        var events = host.Events;
        var started = events.Single(e => e.Type == "MapStateStarted").Id;
        Assert.All(events.Where(e => e.Type == "MapIterationStarted"), e => Assert.Equal(started, e.PreviousEventId));
        var failing = events.Single(e => e.Type == "FailStateEntered").Id;
        Assert.Equal(failing, events.Single(e => e.Type == "MapIterationFailed").PreviousEventId);
        Assert.Equal(2, events.Count(e => e.Type == "MapIterationAborted"));
        Assert.All(events.Where(e => e.Type is "MapIterationAborted" or "MapStateFailed"), e => Assert.Equal(failing, e.PreviousEventId));
        // The interrupted iterations' open Wait states are aborted too, right after their MapIterationAborted.
        Assert.Equal(2, events.Count(e => e.Type == "WaitStateAborted"));
        Assert.All(events.Where(e => e.Type == "WaitStateAborted"), e =>
        {
            Assert.Equal(failing, e.PreviousEventId);
            Assert.Equal("MapIterationAborted", events.Single(x => x.Id == e.Id - 1).Type);
        });
        Assert.Equal("ExecutionFailed", events[^1].Type);
        Assert.Equal(events.Single(e => e.Type == "MapStateFailed").Id, events[^1].PreviousEventId);
    }

    [Fact]
    public async Task An_iteration_waiting_for_a_place_never_starts_after_the_one_before_it_failed()
    {
        // test_map_catch_error[MAP_CATCH_ERROR_OUTPUT_WITH_RETRY]: with MaxConcurrency 1 the first item's failure ends the
        // Map. The next item once slipped into the place the failed one gave back before the failure stopped it (about one
        // run in 700 when the failure came after a retry delay; replaying AWS's recording showed it).
        var options = new EngineOptions
        {
            TimeScale = 1_000,
            MockConfig = (JsonObject)JsonNode.Parse("""
                {"StateMachines":{"Machine":{"TestCases":{"T":{"ProcessItem":"Fails"}}}},
                 "MockedResponses":{"Fails":{"0-9":{"Throw":{"Error":"Exception"}}}}}
                """)!,
        };
        const string machine = """
            {"QueryLanguage":"JSONata","StartAt":"ProcessItems","States":{"ProcessItems":{"Type":"Map","Items":"{% $states.input.items %}",
              "MaxConcurrency":1,"End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"ProcessItem","States":{
                "ProcessItem":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"Payload":{"foo":"foobar"}},
                  "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":1}],
                  "Catch":[{"ErrorEquals":["States.ALL"],"Output":{"stateError":"{% $states.errorOutput %}"},"Next":"Fallback"}],"End":true},
                "Fallback":{"Type":"Pass","Output":{"error":"{% $stateError %}"},"End":true}}}}}}
            """;
        var started = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) =>
            started.Add((await AslKit.RunAsync(machine, """{"items":[1,2,3]}""", options, "T")).Types.Count(t => t == "MapIterationStarted")));
        Assert.All(started, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task With_MaxConcurrency_an_iteration_links_to_the_last_event_of_the_one_whose_place_it_takes()
    {
        // Two places for four items: the third and fourth iterations start after the first two ended.
        var host = await AslKit.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"End":true,
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """, "[0,1,2,3]");
        var events = host.Events;
        var started = events.Single(e => e.Type == "MapStateStarted").Id;
        var iterationStarts = events.Where(e => e.Type == "MapIterationStarted").ToList();
        Assert.Equal(4, iterationStarts.Count);
        Assert.Equal(2, iterationStarts.Count(e => e.PreviousEventId == started));
        var iterationEnds = events.Where(e => e.Type == "MapIterationSucceeded").Select(e => e.PreviousEventId).ToHashSet();
        Assert.All(iterationStarts.Where(e => e.PreviousEventId != started), e => Assert.Contains(e.PreviousEventId, iterationEnds));
        var lastSucceeded = events.Last(e => e.Type == "MapIterationSucceeded").Id;
        Assert.Equal(lastSucceeded, events.Single(e => e.Type == "MapStateSucceeded").PreviousEventId);
        Assert.Equal(lastSucceeded, events.Single(e => e.Type == "MapStateExited").PreviousEventId);
    }

    private static EngineOptions FailingTask => new()
    {
        TimeScale = 10_000,
        MockConfig = (JsonObject)JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"T":{"SendMessageWithWait":"Fails"}}}},
             "MockedResponses":{"Fails":{"0":{"Throw":{"Error":"Sqs.Failure"}}}}}
            """)!,
    };

    [Fact]
    public async Task A_Task_that_fails_its_Parallel_branch_is_aborted_before_ParallelStateFailed()
    {
        // test_sqs_failure_in_wait_for_task_tok_no_error_field[SQS_PARALLEL_WAIT_FOR_TASK_TOKEN], whose TaskSubmitted the
        // mock cannot produce: the failed Task gets TaskStateAborted, linked like ParallelStateFailed to its TaskFailed.
        var host = await AslKit.RunAsync("""
            {"StartAt":"ParallelJob","States":{"ParallelJob":{"Type":"Parallel","Next":"Done",
              "Catch":[{"ErrorEquals":["States.ALL"],"Next":"CaughtStatesALL"}],
              "Branches":[{"StartAt":"SendMessageWithWait","States":{"SendMessageWithWait":{"Type":"Task",
                "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"MessageBody":"m"},"End":true}}}]},
             "CaughtStatesALL":{"Type":"Pass","End":true},"Done":{"Type":"Succeed"}}}
            """, "{}", FailingTask, "T");
        AssertLinks(host, ("ExecutionStarted", 0), ("ParallelStateEntered", 0), ("ParallelStateStarted", 2), ("TaskStateEntered", 3),
            ("TaskScheduled", 4), ("TaskStarted", 5), ("TaskFailed", 6), ("TaskStateAborted", 7), ("ParallelStateFailed", 7),
            ("ParallelStateExited", 9), ("PassStateEntered", 10), ("PassStateExited", 11), ("ExecutionSucceeded", 12));
        Assert.Null(host.Events.Single(e => e.Type == "TaskStateAborted").Details);
    }

    [Fact]
    public async Task A_Task_that_fails_its_Map_iteration_is_aborted_after_MapIterationFailed()
    {
        // test_service_lambda_map_timeout: MapIterationFailed, then the failed Task's TaskStateAborted, then MapStateFailed,
        // all linked to the failing event.
        var host = await AslKit.RunAsync("""
            {"StartAt":"MapWait","States":{"MapWait":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"SendMessageWithWait","States":{
              "SendMessageWithWait":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}
            """, "[1]", FailingTask, "T");
        AssertLinks(host, ("ExecutionStarted", 0), ("MapStateEntered", 0), ("MapStateStarted", 2), ("MapIterationStarted", 3),
            ("TaskStateEntered", 4), ("TaskScheduled", 5), ("TaskStarted", 6), ("TaskFailed", 7), ("MapIterationFailed", 8),
            ("TaskStateAborted", 8), ("MapStateFailed", 8), ("ExecutionFailed", 11));
    }
}
