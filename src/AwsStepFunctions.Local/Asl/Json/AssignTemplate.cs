using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// An <c>Assign</c> field: variable names to values. In a JSONPath state a name ending in <c>.$</c> takes its value from
/// a path, a variable or an intrinsic function (as in Parameters); in a JSONata state a <c>{% %}</c> value is an
/// expression; anything else is stored as written. Every value is evaluated before any variable changes, so
/// <c>{"a.$": "$b", "b.$": "$a"}</c> swaps them.
/// </summary>
internal sealed class AssignTemplate
{
    // One of the two: a JSONPath state's template (".$" names), or a JSONata state's ("{% %}" values).
    private readonly PayloadTemplate? _paths;
    private readonly JsonataTemplate? _jsonata;

    private AssignTemplate(PayloadTemplate? paths, JsonataTemplate? jsonata)
    {
        _paths = paths;
        _jsonata = jsonata;
    }

    /// <summary>A JSONPath state's Assign. Throws FormatException naming the variable that is wrong.</summary>
    public static AssignTemplate Compile(JsonNode? field)
    {
        var assignments = CheckNames(field, allowPathSuffix: true);
        try { return new AssignTemplate(PayloadTemplate.Compile(assignments), null); }
        catch (FormatException ex) { throw new FormatException($"Assign: {ex.Message}"); }
    }

    /// <summary>A JSONata state's Assign (values may be <c>{% %}</c> expressions; names take no <c>.$</c>).</summary>
    public static AssignTemplate CompileJsonata(JsonNode? field)
    {
        var assignments = CheckNames(field, allowPathSuffix: false);
        return new AssignTemplate(null, JsonataTemplate.Compile(assignments, "Assign"));
    }

    private static JsonObject CheckNames(JsonNode? field, bool allowPathSuffix)
    {
        if (field is not JsonObject assignments) throw new FormatException("'Assign' must be an object of variable names and values");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kv in assignments)
        {
            var isPath = kv.Key.EndsWith(".$", StringComparison.Ordinal);
            if (isPath && !allowPathSuffix) throw new FormatException($"Assign: '{kv.Key}': a JSONata state takes no '.$' names (write the value as {{% expression %}})");
            var name = isPath ? kv.Key.Substring(0, kv.Key.Length - 2) : kv.Key;
            if (VariableNames.Problem(name) is { } problem) throw new FormatException($"Assign: {problem}");
            if (!names.Add(name)) throw new FormatException($"Assign: the variable '{name}' is assigned twice");
        }
        return assignments;
    }

    /// <summary>A JSONPath state's values, in the order written; <paramref name="scope"/>'s <c>$</c> is what the state assigns from.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Evaluate(EvalScope scope) => Pairs(_paths!.Evaluate(scope));

    /// <summary>A JSONata state's values; <paramref name="evaluate"/> evaluates each expression (see <see cref="JsonataTemplate.Evaluate"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Evaluate(Func<Jsonata.JsonataExpression, string, JsonNode?> evaluate) =>
        Pairs(_jsonata!.Evaluate(evaluate));

    private static IReadOnlyList<KeyValuePair<string, JsonNode?>> Pairs(JsonNode? evaluated)
    {
        var values = (JsonObject)evaluated!;
        var result = new List<KeyValuePair<string, JsonNode?>>(values.Count);
        foreach (var kv in values) result.Add(new(kv.Key, kv.Value));
        return result;
    }
}
