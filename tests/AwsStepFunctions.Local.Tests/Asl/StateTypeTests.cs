using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

public sealed class StateTypeTests
{
    [Fact]
    public async Task History_has_the_service_event_names_ids_and_links()
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"P","States":{
              "P":{"Type":"Pass","Result":{"a":1},"Next":"W"},
              "W":{"Type":"Wait","Seconds":1,"Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"Next":"Done"}]},
              "Done":{"Type":"Succeed"}}}
            """, """{"in":true}""");
        Assert.Equal(new[]
        {
            "ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered", "WaitStateExited",
            "ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded",
        }, host.Types);
        // Each event links to the one before it, except the first state's: it links to 0, as ExecutionStarted does.
        var events = host.Events;
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(i + 1, events[i].Id);
            Assert.Equal(i == 1 ? 0 : i, events[i].PreviousEventId);
        }
        var started = host.Details("ExecutionStarted");
        Assert.Equal("""{"in":true}""", started["input"]!.GetValue<string>());
        Assert.False(started["inputDetails"]!["truncated"]!.GetValue<bool>());
        Assert.Equal("arn:aws:iam::123456789012:role/StepFunctionsRole", started["roleArn"]!.GetValue<string>());
        var entered = host.Details("PassStateEntered");
        Assert.Equal("P", entered["name"]!.GetValue<string>());
        Assert.Equal("""{"in":true}""", entered["input"]!.GetValue<string>());
        Assert.Equal("""{"a":1}""", host.Details("PassStateExited")["output"]!.GetValue<string>());
        Assert.Equal("""{"a":1}""", host.Details("ExecutionSucceeded")["output"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        Assert.Equal("""{"a":1}""", host.Outcome.Output);
        Assert.Null(host.Outcome.Error);
    }

    [Fact]
    public async Task The_first_state_shows_the_execution_input_as_sent_and_later_states_show_it_serialised()
    {
        // test_map_state_config_inline_parameters (LocalStack's AWS recording): the input ["Hello", "World"] keeps its
        // spacing in the first StateEntered; what a state passes on is serialised.
        var host = await AslKit.RunAsync("""
            {"StartAt":"First","States":{"First":{"Type":"Pass","Next":"Second"},"Second":{"Type":"Pass","End":true}}}
            """, """["Hello", "World"]""");
        var entered = host.Events.Where(e => e.Type == "PassStateEntered").Select(e => e.Details!["input"]!.GetValue<string>());
        Assert.Equal(["""["Hello", "World"]""", """["Hello","World"]"""], entered);
    }

    [Fact]
    public async Task Fail_state_ends_FAILED_with_error_and_cause_and_no_exit_event()
    {
        var host = await AslKit.RunAsync(AslKit.Single("""{"Type":"Fail","Error":"ErrorA","Cause":"Kaiju attack"}"""));
        Assert.Equal(new[] { "ExecutionStarted", "FailStateEntered", "ExecutionFailed" }, host.Types);
        Assert.Equal(("FAILED", "ErrorA", "Kaiju attack"), (host.Outcome!.Status, host.Outcome.Error, host.Outcome.Cause));
        Assert.Null(host.Outcome.Output);
        var failed = host.Details("ExecutionFailed");
        Assert.Equal("ErrorA", failed["error"]!.GetValue<string>());
        Assert.Equal("Kaiju attack", failed["cause"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fail_state_takes_ErrorPath_and_CausePath_including_intrinsics()
    {
        var host = await AslKit.RunAsync(AslKit.Single(
            """{"Type":"Fail","ErrorPath":"$.code","CausePath":"States.Format('Order {} failed', $.order)"}"""),
            """{"code":"OrderFailed","order":42}""");
        Assert.Equal(("OrderFailed", "Order 42 failed"), (host.Outcome!.Error, host.Outcome.Cause));
    }

    [Fact]
    public async Task Succeed_state_applies_InputPath_and_OutputPath()
    {
        var output = await AslKit.OutputAsync(AslKit.Single("""{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}"""), """{"a":{"b":5}}""");
        AslKit.JsonEqual("5", output);
    }

    public static TheoryData<string, string, double> WaitCases => new()
    {
        { """{"Type":"Wait","Seconds":30,"End":true}""", "{}", 30 },
        { """{"Type":"Wait","SecondsPath":"$.delay","End":true}""", """{"delay":45}""", 45 },
        { """{"Type":"Wait","Timestamp":"2026-01-02T03:05:05Z","End":true}""", "{}", 60 },
        { """{"Type":"Wait","TimestampPath":"$.until","End":true}""", """{"until":"2026-01-02T04:04:05+01:00"}""", 0 },
        { """{"Type":"Wait","TimestampPath":"$.until","End":true}""", """{"until":"2026-01-02T03:06:05.500Z"}""", 120.5 },
    };

    [Theory]
    [MemberData(nameof(WaitCases))]
    public async Task Wait_waits_exactly_the_requested_time_on_the_engine_clock(string state, string input, double seconds)
    {
        var clock = new ManualClock();
        var (run, host) = AslKit.Start(AslKit.Single(state), input, new EngineOptions { Time = clock });
        if (seconds > 0)
        {
            await clock.WaitForTimersAsync(1);
            clock.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            await Task.Delay(50);
            Assert.False(run.Completion.IsCompleted, "the Wait ended early");
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        AslKit.JsonEqual(input, JsonNode.Parse(host.Outcome.Output!));
    }

    [Fact]
    public async Task Wait_duration_is_divided_by_TimeScale()
    {
        var clock = new ManualClock();
        var (run, host) = AslKit.Start(AslKit.Single("""{"Type":"Wait","Seconds":100,"End":true}"""), "{}",
            new EngineOptions { Time = clock, TimeScale = 10 });
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(10));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
    }

    [Theory]
    [InlineData("""{"delay":-1}""")]
    [InlineData("""{"delay":"10"}""")]
    [InlineData("""{"delay":1.5}""")]
    public async Task Wait_SecondsPath_with_a_bad_value_fails_with_States_Runtime(string input)
    {
        var host = await AslKit.RunAsync(AslKit.Single("""{"Type":"Wait","SecondsPath":"$.delay","End":true}"""), input);
        Assert.Equal("States.Runtime", host.Outcome!.Error);
        Assert.Contains("SecondsPath", host.Outcome.Cause);
    }

    [Fact]
    public async Task A_loop_without_waits_ends_at_the_history_limit_instead_of_spinning_forever()
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}
            """);
        Assert.Equal("FAILED", host.Outcome!.Status);
        Assert.Equal("States.Runtime", host.Outcome.Error);
        Assert.Equal(EventLog.MaxEvents, host.Events.Count);
        Assert.Equal("ExecutionFailed", host.Events.Last().Type);
    }
}
