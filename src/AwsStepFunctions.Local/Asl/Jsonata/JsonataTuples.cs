using System.Collections.Generic;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>
/// One item of a tuple stream: the context item and the variables bound on the way to it (<c>@$v</c>, <c>#$i</c>, and
/// the inputs that a <c>%</c> further on needs, under their slot labels).
/// </summary>
internal sealed class JsonataTuple
{
    public JsonataTuple(object? item) : this(item, []) { }

    private JsonataTuple(object? item, Dictionary<string, object?> bindings)
    {
        Item = item;
        Bindings = bindings;
    }

    public object? Item { get; set; }

    public Dictionary<string, object?> Bindings { get; }

    public JsonataTuple Copy() => new(Item, new Dictionary<string, object?>(Bindings));

    /// <summary>This tuple extended by one from a nested stream: the nested item and bindings win.</summary>
    public JsonataTuple MergedWith(JsonataTuple inner)
    {
        var merged = Copy();
        merged.Item = inner.Item;
        foreach (var (name, value) in inner.Bindings) merged.Bindings[name] = value;
        return merged;
    }

    /// <summary>The scope a step or predicate sees for this tuple.</summary>
    public JsonataFrame Frame(JsonataFrame parent)
    {
        var frame = new JsonataFrame(parent);
        foreach (var (name, value) in Bindings) frame.Bind(name, value);
        return frame;
    }

    /// <summary>
    /// The tuples of one group folded into one: items and each variable are appended in order, so the group's value
    /// sees every member's bindings (<c>$e</c> becomes the list of all <c>$e</c> in the group).
    /// </summary>
    public static JsonataTuple Merge(List<JsonataTuple> group)
    {
        var result = group[0].Copy();
        for (var i = 1; i < group.Count; i++)
        {
            result.Item = JsonataValues.Append(result.Item, group[i].Item);
            foreach (var (name, value) in group[i].Bindings)
                result.Bindings[name] = JsonataValues.Append(result.Bindings.GetValueOrDefault(name), value);
        }
        return result;
    }
}

/// <summary>
/// The items a path step produced, each with its bindings. It travels between steps of a path that binds variables
/// or supplies a parent, and out of a block that a <c>%</c> looks into; anywhere else it becomes its items.
/// </summary>
internal sealed class TupleStream : List<JsonataTuple>
{
    public bool KeepSingleton { get; set; }

    public static TupleStream Of(IEnumerable<object?> items)
    {
        var stream = new TupleStream();
        foreach (var item in items) stream.Add(new JsonataTuple(item));
        return stream;
    }

    public JsonataArray Items()
    {
        var items = new JsonataArray { IsSequence = true, KeepSingleton = KeepSingleton };
        foreach (var tuple in this) items.Add(tuple.Item);
        return items;
    }
}
