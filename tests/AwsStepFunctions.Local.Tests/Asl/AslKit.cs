using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;
using ExecutionContext = AwsStepFunctions.Local.Asl.ExecutionContext;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>An in-memory execution store that also checks the engine's promises: ordered ids, no overlap, one Complete.</summary>
internal sealed class RecordingHost : IExecutionHost
{
    private readonly object _gate = new();
    private readonly List<HistoryEventRecord> _events = new();
    private int _inside;
    private int _completions;

    public ExecutionOutcome? Outcome { get; private set; }
    public List<string> Violations { get; } = new();
    public int Completions => _completions;

    public IReadOnlyList<HistoryEventRecord> Events
    {
        get { lock (_gate) return _events.ToList(); }
    }

    public IReadOnlyList<string> Types => Events.Select(e => e.Type).ToList();

    public void Record(HistoryEventRecord historyEvent)
    {
        Enter();
        lock (_gate)
        {
            if (Outcome is not null) Violations.Add($"event {historyEvent.Type} after Complete");
            if (historyEvent.Id != _events.Count + 1) Violations.Add($"event id {historyEvent.Id} after {_events.Count}");
            if (historyEvent.PreviousEventId >= historyEvent.Id) Violations.Add($"event {historyEvent.Id} links forward");
            _events.Add(historyEvent);
        }
        Leave();
    }

    public void Complete(ExecutionOutcome outcome)
    {
        Enter();
        if (Interlocked.Increment(ref _completions) > 1) lock (_gate) Violations.Add("Complete called twice");
        lock (_gate) Outcome = outcome;
        Leave();
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _inside) != 1) lock (_gate) Violations.Add("concurrent calls into the host");
    }

    private void Leave() => Interlocked.Decrement(ref _inside);

    public JsonObject Details(string type) => Events.First(e => e.Type == type).Details!;
}

internal static class AslKit
{
    public const string MachineArn = "arn:aws:states:eu-west-1:123456789012:stateMachine:Machine";

    public static ExecutionContext Context(string? testCase = null, string machine = "Machine") => new(
        $"arn:aws:states:eu-west-1:123456789012:execution:{machine}:run-1",
        "run-1",
        $"arn:aws:states:eu-west-1:123456789012:stateMachine:{machine}",
        machine,
        "arn:aws:iam::123456789012:role/StepFunctionsRole",
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        testCase);

    public static (ExecutionRun Run, RecordingHost Host) Start(string definition, string input = "{}", EngineOptions? options = null,
        string? testCase = null, string machine = "Machine")
    {
        var host = new RecordingHost();
        var run = ExecutionRun.Start(StateMachineDefinition.Parse(definition), input, Context(testCase, machine),
            options ?? new EngineOptions { TimeScale = 10_000 }, host);
        return (run, host);
    }

    /// <summary>Runs to the end (fast: waits scaled 10,000x unless options say otherwise) and checks the host's invariants.</summary>
    public static async Task<RecordingHost> RunAsync(string definition, string input = "{}", EngineOptions? options = null,
        string? testCase = null, string machine = "Machine")
    {
        var (run, host) = Start(definition, input, options, testCase, machine);
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Empty(host.Violations);
        Assert.Equal(1, host.Completions);
        return host;
    }

    /// <summary>Runs and returns the output of a SUCCEEDED execution (fails the test otherwise).</summary>
    public static async Task<JsonNode?> OutputAsync(string definition, string input = "{}", EngineOptions? options = null, string? testCase = null)
    {
        var host = await RunAsync(definition, input, options, testCase);
        Assert.True(host.Outcome!.Status == "SUCCEEDED", $"{host.Outcome.Status}: {host.Outcome.Error}: {host.Outcome.Cause}");
        return JsonNode.Parse(host.Outcome.Output!);
    }

    /// <summary>A one-state machine whose Pass state outputs <c>{"r": expression's value}</c> (a path or an intrinsic function).</summary>
    public static string PassingValueOf(string expression) =>
        Single("""{"Type":"Pass","Parameters":{"r.$":""" + JsonValue.Create(expression).ToJsonString() + "},\"End\":true}");

    /// <summary>A one-state machine around <paramref name="stateJson"/> (named S, ending the execution).</summary>
    public static string Single(string stateJson) => """{"StartAt":"S","States":{"S":""" + stateJson + "}}";

    public static void JsonEqual(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\n  actual {actual?.ToJsonString() ?? "null"}");
}
