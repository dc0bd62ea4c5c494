using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Jsonata;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// A field of a JSONata state (Arguments, Output, Assign, Items, ItemSelector, Condition, Seconds, ...): JSON in which
/// every string written as <c>{% expression %}</c> is a JSONata expression and everything else is itself. The
/// expressions are parsed once, when the definition is created, so a syntax error is refused at CreateStateMachine.
/// </summary>
internal sealed class JsonataTemplate
{
    private abstract record Part;
    private sealed record Literal(JsonNode? Value) : Part;
    private sealed record Expression(string Location, JsonataExpression Parsed) : Part;
    private sealed record ObjectPart(IReadOnlyList<(string Key, Part Value)> Members) : Part;
    private sealed record ArrayPart(IReadOnlyList<Part> Items) : Part;

    private readonly Part _root;

    private JsonataTemplate(Part root) => _root = root;

    /// <summary>True when the whole template is one literal (no expression anywhere in it).</summary>
    public bool IsLiteral => _root is Literal;

    /// <summary>The literal value (only when <see cref="IsLiteral"/>).</summary>
    public JsonNode? LiteralValue => ((Literal)_root).Value;

    /// <summary>The expression when the whole template is one <c>{% %}</c> string, else null.</summary>
    public JsonataExpression? SoleExpression => (_root as Expression)?.Parsed;

    /// <summary>
    /// <paramref name="location"/> names the field as the service does in its errors ("Output", "Assign/result").
    /// Throws FormatException naming the location of an expression that does not parse.
    /// </summary>
    public static JsonataTemplate Compile(JsonNode? node, string location)
    {
        var root = CompilePart(node, location);
        return new JsonataTemplate(root);
    }

    /// <summary>The expression inside <c>{% ... %}</c>, or null when <paramref name="node"/> is not such a string.</summary>
    public static string? ExpressionText(JsonNode? node)
    {
        var text = JsonValues.AsString(node);
        if (text is null || text.Length < 4 || !text.StartsWith("{%", StringComparison.Ordinal) || !text.EndsWith("%}", StringComparison.Ordinal))
            return null;
        return text.Substring(2, text.Length - 4).Trim();
    }

    private static Part CompilePart(JsonNode? node, string location)
    {
        switch (node)
        {
            case JsonObject obj:
                var members = new List<(string, Part)>();
                var anyExpression = false;
                foreach (var kv in obj)
                {
                    var part = CompilePart(kv.Value, $"{location}/{kv.Key}");
                    anyExpression |= part is not Literal;
                    members.Add((kv.Key, part));
                }
                return anyExpression ? new ObjectPart(members) : new Literal(obj.DeepClone());
            case JsonArray arr:
                var items = new List<Part>();
                var anyInArray = false;
                for (var i = 0; i < arr.Count; i++)
                {
                    var part = CompilePart(arr[i], $"{location}/{i}");
                    anyInArray |= part is not Literal;
                    items.Add(part);
                }
                return anyInArray ? new ArrayPart(items) : new Literal(arr.DeepClone());
            default:
                if (ExpressionText(node) is not { } text) return new Literal(node?.DeepClone());
                if (text.Length == 0) throw new FormatException($"{location}: the JSONata expression '{{% %}}' is empty");
                try { return new Expression(location, JsonataExpression.Parse(text)); }
                catch (FormatException ex) { throw new FormatException($"{location}: the JSONata expression '{text}' does not parse: {ex.Message}"); }
        }
    }

    /// <summary>
    /// Builds the value; <paramref name="evaluate"/> evaluates one expression (it is given the expression and its
    /// location, and throws when the expression fails or returns nothing).
    /// </summary>
    public JsonNode? Evaluate(Func<JsonataExpression, string, JsonNode?> evaluate) => Evaluate(_root, evaluate);

    private static JsonNode? Evaluate(Part part, Func<JsonataExpression, string, JsonNode?> evaluate)
    {
        switch (part)
        {
            case ObjectPart o:
                var result = new JsonObject();
                foreach (var (key, value) in o.Members) result[key] = Evaluate(value, evaluate);
                return result;
            case ArrayPart a:
                var array = new JsonArray();
                foreach (var item in a.Items) array.Add(Evaluate(item, evaluate));
                return array;
            case Expression e:
                return evaluate(e.Parsed, e.Location);
            default:
                return JsonValues.Clone(((Literal)part).Value);
        }
    }
}
