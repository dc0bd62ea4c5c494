using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// The JSONPath Step Functions uses: <c>$</c>, <c>$$</c> (the context object) or <c>$name</c> (a workflow variable)
/// followed by <c>.name</c>, <c>['name']</c>, <c>["name"]</c>, <c>[n]</c> (<c>[-1]</c> the last), <c>[*]</c>, <c>.*</c>, and in paths that may
/// name several values (InputPath, OutputPath, Parameters, ResultSelector) also <c>..</c> (every descendant),
/// <c>[start:end]</c>, <c>[n,m]</c> and filters <c>[?(...)]</c> (<see cref="JsonPathFilter"/>). Several names in one
/// bracket (<c>['a','b']</c>) are refused when the definition is created, never half-evaluated.
/// </summary>
internal sealed class JsonPath
{
    private abstract record Segment;
    private sealed record Field(string Name) : Segment;
    private sealed record Index(int Value) : Segment;
    private sealed record Wildcard : Segment;
    /// <summary><c>..</c>: the next segment applies to every node at or below the current ones, in document order.</summary>
    private sealed record Descend : Segment;
    private sealed record Slice(int? Start, int? End) : Segment;
    private sealed record Indexes(int[] Values) : Segment;
    private sealed record Filter(JsonPathFilter Predicate) : Segment;

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
    public bool IsReference => Array.TrueForAll(_segments, s => s is Field or Index);

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
                if (i < text.Length && text[i] == '.')
                {
                    segments.Add(new Descend());
                    i++;
                    if (i >= text.Length) throw new FormatException($"'{text}': '..' must be followed by a name, '*' or '['");
                    if (text[i] == '[') { i = ParseBracket(text, i + 1, segments); continue; }
                }
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
            if (i + 1 < text.Length && text[i + 1] == ',')
                throw new FormatException($"'{text}': several names in one bracket (['a','b']) are not supported; select them with Parameters");
            if (i + 1 >= text.Length || text[i + 1] != ']') throw new FormatException($"'{text}': unterminated quoted field name");
            segments.Add(new Field(sb.ToString()));
            return i + 2;
        }
        if (c == '?') return ParseFilter(text, i, segments);
        var close = text.IndexOf(']', i);
        if (close < 0) throw new FormatException($"'{text}': unterminated '['");
        var inner = text.Substring(i, close - i).Trim();
        if (inner == "*") segments.Add(new Wildcard());
        else if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index)) segments.Add(new Index(index));
        else if (inner.Contains(':')) segments.Add(ParseSlice(text, inner));
        else if (inner.Contains(',')) segments.Add(new Indexes(Array.ConvertAll(inner.Split(','), part => ParseInteger(text, part, allowNegative: false)!.Value)));
        else throw new FormatException($"'{text}': '[{inner}]' is not supported (only [n], [n,m], [start:end], [*], [?(...)] and ['name'])");
        return close + 1;
    }

    private static Slice ParseSlice(string text, string inner)
    {
        var parts = inner.Split(':');
        if (parts.Length != 2) throw new FormatException($"'{text}': '[{inner}]' is not supported (a slice is [start:end], without a step)");
        return new Slice(ParseInteger(text, parts[0], allowNegative: true), ParseInteger(text, parts[1], allowNegative: true));
    }

    private static int? ParseInteger(string text, string part, bool allowNegative)
    {
        part = part.Trim();
        if (part.Length == 0 && allowNegative) return null;
        if (!int.TryParse(part, allowNegative ? NumberStyles.AllowLeadingSign : NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"'{text}': '{part}' is not an array index");
        return value;
    }

    /// <summary>Reads <c>[?( ... )]</c> from the '?' at <paramref name="i"/>: up to the ')' that closes it, quotes and nested parentheses skipped.</summary>
    private static int ParseFilter(string text, int i, List<Segment> segments)
    {
        if (i + 1 >= text.Length || text[i + 1] != '(') throw new FormatException($"'{text}': a filter is written [?(...)]");
        var depth = 0;
        for (var j = i + 1; j < text.Length; j++)
        {
            var c = text[j];
            if (c is '\'' or '"')
            {
                var end = text.IndexOf(c, j + 1);
                if (end < 0) throw new FormatException($"'{text}': unterminated quote in a filter");
                j = end;
            }
            else if (c == '/' && j > 0 && text.LastIndexOf("=~", j, StringComparison.Ordinal) is var op and >= 0 && text.Substring(op + 2, j - op - 2).Trim().Length == 0)
            {
                // A /regex/ may hold parentheses of its own.
                var end = text.IndexOf('/', j + 1);
                while (end > 0 && text[end - 1] == '\\') end = text.IndexOf('/', end + 1);
                if (end < 0) throw new FormatException($"'{text}': unterminated /regex/ in a filter");
                j = end;
            }
            else if (c == '(') depth++;
            else if (c == ')' && --depth == 0)
            {
                if (j + 1 >= text.Length || text[j + 1] != ']') throw new FormatException($"'{text}': a filter is written [?(...)]");
                segments.Add(new Filter(JsonPathFilter.Parse(text.Substring(i + 2, j - i - 2), text)));
                return j + 2;
            }
        }
        throw new FormatException($"'{text}': unterminated filter '[?('");
    }

    /// <summary>
    /// Why a reference path selects nothing in <paramref name="root"/>, in the words of the Jayway library the service
    /// uses: "No results for path: $['a']['b']" when only the last step is missing, else "Missing property in path $['a']"
    /// up to the first missing step. Null for a path that selects something, or that is not a reference path.
    /// </summary>
    public string? Missing(JsonNode? root)
    {
        if (!IsReference) return null;
        var current = root;
        var walked = new System.Text.StringBuilder("$");
        for (var i = 0; i < _segments.Length; i++)
        {
            walked.Append(_segments[i] is Field field ? $"['{field.Name}']" : $"[{((Index)_segments[i]).Value}]");
            if (TryStep(current, _segments[i], out current)) continue;
            if (i < _segments.Length - 1) return $"Missing property in path {walked}";
            return $"No results for path: {walked}";
        }
        return null;
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
                switch (segment)
                {
                    case Wildcard:
                        if (node is JsonArray array) next.AddRange(array);
                        else if (node is JsonObject obj) foreach (var kv in obj) next.Add(kv.Value);
                        break;
                    case Descend:
                        AddSelfAndDescendants(node, next);
                        break;
                    case Slice slice when node is JsonArray sliced:
                        var from = Clamp(slice.Start ?? 0, sliced.Count);
                        var to = Clamp(slice.End ?? sliced.Count, sliced.Count);
                        for (var k = from; k < to; k++) next.Add(sliced[k]);
                        break;
                    case Indexes indexes when node is JsonArray indexed:
                        foreach (var k in indexes.Values) if (k < indexed.Count) next.Add(indexed[k]);
                        break;
                    case Filter filter:
                        // An array's items are tested one by one; any other node is tested itself (as Jayway does).
                        if (node is JsonArray items) { foreach (var item in items) if (filter.Predicate.Test(item, root)) next.Add(item); }
                        else if (node is JsonObject && filter.Predicate.Test(node, root)) next.Add(node);
                        break;
                    default:
                        if (TryStep(node, segment, out var child)) next.Add(child);
                        break;
                }
            }
            matches = next;
        }
        var output = new JsonArray();
        foreach (var m in matches) output.Add(JsonValues.Clone(m));
        result = output;
        return true;
    }

    /// <summary>An index's place in the array, a negative one counted from its end ([-1] is the last item); null when outside it.</summary>
    private static int? Position(Index index, JsonArray array)
    {
        var at = index.Value < 0 ? array.Count + index.Value : index.Value;
        return at >= 0 && at < array.Count ? at : null;
    }

    /// <summary>Negative positions count from the end, as in [-2:]; the result lies within the array.</summary>
    private static int Clamp(int position, int count) => Math.Clamp(position < 0 ? count + position : position, 0, count);

    private static void AddSelfAndDescendants(JsonNode? node, List<JsonNode?> into)
    {
        into.Add(node);
        if (node is JsonArray array) foreach (var item in array) AddSelfAndDescendants(item, into);
        else if (node is JsonObject obj) foreach (var kv in obj) AddSelfAndDescendants(kv.Value, into);
    }

    private static bool TryStep(JsonNode? node, Segment segment, out JsonNode? child)
    {
        child = null;
        switch (segment)
        {
            case Field f when node is JsonObject obj:
                return obj.TryGetPropertyValue(f.Name, out child);
            case Index ix when node is JsonArray arr:
                if (Position(ix, arr) is not int at) return false;
                child = arr[at];
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
                case (Index ix, JsonArray arr) when Position(ix, arr) is int at:
                    if (last) { arr[at] = JsonValues.Clone(value); break; }
                    current = arr[at] ?? throw Mismatch(target);
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
