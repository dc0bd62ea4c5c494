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

/// <summary>A Catch entry. A JSONata state's catcher has Output instead of ResultPath.</summary>
internal sealed record Catcher(IReadOnlyList<string> ErrorEquals, string Next, JsonPath? ResultPath, AssignTemplate? Assign)
{
    public JsonataTemplate? Output { get; init; }
}

/// <summary>A top-level Choice rule: a JSONPath state's Rule, or a JSONata state's Condition.</summary>
internal sealed record ChoiceBranch(ChoiceRule? Rule, string Next, AssignTemplate? Assign)
{
    public JsonataTemplate? Condition { get; init; }
    public JsonataTemplate? Output { get; init; }
}

/// <summary>
/// The fields a JSONata state has instead of the JSONPath ones. Those that may be a literal or an expression
/// (Seconds, TimeoutSeconds, ...) are templates whose literal was checked when the definition was created.
/// </summary>
internal sealed class JsonataFields
{
    public JsonataTemplate? Arguments { get; init; }
    public JsonataTemplate? Output { get; init; }
    public JsonataTemplate? Items { get; init; }
    public JsonataTemplate? ItemSelector { get; init; }
    public JsonataTemplate? MaxConcurrency { get; init; }
    public JsonataTemplate? Seconds { get; init; }
    public JsonataTemplate? Timestamp { get; init; }
    public JsonataTemplate? TimeoutSeconds { get; init; }
    public JsonataTemplate? HeartbeatSeconds { get; init; }
    public JsonataTemplate? Credentials { get; init; }
    public JsonataTemplate? Error { get; init; }
    public JsonataTemplate? Cause { get; init; }
}

/// <summary>One validated state. Only the members that belong to its Type are set.</summary>
internal sealed class StateSpec
{
    public static readonly JsonPath Root = JsonPath.Parse("$");

    public required string Name { get; init; }
    public required string Type { get; init; }
    public string? Next { get; init; }
    public bool End { get; init; }

    /// <summary>Set for a state whose QueryLanguage is JSONata (its own or the machine's); its JSONPath members are then unset.</summary>
    public JsonataFields? Jsonata { get; init; }

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

    /// <summary>A JSONPath Task's TimeoutSeconds and HeartbeatSeconds read from its effective input when it runs.</summary>
    public JsonPath? TimeoutSecondsPath { get; init; }
    public JsonPath? HeartbeatSecondsPath { get; init; }

    /// <summary>A JSONPath Task's Credentials: {"RoleArn": ...} or {"RoleArn.$": path or intrinsic function}.</summary>
    public PayloadTemplate? Credentials { get; init; }

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

    /// <summary>A JSONPath Map's MaxConcurrency read from its effective input when it runs (a non-negative integer).</summary>
    public JsonPath? MaxConcurrencyPath { get; init; }

    /// <summary>Set for a Map whose ItemProcessor runs in DISTRIBUTED mode (each item or batch is a child execution).</summary>
    public DistributedMapSpec? Distributed { get; init; }
}

/// <summary>
/// The fields only a Distributed Map has. A threshold or batch size is a literal, a JSONPath ...Path (read when the
/// state runs) or a JSONata template; at most one form is set for each.
/// </summary>
internal sealed class DistributedMapSpec
{
    /// <summary>ProcessorConfig.ExecutionType: the child executions are EXPRESS (else STANDARD).</summary>
    public required bool Express { get; init; }

    /// <summary>The Map Run's label, or null: the service then uses a UUID in the Map Run and child ARNs.</summary>
    public string? Label { get; init; }

    public double? ToleratedFailurePercentage { get; init; }
    public JsonPath? ToleratedFailurePercentagePath { get; init; }
    public JsonataTemplate? ToleratedFailurePercentageJsonata { get; init; }
    public long? ToleratedFailureCount { get; init; }
    public JsonPath? ToleratedFailureCountPath { get; init; }
    public JsonataTemplate? ToleratedFailureCountJsonata { get; init; }

    /// <summary>ItemReader, or null when the items come from the state's input (ItemsPath or Items).</summary>
    public ItemReaderSpec? Reader { get; init; }

    /// <summary>ResultWriter, or null when the Map's output is its children's outputs.</summary>
    public ResultWriterSpec? Writer { get; init; }

    /// <summary>ItemBatcher, or null when each item is its own child execution.</summary>
    public ItemBatcherSpec? Batcher { get; init; }
}

/// <summary>ItemBatcher: at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes per child, BatchInput merged in.</summary>
internal sealed class ItemBatcherSpec
{
    public long? MaxItemsPerBatch { get; init; }
    public JsonPath? MaxItemsPerBatchPath { get; init; }
    public long? MaxInputBytesPerBatch { get; init; }
    public JsonPath? MaxInputBytesPerBatchPath { get; init; }
    public PayloadTemplate? BatchInput { get; init; }

    /// <summary>JSONata: MaxItemsPerBatch, MaxInputBytesPerBatch and BatchInput as templates.</summary>
    public JsonataTemplate? MaxItemsPerBatchJsonata { get; init; }
    public JsonataTemplate? MaxInputBytesPerBatchJsonata { get; init; }
    public JsonataTemplate? BatchInputJsonata { get; init; }
}
