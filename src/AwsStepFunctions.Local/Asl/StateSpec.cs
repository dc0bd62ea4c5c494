using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>A StartAt + States pair: the machine itself, a Parallel branch or a Map item processor.</summary>
internal sealed class StatesBlock(string startAt, IReadOnlyDictionary<string, StateSpec> states)
{
    public string StartAt { get; } = startAt;
    public IReadOnlyDictionary<string, StateSpec> States { get; } = states;
}

internal sealed record Retrier(IReadOnlyList<string> ErrorEquals, double IntervalSeconds, int MaxAttempts, double BackoffRate,
    double? MaxDelaySeconds, bool FullJitter);

internal sealed record Catcher(IReadOnlyList<string> ErrorEquals, string Next, JsonPath? ResultPath, AssignTemplate? Assign);

internal sealed record ChoiceBranch(ChoiceRule Rule, string Next, AssignTemplate? Assign);

/// <summary>One validated state. Only the members that belong to its Type are set.</summary>
internal sealed class StateSpec
{
    public static readonly JsonPath Root = JsonPath.Parse("$");

    public required string Name { get; init; }
    public required string Type { get; init; }
    public string? Next { get; init; }
    public bool End { get; init; }

    // Paths: null means the field was given as JSON null (InputPath/OutputPath -> {}, ResultPath -> discard the result).
    public JsonPath? InputPath { get; init; } = Root;
    public JsonPath? OutputPath { get; init; } = Root;
    public JsonPath? ResultPath { get; init; } = Root;
    public PayloadTemplate? Parameters { get; init; }
    public PayloadTemplate? ResultSelector { get; init; }

    /// <summary>Variables set when the state completes (Pass, Wait, Task, Parallel, Map; a Choice's when Default is taken).</summary>
    public AssignTemplate? Assign { get; init; }

    // Pass
    public bool HasResult { get; init; }
    public JsonNode? Result { get; init; }

    // Wait
    public long? Seconds { get; init; }
    public JsonPath? SecondsPath { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public JsonPath? TimestampPath { get; init; }

    // Choice
    public IReadOnlyList<ChoiceBranch> Choices { get; init; } = Array.Empty<ChoiceBranch>();
    public string? Default { get; init; }

    // Fail
    public string? Error { get; init; }
    public string? Cause { get; init; }
    public ValueExpression? ErrorPath { get; init; }
    public ValueExpression? CausePath { get; init; }

    // Task
    public string? Resource { get; init; }
    public long? TimeoutSeconds { get; init; }
    public long? HeartbeatSeconds { get; init; }

    // Task, Parallel, Map
    public IReadOnlyList<Retrier> Retry { get; init; } = Array.Empty<Retrier>();
    public IReadOnlyList<Catcher> Catch { get; init; } = Array.Empty<Catcher>();

    // Parallel
    public IReadOnlyList<StatesBlock> Branches { get; init; } = Array.Empty<StatesBlock>();

    // Map
    public JsonPath? ItemsPath { get; init; } = Root;
    public PayloadTemplate? ItemSelector { get; init; }
    public StatesBlock? ItemProcessor { get; init; }
    public int MaxConcurrency { get; init; }
}
