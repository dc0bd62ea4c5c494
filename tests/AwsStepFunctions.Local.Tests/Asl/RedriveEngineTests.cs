using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// ExecutionRun.Redrive: a redriven run resumes at the top-level state that failed (or was running when stopped or timed
/// out) with that state's input, numbers its events after ExecutionRedriven, and keeps counting mock invocations.
/// </summary>
public sealed class RedriveEngineTests
{
    private static readonly JsonObject Mocks = JsonNode.Parse("""
        {"StateMachines":{"Machine":{"TestCases":{
            "FailsOnce":{"Charge":"FailOnceThenOk","Left":"Ok","Right":"FailOnceThenOk"}}}},
         "MockedResponses":{
            "FailOnceThenOk":{"0":{"Throw":{"Error":"Payment.Declined","Cause":"card declined"}},"1":{"Return":{"charged":true}}},
            "Ok":{"0-9":{"Return":{"ok":true}}}}}
        """)!.AsObject();

    private static EngineOptions Options(TimeProvider? time = null) =>
        new() { TimeScale = 10_000, MockConfig = Mocks, Time = time ?? TimeProvider.System };

    // Prepare (Pass, adds a member) -> Charge (Task, fails on its first invocation) -> Report (Pass reading the context).
    private const string Pipeline = """
        {"StartAt":"Prepare","States":{
          "Prepare":{"Type":"Pass","Result":"prepared","ResultPath":"$.step","Next":"Charge"},
          "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.charge","Next":"Report"},
          "Report":{"Type":"Pass","Parameters":{"charge.$":"$.charge","step.$":"$.step","redrives.$":"$$.Execution.RedriveCount"},"End":true}}}
        """;

    [Fact]
    public async Task A_failed_Task_is_where_the_redrive_resumes_with_its_original_input()
    {
        var first = await AslKit.RunAsync(Pipeline, """{"order":7}""", Options(), "FailsOnce");
        Assert.Equal(("FAILED", "Payment.Declined"), (first.Outcome!.Status, first.Outcome.Error));
        var resume = first.Outcome.ResumePoint;
        Assert.NotNull(resume);
        Assert.Equal("Charge", resume!.StateName);
        AslKit.JsonEqual("""{"order":7,"step":"prepared"}""", JsonNode.Parse(resume.Input));

        var second = await RedriveAsync(Pipeline, first, """{"order":7}""", Options(), redriveCount: 1);

        Assert.Equal("SUCCEEDED", second.Outcome!.Status);
        AslKit.JsonEqual("""{"charge":{"charged":true},"step":"prepared","redrives":1}""", JsonNode.Parse(second.Outcome.Output!));
        // Prepare is not run again; Charge is entered again with the input it had, and its mock answers invocation 1.
        Assert.Equal(new[] { "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
            "PassStateEntered", "PassStateExited", "ExecutionSucceeded" }, second.NewTypes);
        var entered = second.NewEvents[0];
        Assert.Equal("Charge", entered.Details!["name"]!.GetValue<string>());
        AslKit.JsonEqual("""{"order":7,"step":"prepared"}""", JsonNode.Parse(entered.Details["input"]!.GetValue<string>()));
        Assert.Equal(second.RedrivenEventId, entered.PreviousEventId);
        Assert.Equal(second.RedrivenEventId + 1, entered.Id);
    }

    [Fact]
    public async Task A_stopped_Wait_resumes_at_the_Wait_and_the_machine_timeout_starts_again()
    {
        const string machine = """
            {"TimeoutSeconds":10,"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Result":"x","ResultPath":"$.p","Next":"Pause"},
              "Pause":{"Type":"Wait","Seconds":8,"End":true}}}
            """;
        var clock = new ManualClock();
        var options = new EngineOptions { Time = clock };
        var (run, first) = AslKit.Start(machine, "{}", options);
        await clock.WaitForTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(5));
        run.Stop("Operator.Stop", "stopped by the test");
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ABORTED", first.Outcome!.Status);
        Assert.Equal("Pause", first.Outcome.ResumePoint!.StateName);

        var second = StartRedrive(machine, first, "{}", options, redriveCount: 1, out var redriven);
        await clock.WaitForTimersAsync(2);
        // The Wait runs in full again (8 s) and the 10 s machine timeout counts from the redrive, not from the start.
        clock.Advance(TimeSpan.FromSeconds(7));
        await Task.Delay(30);
        Assert.False(redriven.Completion.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await redriven.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCEEDED", second.Outcome!.Status);
        Assert.Equal(new[] { "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded" }, second.NewTypes);
        Assert.Empty(second.Violations);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public async Task A_timed_out_execution_carries_its_resume_point_too()
    {
        const string machine = """{"TimeoutSeconds":1,"StartAt":"Pause","States":{"Pause":{"Type":"Wait","Seconds":60,"End":true}}}""";
        var clock = new ManualClock();
        var (run, host) = AslKit.Start(machine, """{"a":1}""", new EngineOptions { Time = clock });
        await clock.WaitForTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(1));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("TIMED_OUT", host.Outcome!.Status);
        Assert.Equal("Pause", host.Outcome.ResumePoint!.StateName);
        AslKit.JsonEqual("""{"a":1}""", JsonNode.Parse(host.Outcome.ResumePoint.Input));
    }

    [Fact]
    public async Task Success_has_no_resume_point_and_a_redrive_without_one_starts_at_StartAt()
    {
        var done = await AslKit.RunAsync(AslKit.Single("""{"Type":"Pass","End":true}"""), "{}");
        Assert.Null(done.Outcome!.ResumePoint);

        var second = await RedriveAsync(AslKit.Single("""{"Type":"Pass","Result":"again","End":true}"""), done, "{}", Options(), redriveCount: 1);
        Assert.Equal("\"again\"", second.Outcome!.Output);
        Assert.Equal("PassStateEntered", second.NewTypes[0]);
    }

    [Fact]
    public async Task A_redrive_keeps_the_variables_assigned_before_the_state_it_resumes_at()
    {
        // Prepare assigns before Charge fails; Charge's own Assign never ran. The redrive must still see $order.
        const string machine = """
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Assign":{"order.$":"$.order","attempt":"first"},"Next":"Charge"},
              "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Assign":{"charged.$":"$.charged"},"Next":"Report"},
              "Report":{"Type":"Pass","Parameters":{"order.$":"$order","attempt.$":"$attempt","charged.$":"$charged"},"End":true}}}
            """;
        var first = await AslKit.RunAsync(machine, """{"order":7}""", Options(), "FailsOnce");
        Assert.Equal("FAILED", first.Outcome!.Status);

        var second = await RedriveAsync(machine, first, """{"order":7}""", Options(), redriveCount: 1);

        Assert.Equal("SUCCEEDED", second.Outcome!.Status);
        AslKit.JsonEqual("""{"order":7,"attempt":"first","charged":true}""", JsonNode.Parse(second.Outcome.Output!));
    }

    [Fact]
    public async Task A_resume_state_that_is_not_in_the_definition_is_refused()
    {
        var definition = StateMachineDefinition.Parse(Pipeline);
        var failed = await AslKit.RunAsync("""{"StartAt":"Elsewhere","States":{"Elsewhere":{"Type":"Fail","Error":"E"}}}""");
        var resume = failed.Outcome!.ResumePoint!;
        var e = Assert.Throws<ArgumentException>(() =>
            ExecutionRun.Redrive(definition, resume, "{}", AslKit.Context(), Options(), new ContinuingHost(failed.Events, 1), 3));
        Assert.Contains("'Elsewhere'", e.Message);
    }

    internal static async Task<ContinuingHost> RedriveAsync(string definition, RecordingHost first, string input, EngineOptions options, int redriveCount)
    {
        var host = StartRedrive(definition, first, input, options, redriveCount, out var run);
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Empty(host.Violations);
        return host;
    }

    /// <summary>Does what the server does: append ExecutionRedriven after the first run's events, then redrive.</summary>
    internal static ContinuingHost StartRedrive(string definition, RecordingHost first, string input, EngineOptions options, int redriveCount,
        out ExecutionRun run) =>
        StartRedrive(definition, first.Events, first.Outcome!.ResumePoint, input, options, redriveCount, out run);

    /// <summary>Redrives again an execution that failed once more after a redrive.</summary>
    internal static ContinuingHost StartRedriveAfter(string definition, ContinuingHost earlier, string input, EngineOptions options,
        int redriveCount, out ExecutionRun run) =>
        StartRedrive(definition, earlier.AllEvents, earlier.Outcome!.ResumePoint, input, options, redriveCount, out run);

    private static ContinuingHost StartRedrive(string definition, IReadOnlyList<HistoryEventRecord> events, ResumePoint? resume, string input,
        EngineOptions options, int redriveCount, out ExecutionRun run)
    {
        var host = new ContinuingHost(events, redriveCount);
        var context = AslKit.Context("FailsOnce") with { RedriveCount = redriveCount, RedriveTime = options.Time.GetUtcNow() };
        run = ExecutionRun.Redrive(StateMachineDefinition.Parse(definition), resume, input, context, options, host, host.RedrivenEventId);
        return host;
    }

    /// <summary>A store holding an earlier run's history plus ExecutionRedriven; checks the new run continues the ids.</summary>
    internal sealed class ContinuingHost : IExecutionHost
    {
        private readonly object _gate = new();
        private readonly List<HistoryEventRecord> _events;

        public ContinuingHost(IReadOnlyList<HistoryEventRecord> earlier, int redriveCount)
        {
            _events = earlier.ToList();
            RedrivenEventId = _events.Count + 1;
            _events.Add(new HistoryEventRecord(RedrivenEventId, _events.Count, DateTimeOffset.UtcNow, "ExecutionRedriven",
                new JsonObject { ["redriveCount"] = redriveCount }));
        }

        public long RedrivenEventId { get; }
        public ExecutionOutcome? Outcome { get; private set; }
        public List<string> Violations { get; } = new();

        public IReadOnlyList<HistoryEventRecord> NewEvents
        {
            get { lock (_gate) return _events.Where(e => e.Id > RedrivenEventId).ToList(); }
        }

        public IReadOnlyList<HistoryEventRecord> AllEvents
        {
            get { lock (_gate) return _events.ToList(); }
        }

        public IReadOnlyList<string> NewTypes => NewEvents.Select(e => e.Type).ToList();

        public void Record(HistoryEventRecord e)
        {
            lock (_gate)
            {
                if (Outcome is not null) Violations.Add($"event {e.Type} after Complete");
                if (e.Id != _events.Count + 1) Violations.Add($"event id {e.Id} after {_events.Count}");
                if (e.PreviousEventId < RedrivenEventId) Violations.Add($"event {e.Id} links into the earlier run ({e.PreviousEventId})");
                _events.Add(e);
            }
        }

        public void Complete(ExecutionOutcome outcome)
        {
            lock (_gate)
            {
                if (Outcome is not null) Violations.Add("Complete called twice");
                Outcome = outcome;
            }
        }
    }
}
