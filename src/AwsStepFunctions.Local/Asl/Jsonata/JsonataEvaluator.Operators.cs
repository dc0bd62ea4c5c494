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
            throw new JsonataEvaluationException("T2001", $"the left side of the '{op}' operator must evaluate to a number, not {Describe(left)}");
        if (right is not null && right is not double)
            throw new JsonataEvaluationException("T2002", $"the right side of the '{op}' operator must evaluate to a number, not {Describe(right)}");
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
            throw new JsonataEvaluationException("D1001", $"number out of range: {x} {op} {y} is not a finite number");
        return result;
    }

    private static object? Compare(string op, object? left, object? right)
    {
        if (left is not (null or double or string))
            throw new JsonataEvaluationException("T2010", $"the expressions either side of operator '{op}' must evaluate to numeric or string values, not {Describe(left)}");
        if (right is not (null or double or string))
            throw new JsonataEvaluationException("T2010", $"the expressions either side of operator '{op}' must evaluate to numeric or string values, not {Describe(right)}");
        if (left is null || right is null) return null;
        if (left.GetType() != right.GetType())
            throw new JsonataEvaluationException("T2009", $"the values {NumberText.Stringify(left, false)} and {NumberText.Stringify(right, false)} either side of operator '{op}' must be of the same data type");
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
            throw new JsonataEvaluationException("T2003", $"the left side of the range operator (..) must evaluate to an integer, not {Describe(left)}");
        if (right is not null && !(right is double r && Math.Floor(r) == r))
            throw new JsonataEvaluationException("T2004", $"the right side of the range operator (..) must evaluate to an integer, not {Describe(right)}");
        if (left is null || right is null) return null;
        double from = (double)left, to = (double)right;
        if (from > to) return null;
        if (to - from + 1 > MaxRangeSize)
            throw new JsonataEvaluationException("D2014", $"the size of the sequence allocated by the range operator (..) must not exceed {MaxRangeSize}");
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
            _ => throw new JsonataEvaluationException("D1002", $"cannot negate a non-numeric value: {Describe(value)}"),
        };
    }

    internal static string Describe(object? value) => value switch
    {
        null => "undefined",
        JsonataFunction => "a function",
        _ => $"{JsonataValues.TypeName(value)} {Shorten(NumberText.Stringify(value, false))}",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
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
            throw new JsonataEvaluationException("T0410", $"the transform operator applies to an object or array, not {JsonataEvaluator.Describe(target)}");
        var copy = JsonataValues.DeepClone(target);
        var matches = evaluator.Evaluate(node.Pattern, copy, frame);
        foreach (var match in JsonataValues.AsArray(matches))
        {
            if (match is not JsonataObject obj) continue;
            var update = evaluator.Evaluate(node.Update, obj, frame);
            if (update is not null)
            {
                if (update is not JsonataObject changes)
                    throw new JsonataEvaluationException("T2011", $"the insert/update clause of the transform expression must evaluate to an object, not {JsonataEvaluator.Describe(update)}");
                foreach (var (key, value) in changes) obj[key] = value;
            }
            if (node.Delete is null) continue;
            var delete = evaluator.Evaluate(node.Delete, obj, frame);
            if (delete is null) continue;
            foreach (var key in JsonataValues.AsArray(delete))
            {
                if (key is not string name)
                    throw new JsonataEvaluationException("T2012", $"the delete clause of the transform expression must evaluate to a string or array of strings, not {JsonataEvaluator.Describe(key)}");
                obj.Remove(name);
            }
        }
        return copy;
    }
}
