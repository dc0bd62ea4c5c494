using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>
/// Walks the tree for one evaluation. Follows the reference implementation's sequence rules: navigation yields
/// sequences that flatten as they go, a sequence of one is its member and an empty one is undefined.
/// </summary>
internal sealed partial class JsonataEvaluator
{
    /// <summary>Nested function calls allowed before a recursion error (the reference implementation is bounded by the JavaScript stack).</summary>
    public const int MaxCallDepth = 500;

    private readonly JsonataEnvironment environment;
    private readonly object? root;
    private int callDepth;
    private DateTimeOffset? now;

    public JsonataEvaluator(JsonataEnvironment environment, object? root)
    {
        this.environment = environment;
        this.root = root;
    }

    public CancellationToken Cancellation => environment.Cancellation;

    public Random Random => environment.Random;

    /// <summary>$now() and $millis() read the clock once per evaluation, so they agree within one expression.</summary>
    public DateTimeOffset Now => now ??= environment.Time.GetUtcNow();

    public object? Evaluate(JsonataNode node, object? input, JsonataFrame frame) => Evaluate(node, input, frame, tupleStep: false);

    /// <param name="tupleStep">The node is a step of a path running as a tuple stream: a tuple stream it yields is
    /// handed back as it is, and predicates written as the step's stages are left for the caller to apply to the whole
    /// stream. Anywhere else a tuple stream becomes a value as jsonata-js 2.0.6 leaves it: its tuple objects.</param>
    private object? Evaluate(JsonataNode node, object? input, JsonataFrame frame, bool tupleStep)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new JsonataEvaluationException("U1001", "stack overflow: the expression recurses too deeply");
        var result = node switch
        {
            PathNode path => EvaluatePath(path, input, frame),
            LiteralNode literal => literal.Value,
            NameNode name => Lookup(input, name.Name),
            VariableNode variable => EvaluateVariable(variable, input, frame),
            WildcardNode => Wildcard(input),
            DescendantsNode => Descendants(input),
            BinaryNode binary => EvaluateBinary(binary, input, frame),
            NegateNode negate => Negate(negate, input, frame),
            ArrayNode array => EvaluateArray(array, input, frame),
            ObjectNode obj => GroupBy(obj.Pairs, input, frame),
            BlockNode block => EvaluateBlock(block, input, frame),
            ConditionNode condition => JsonataValues.Truthy(Evaluate(condition.Condition, input, frame))
                ? Evaluate(condition.Then, input, frame)
                : condition.Otherwise is null ? null : Evaluate(condition.Otherwise, input, frame),
            BindNode bind => Bind(bind, input, frame),
            CallNode call => EvaluateCall(call, input, frame, applyLeft: false, left: null),
            LambdaNode lambda => new LambdaFunction(lambda, frame, input),
            ApplyNode apply => EvaluateApply(apply, input, frame),
            TransformNode transform => new TransformFunction(transform, frame),
            RegexNode regex => regex.Regex,
            SortNode sort => Sort(sort, JsonataValues.AsArray(input), frame),
            ParentNode parent => frame.TryLookup(parent.Slot.Label, out var found) ? found : null,
            PlaceholderNode => throw new JsonataEvaluationException("S0999", "'?' can only stand for an argument of a function call (partial application)"),
            _ => throw new InvalidOperationException($"Unexpected JSONata node {node.GetType().Name}"),
        };
        if (node.Predicates is not null && !(tupleStep && node.StagePredicates))
        {
            foreach (var predicate in node.Predicates) result = Filter(predicate, result, frame);
        }
        if (node is not PathNode && node.Group is not null) result = GroupBy(node.Group, result, frame);
        if (result is TupleStream tuples) return tupleStep ? tuples : tuples.AsValue();
        if (result is JsonataArray { IsSequence: true, IsTupleStream: false } sequence)
        {
            if (node.KeepArray) sequence.KeepSingleton = true;
            if (sequence.Count == 0) return null;
            if (sequence.Count == 1 && !sequence.KeepSingleton) return sequence[0];
        }
        return result;
    }

    private object? EvaluatePath(PathNode path, object? input, JsonataFrame frame)
    {
        // A variable as the first step is evaluated once; anything else maps over an array context.
        JsonataArray sequence;
        if (path.Steps[0] is VariableNode || input is not JsonataArray inputArray)
        {
            sequence = JsonataArray.Sequence();
            sequence.Add(input);
        }
        else
        {
            sequence = inputArray;
        }
        JsonataArray? result = null;
        for (var i = 0; i < path.Steps.Count; i++)
        {
            // From a step that binds a variable or supplies a parent on, the rest of the path runs as a tuple stream.
            if (path.Steps[i].IsTuple) return EvaluateTupleSteps(path, i, input, sequence, frame);
            if (i == 0 && path.Steps[0] is ArrayNode { IsPathConstructor: true } constructor)
            {
                // [a, b].c: the constructor is evaluated once and the steps after it map over its members.
                var built = Evaluate(constructor, input, frame);
                result = built as JsonataArray ?? JsonataArray.Sequence(built);
            }
            else
            {
                result = EvaluateStep(path.Steps[i], sequence, frame, i == path.Steps.Count - 1);
            }
            if (result.Count == 0) break;
            sequence = result;
        }
        if (path.KeepSingletonArray && result is not null)
        {
            if (result.IsConstructed && !result.IsSequence) result = JsonataArray.Sequence(result);
            result.KeepSingleton = true;
        }
        object? value = result;
        if (path.Group is not null) value = GroupBy(path.Group, value, frame);
        return value;
    }

    private JsonataArray EvaluateStep(JsonataNode step, JsonataArray input, JsonataFrame frame, bool lastStep)
    {
        if (step is SortNode sort)
        {
            object? sorted = Sort(sort, input, frame);
            if (sort.Predicates is not null)
            {
                foreach (var predicate in sort.Predicates) sorted = Filter(predicate, sorted, frame);
            }
            return sorted as JsonataArray ?? JsonataArray.Sequence(sorted);
        }
        var results = new List<object?>(input.Count);
        foreach (var item in input)
        {
            Cancellation.ThrowIfCancellationRequested();
            var value = Evaluate(step, item, frame);
            if (value is not null) results.Add(value);
        }
        // A step that yields one real array at the end of a path keeps it whole: Phone.number where number is [..].
        if (lastStep && results.Count == 1 && results[0] is JsonataArray { IsSequence: false } only) return only;
        var sequence = JsonataArray.Sequence();
        foreach (var value in results)
        {
            if (value is JsonataArray array && !array.IsConstructed) sequence.AddRange(array);
            else sequence.Add(value);
        }
        return sequence;
    }

    /// <summary>A field of an object, or of every object in an array (flattened); $lookup is the same step.</summary>
    internal static object? Lookup(object? input, string key)
    {
        switch (input)
        {
            case JsonataArray array:
                var sequence = JsonataArray.Sequence();
                foreach (var item in array)
                {
                    var value = Lookup(item, key);
                    if (value is JsonataArray inner) sequence.AddRange(inner);
                    else if (value is not null) sequence.Add(value);
                }
                return sequence;
            case JsonataObject obj:
                return obj.TryGetValue(key, out var found) ? found : null;
            default:
                return null;
        }
    }

    private object? EvaluateVariable(VariableNode variable, object? input, JsonataFrame frame)
    {
        if (variable.Name.Length == 0) return JsonataArray.Unwrap(input);
        if (variable.Name == "$") return root;
        if (frame.TryLookup(variable.Name, out var value)) return value;
        return JsonataLibrary.Find(variable.Name);
    }

    private static object? Wildcard(object? input)
    {
        var results = JsonataArray.Sequence();
        // An array's members are its values here, as a JavaScript array's are its properties.
        var values = JsonataArray.Unwrap(input) switch
        {
            JsonataObject obj => obj.Values,
            JsonataArray array => (IEnumerable<object?>)array,
            _ => null,
        };
        if (values is not null)
        {
            foreach (var value in values)
            {
                if (value is JsonataArray array) JsonataValues.FlattenInto(array, results);
                else if (value is not null) results.Add(value);
            }
        }
        return results;
    }

    private static object? Descendants(object? input)
    {
        if (input is null) return null;
        var results = JsonataArray.Sequence();
        CollectDescendants(input, results);
        return results.Count == 1 ? results[0] : results;
    }

    private static void CollectDescendants(object? value, JsonataArray results)
    {
        switch (value)
        {
            case JsonataArray array:
                foreach (var item in array) CollectDescendants(item, results);
                break;
            case JsonataObject obj:
                results.Add(obj);
                foreach (var item in obj.Values) CollectDescendants(item, results);
                break;
            case null:
                break;
            default:
                results.Add(value);
                break;
        }
    }

    /// <summary>A predicate: a number selects by position (negative from the end), anything else filters by truth.</summary>
    private object? Filter(JsonataNode predicate, object? input, JsonataFrame frame)
    {
        if (input is null) return null;
        if (input is TupleStream tuples) return FilterTuples(predicate, tuples, frame);
        if (input is JsonataArray { IsTupleStream: true } escaped) return FilterTuples(predicate, TupleStream.FromValue(escaped), frame);
        var items = input as JsonataArray ?? new JsonataArray { input };
        var results = JsonataArray.Sequence();
        if (predicate is LiteralNode { Value: double literal } && predicate.Predicates is null)
        {
            var index = Position(literal, items.Count);
            if (index >= 0 && index < items.Count)
            {
                if (items[index] is JsonataArray selected) return selected;
                results.Add(items[index]);
            }
            return results;
        }
        for (var i = 0; i < items.Count; i++)
        {
            Cancellation.ThrowIfCancellationRequested();
            var item = items[i];
            var value = Evaluate(predicate, item, frame);
            for (var n = Selections(value, i, items.Count); n > 0; n--) results.Add(item);
        }
        return results;
    }

    /// <summary>How many times a predicate's value keeps the item at <paramref name="index"/>: once per number naming its
    /// position (negative from the end), or once if the value is true.</summary>
    private static int Selections(object? value, int index, int count)
    {
        if (value is double number) return Position(number, count) == index ? 1 : 0;
        if (value is JsonataArray array && array.Count > 0 && array.TrueForAll(v => v is double))
        {
            var selections = 0;
            foreach (var n in array.Cast<double>())
            {
                if (Position(n, count) == index) selections++;
            }
            return selections;
        }
        return JsonataValues.Truthy(value) ? 1 : 0;
    }

    private static int Position(double number, int count)
    {
        var index = (int)Math.Floor(number);
        return index < 0 ? index + count : index;
    }

    /// <summary>
    /// Object constructors: with an array context, items with the same key are grouped before the value is evaluated.
    /// Tuples are grouped the same way; a group's value then sees all its members' bindings, appended. A stream that
    /// lost its mark in a sort is grouped as its plain tuple objects, as in the reference.
    /// </summary>
    private object? GroupBy(List<(JsonataNode Key, JsonataNode Value)> pairs, object? input, JsonataFrame frame)
    {
        var tuples = input as TupleStream ?? (input is JsonataArray { IsTupleStream: true } escaped ? TupleStream.FromValue(escaped) : null);
        IReadOnlyList<object?> items = tuples switch
        {
            { IsMarked: true } => tuples,
            { IsMarked: false } => tuples.ConvertAll(tuple => (object?)tuple.Fields),
            null => input as JsonataArray ?? new JsonataArray { input },
        };
        if (items.Count == 0)
        {
            if (tuples is { IsMarked: true } && pairs.Count > 0) throw EmptyTupleStreamGrouped();
            items = [null];
        }
        var groups = new OrderedDictionary<string, (object? Data, int Pair)>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var (context, scope) = item is JsonataTuple tuple ? (tuple.Item, tuple.Frame(frame)) : (item, frame);
            for (var p = 0; p < pairs.Count; p++)
            {
                var key = Evaluate(pairs[p].Key, context, scope);
                if (key is null) continue;
                if (key is not string name)
                    throw JsonataEvaluationException.Reference("T1003", new() { Value = key });
                if (groups.TryGetValue(name, out var group))
                {
                    if (group.Pair != p)
                        throw JsonataEvaluationException.Reference("D1009", new() { Value = name });
                    if (group.Data is TupleStream members) members.Add((JsonataTuple)item!);
                    else groups[name] = (JsonataValues.Append(group.Data, item), p);
                }
                else
                {
                    groups[name] = (item is JsonataTuple first ? new TupleStream { first } : item, p);
                }
            }
        }
        var result = new JsonataObject();
        foreach (var (name, group) in groups)
        {
            object? value;
            if (group.Data is TupleStream members)
            {
                var merged = JsonataTuple.Merge(members);
                var context = merged.Item;
                // The reference then deletes "@" from the folded tuple, which for a group of one is the member itself:
                // a later key's group holding the same tuple finds no item ($#$i{"a": $, "b": $} on [5] is {"a": 5}).
                merged.Fields.Remove(JsonataTuple.ItemKey);
                value = Evaluate(pairs[group.Pair].Value, context, merged.Frame(frame));
            }
            else
            {
                value = Evaluate(pairs[group.Pair].Value, group.Data, frame);
            }
            if (value is not null) result[name] = value;
        }
        return result;
    }

    /// <summary>
    /// jsonata-js 2.0.6 reads the item of the first tuple of an empty stream and fails with a JavaScript error (2.2.2
    /// gives <c>{}</c>); AWS runs 2.0.6, so the expression must fail here too rather than seem to work.
    /// </summary>
    private static JsonataEvaluationException EmptyTupleStreamGrouped() => new("U1003",
        "a grouping {...} over an empty tuple stream (a path with @, # or % that kept nothing, such as a join that matched " +
        "nothing): JSONata 2.0.6, which Step Functions runs, fails here with \"TypeError: Cannot read properties of " +
        "undefined (reading '@')\"");

    private object? EvaluateArray(ArrayNode node, object? input, JsonataFrame frame)
    {
        var result = new JsonataArray { IsConstructed = node.IsPathConstructor };
        foreach (var item in node.Items)
        {
            var value = Evaluate(item, input, frame);
            if (value is null) continue;
            // A nested constructor stays nested; any other array is spliced in: [1, $x] with $x = [2, 3] is [1, 2, 3].
            if (item is not ArrayNode && value is JsonataArray array) result.AddRange(array);
            else result.Add(value);
        }
        return result;
    }

    private object? EvaluateBlock(BlockNode block, object? input, JsonataFrame frame)
    {
        var inner = new JsonataFrame(frame);
        object? result = null;
        // A block that a '%' looks through passes on its last expression's tuple stream, parents and all.
        for (var i = 0; i < block.Expressions.Count; i++)
            result = Evaluate(block.Expressions[i], input, inner, tupleStep: block.IsTuple && i == block.Expressions.Count - 1);
        return result;
    }

    private object? Bind(BindNode bind, object? input, JsonataFrame frame)
    {
        var value = Evaluate(bind.Value, input, frame);
        frame.Bind(bind.Name, value);
        return value;
    }

    private object? EvaluateCall(CallNode call, object? input, JsonataFrame frame, bool applyLeft, object? left)
    {
        var procedure = Evaluate(call.Procedure, input, frame);
        var arguments = new List<object?>(call.Arguments.Count + 1);
        var placeholders = new List<bool>(call.Arguments.Count + 1);
        if (applyLeft) { arguments.Add(left); placeholders.Add(false); }
        foreach (var argument in call.Arguments)
        {
            var isPlaceholder = argument is PlaceholderNode;
            arguments.Add(isPlaceholder ? null : Evaluate(argument, input, frame));
            placeholders.Add(isPlaceholder);
        }
        if (procedure is not JsonataFunction function)
        {
            // As the reference does, suggest the '$' a caller may have left off a bound name: sum(x) for $sum(x).
            if (procedure is null && ProcedureName(call.Procedure) is { } name && IsBound(name, frame))
                throw JsonataEvaluationException.Reference(call.IsPartial ? "T1007" : "T1005", new() { Token = name });
            throw JsonataEvaluationException.Reference(call.IsPartial ? "T1008" : "T1006");
        }
        if (call.IsPartial) return new PartialFunction(function, arguments, placeholders);
        return Invoke(function, arguments, input);
    }

    private static string? ProcedureName(JsonataNode procedure) => procedure switch
    {
        NameNode name => name.Name,
        PathNode { Steps: [NameNode name, ..] } => name.Name,
        _ => null,
    };

    // The reference tests the variable's value with JavaScript truthiness, so a name bound to 0 or "" gets no hint.
    private static bool IsBound(string name, JsonataFrame frame)
    {
        if (!frame.TryLookup(name, out var value)) return JsonataLibrary.Find(name) is not null;
        return value switch
        {
            null or JsonataNull or false or "" => false,
            double d => d != 0 && !double.IsNaN(d),
            _ => true,
        };
    }

    /// <summary>Every call goes through here, so recursion depth and cancellation are checked in one place.</summary>
    public object? Invoke(JsonataFunction function, List<object?> arguments, object? context)
    {
        Cancellation.ThrowIfCancellationRequested();
        callDepth++;
        try
        {
            if (callDepth > MaxCallDepth)
                throw new JsonataEvaluationException("U1001", $"stack overflow: more than {MaxCallDepth} nested function calls (is a recursive function missing its base case?)");
            // A sequence result is settled by Evaluate, after a following [] has had its say: $map(...)[] keeps an array.
            return function.Invoke(this, arguments, context);
        }
        finally
        {
            callDepth--;
        }
    }

    private object? EvaluateApply(ApplyNode apply, object? input, JsonataFrame frame)
    {
        var left = Evaluate(apply.Left, input, frame);
        if (apply.Right is CallNode { IsPartial: false } call && call.Predicates is null && call.Group is null)
        {
            // x ~> $f(a) is $f(x, a).
            var applied = EvaluateCall(call, input, frame, applyLeft: true, left);
            if (call.KeepArray && applied is JsonataArray { IsSequence: true } kept) kept.KeepSingleton = true;
            return applied;
        }
        var right = Evaluate(apply.Right, input, frame);
        if (right is not JsonataFunction function)
            throw JsonataEvaluationException.Reference("T2006", new() { Value = right });
        if (left is JsonataFunction first) return new ComposedFunction(first, function);
        return Invoke(function, [left], input);
    }

    private object? Sort(SortNode sort, JsonataArray input, JsonataFrame frame) =>
        new JsonataArray(JsonataLibrary.MergeSort([.. input], OrderBy(sort, (expression, item) => Evaluate(expression, item, frame)))) { IsSequence = true };

    /// <summary>The comparison an order-by clause defines; <paramref name="term"/> evaluates one of its terms for an item.</summary>
    private static Comparison<object?> OrderBy(SortNode sort, Func<JsonataNode, object?, object?> term)
    {
        return (a, b) =>
        {
            foreach (var (expression, descending) in sort.Terms)
            {
                var left = term(expression, a);
                var right = term(expression, b);
                if (left is null && right is null) continue;
                if (left is null) return 1;
                if (right is null) return -1;
                if (left is not (double or string) || right is not (double or string))
                    throw JsonataEvaluationException.Reference("T2008", new() { Value = left is double or string ? right : left });
                if (left.GetType() != right.GetType())
                    throw JsonataEvaluationException.Reference("T2007", new() { Value = left, Value2 = right });
                var order = left is double x ? x.CompareTo((double)right) : string.CompareOrdinal((string)left, (string)right);
                if (order != 0) return descending ? -order : order;
            }
            return 0;
        };
    }
}

