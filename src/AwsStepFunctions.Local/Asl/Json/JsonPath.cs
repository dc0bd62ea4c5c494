using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// The JSONPath subset Step Functions uses: <c>$</c>, <c>$$</c> (the context object) or <c>$name</c> (a workflow
/// variable) followed by
/// <c>.name</c>, <c>['name']</c>, <c>["name"]</c>, <c>[n]</c>, <c>[*]</c> or <c>.*</c>. Filters, slices and
/// recursive descent are refused when the definition is created, never half-evaluated.
/// </summary>
internal sealed class JsonPath
{
    private abstract record Segment;
    private sealed record Field(string Name) : Segment;
    private sealed record Index(int Value) : Segment;
    private sealed record Wildcard : Segment;

    private readonly Segment[] _segments;

    private JsonPath(string text, bool isContext, string? variable, Segment[] segments)
    {
        Text = text;
        IsContext = isContext;
        Variable = variable;
        _segments = segments;
    }

    public string Text { get; }

    /// <summary>True for <c>$$...</c> paths, evaluated on the context object.</summary>
    public bool IsContext { get; }

    /// <summary>The workflow variable a <c>$name...</c> path starts from; null for <c>$</c> and <c>$$</c> paths.</summary>
    public string? Variable { get; }

    /// <summary>True when the path names at most one node (no wildcard): a reference path.</summary>
    public bool IsReference => Array.TrueForAll(_segments, s => s is not Wildcard);

    public bool IsRoot => _segments.Length == 0;

    public override string ToString() => Text;

    public static bool LooksLikePath(string text) => text.StartsWith("$", StringComparison.Ordinal);

    /// <summary>Parses or throws FormatException with a message that says what is wrong.</summary>
    public static JsonPath Parse(string text)
    {
        if (!LooksLikePath(text)) throw new FormatException($"'{text}' is not a JSONPath: it must start with '$'");
        var isContext = text.StartsWith("$$", StringComparison.Ordinal);
        var i = isContext ? 2 : 1;
        string? variable = null;
        if (!isContext && i < text.Length && VariableNames.IsStart(text[i]))
        {
            var start = i;
            while (i < text.Length && VariableNames.IsPart(text[i])) i++;
            variable = text.Substring(start, i - start);
        }
        var segments = new List<Segment>();
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '.')
            {
                i++;
                if (i < text.Length && text[i] == '.') throw new FormatException($"'{text}': recursive descent '..' is not supported");
                if (i < text.Length && text[i] == '*') { segments.Add(new Wildcard()); i++; continue; }
                var start = i;
                while (i < text.Length && text[i] != '.' && text[i] != '[') i++;
                if (i == start) throw new FormatException($"'{text}': empty field name at position {start}");
                var name = text.Substring(start, i - start);
                if (name.IndexOfAny(new[] { '(', ')', '?', '@', ' ', ']', '\'' }) >= 0)
                    throw new FormatException($"'{text}': field name '{name}' holds characters that need the ['...'] form, or uses an unsupported function");
                segments.Add(new Field(name));
            }
            else if (c == '[')
            {
                i = ParseBracket(text, i + 1, segments);
            }
            else
            {
                throw new FormatException($"'{text}': unexpected '{c}' at position {i}");
            }
        }
        return new JsonPath(text, isContext, variable, segments.ToArray());
    }

    private static int ParseBracket(string text, int i, List<Segment> segments)
    {
        if (i >= text.Length) throw new FormatException($"'{text}': unterminated '['");
        var c = text[i];
        if (c == '\'' || c == '"')
        {
            var sb = new StringBuilder();
            i++;
            while (i < text.Length && text[i] != c)
            {
                // A backslash escapes only the quote that would end the name; elsewhere it is itself (AWS reads
                // ['Test\"Name'] as the key Test\"Name).
                if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == c) i++;
                sb.Append(text[i]);
                i++;
            }
            if (i + 1 >= text.Length || text[i + 1] != ']') throw new FormatException($"'{text}': unterminated quoted field name");
            segments.Add(new Field(sb.ToString()));
            return i + 2;
        }
        var close = text.IndexOf(']', i);
        if (close < 0) throw new FormatException($"'{text}': unterminated '['");
        var inner = text.Substring(i, close - i).Trim();
        if (inner == "*") segments.Add(new Wildcard());
        else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index)) segments.Add(new Index(index));
        else throw new FormatException($"'{text}': '[{inner}]' is not supported (only [n], [*] and ['name'])");
        return close + 1;
    }

    /// <summary>
    /// Evaluates against <paramref name="root"/>. A reference path yields the node (false when it does not exist);
    /// a path with a wildcard yields an array of every match.
    /// </summary>
    public bool TryEvaluate(JsonNode? root, out JsonNode? result)
    {
        if (IsReference)
        {
            var current = root;
            foreach (var segment in _segments)
            {
                if (!TryStep(current, segment, out current)) { result = null; return false; }
            }
            result = current;
            return true;
        }
        var matches = new List<JsonNode?> { root };
        foreach (var segment in _segments)
        {
            var next = new List<JsonNode?>();
            foreach (var node in matches)
            {
                if (segment is Wildcard)
                {
                    if (node is JsonArray array) next.AddRange(array);
                    else if (node is JsonObject obj) foreach (var kv in obj) next.Add(kv.Value);
                }
                else if (TryStep(node, segment, out var child)) next.Add(child);
            }
            matches = next;
        }
        var output = new JsonArray();
        foreach (var m in matches) output.Add(JsonValues.Clone(m));
        result = output;
        return true;
    }

    private static bool TryStep(JsonNode? node, Segment segment, out JsonNode? child)
    {
        child = null;
        switch (segment)
        {
            case Field f when node is JsonObject obj:
                return obj.TryGetPropertyValue(f.Name, out child);
            case Index ix when node is JsonArray arr:
                if (ix.Value >= arr.Count) return false;
                child = arr[ix.Value];
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// ResultPath semantics: returns <paramref name="target"/> with <paramref name="value"/> placed at this path,
    /// creating missing objects on the way. Throws States.ResultPathMatchFailure when a step is not an object.
    /// </summary>
    public JsonNode? Assign(JsonNode? target, JsonNode? value)
    {
        if (IsRoot) return JsonValues.Clone(value);
        if (target is not JsonObject) throw new StatesError(ErrorNames.ResultPathMatchFailure,
            $"Unable to apply ResultPath '{Text}' to input '{JsonValues.Serialize(target)}': the input is not an object");
        var root = (JsonObject)target.DeepClone();
        JsonNode current = root;
        for (var i = 0; i < _segments.Length; i++)
        {
            var last = i == _segments.Length - 1;
            switch (_segments[i], current)
            {
                case (Field f, JsonObject obj):
                    if (last) { obj[f.Name] = JsonValues.Clone(value); break; }
                    if (!obj.TryGetPropertyValue(f.Name, out var next) || next is null)
                    {
                        next = new JsonObject();
                        obj[f.Name] = next;
                    }
                    current = next;
                    break;
                case (Index ix, JsonArray arr) when ix.Value < arr.Count:
                    if (last) { arr[ix.Value] = JsonValues.Clone(value); break; }
                    current = arr[ix.Value] ?? throw Mismatch(target);
                    break;
                default:
                    throw Mismatch(target);
            }
        }
        return root;
    }

    private StatesError Mismatch(JsonNode? target) => new(ErrorNames.ResultPathMatchFailure,
        $"Unable to apply ResultPath '{Text}' to input '{JsonValues.Serialize(target)}'");
}
