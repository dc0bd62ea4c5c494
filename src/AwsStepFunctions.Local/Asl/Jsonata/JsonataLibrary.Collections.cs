using System;
using System.Collections.Generic;
using System.Linq;

namespace AwsStepFunctions.Local.Asl.Jsonata;

internal static partial class JsonataLibrary
{
    private static void AddArrayFunctions(Register add)
    {
        add("count", 0, 1, false, call => call[0] switch
        {
            null => 0.0,
            JsonataArray array => (double)array.Count,
            _ => 1.0,
        });
        add("append", 2, 2, false, call => JsonataValues.Append(call[0], call[1]));
        add("reverse", 1, 1, false, call =>
        {
            if (call.Array(0) is not { } items) return null;
            var copy = new JsonataArray(items);
            copy.Reverse();
            return copy;
        });
        add("shuffle", 1, 1, false, call =>
        {
            if (call.Array(0) is not { } items) return null;
            var copy = items.ToArray();
            call.Evaluator.Random.Shuffle(copy);
            return new JsonataArray(copy);
        });
        add("distinct", 1, 1, false, call =>
        {
            if (call[0] is not JsonataArray items) return call[0];
            var result = new JsonataArray { IsSequence = items.IsSequence };
            foreach (var item in items)
            {
                if (!result.Exists(seen => JsonataValues.DeepEquals(seen, item))) result.Add(item);
            }
            return result;
        });
        add("zip", 0, int.MaxValue, false, call =>
        {
            var arrays = call.Arguments.Select(a => JsonataValues.AsArray(a)).ToList();
            var result = new JsonataArray();
            if (arrays.Count == 0) return result;
            var length = call.Arguments.Any(a => a is null) ? 0 : arrays.Min(a => a.Count);
            for (var i = 0; i < length; i++) result.Add(new JsonataArray(arrays.Select(a => a[i])));
            return result;
        });
        add("sort", 1, 2, false, SortFunction);
    }

    private static object? SortFunction(BuiltinCall call)
    {
        if (call.Array(0) is not { } items) return null;
        if (items.Count <= 1) return new JsonataArray(items);
        var comparator = call.Function(1);
        var evaluator = call.Evaluator;
        Comparison<object?> compare;
        if (comparator is null)
        {
            if (items.TrueForAll(i => i is double)) compare = (a, b) => ((double)a!).CompareTo((double)b!);
            else if (items.TrueForAll(i => i is string)) compare = (a, b) => string.CompareOrdinal((string)a!, (string)b!);
            else throw JsonataEvaluationException.Reference("D3070");
        }
        else
        {
            // The comparator answers "should a come after b?", so true means b sorts first.
            compare = (a, b) => JsonataValues.Truthy(evaluator.Invoke(comparator, [a, b], null)) ? 1 : 0;
        }
        return new JsonataArray(MergeSort(items.ToList(), compare));
    }

    // Stable, and asks only "does a belong after b", which is all a JSONata comparator can say.
    internal static List<object?> MergeSort(List<object?> items, Comparison<object?> compare)
    {
        if (items.Count <= 1) return items;
        var middle = items.Count / 2;
        var left = MergeSort(items.GetRange(0, middle), compare);
        var right = MergeSort(items.GetRange(middle, items.Count - middle), compare);
        var result = new List<object?>(items.Count);
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            if (compare(left[i], right[j]) > 0) result.Add(right[j++]);
            else result.Add(left[i++]);
        }
        while (i < left.Count) result.Add(left[i++]);
        while (j < right.Count) result.Add(right[j++]);
        return result;
    }

    private static void AddObjectFunctions(Register add)
    {
        add("keys", 1, 1, true, call => Sequence(Keys(call[0])));
        add("lookup", 2, 2, true, call => JsonataEvaluator.Lookup(call[0], call.String(1)!));
        add("spread", 1, 1, true, call => Spread(call[0]));
        add("merge", 1, 1, false, call =>
        {
            if (call.Array(0) is not { } items) return null;
            var result = new JsonataObject();
            foreach (var item in items)
            {
                if (item is not JsonataObject obj) throw call.ArrayMismatch(0, "objects");
                foreach (var (key, value) in obj) result[key] = value;
            }
            return result;
        });
        add("each", 2, 2, true, call =>
        {
            if (call.Object(0) is not { } obj) return null;
            var function = call.Function(1)!;
            var result = JsonataArray.Sequence();
            foreach (var (key, value) in obj.ToList())
            {
                var item = call.Evaluator.Invoke(function, ArgumentsFor(function, value, key, obj), call.Context);
                if (item is not null) result.Add(item);
            }
            return result;
        });
        add("sift", 2, 2, true, call =>
        {
            if (call.Object(0) is not { } obj) return null;
            var function = call.Function(1)!;
            var result = new JsonataObject();
            foreach (var (key, value) in obj.ToList())
            {
                if (JsonataValues.Truthy(call.Evaluator.Invoke(function, ArgumentsFor(function, value, key, obj), call.Context))) result[key] = value;
            }
            return result.Count == 0 ? null : result;
        });
        add("error", 0, 1, false, call =>
            throw JsonataEvaluationException.Reference("D3137", new() { Message = call.String(0) ?? "$error() function evaluated" }));
        add("assert", 1, 2, false, call =>
        {
            if (call[0] is not bool condition) throw call.Mismatch(0);
            if (!condition) throw JsonataEvaluationException.Reference("D3141", new() { Message = call.String(1) ?? "$assert() statement failed" });
            return null;
        });
        add("type", 1, 1, false, call => JsonataValues.TypeName(call[0]));
        add("boolean", 1, 1, true, call => call[0] is null ? null : JsonataValues.Truthy(call[0]));
        add("not", 1, 1, true, call => call[0] is null ? null : !JsonataValues.Truthy(call[0]));
        add("exists", 1, 1, false, call => call[0] is not null);
    }

    private static IEnumerable<object?> Keys(object? value)
    {
        switch (value)
        {
            case JsonataArray array:
                var seen = new List<string>();
                foreach (var item in array)
                {
                    foreach (var key in Keys(item)) if (key is string name && !seen.Contains(name)) seen.Add(name);
                }
                return seen;
            case JsonataObject obj:
                return obj.Keys.ToList();
            default:
                return [];
        }
    }

    private static object? Spread(object? value)
    {
        switch (value)
        {
            case JsonataArray array:
                object? result = JsonataArray.Sequence();
                foreach (var item in array) result = JsonataValues.Append(result, Spread(item));
                return result;
            case JsonataObject obj:
                return Sequence(obj.Select(pair => (object?)new JsonataObject { [pair.Key] = pair.Value }));
            default:
                return value;
        }
    }

    /// <summary>Higher-order functions pass (value, index-or-key, collection), but only as many as the function declares.</summary>
    private static List<object?> ArgumentsFor(JsonataFunction function, object? value, object? second, object? third)
    {
        var arguments = new List<object?> { value };
        if (function.Arity >= 2) arguments.Add(second);
        if (function.Arity >= 3) arguments.Add(third);
        return arguments;
    }

    private static void AddHigherOrderFunctions(Register add)
    {
        add("map", 2, 2, false, call =>
        {
            if (call.Array(0) is not { } items) return null;
            var function = call.Function(1)!;
            var result = JsonataArray.Sequence();
            for (var i = 0; i < items.Count; i++)
            {
                var value = call.Evaluator.Invoke(function, ArgumentsFor(function, items[i], (double)i, items), call.Context);
                if (value is not null) result.Add(value);
            }
            return result;
        });
        add("filter", 2, 2, false, call =>
        {
            if (call.Array(0) is not { } items) return null;
            var function = call.Function(1)!;
            var result = JsonataArray.Sequence();
            for (var i = 0; i < items.Count; i++)
            {
                if (JsonataValues.Truthy(call.Evaluator.Invoke(function, ArgumentsFor(function, items[i], (double)i, items), call.Context))) result.Add(items[i]);
            }
            return result;
        });
        add("single", 1, 2, false, call =>
        {
            if (call.Array(0) is not { } items) return null;
            var function = call.Function(1);
            object? found = null;
            var matches = 0;
            for (var i = 0; i < items.Count; i++)
            {
                var keep = function is null || JsonataValues.Truthy(call.Evaluator.Invoke(function, ArgumentsFor(function, items[i], (double)i, items), call.Context));
                if (!keep) continue;
                if (++matches > 1) throw JsonataEvaluationException.Reference("D3138");
                found = items[i];
            }
            if (matches == 0) throw JsonataEvaluationException.Reference("D3139");
            return found;
        });
        add("reduce", 2, 3, false, call =>
        {
            if (call.Array(0) is not { } items) return null;
            var function = call.Function(1)!;
            if (function.Arity < 2) throw JsonataEvaluationException.Reference("D3050");
            var start = 0;
            object? accumulator;
            if (call.Count >= 3 && call[2] is not null) accumulator = call[2];
            else if (items.Count == 0) return null;
            else { accumulator = items[0]; start = 1; }
            for (var i = start; i < items.Count; i++)
            {
                var arguments = new List<object?> { accumulator, items[i] };
                if (function.Arity >= 3) arguments.Add((double)i);
                if (function.Arity >= 4) arguments.Add(items);
                accumulator = call.Evaluator.Invoke(function, arguments, call.Context);
            }
            return accumulator;
        });
    }
}
