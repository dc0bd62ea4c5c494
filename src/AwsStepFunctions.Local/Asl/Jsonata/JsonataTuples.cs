using System.Collections.Generic;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>
/// One item of a tuple stream: the context item and the variables bound on the way to it (<c>@$v</c>, <c>#$i</c>, and
/// the inputs that a <c>%</c> further on needs, under their slot labels).
/// </summary>
/// <remarks>
/// It is kept as the reference keeps it, one object: <c>{"@": item, "v": ..., "i": ..., "!0": parent}</c>, in the order
/// the keys were first set. jsonata-js 2.0.6 lets that object out where it loses track of the stream (a predicate or
/// grouping after a sort, a stream leaving a lambda), and there it is a plain JSON object, so it is shared, not copied.
/// </remarks>
internal sealed class JsonataTuple
{
    /// <summary>The key of the context item; no variable can have that name.</summary>
    public const string ItemKey = "@";

    public JsonataTuple(object? item) : this(new JsonataObject { [ItemKey] = item }) { }

    private JsonataTuple(JsonataObject fields) => Fields = fields;

    /// <summary>The reference's tuple object: the item under "@", each variable under its name without the '$'.</summary>
    public JsonataObject Fields { get; }

    public object? Item
    {
        get => Fields.GetValueOrDefault(ItemKey);
        set => Fields[ItemKey] = value;
    }

    public void Bind(string name, object? value) => Fields[name] = value;

    /// <summary>The tuple whose object is <paramref name="fields"/> (a tuple that came back from being a value).</summary>
    public static JsonataTuple Of(JsonataObject fields) => new(fields);

    public JsonataTuple Copy()
    {
        var fields = new JsonataObject();
        foreach (var (name, value) in Fields) fields[name] = value;
        return new JsonataTuple(fields);
    }

    /// <summary>This tuple extended by one from a nested stream: the nested item and bindings win.</summary>
    public JsonataTuple MergedWith(JsonataTuple inner)
    {
        var merged = Copy();
        foreach (var (name, value) in inner.Fields) merged.Fields[name] = value;
        return merged;
    }

    /// <summary>The scope a step or predicate sees for this tuple (the reference binds "@" too; no '$@' can read it).</summary>
    public JsonataFrame Frame(JsonataFrame parent)
    {
        var frame = new JsonataFrame(parent);
        foreach (var (name, value) in Fields) frame.Bind(name, value);
        return frame;
    }

    /// <summary>
    /// The tuples of one group folded into one: items and each variable are appended in order, so the group's value
    /// sees every member's bindings (<c>$e</c> becomes the list of all <c>$e</c> in the group). A group of one is its
    /// member itself, not a copy, as in the reference (see <c>GroupBy</c> for why that shows).
    /// </summary>
    public static JsonataTuple Merge(List<JsonataTuple> group)
    {
        if (group.Count == 1) return group[0];
        var result = group[0].Copy();
        for (var i = 1; i < group.Count; i++)
        {
            foreach (var (name, value) in group[i].Fields)
                result.Fields[name] = JsonataValues.Append(result.Fields.GetValueOrDefault(name), value);
        }
        return result;
    }
}

/// <summary>
/// The items a path step produced, each with its bindings. It travels between steps of a path that binds variables
/// or supplies a parent, and out of a block that a <c>%</c> looks into. At the end of a path it becomes its items;
/// anywhere else that it ends up, it becomes a value as in the reference (<see cref="AsValue"/>).
/// </summary>
internal sealed class TupleStream : List<JsonataTuple>
{
    public bool KeepSingleton { get; set; }

    /// <summary>
    /// The reference's <c>tupleStream</c> mark, by which its predicates, sorts and groupings know to read each item's
    /// bindings. jsonata-js 2.0.6 drops it when it sorts two or more tuples (its merge sort builds a plain array), and
    /// from there until the next step those see each tuple as a plain object: <c>{"@": item, "e": $e, ...}</c>.
    /// </summary>
    public bool IsMarked { get; init; } = true;

    public static TupleStream Of(IEnumerable<object?> items)
    {
        var stream = new TupleStream();
        foreach (var item in items) stream.Add(new JsonataTuple(item));
        return stream;
    }

    /// <summary>A stream that left its path as a value (see <see cref="AsValue"/>), back as tuples: the same objects.</summary>
    public static TupleStream FromValue(JsonataArray value)
    {
        var stream = new TupleStream { IsMarked = value.IsTupleStream };
        // Only tuple objects are ever marked; anything else the reference would also find no item in.
        foreach (var fields in value) stream.Add(JsonataTuple.Of(fields as JsonataObject ?? new JsonataObject()));
        return stream;
    }

    public JsonataArray Items()
    {
        var items = new JsonataArray { IsSequence = true, KeepSingleton = KeepSingleton };
        foreach (var tuple in this) items.Add(tuple.Item);
        return items;
    }

    /// <summary>
    /// The stream as jsonata-js 2.0.6 hands it on where it is not the end of a path (out of a lambda or a block a
    /// <c>%</c> looked into, into a variable): its tuple objects themselves, never collapsed to one or to undefined.
    /// </summary>
    public JsonataArray AsValue()
    {
        var value = new JsonataArray { IsSequence = true, IsTupleStream = IsMarked };
        foreach (var tuple in this) value.Add(tuple.Fields);
        return value;
    }
}
