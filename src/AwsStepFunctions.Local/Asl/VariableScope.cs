using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// Workflow variables (<c>Assign</c>) visible to one block: the machine's own, or a Parallel branch's or a Map
/// iteration's, which reads every outer scope but writes only its own. A block runs one state at a time, and an outer
/// scope is not written while its inner blocks run (the Parallel/Map state waits for them), so no locking is needed.
/// </summary>
internal sealed class VariableScope
{
    private readonly VariableScope? _outer;
    private readonly Dictionary<string, JsonNode?> _own = new(StringComparer.Ordinal);

    public VariableScope() { }

    private VariableScope(VariableScope outer) => _outer = outer;

    /// <summary>The scope of a Parallel branch or a Map iteration: starts empty, reads through to this one.</summary>
    public VariableScope Inner() => new(this);

    /// <summary>An inner scope that starts with <paramref name="own"/> (a redriven branch's variables as they were).</summary>
    public VariableScope Inner(JsonObject? own)
    {
        var scope = new VariableScope(this);
        if (own is not null)
            foreach (var kv in own) scope._own[kv.Key] = JsonValues.Clone(kv.Value);
        return scope;
    }

    public bool IsEmpty => _own.Count == 0 && (_outer is null || _outer.IsEmpty);

    /// <summary>Changes each time this scope's own variables are assigned (a snapshot of it stays valid until then).</summary>
    public int Version { get; private set; }

    /// <summary>The variable's value as stored (the caller clones before attaching it anywhere).</summary>
    public bool TryGet(string name, out JsonNode? value)
    {
        for (var scope = this; scope is not null; scope = scope._outer)
            if (scope._own.TryGetValue(name, out value)) return true;
        value = null;
        return false;
    }

    /// <summary>
    /// Stores a state's assignments together (each was evaluated before any is stored). A name that belongs to an outer
    /// scope cannot be written from a branch or an iteration: that is a States.Runtime error, and nothing is stored.
    /// </summary>
    public void Assign(IReadOnlyList<KeyValuePair<string, JsonNode?>> values, string stateName)
    {
        foreach (var kv in values)
            if (_outer is not null && _outer.TryGet(kv.Key, out _))
                throw StatesError.Runtime(
                    $"State '{stateName}' cannot assign the variable '{kv.Key}': it belongs to an outer scope (a Parallel branch or a Map iteration can read it, not assign it)");
        foreach (var kv in values) _own[kv.Key] = kv.Value;
        Version++;
    }

    /// <summary>Every variable this scope can read (inner names shadow none: an inner scope cannot reuse an outer name).</summary>
    public void CopyVisibleTo(IDictionary<string, JsonNode?> target)
    {
        _outer?.CopyVisibleTo(target);
        foreach (var kv in _own) target[kv.Key] = kv.Value;
    }

    /// <summary>This scope's own variables as a JSON object (what a redrive of the machine carries over).</summary>
    public JsonObject Snapshot()
    {
        var result = new JsonObject();
        foreach (var kv in _own) result[kv.Key] = JsonValues.Clone(kv.Value);
        return result;
    }

    public static VariableScope FromSnapshot(JsonObject? snapshot)
    {
        var scope = new VariableScope();
        if (snapshot is not null)
            foreach (var kv in snapshot) scope._own[kv.Key] = JsonValues.Clone(kv.Value);
        return scope;
    }
}
