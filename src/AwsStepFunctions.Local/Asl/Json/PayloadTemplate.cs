using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// Parameters, ResultSelector and ItemSelector: a JSON template whose keys ending in <c>.$</c> take their
/// value from a path or an intrinsic function (the key loses the <c>.$</c> suffix); everything else is copied.
/// Compiled once when the definition is created, so a bad expression is refused at CreateStateMachine.
/// </summary>
internal sealed class PayloadTemplate
{
    private abstract record Part;
    private sealed record Literal(JsonNode? Value) : Part;
    private sealed record Dynamic(string Field, ValueExpression Expression) : Part;
    private sealed record ObjectPart(IReadOnlyList<(string Key, Part Value)> Members) : Part;
    private sealed record ArrayPart(IReadOnlyList<Part> Items) : Part;

    private readonly Part _root;

    private PayloadTemplate(Part root) => _root = root;

    /// <summary>Throws FormatException naming the field whose expression is wrong.</summary>
    public static PayloadTemplate Compile(JsonNode? template) => new(CompilePart(template, ""));

    private static Part CompilePart(JsonNode? node, string where)
    {
        switch (node)
        {
            case JsonObject obj:
                var members = new List<(string, Part)>();
                foreach (var kv in obj)
                {
                    var at = where.Length == 0 ? kv.Key : $"{where}.{kv.Key}";
                    if (!kv.Key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        members.Add((kv.Key, CompilePart(kv.Value, at)));
                        continue;
                    }
                    var text = JsonValues.AsString(kv.Value)
                        ?? throw new FormatException($"field '{at}' ends in '.$' so its value must be a path or intrinsic function string");
                    try { members.Add((kv.Key.Substring(0, kv.Key.Length - 2), new Dynamic(kv.Key, ValueExpression.Compile(text)))); }
                    catch (FormatException ex) { throw new FormatException($"field '{at}': {ex.Message}"); }
                }
                return new ObjectPart(members);
            case JsonArray arr:
                var items = new List<Part>();
                for (var i = 0; i < arr.Count; i++) items.Add(CompilePart(arr[i], $"{where}[{i}]"));
                return new ArrayPart(items);
            default:
                return new Literal(node?.DeepClone());
        }
    }

    public JsonNode? Evaluate(EvalScope scope) => Evaluate(_root, scope);

    private static JsonNode? Evaluate(Part part, EvalScope scope)
    {
        switch (part)
        {
            case ObjectPart o:
                var result = new JsonObject();
                foreach (var (key, value) in o.Members) result[key] = Evaluate(value, scope);
                return result;
            case ArrayPart a:
                var array = new JsonArray();
                foreach (var item in a.Items) array.Add(Evaluate(item, scope));
                return array;
            case Dynamic d:
                return d.Expression.Evaluate(scope, d.Field);
            default:
                return JsonValues.Clone(((Literal)part).Value);
        }
    }
}
