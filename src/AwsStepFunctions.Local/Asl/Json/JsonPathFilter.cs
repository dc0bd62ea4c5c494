using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// The predicate of a JSONPath filter, <c>[?(...)]</c>, as Step Functions' JSONPath (Jayway's) reads it: comparisons
/// (<c>== != &lt; &lt;= &gt; &gt;=</c>, and <c>=~ /regex/</c> with an optional <c>i</c>) between <c>@</c> paths (the
/// item), <c>$</c> paths (the whole document) and literals (numbers, quoted strings, true, false, null); a path alone
/// tests that it exists; <c>&amp;&amp;</c>, <c>||</c>, <c>!</c> and parentheses combine them. A path that does not exist
/// makes its comparison false; values of different types are never equal and never ordered.
/// </summary>
internal abstract class JsonPathFilter
{
    public abstract bool Test(JsonNode? item, JsonNode? root);

    /// <summary>Parses the text between <c>[?(</c> and <c>)]</c>; throws FormatException naming what is wrong.</summary>
    public static JsonPathFilter Parse(string text, string whole)
    {
        var parser = new Parser(text, whole);
        var filter = parser.ParseOr();
        parser.SkipSpaces();
        if (!parser.AtEnd) throw parser.Error("unexpected text");
        return filter;
    }

    private sealed class Or(JsonPathFilter left, JsonPathFilter right) : JsonPathFilter
    {
        public override bool Test(JsonNode? item, JsonNode? root) => left.Test(item, root) || right.Test(item, root);
    }

    private sealed class And(JsonPathFilter left, JsonPathFilter right) : JsonPathFilter
    {
        public override bool Test(JsonNode? item, JsonNode? root) => left.Test(item, root) && right.Test(item, root);
    }

    private sealed class Not(JsonPathFilter inner) : JsonPathFilter
    {
        public override bool Test(JsonNode? item, JsonNode? root) => !inner.Test(item, root);
    }

    private sealed class Exists(Operand operand) : JsonPathFilter
    {
        public override bool Test(JsonNode? item, JsonNode? root) => operand.TryRead(item, root, out _);
    }

    private sealed class Matches(Operand operand, Regex pattern) : JsonPathFilter
    {
        public override bool Test(JsonNode? item, JsonNode? root)
            => operand.TryRead(item, root, out var value) && JsonValues.AsString(value) is { } text && pattern.IsMatch(text);
    }

    private sealed class Compare(Operand left, string op, Operand right) : JsonPathFilter
    {
        public override bool Test(JsonNode? item, JsonNode? root)
        {
            if (!left.TryRead(item, root, out var a) || !right.TryRead(item, root, out var b)) return false;
            if (op is "==" or "!=") return JsonValues.DeepEquals(a, b) == (op == "==");
            int order;
            if (JsonValues.IsNumber(a) && JsonValues.IsNumber(b)) order = JsonValues.ToDouble(a!).CompareTo(JsonValues.ToDouble(b!));
            else if (JsonValues.AsString(a) is { } s && JsonValues.AsString(b) is { } t) order = string.CompareOrdinal(s, t);
            else return false;
            return op switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
        }
    }

    /// <summary>A value in a comparison: a literal, or a path from the item (@) or from the document ($).</summary>
    private sealed class Operand
    {
        private readonly JsonNode? _literal;
        private readonly JsonPath? _path;
        private readonly bool _fromItem;

        public Operand(JsonNode? literal) => _literal = literal;

        public Operand(JsonPath path, bool fromItem)
        {
            _path = path;
            _fromItem = fromItem;
        }

        public bool IsPath => _path is not null;

        public bool TryRead(JsonNode? item, JsonNode? root, out JsonNode? value)
        {
            if (_path is null)
            {
                value = _literal;
                return true;
            }
            return _path.TryEvaluate(_fromItem ? item : root, out value);
        }
    }

    private sealed class Parser(string text, string whole)
    {
        private int _i;

        public bool AtEnd => _i >= text.Length;

        public FormatException Error(string what) => new($"'{whole}': {what} at position {_i} of the filter '{text}'");

        public void SkipSpaces()
        {
            while (_i < text.Length && char.IsWhiteSpace(text[_i])) _i++;
        }

        private bool Take(string token)
        {
            SkipSpaces();
            if (string.CompareOrdinal(text, _i, token, 0, token.Length) != 0) return false;
            _i += token.Length;
            return true;
        }

        public JsonPathFilter ParseOr()
        {
            var left = ParseAnd();
            while (Take("||")) left = new Or(left, ParseAnd());
            return left;
        }

        private JsonPathFilter ParseAnd()
        {
            var left = ParseUnary();
            while (Take("&&")) left = new And(left, ParseUnary());
            return left;
        }

        private JsonPathFilter ParseUnary()
        {
            if (Take("!")) return new Not(ParseUnary());
            if (Take("("))
            {
                var inner = ParseOr();
                if (!Take(")")) throw Error("missing ')'");
                return inner;
            }
            var left = ParseOperand();
            SkipSpaces();
            if (Take("=~"))
            {
                if (!left.IsPath) throw Error("=~ needs a path on its left");
                return new Matches(left, ParseRegex());
            }
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
                if (Take(op)) return new Compare(left, op, ParseOperand());
            if (!left.IsPath) throw Error("a literal alone is no test");
            return new Exists(left);
        }

        private Operand ParseOperand()
        {
            SkipSpaces();
            if (AtEnd) throw Error("missing a value");
            var c = text[_i];
            if (c is '@' or '$')
            {
                var start = _i;
                _i++;
                var depth = 0;
                // A path runs to the next operator, space or unbalanced ')'; brackets may hold quoted names.
                while (_i < text.Length)
                {
                    var ch = text[_i];
                    if (ch is '\'' or '"') { _i = text.IndexOf(ch, _i + 1) is var close and >= 0 ? close + 1 : throw Error("unterminated quote"); continue; }
                    if (ch == '[') depth++;
                    else if (ch == ']') depth--;
                    else if (depth == 0 && (char.IsWhiteSpace(ch) || ch is '=' or '!' or '<' or '>' or '&' or '|' or ')')) break;
                    _i++;
                }
                var pathText = "$" + text.Substring(start + 1, _i - start - 1);
                JsonPath path;
                try { path = JsonPath.Parse(pathText); }
                catch (FormatException ex) { throw Error($"the path '{text.Substring(start, _i - start)}' is not supported ({ex.Message})"); }
                if (!path.IsReference || path.IsContext || path.Variable is not null) throw Error($"the path '{text.Substring(start, _i - start)}' must name one value");
                return new Operand(path, c == '@');
            }
            if (c is '\'' or '"')
            {
                var sb = new StringBuilder();
                _i++;
                while (_i < text.Length && text[_i] != c)
                {
                    if (text[_i] == '\\' && _i + 1 < text.Length) _i++;
                    sb.Append(text[_i++]);
                }
                if (AtEnd) throw Error("unterminated string");
                _i++;
                return new Operand(JsonValue.Create(sb.ToString()));
            }
            var word = _i;
            while (_i < text.Length && (char.IsLetterOrDigit(text[_i]) || text[_i] is '-' or '+' or '.')) _i++;
            var token = text.Substring(word, _i - word);
            return token switch
            {
                "true" => new Operand(JsonValue.Create(true)),
                "false" => new Operand(JsonValue.Create(false)),
                "null" => new Operand((JsonNode?)null),
                _ when decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => new Operand(JsonValue.Create(number)),
                _ => throw Error(token.Length == 0 ? $"unexpected '{text[_i]}'" : $"'{token}' is not a value"),
            };
        }

        private Regex ParseRegex()
        {
            SkipSpaces();
            if (AtEnd || text[_i] != '/') throw Error("=~ needs a /regex/");
            var close = text.IndexOf('/', _i + 1);
            while (close > 0 && text[close - 1] == '\\') close = text.IndexOf('/', close + 1);
            if (close < 0) throw Error("unterminated /regex/");
            var pattern = text.Substring(_i + 1, close - _i - 1).Replace("\\/", "/", StringComparison.Ordinal);
            _i = close + 1;
            var options = RegexOptions.CultureInvariant;
            if (_i < text.Length && text[_i] == 'i') { options |= RegexOptions.IgnoreCase; _i++; }
            try { return new Regex(pattern, options, TimeSpan.FromSeconds(1)); }
            catch (ArgumentException ex) { throw Error($"bad regex: {ex.Message}"); }
        }
    }
}
