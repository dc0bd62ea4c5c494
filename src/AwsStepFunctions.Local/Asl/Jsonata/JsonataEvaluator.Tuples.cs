using System.Collections.Generic;

namespace AwsStepFunctions.Local.Asl.Jsonata;

// Paths with '@', '#' or a step that a '%' refers to run as tuple streams, as in the reference: from the first such
// step on, every item carries the variables bound so far, and each later step, predicate, sort and grouping sees them.
// Paths without them never come here.
internal sealed partial class JsonataEvaluator
{
    /// <summary>Runs the steps of <paramref name="path"/> from <paramref name="first"/> on as a tuple stream.</summary>
    private object? EvaluateTupleSteps(PathNode path, int first, object? input, JsonataArray sequence, JsonataFrame frame)
    {
        TupleStream? tuples = null;
        for (var i = first; i < path.Steps.Count; i++)
        {
            var step = path.Steps[i];
            if (i == 0 && step is ArrayNode { IsPathConstructor: true } constructor)
            {
                // [a, b]@$v.c: the constructor is evaluated once, as elsewhere. As in the reference, bindings and stages
                // on it are not applied, and after '@' the path goes on from its input rather than from the members.
                var built = Evaluate(constructor, input, frame, tupleStep: true);
                if (step.Focus is null) sequence = built as JsonataArray ?? JsonataArray.Sequence(built);
                continue;
            }
            tuples = step is SortNode sort ? SortStep(sort, sequence, tuples, frame) : TupleStep(step, sequence, tuples, frame);
        }
        tuples ??= [];
        tuples.KeepSingleton = path.KeepSingletonArray;
        if (path.Group is not null) return GroupBy(path.Group, tuples, frame);
        // A path that a '%' outside it looks into hands over its tuples, so the parents it found stay known.
        return path.IsTuple ? tuples : tuples.Items();
    }

    /// <summary>One step for every tuple; each result becomes a tuple of its own, with the step's bindings added.</summary>
    private TupleStream TupleStep(JsonataNode step, JsonataArray input, TupleStream? tuples, JsonataFrame frame)
    {
        tuples ??= TupleStream.Of(input);
        var results = new TupleStream();
        foreach (var tuple in tuples)
        {
            Cancellation.ThrowIfCancellationRequested();
            switch (Evaluate(step, tuple.Item, tuple.Frame(frame), tupleStep: true))
            {
                case null:
                    break;
                case TupleStream nested:
                    foreach (var inner in nested) results.Add(tuple.MergedWith(inner));
                    break;
                case JsonataArray { IsTupleStream: true } escaped:
                    // A stream that came back as a value (out of a lambda, through a variable) is still tuples here.
                    foreach (var inner in TupleStream.FromValue(escaped)) results.Add(tuple.MergedWith(inner));
                    break;
                case JsonataArray array:
                    // Every member counts, even of a constructed array: they are what the binding ranges over.
                    for (var i = 0; i < array.Count; i++) results.Add(Extend(step, tuple, array[i], i));
                    break;
                case var value:
                    results.Add(Extend(step, tuple, value, 0));
                    break;
            }
        }
        return step.StagePredicates ? ApplyStages(step, results, frame) : results;
    }

    private static JsonataTuple Extend(JsonataNode step, JsonataTuple tuple, object? value, int position)
    {
        var next = tuple.Copy();
        // @$v binds the result and leaves the context where it was; @$ (no name) binds nothing, as in the reference.
        if (string.IsNullOrEmpty(step.Focus)) next.Item = value;
        else next.Bind(step.Focus, value);
        if (!string.IsNullOrEmpty(step.Index)) next.Bind(step.Index, (double)position);
        if (step.Ancestor is { } slot) next.Bind(slot.Label, tuple.Item);
        return next;
    }

    /// <summary>
    /// <c>^(...)</c> in a tuple stream, exactly as jsonata-js 2.0.6 runs it, odd as that is in two ways (AWS runs 2.0.6,
    /// so an expression must not work here and fail there; see the README). Sorting two or more tuples drops the stream's
    /// mark, so the predicates and sorts straight after it read the tuple objects rather than the items and their
    /// bindings (<c>Employee@$e^($e.Surname)[$e.FirstName="Fred"]</c> finds nothing). And a <c>#$i</c> on the sort only
    /// counts where the sort starts the stream; after <c>@</c> or <c>#</c> it binds nothing.
    /// </summary>
    private TupleStream SortStep(SortNode sort, JsonataArray input, TupleStream? tuples, JsonataFrame frame)
    {
        TupleStream sorted;
        if (tuples is null)
        {
            sorted = TupleStream.Of(JsonataValues.AsArray(Sort(sort, input, frame)));
            // The reference numbers the sorted items under the sort's index name even when it has none: a sort that
            // starts a stream without '#$i' on it ($^($)[$>1]#$i) binds $undefined.
            var name = sort.Index ?? "undefined";
            for (var i = 0; i < sorted.Count; i++) sorted[i].Bind(name, (double)i);
        }
        else if (tuples.Count <= 1)
        {
            // Nothing to sort: the reference hands back the same stream, mark and all.
            sorted = tuples;
        }
        else
        {
            var order = OrderBy(sort, (expression, item) =>
            {
                var tuple = (JsonataTuple)item!;
                return tuples.IsMarked ? Evaluate(expression, tuple.Item, tuple.Frame(frame)) : Evaluate(expression, tuple.Fields, frame);
            });
            sorted = new TupleStream { IsMarked = false };
            foreach (var tuple in JsonataLibrary.MergeSort([.. tuples], order)) sorted.Add((JsonataTuple)tuple!);
        }
        return ApplyStages(sort, sorted, frame);
    }

    /// <summary>A step's predicates and <c>#$i</c> written after them, in order, over the step's whole output.</summary>
    private TupleStream ApplyStages(JsonataNode step, TupleStream tuples, JsonataFrame frame)
    {
        if (step.Predicates is null) return tuples;
        foreach (var stage in step.Predicates)
        {
            if (stage is not PositionStageNode position)
            {
                tuples = FilterTuples(stage, tuples, frame);
            }
            else
            {
                // In place, as the reference does, and even for '#$' (a key "" that no variable can read).
                for (var i = 0; i < tuples.Count; i++) tuples[i].Bind(position.Name, (double)i);
            }
        }
        return tuples;
    }

    /// <summary>
    /// A predicate over a tuple stream: with each tuple's item as the context and its bindings in scope, or, on a stream
    /// that lost its mark in a sort, with the tuple object as the context and no bindings (as in the reference).
    /// </summary>
    private TupleStream FilterTuples(JsonataNode predicate, TupleStream tuples, JsonataFrame frame)
    {
        var results = new TupleStream { IsMarked = tuples.IsMarked };
        if (predicate is LiteralNode { Value: double literal } && predicate.Predicates is null)
        {
            var index = Position(literal, tuples.Count);
            if (index >= 0 && index < tuples.Count) results.Add(tuples[index]);
            return results;
        }
        for (var i = 0; i < tuples.Count; i++)
        {
            Cancellation.ThrowIfCancellationRequested();
            var tuple = tuples[i];
            var value = tuples.IsMarked ? Evaluate(predicate, tuple.Item, tuple.Frame(frame)) : Evaluate(predicate, tuple.Fields, frame);
            for (var n = Selections(value, i, tuples.Count); n > 0; n--) results.Add(tuple);
        }
        return results;
    }
}
