using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Local.Asl.Jsonata;

internal static partial class JsonataLibrary
{
    private static void AddStringFunctions(Register add)
    {
        add("string", 1, 2, true, call =>
        {
            var value = call[0];
            if (value is null) return null;
            return ToText(value, call.Boolean(1) ?? false);
        });
        add("length", 1, 1, true, call => call.String(0) is { } s ? (double)CodePoints(s).Length : null);
        add("substring", 2, 3, true, call => Substring(call.String(0), call.Number(1)!.Value, call.Number(2)));
        add("substringBefore", 2, 2, true, call =>
        {
            var text = call.String(0);
            var chars = call.String(1);
            if (text is null || chars is null) return text;
            var index = text.IndexOf(chars, StringComparison.Ordinal);
            return index >= 0 ? text[..index] : text;
        });
        add("substringAfter", 2, 2, true, call =>
        {
            var text = call.String(0);
            var chars = call.String(1);
            if (text is null || chars is null) return text;
            var index = text.IndexOf(chars, StringComparison.Ordinal);
            return index >= 0 ? text[(index + chars.Length)..] : text;
        });
        add("uppercase", 1, 1, true, call => call.String(0)?.ToUpperInvariant());
        add("lowercase", 1, 1, true, call => call.String(0)?.ToLowerInvariant());
        add("trim", 1, 1, true, call => call.String(0) is { } s ? Regex.Replace(s, "[ \t\n\r]+", " ").Trim(' ') : null);
        add("pad", 2, 3, true, call => Pad(call.String(0), call.Number(1)!.Value, call.String(2)));
        add("contains", 2, 2, true, call =>
        {
            var text = call.String(0);
            if (text is null || call[1] is null) return null;
            return call[1] switch
            {
                string token => text.Contains(token, StringComparison.Ordinal),
                JsonataRegex regex => JsonataRegex.Run(() => regex.Regex.IsMatch(text)),
                var other => throw call.Mismatch(1),
            };
        });
        add("split", 2, 3, true, Split);
        add("join", 1, 2, false, call =>
        {
            var items = call.Array(0);
            if (items is null) return null;
            var separator = call.String(1) ?? "";
            if (!items.TrueForAll(i => i is string))
                throw call.ArrayMismatch(0, "strings");
            return string.Join(separator, items.Cast<string>());
        });
        add("match", 2, 3, true, Match);
        add("replace", 3, 4, true, Replace);
        add("base64encode", 1, 1, true, call => call.String(0) is { } s ? Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) : null);
        add("base64decode", 1, 1, true, call =>
        {
            if (call.String(0) is not { } s) return null;
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(s));
            }
            catch (FormatException)
            {
                throw call.Error("D3137", $"'{s}' is not valid base64");
            }
        });
        add("encodeUrlComponent", 1, 1, true, call => call.String(0) is { } s ? UrlEncoding.Encode(s, UrlEncoding.ComponentSafe, call.Name) : null);
        add("encodeUrl", 1, 1, true, call => call.String(0) is { } s ? UrlEncoding.Encode(s, UrlEncoding.UriSafe, call.Name) : null);
        add("decodeUrlComponent", 1, 1, true, call => call.String(0) is { } s ? UrlEncoding.Decode(s, "", call.Name) : null);
        add("decodeUrl", 1, 1, true, call => call.String(0) is { } s ? UrlEncoding.Decode(s, ";/?:@&=+$,#", call.Name) : null);
    }

    // Functions that build text from a number (padding) refuse sizes no state could carry anyway (the payload limit is 256 KiB).
    private const int MaxBuiltLength = 10_000_000;

    // JSONata counts and slices strings by Unicode code point, not by UTF-16 unit.
    private static string[] CodePoints(string text)
    {
        var points = new List<string>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                points.Add(text.Substring(i, 2));
                i++;
            }
            else
            {
                points.Add(text[i].ToString());
            }
        }
        return points.ToArray();
    }

    private static string? Substring(string? text, double start, double? length)
    {
        if (text is null) return null;
        var points = CodePoints(text);
        var count = points.Length;
        var from = (int)Math.Floor(start);
        if (count + from < 0) from = 0;
        if (from < 0) from += count;
        if (from > count) from = count;
        var end = count;
        if (length is { } l)
        {
            if (l <= 0) return "";
            end = (int)Math.Min(count, from + Math.Floor(l));
        }
        return end <= from ? "" : string.Concat(points[from..end]);
    }

    private static string? Pad(string? text, double width, string? padding)
    {
        if (text is null) return null;
        padding = string.IsNullOrEmpty(padding) ? " " : padding;
        if (Math.Abs(width) > MaxBuiltLength)
            throw new JsonataEvaluationException("D3200", $"$pad: a width of {NumberText.Format(width)} would build a string longer than {MaxBuiltLength} characters");
        var missing = (int)Math.Abs(width) - CodePoints(text).Length;
        if (missing <= 0) return text;
        var unit = CodePoints(padding);
        var fill = new StringBuilder();
        for (var i = 0; i < missing; i++) fill.Append(unit[i % unit.Length]);
        var filler = fill.ToString();
        return width > 0 ? text + filler : filler + text;
    }

    private static object? Split(BuiltinCall call)
    {
        var text = call.String(0);
        if (text is null) return null;
        var limit = call.Number(2);
        if (limit < 0) throw JsonataEvaluationException.Reference("D3020", new() { Value = limit, Index = 3 });
        List<string> parts;
        switch (call[1])
        {
            case string separator:
                parts = separator.Length == 0
                    ? text.Select(c => c.ToString()).ToList()
                    : text.Split(separator).ToList();
                break;
            case JsonataRegex regex:
                parts = [];
                var last = 0;
                foreach (Match match in JsonataRegex.Run(() => regex.Regex.Matches(text).ToList()))
                {
                    parts.Add(text[last..match.Index]);
                    last = match.Index + match.Length;
                }
                parts.Add(text[last..]);
                break;
            case var other:
                throw call.Mismatch(1);
        }
        if (limit is { } l && parts.Count > l) parts = parts.Take((int)l).ToList();
        return new JsonataArray(parts);
    }

    private static object? Match(BuiltinCall call)
    {
        var text = call.String(0);
        if (text is null) return null;
        if (call[1] is not JsonataRegex regex) throw call.Mismatch(1);
        var limit = call.Number(2);
        if (limit < 0) throw JsonataEvaluationException.Reference("D3040", new() { Value = limit, Index = 3 });
        var results = JsonataArray.Sequence();
        foreach (Match match in JsonataRegex.Run(() => regex.Regex.Matches(text).ToList()))
        {
            if (limit is { } l && results.Count >= l) break;
            results.Add(JsonataRegex.MatchObject(match));
        }
        return results;
    }

    private static object? Replace(BuiltinCall call)
    {
        var text = call.String(0);
        if (text is null) return null;
        var limit = call.Number(3);
        if (limit < 0) throw JsonataEvaluationException.Reference("D3011", new() { Value = limit, Index = 4 });
        var replacement = call[2];
        if (replacement is not (string or JsonataFunction)) throw call.Mismatch(2);
        var evaluator = call.Evaluator;
        var context = call.Context;
        var maximum = limit is { } l ? (int)l : int.MaxValue;
        switch (call[1])
        {
            case string pattern:
                if (pattern.Length == 0) throw JsonataEvaluationException.Reference("D3010", new() { Value = pattern, Index = 2 });
                var builder = new StringBuilder();
                var position = 0;
                var count = 0;
                while (count < maximum)
                {
                    var index = text.IndexOf(pattern, position, StringComparison.Ordinal);
                    if (index < 0) break;
                    builder.Append(text, position, index - position);
                    builder.Append(replacement is string s ? s : ReplacementFromFunction(call, evaluator, (JsonataFunction)replacement, pattern, index, [], context));
                    position = index + pattern.Length;
                    count++;
                }
                builder.Append(text, position, text.Length - position);
                return builder.ToString();
            case JsonataRegex regex:
                var done = 0;
                return JsonataRegex.Run(() => regex.Regex.Replace(text, match =>
                {
                    if (done >= maximum) return match.Value;
                    if (match.Length == 0) throw JsonataEvaluationException.Reference("D1004", new() { Value = regex.Source });
                    done++;
                    if (replacement is string template) return ExpandTemplate(template, match);
                    var groups = Enumerable.Range(1, match.Groups.Count - 1).Select(i => match.Groups[i].Value).ToList();
                    return ReplacementFromFunction(call, evaluator, (JsonataFunction)replacement, match.Value, match.Index, groups, context);
                }));
            case var other:
                throw call.Mismatch(1);
        }
    }

    private static string ReplacementFromFunction(BuiltinCall call, JsonataEvaluator evaluator, JsonataFunction function, string matched, int index, List<string> groups, object? context)
    {
        var matchObject = new JsonataObject
        {
            ["match"] = matched,
            ["index"] = (double)index,
            ["groups"] = new JsonataArray(groups),
        };
        var result = evaluator.Invoke(function, [matchObject], context);
        return result as string ?? throw JsonataEvaluationException.Reference("D3012", new() { Value = result });
    }

    // $0 is the match, $1..$n the groups (the longest group number that exists), $$ a literal dollar.
    private static string ExpandTemplate(string template, Match match)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c != '$' || i + 1 >= template.Length) { builder.Append(c); continue; }
            var next = template[i + 1];
            if (next == '$') { builder.Append('$'); i++; continue; }
            if (!char.IsAsciiDigit(next)) { builder.Append(c); continue; }
            var end = i + 1;
            while (end < template.Length && char.IsAsciiDigit(template[end])) end++;
            // Use the longest prefix of the digits that names an existing group; the rest is literal text.
            var digits = template[(i + 1)..end];
            var used = digits.Length;
            while (used > 1 && int.Parse(digits[..used], CultureInfo.InvariantCulture) >= match.Groups.Count) used--;
            var group = int.Parse(digits[..used], CultureInfo.InvariantCulture);
            if (group < match.Groups.Count) builder.Append(match.Groups[group].Value);
            builder.Append(digits, used, digits.Length - used);
            i += digits.Length;
        }
        return builder.ToString();
    }
}
