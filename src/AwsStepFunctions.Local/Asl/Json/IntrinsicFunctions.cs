using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>The States Language intrinsic functions. Bad arguments at run time fail with States.IntrinsicFailure.</summary>
internal static class IntrinsicFunctions
{
    // name -> (min, max) argument count, checked when the definition is created.
    private static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.Ordinal)
    {
        ["States.Format"] = (1, int.MaxValue),
        ["States.StringToJson"] = (1, 1),
        ["States.JsonToString"] = (1, 1),
        ["States.Array"] = (0, int.MaxValue),
        ["States.ArrayPartition"] = (2, 2),
        ["States.ArrayContains"] = (2, 2),
        ["States.ArrayRange"] = (3, 3),
        ["States.ArrayGetItem"] = (2, 2),
        ["States.ArrayLength"] = (1, 1),
        ["States.ArrayUnique"] = (1, 1),
        ["States.Base64Encode"] = (1, 1),
        ["States.Base64Decode"] = (1, 1),
        ["States.Hash"] = (2, 2),
        ["States.JsonMerge"] = (3, 3),
        ["States.MathRandom"] = (2, 3),
        ["States.MathAdd"] = (2, 2),
        ["States.StringSplit"] = (2, 2),
        ["States.UUID"] = (0, 0),
    };

    public static bool IsKnown(string name) => Arity.ContainsKey(name);

    public static void CheckArity(IntrinsicCall call)
    {
        var (min, max) = Arity[call.Name];
        var n = call.Arguments.Count;
        if (n < min || n > max)
        {
            var expected = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
            throw new FormatException($"'{call.Text}': {call.Name} takes {expected} argument(s), got {n}");
        }
    }

    public static JsonNode? Invoke(IntrinsicCall call, EvalScope scope, string field)
    {
        if (call.Name == "States.Format") return Format(call, scope, field);
        var args = call.Arguments.Select(a => Resolve(a, scope, field)).ToArray();
        return call.Name switch
        {
            "States.StringToJson" => StringToJson(call, args[0]),
            "States.JsonToString" => JsonValue.Create(JsonValues.Serialize(args[0])),
            "States.Array" => new JsonArray(args.Select(JsonValues.Clone).ToArray()),
            "States.ArrayPartition" => ArrayPartition(call, args),
            "States.ArrayContains" => JsonValue.Create(Array(call, args[0], 1).Any(x => JsonValues.DeepEquals(x, args[1]))),
            "States.ArrayRange" => ArrayRange(call, args),
            "States.ArrayGetItem" => ArrayGetItem(call, args),
            "States.ArrayLength" => JsonValue.Create(Array(call, args[0], 1).Count),
            "States.ArrayUnique" => ArrayUnique(call, args[0]),
            "States.Base64Encode" => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(Data(call, args[0], 1)))),
            "States.Base64Decode" => Base64Decode(call, args[0]),
            "States.Hash" => Hash(call, args),
            "States.JsonMerge" => JsonMerge(call, args),
            "States.MathRandom" => MathRandom(call, args),
            "States.MathAdd" => JsonValue.Create(Sum(call, Rounded(call, args[0], 1), Rounded(call, args[1], 2))),
            "States.StringSplit" => StringSplit(call, args),
            "States.UUID" => JsonValue.Create(Guid.NewGuid().ToString()),
            _ => throw Fail(call, "is not implemented"),
        };
    }

    private static JsonNode? Resolve(IntrinsicArgument argument, EvalScope scope, string field) => argument switch
    {
        IntrinsicArgument.Literal l => JsonValues.Clone(l.Value),
        IntrinsicArgument.StringLiteral s => JsonValue.Create(s.Value),
        IntrinsicArgument.Path p => new PathExpression(p.Value).Evaluate(scope, field),
        IntrinsicArgument.Call c => c.Value.Evaluate(scope, field),
        _ => throw new InvalidOperationException("unknown argument kind"),
    };

    private static JsonNode Format(IntrinsicCall call, EvalScope scope, string field)
    {
        // The template is a string literal, or a path or variable that holds a string (AWS's recordings show
        // States.Format($AnswerTemplate, ...) and States.Format($.AnswerTemplate, ...)). A literal's backslash escapes are
        // read here; a string from the data is taken as it is (an assumption: no recording has a backslash in one).
        var (raw, escapes) = call.Arguments[0] switch
        {
            IntrinsicArgument.StringLiteral literal => (literal.Raw, true),
            IntrinsicArgument.Path or IntrinsicArgument.Call when Resolve(call.Arguments[0], scope, field) is JsonValue v
                && v.TryGetValue<string>(out var text) => (text, false),
            IntrinsicArgument.Path or IntrinsicArgument.Call => throw Fail(call, "needs a string as its first argument (the template)"),
            _ => throw Fail(call, "needs a string literal, path or variable as its first argument (the template)"),
        };
        var values = call.Arguments.Skip(1).Select(a => Resolve(a, scope, field)).ToArray();
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (escapes && c == '\\' && i + 1 < raw.Length) { sb.Append(raw[++i]); continue; }
            if (c == '{' && i + 1 < raw.Length && raw[i + 1] == '}')
            {
                if (next >= values.Length) throw Fail(call, $"has more '{{}}' placeholders than arguments ({values.Length})");
                sb.Append(FormatValue(values[next++]));
                i++;
                continue;
            }
            sb.Append(c);
        }
        if (next != values.Length) throw Fail(call, $"has {values.Length} argument(s) but {next} '{{}}' placeholder(s)");
        return JsonValue.Create(sb.ToString());
    }

    /// <summary>
    /// A value as AWS writes it into the template: a string as it is, an object as <c>{Arg1=1, Arg2=[]}</c> and an array as
    /// <c>[a, b]</c> (members and items written the same way, strings unquoted), anything else as JSON (test_format_2,
    /// test_context_json_path recordings).
    /// </summary>
    private static string FormatValue(JsonNode? value) => JsonValues.Kind(value) switch
    {
        JsonValueKind.String => value!.GetValue<string>(),
        JsonValueKind.Object => "{" + string.Join(", ", value!.AsObject().Select(kv => kv.Key + "=" + FormatValue(kv.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(", ", value!.AsArray().Select(FormatValue)) + "]",
        _ => JsonValues.Serialize(value),
    };

    private static JsonNode? StringToJson(IntrinsicCall call, JsonNode? arg)
    {
        var text = Str(call, arg, 1);
        // AWS answers null for an empty or blank string (LocalStack's test_string_to_json recordings).
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonNode.Parse(text); }
        catch (JsonException ex) { throw Fail(call, $"argument 1 is not valid JSON: {ex.Message}"); }
    }

    private static JsonNode ArrayPartition(IntrinsicCall call, JsonNode?[] args)
    {
        var items = Array(call, args[0], 1);
        var size = Int(call, args[1], 2);
        if (size <= 0) throw Fail(call, "argument 2 (chunk size) must be a positive integer");
        var result = new JsonArray();
        for (var i = 0; i < items.Count; i += (int)size)
            result.Add(new JsonArray(items.Skip(i).Take((int)size).Select(JsonValues.Clone).ToArray()));
        return result;
    }

    private static JsonNode ArrayRange(IntrinsicCall call, JsonNode?[] args)
    {
        long start = Int(call, args[0], 1), end = Int(call, args[1], 2), step = Int(call, args[2], 3);
        if (step == 0) throw Fail(call, "argument 3 (step) must not be 0");
        var result = new JsonArray();
        for (var v = start; step > 0 ? v <= end : v >= end; v += step)
        {
            // The service caps the generated array at 1000 items.
            if (result.Count == 1000) throw Fail(call, "would produce more than 1000 items");
            result.Add(JsonValue.Create(v));
        }
        return result;
    }

    private static JsonNode? ArrayGetItem(IntrinsicCall call, JsonNode?[] args)
    {
        var items = Array(call, args[0], 1);
        var index = Int(call, args[1], 2);
        if (index < 0 || index >= items.Count) throw Fail(call, $"index {index} is out of range for an array of {items.Count}");
        return JsonValues.Clone(items[(int)index]);
    }

    private static JsonNode ArrayUnique(IntrinsicCall call, JsonNode? arg)
    {
        var result = new JsonArray();
        foreach (var item in Array(call, arg, 1))
            if (!result.Any(x => JsonValues.DeepEquals(x, item))) result.Add(JsonValues.Clone(item));
        return result;
    }

    private static JsonNode Base64Decode(IntrinsicCall call, JsonNode? arg)
    {
        try { return JsonValue.Create(Encoding.UTF8.GetString(Convert.FromBase64String(Data(call, arg, 1)))); }
        catch (FormatException) { throw Fail(call, "argument 1 is not valid Base64"); }
    }

    private static JsonNode Hash(IntrinsicCall call, JsonNode?[] args)
    {
        var data = Encoding.UTF8.GetBytes(Data(call, args[0], 1));
        byte[] digest = Str(call, args[1], 2) switch
        {
            "MD5" => MD5.HashData(data),
            "SHA-1" => SHA1.HashData(data),
            "SHA-256" => SHA256.HashData(data),
            "SHA-384" => SHA384.HashData(data),
            "SHA-512" => SHA512.HashData(data),
            var other => throw Fail(call, $"algorithm '{other}' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"),
        };
        return JsonValue.Create(Convert.ToHexString(digest).ToLowerInvariant());
    }

    private static JsonNode JsonMerge(IntrinsicCall call, JsonNode?[] args)
    {
        if (args[0] is not JsonObject left) throw Fail(call, "argument 1 must be a JSON object");
        if (args[1] is not JsonObject right) throw Fail(call, "argument 2 must be a JSON object");
        if (JsonValues.Kind(args[2]) != JsonValueKind.False)
            throw Fail(call, "argument 3 must be false (the service supports only the shallow merge)");
        var merged = (JsonObject)left.DeepClone();
        foreach (var kv in right) merged[kv.Key] = JsonValues.Clone(kv.Value);
        return merged;
    }

    private static JsonNode MathRandom(IntrinsicCall call, JsonNode?[] args)
    {
        long start = Rounded(call, args[0], 1), end = Rounded(call, args[1], 2);
        if (end <= start) throw Fail(call, "argument 2 (end) must be greater than argument 1 (start)");
        // Start inclusive, end exclusive; an optional seed makes the value repeatable.
        var random = args.Length == 3 ? new Random((int)Int(call, args[2], 3)) : Random.Shared;
        return JsonValue.Create(random.NextInt64(start, end));
    }

    private static JsonNode StringSplit(IntrinsicCall call, JsonNode?[] args)
    {
        var text = Str(call, args[0], 1);
        var separators = Str(call, args[1], 2).ToCharArray();
        var parts = text.Split(separators, StringSplitOptions.RemoveEmptyEntries);
        return new JsonArray(parts.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
    }

    private static List<JsonNode?> Array(IntrinsicCall call, JsonNode? arg, int position) =>
        arg is JsonArray a ? a.ToList() : throw Fail(call, $"argument {position} must be an array");

    private static string Str(IntrinsicCall call, JsonNode? arg, int position) =>
        JsonValues.AsString(arg) ?? throw Fail(call, $"argument {position} must be a string");

    /// <summary>The developer guide: Base64Encode, Base64Decode and Hash take a string of up to 10,000 characters.</summary>
    private static string Data(IntrinsicCall call, JsonNode? arg, int position)
    {
        var text = Str(call, arg, position);
        return text.Length <= MostDataCharacters ? text
            : throw Fail(call, $"argument {position} has {text.Length} characters; it takes at most {MostDataCharacters}");
    }

    private const int MostDataCharacters = 10_000;

    /// <summary>
    /// MathAdd and MathRandom take any number and round it half up, as Java's Math.round does: AWS answers 3 for
    /// States.MathAdd(1.49, 1.5), -3 for (-1.5, -1.51) and 1 for (-0.5, 0.5) (LocalStack's test_math_add recording), and
    /// runs States.MathRandom(12.5, 44.51).
    /// </summary>
    private static long Rounded(IntrinsicCall call, JsonNode? arg, int position)
    {
        if (!JsonValues.IsNumber(arg)) throw Fail(call, $"argument {position} must be a number");
        var d = Math.Floor(JsonValues.ToDouble(arg!) + 0.5);
        return d is >= long.MinValue and <= long.MaxValue ? (long)d : throw Fail(call, $"argument {position} is out of range");
    }

    // A sum past a 64-bit integer fails rather than wrapping round: 9223372036854775807 + 1 answered -9223372036854775808.
    private static long Sum(IntrinsicCall call, long a, long b)
    {
        try { return checked(a + b); }
        catch (OverflowException) { throw Fail(call, "sum is out of the range of a 64-bit integer"); }
    }

    private static long Int(IntrinsicCall call, JsonNode? arg, int position) =>
        JsonValues.TryGetInteger(arg, out var v) ? v : throw Fail(call, $"argument {position} must be an integer");

    private static StatesError Fail(IntrinsicCall call, string problem) =>
        new(ErrorNames.IntrinsicFailure, $"{call.Name} {problem} (in '{call.Text}')");
}
