using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// An <c>Assign</c> field: variable names to values, where a name ending in <c>.$</c> takes its value from a path, a
/// variable or an intrinsic function (as in Parameters) and anything else is stored as written. Every value is
/// evaluated before any variable changes, so <c>{"a.$": "$b", "b.$": "$a"}</c> swaps them.
/// </summary>
internal sealed class AssignTemplate
{
    private readonly PayloadTemplate _values;

    private AssignTemplate(PayloadTemplate values) => _values = values;

    /// <summary>Throws FormatException naming the variable that is wrong.</summary>
    public static AssignTemplate Compile(JsonNode? field)
    {
        if (field is not JsonObject assignments) throw new FormatException("'Assign' must be an object of variable names and values");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kv in assignments)
        {
            var name = kv.Key.EndsWith(".$", StringComparison.Ordinal) ? kv.Key.Substring(0, kv.Key.Length - 2) : kv.Key;
            if (VariableNames.Problem(name) is { } problem) throw new FormatException($"Assign: {problem}");
            if (!names.Add(name)) throw new FormatException($"Assign: the variable '{name}' is assigned twice");
        }
        try { return new AssignTemplate(PayloadTemplate.Compile(assignments)); }
        catch (FormatException ex) { throw new FormatException($"Assign: {ex.Message}"); }
    }

    /// <summary>The values to store, in the order written; <paramref name="scope"/>'s <c>$</c> is what the state assigns from.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Evaluate(EvalScope scope)
    {
        var values = (JsonObject)_values.Evaluate(scope)!;
        var result = new List<KeyValuePair<string, JsonNode?>>(values.Count);
        foreach (var kv in values) result.Add(new(kv.Key, kv.Value));
        return result;
    }
}
