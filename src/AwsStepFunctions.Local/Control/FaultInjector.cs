using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Control;

public enum FaultKind
{
    Throttle,
    Http500,
    Http503,
    Reset,
    Delay,
    DropAfterProcessing,
}

/// <summary>A planned failure for the next <see cref="Remaining"/> requests of an operation ("*" = any).</summary>
public sealed class FaultRule(string operation, FaultKind kind, int remaining, int delayMs)
{
    public string Operation { get; } = operation;
    public FaultKind Kind { get; } = kind;
    public int Remaining { get; set; } = remaining;
    public int DelayMs { get; } = delayMs;
}

/// <summary>Queued fault rules; each matching request consumes one use of the oldest matching rule.</summary>
public sealed class FaultInjector
{
    private readonly List<FaultRule> _rules = [];
    private readonly object _gate = new();

    public static readonly IReadOnlyDictionary<string, FaultKind> Kinds = new Dictionary<string, FaultKind>(StringComparer.Ordinal)
    {
        ["throttle"] = FaultKind.Throttle,
        ["http500"] = FaultKind.Http500,
        ["http503"] = FaultKind.Http503,
        ["reset"] = FaultKind.Reset,
        ["delay"] = FaultKind.Delay,
        ["drop-after-processing"] = FaultKind.DropAfterProcessing,
    };

    /// <summary>Parses the POST /_local/faults body; the message names the field and the rule it broke.</summary>
    public static FaultRule ParseRule(JsonNode? body)
    {
        if (body is not JsonObject o) throw new ArgumentException("body must be a JSON object {\"operation\",\"kind\",\"count\",\"delayMs\"}");
        string Text(string name) => o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new ArgumentException($"'{name}' is required and must be a string");
        int Number(string name, int fallback) => o[name] switch
        {
            null => fallback,
            JsonValue v when v.TryGetValue(out int n) => n,
            _ => throw new ArgumentException($"'{name}' must be an integer"),
        };
        var operation = Text("operation");
        var kindName = Text("kind");
        if (!Kinds.TryGetValue(kindName, out var kind)) throw new ArgumentException($"'kind' must be one of {string.Join(", ", Kinds.Keys)}, not '{kindName}'");
        var count = Number("count", 1);
        if (count is < 1 or > 1_000_000) throw new ArgumentException("'count' must be 1-1000000");
        var delay = Number("delayMs", kind == FaultKind.Delay ? 1000 : 0);
        if (delay is < 0 or > 600_000) throw new ArgumentException("'delayMs' must be 0-600000");
        return new FaultRule(operation, kind, count, delay);
    }

    public void Add(FaultRule rule)
    {
        lock (_gate) _rules.Add(rule);
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>Consumes one use of the first rule matching the operation, if any.</summary>
    public (FaultKind Kind, int DelayMs)? Take(string operation)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.Operation == "*" || string.Equals(r.Operation, operation, StringComparison.Ordinal));
            if (rule is null) return null;
            if (--rule.Remaining == 0) _rules.Remove(rule);
            return (rule.Kind, rule.DelayMs);
        }
    }

    public JsonObject ToJson()
    {
        lock (_gate)
            return new JsonObject
            {
                ["faults"] = new JsonArray(_rules.Select(r => (JsonNode)new JsonObject
                {
                    ["operation"] = r.Operation,
                    ["kind"] = Kinds.First(k => k.Value == r.Kind).Key,
                    ["count"] = r.Remaining,
                    ["delayMs"] = r.DelayMs,
                }).ToArray()),
            };
    }
}
