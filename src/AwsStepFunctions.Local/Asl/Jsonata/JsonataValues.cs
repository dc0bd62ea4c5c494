using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Jsonata;

// The engine works on its own value model rather than on JsonNode: a node has one parent and cannot be shared
// between a path result and the input, and JSONata needs "undefined", sequences and functions, which JSON lacks.
// Representation: C# null = undefined, JsonataNull.Value = JSON null, bool, double, string, JsonataArray,
// JsonataObject, JsonataFunction.

/// <summary>JSON null (C# null stands for JSONata's "undefined").</summary>
internal sealed class JsonataNull
{
    public static readonly JsonataNull Value = new();

    private JsonataNull() { }

    public override string ToString() => "null";
}

/// <summary>A JSON array, or a JSONata sequence (IsSequence) that collapses to its single member.</summary>
internal sealed class JsonataArray : List<object?>
{
    public JsonataArray() { }

    public JsonataArray(IEnumerable<object?> items) : base(items) { }

    /// <summary>A result of navigation rather than a literal array: one member means the member, none means undefined.</summary>
    public bool IsSequence { get; init; }

    /// <summary>Set by the <c>[]</c> operator: a sequence of one stays an array.</summary>
    public bool KeepSingleton { get; set; }

    /// <summary>Built by an array constructor inside a path: later steps must not flatten it.</summary>
    public bool IsConstructed { get; set; }

    /// <summary>
    /// A tuple stream that left the path that made it (<see cref="TupleStream.AsValue"/>): its members are the
    /// reference's tuple objects. As in jsonata-js 2.0.6 it never collapses to one member or to undefined, predicates
    /// and groupings still read it as tuples, and everything else sees an array of plain objects.
    /// </summary>
    public bool IsTupleStream { get; init; }

    /// <summary>
    /// Wraps an array given as the whole input, so the input counts as one item: with [{"p":[1]},{"p":[2]}] as
    /// input, p[0] is 1 (the first of all p), as in the reference implementation.
    /// </summary>
    public bool IsOuterWrapper { get; init; }

    /// <summary>The value <c>$</c> stands for: an outer wrapper's content, anything else as it is.</summary>
    public static object? Unwrap(object? value) => value is JsonataArray { IsOuterWrapper: true, Count: > 0 } wrapper ? wrapper[0] : value;

    public static JsonataArray Sequence() => new() { IsSequence = true };

    public JsonataArray With(object? item)
    {
        Add(item);
        return this;
    }

    public static JsonataArray Sequence(object? single)
    {
        var sequence = new JsonataArray { IsSequence = true };
        if (single is not null) sequence.Add(single);
        return sequence;
    }
}

/// <summary>A JSON object; keys keep their insertion order, as in JavaScript.</summary>
internal sealed class JsonataObject : OrderedDictionary<string, object?>
{
    public JsonataObject() : base(StringComparer.Ordinal) { }
}

internal static class JsonataValues
{
    public static object? FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return JsonataNull.Value;
            case JsonObject obj:
                var result = new JsonataObject();
                foreach (var (key, value) in obj) result[key] = FromNode(value);
                return result;
            case JsonArray array:
                var list = new JsonataArray();
                foreach (var item in array) list.Add(FromNode(item));
                return list;
            default:
                var element = node.AsValue();
                return element.GetValueKind() switch
                {
                    JsonValueKind.String => element.GetValue<string>(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Null => JsonataNull.Value,
                    // Going through the text form works for parsed and code-built nodes alike.
                    _ => double.Parse(element.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
                };
        }
    }

    /// <summary>A fresh JsonNode tree; sequences become arrays, functions are refused (JSON cannot carry them).</summary>
    public static JsonNode? ToNode(object? value)
    {
        switch (value)
        {
            case JsonataNull:
                return null;
            case bool b:
                return JsonValue.Create(b);
            case double d:
                return NumberNode(d);
            case string s:
                return JsonValue.Create(s);
            case JsonataArray array:
                var list = new JsonArray();
                foreach (var item in array)
                {
                    // Undefined members cannot be written; JSON.stringify skips them inside arrays too (as null), keep null.
                    list.Add(item is null ? null : ToNode(item));
                }
                return list;
            case JsonataObject obj:
                var result = new JsonObject();
                foreach (var (key, item) in obj)
                {
                    if (item is null) continue;
                    result[key] = ToNode(item);
                }
                return result;
            case JsonataFunction:
                throw new JsonataEvaluationException("T1011", "the expression evaluates to a function, which cannot be turned into JSON");
            default:
                throw new InvalidOperationException($"Unexpected JSONata value {value?.GetType().Name}");
        }
    }

    // Numbers are written the way JavaScript's JSON.stringify writes them: integral doubles as integers (1, not 1.0).
    // Fractions are written in full (0.1 + 0.2 is 0.30000000000000004), as a JSONata result reaches JSON on AWS;
    // only $string and '&' round to 15 significant digits.
    private static JsonNode NumberNode(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
            throw JsonataEvaluationException.Reference("D1001", new() { Value = d });
        if (Math.Floor(d) == d && Math.Abs(d) < 9.2e18) return JsonValue.Create((long)d);
        // Anything else as JavaScript writes it: 12345678901234567000 (a conversion to decimal would keep 15 digits and
        // change the value), 1e+21, 1.5e-7.
        return JsonNode.Parse(NumberText.JavaScriptLayout(d))!;
    }

    public static bool IsArray(object? value) => value is JsonataArray;

    public static bool IsNumber(object? value) => value is double;

    public static bool IsString(object? value) => value is string;

    public static bool IsFunction(object? value) => value is JsonataFunction;

    /// <summary>$type(): the name of a value's kind; undefined has no type.</summary>
    public static string? TypeName(object? value) => value switch
    {
        null => null,
        JsonataNull => "null",
        bool => "boolean",
        double => "number",
        string => "string",
        JsonataArray => "array",
        JsonataFunction => "function",
        _ => "object",
    };

    /// <summary>JSONata's $boolean casting rules; undefined is false here (the function itself returns undefined).</summary>
    public static bool Truthy(object? value) => value switch
    {
        null or JsonataNull => false,
        bool b => b,
        double d => d != 0,
        string s => s.Length > 0,
        JsonataArray array => array.Exists(Truthy),
        JsonataObject obj => obj.Count > 0,
        _ => false,
    };

    public static bool DeepEquals(object? a, object? b)
    {
        switch (a)
        {
            case null:
                return b is null;
            case double x:
                return b is double y && x == y;
            case string s:
                return b is string t && s == t;
            case bool p:
                return b is bool q && p == q;
            case JsonataNull:
                return b is JsonataNull;
            case JsonataArray left:
                if (b is not JsonataArray right || left.Count != right.Count) return false;
                for (var i = 0; i < left.Count; i++) if (!DeepEquals(left[i], right[i])) return false;
                return true;
            case JsonataObject leftObject:
                if (b is not JsonataObject rightObject || leftObject.Count != rightObject.Count) return false;
                foreach (var (key, value) in leftObject)
                {
                    if (!rightObject.TryGetValue(key, out var other) || !DeepEquals(value, other)) return false;
                }
                return true;
            default:
                return ReferenceEquals(a, b);
        }
    }

    /// <summary>Deep copy of arrays and objects (the transform operator edits a copy, never the input).</summary>
    public static object? DeepClone(object? value) => value switch
    {
        JsonataArray array => CloneArray(array),
        JsonataObject obj => CloneObject(obj),
        _ => value,
    };

    private static JsonataArray CloneArray(JsonataArray array)
    {
        var copy = new JsonataArray { IsSequence = array.IsSequence, KeepSingleton = array.KeepSingleton, IsConstructed = array.IsConstructed };
        foreach (var item in array) copy.Add(DeepClone(item));
        return copy;
    }

    private static JsonataObject CloneObject(JsonataObject obj)
    {
        var copy = new JsonataObject();
        foreach (var (key, item) in obj) copy[key] = DeepClone(item);
        return copy;
    }

    /// <summary>The one-level-flattening concatenation that array constructors and $append use.</summary>
    public static object? Append(object? first, object? second)
    {
        if (first is null) return second;
        if (second is null) return first;
        var result = first is JsonataArray firstArray
            ? new JsonataArray(firstArray) { IsSequence = firstArray.IsSequence }
            : JsonataArray.Sequence(first);
        if (second is JsonataArray secondArray) result.AddRange(secondArray);
        else result.Add(second);
        return result;
    }

    /// <summary>Deep flattening used by the wildcard.</summary>
    public static void FlattenInto(object? value, JsonataArray into)
    {
        if (value is JsonataArray array)
        {
            foreach (var item in array) FlattenInto(item, into);
        }
        else if (value is not null)
        {
            into.Add(value);
        }
    }

    /// <summary>Wraps a single value so array functions can treat it as a one-member array.</summary>
    public static JsonataArray AsArray(object? value) => value switch
    {
        JsonataArray array => array,
        null => new JsonataArray(),
        _ => new JsonataArray { value },
    };
}
