using System;
using System.Collections.Generic;

namespace AwsStepFunctions.Local.Asl.Jsonata;

internal sealed partial class JsonataEvaluator
{
    // Ranges are built in memory; the reference refuses more than ten million members too.
    private const int MaxRangeSize = 10_000_000;

    private object? EvaluateBinary(BinaryNode node, object? input, JsonataFrame frame)
    {
        switch (node.Operator)
        {
            case "and":
                return JsonataValues.Truthy(Evaluate(node.Left, input, frame)) && JsonataValues.Truthy(Evaluate(node.Right, input, frame));
            case "or":
                return JsonataValues.Truthy(Evaluate(node.Left, input, frame)) || JsonataValues.Truthy(Evaluate(node.Right, input, frame));
            case "??":
                return Evaluate(node.Left, input, frame) ?? Evaluate(node.Right, input, frame);
            case "?:":
                var candidate = Evaluate(node.Left, input, frame);
                return JsonataValues.Truthy(candidate) ? candidate : Evaluate(node.Right, input, frame);
        }
        var left = Evaluate(node.Left, input, frame);
        var right = Evaluate(node.Right, input, frame);
        switch (node.Operator)
        {
            case "+" or "-" or "*" or "/" or "%":
                return Arithmetic(node.Operator, left, right);
            case "=":
                return left is not null && right is not null && JsonataValues.DeepEquals(left, right);
            case "!=":
                return left is not null && right is not null && !JsonataValues.DeepEquals(left, right);
            case "<" or "<=" or ">" or ">=":
                return Compare(node.Operator, left, right);
            case "&":
                return ConcatText(left) + ConcatText(right);
            case "in":
                return In(left, right);
            case "..":
                return Range(left, right);
        }
        throw new InvalidOperationException($"Unexpected operator {node.Operator}");
    }

    private static object? Arithmetic(string op, object? left, object? right)
    {
        if (left is not null && left is not double)
            throw JsonataEvaluationException.Reference("T2001", new() { Token = op, Value = left });
        if (right is not null && right is not double)
            throw JsonataEvaluationException.Reference("T2002", new() { Token = op, Value = right });
        if (left is null || right is null) return null;
        double x = (double)left, y = (double)right;
        var result = op switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" => x / y,
            _ => x % y,
        };
        if (double.IsNaN(result) || double.IsInfinity(result))
            throw JsonataEvaluationException.Reference("D1001", new() { Value = result });
        return result;
    }

    private static object? Compare(string op, object? left, object? right)
    {
        if (left is not (null or double or string))
            throw JsonataEvaluationException.Reference("T2010", new() { Token = op, Value = left });
        if (right is not (null or double or string))
            throw JsonataEvaluationException.Reference("T2010", new() { Token = op, Value = right });
        if (left is null || right is null) return null;
        if (left.GetType() != right.GetType())
            throw JsonataEvaluationException.Reference("T2009", new() { Token = op, Value = left, Value2 = right });
        var order = left is double x ? x.CompareTo((double)right) : string.CompareOrdinal((string)left, (string)right);
        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    private static string ConcatText(object? value) => value is null ? "" : JsonataLibrary.ToText(value, pretty: false);

    // The reference compares with JavaScript's ===: equal primitives, or the very same object.
    private static bool In(object? left, object? right)
    {
        if (left is null || right is null) return false;
        foreach (var item in JsonataValues.AsArray(right))
        {
            if (item is double or string or bool or JsonataNull ? JsonataValues.DeepEquals(item, left) : ReferenceEquals(item, left)) return true;
        }
        return false;
    }

    private static object? Range(object? left, object? right)
    {
        if (left is not null && !(left is double l && Math.Floor(l) == l))
            throw JsonataEvaluationException.Reference("T2003", new() { Value = left });
        if (right is not null && !(right is double r && Math.Floor(r) == r))
            throw JsonataEvaluationException.Reference("T2004", new() { Value = right });
        if (left is null || right is null) return null;
        double from = (double)left, to = (double)right;
        if (from > to) return null;
        if (to - from + 1 > MaxRangeSize)
            throw JsonataEvaluationException.Reference("D2014", new() { Value = to - from + 1 });
        var result = JsonataArray.Sequence();
        for (var n = from; n <= to; n++) result.Add(n);
        return result;
    }

    private object? Negate(NegateNode node, object? input, JsonataFrame frame)
    {
        var value = Evaluate(node.Operand, input, frame);
        return value switch
        {
            null => null,
            double d => -d,
            _ => throw JsonataEvaluationException.Reference("D1002", new() { Token = "-", Value = value }),
        };
    }

}

/// <summary>The value of <c>| pattern | update, delete |</c>: a function that edits a deep copy of its argument.</summary>
internal sealed class TransformFunction(TransformNode node, JsonataFrame frame) : JsonataFunction
{
    public override int Arity => 1;

    public override object? Invoke(JsonataEvaluator evaluator, List<object?> arguments, object? context)
    {
        var target = arguments.Count > 0 ? arguments[0] : null;
        if (target is null) return null;
        if (target is not (JsonataObject or JsonataArray))
            // The reference's transform is a function without a name, so its message reads "function undefined".
            throw JsonataEvaluationException.Reference("T0410", new() { Index = 1 });
        var copy = JsonataValues.DeepClone(target);
        var matches = evaluator.Evaluate(node.Pattern, copy, frame);
        foreach (var match in JsonataValues.AsArray(matches))
        {
            if (match is not JsonataObject obj) continue;
            var update = evaluator.Evaluate(node.Update, obj, frame);
            if (update is not null)
            {
                if (update is not JsonataObject changes)
                    throw JsonataEvaluationException.Reference("T2011", new() { Value = update });
                foreach (var (key, value) in changes) obj[key] = value;
            }
            if (node.Delete is null) continue;
            var delete = evaluator.Evaluate(node.Delete, obj, frame);
            if (delete is null) continue;
            var keys = JsonataValues.AsArray(delete);
            if (!keys.TrueForAll(key => key is string))
                throw JsonataEvaluationException.Reference("T2012", new() { Value = delete });
            foreach (var key in keys) obj.Remove((string)key!);
        }
        return copy;
    }
}
