using System;
using System.Linq;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

public sealed class LifecycleTests
{
    private const string LongWait = """{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}""";

    [Fact]
    public async Task Machine_TimeoutSeconds_ends_TIMED_OUT_with_States_Timeout()
    {
        var clock = new ManualClock();
        var (run, host) = AslKit.Start("""{"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}""",
            "{}", new EngineOptions { Time = clock });
        await clock.WaitForTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(5));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(("TIMED_OUT", "States.Timeout"), (host.Outcome!.Status, host.Outcome.Error));
        Assert.Equal(new[] { "ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut" }, host.Types);
        Assert.Equal("States.Timeout", host.Details("ExecutionTimedOut")["error"]!.GetValue<string>());
        Assert.Equal(clock.GetUtcNow(), host.Outcome.StopDate);
        Assert.Equal(0, clock.ActiveTimers);
        Assert.Empty(host.Violations);
    }

    [Fact]
    public async Task TimeScale_speeds_up_Waits_but_not_the_machine_timeout()
    {
        // Wait 300 s at scale 10 = 30 s of clock; the 20 s machine timeout is real seconds and comes first.
        var clock = new ManualClock();
        var (run, host) = AslKit.Start("""{"TimeoutSeconds":20,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":300,"End":true}}}""",
            "{}", new EngineOptions { Time = clock, TimeScale = 10 });
        await clock.WaitForTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(50);
        Assert.False(run.Completion.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("TIMED_OUT", host.Outcome!.Status);

        // Wait 100 s at scale 10 = 10 s: ends before the same timeout.
        clock = new ManualClock();
        (run, host) = AslKit.Start("""{"TimeoutSeconds":20,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}""",
            "{}", new EngineOptions { Time = clock, TimeScale = 10 });
        await clock.WaitForTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(10));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public async Task Stop_ends_a_Wait_at_once_and_records_ExecutionAborted()
    {
        var clock = new ManualClock();
        var (run, host) = AslKit.Start(LongWait, "{}", new EngineOptions { Time = clock });
        await clock.WaitForTimersAsync(1);
        run.Stop("Operator.Cancelled", "Stopped by the test");
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(("ABORTED", "Operator.Cancelled", "Stopped by the test"), (host.Outcome!.Status, host.Outcome.Error, host.Outcome.Cause));
        Assert.Equal(new[] { "ExecutionStarted", "WaitStateEntered", "ExecutionAborted" }, host.Types);
        Assert.Equal("Operator.Cancelled", host.Details("ExecutionAborted")["error"]!.GetValue<string>());
        Assert.Equal(0, clock.ActiveTimers);

        run.Stop("again", null);
        await Task.Delay(20);
        Assert.Equal(1, host.Completions);
        Assert.Equal(3, host.Events.Count);
        Assert.Empty(host.Violations);
    }

    [Fact]
    public async Task Stop_without_error_or_cause_records_empty_details()
    {
        var (run, host) = AslKit.Start(LongWait, "{}", new EngineOptions { Time = new ManualClock() });
        run.Stop(null, null);
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ABORTED", host.Outcome!.Status);
        Assert.Null(host.Outcome.Error);
        Assert.Empty(host.Details("ExecutionAborted"));
    }

    [Fact]
    public async Task Stop_racing_the_natural_end_gives_exactly_one_consistent_outcome()
    {
        var machine = """{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}""";
        var seen = new System.Collections.Generic.HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            var (run, host) = AslKit.Start(machine);
            // Stop from another thread at a slightly different moment each round.
            var stopper = Task.Run(async () =>
            {
                for (var spin = 0; spin < i % 20; spin++) await Task.Yield();
                run.Stop("Race", null);
            });
            await Task.WhenAll(run.Completion, stopper).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Empty(host.Violations);
            Assert.Equal(1, host.Completions);
            var last = host.Events.Last().Type;
            var expected = host.Outcome!.Status switch { "SUCCEEDED" => "ExecutionSucceeded", "ABORTED" => "ExecutionAborted", var s => s };
            Assert.Equal(expected, last);
            seen.Add(host.Outcome.Status);
        }
        Assert.Contains("ABORTED", seen);
    }
    private sealed class ThrowingHost : IExecutionHost
    {
        public void Record(HistoryEventRecord historyEvent) { }
        public void Complete(ExecutionOutcome outcome) => throw new InvalidOperationException("store is broken");
    }

    [Fact]
    public async Task A_host_that_throws_in_Complete_still_releases_Completion_and_the_timers()
    {
        var clock = new ManualClock();
        var run = ExecutionRun.Start(StateMachineDefinition.Parse(LongWait), "{}", AslKit.Context(), new EngineOptions { Time = clock }, new ThrowingHost());
        await clock.WaitForTimersAsync(1);
        Assert.Throws<InvalidOperationException>(() => run.Stop(null, null));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, clock.ActiveTimers);
    }
}
