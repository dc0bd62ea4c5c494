using System.Collections.Generic;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>
/// A parsed expression. Predicates and a grouping object may follow any node; inside a path they apply to each
/// item a step produces (JSONata's "stages"), elsewhere to the node's whole result.
/// </summary>
internal abstract class JsonataNode
{
    protected JsonataNode(int position) => Position = position;

    public int Position { get; }

    public List<JsonataNode>? Predicates { get; set; }

    public List<(JsonataNode Key, JsonataNode Value)>? Group { get; set; }

    /// <summary>Followed by <c>[]</c>: a single result stays an array.</summary>
    public bool KeepArray { get; set; }

    /// <summary>
    /// The predicates were written on a step of a path (JSONata's "stages"). In a tuple stream they filter the step's
    /// whole output with each tuple's variables in scope; otherwise they filter the node's result for each input item.
    /// </summary>
    public bool StagePredicates { get; set; }

    /// <summary><c>step@$name</c>: each result is bound to $name and the context stays the step's input.</summary>
    public string? Focus { get; set; }

    /// <summary><c>step#$name</c> written before any predicate: $name is the result's position among the step's results for one input.</summary>
    public string? Index { get; set; }

    /// <summary>A <c>%</c> further on refers to this step's input: each result remembers it under the slot's label.</summary>
    public ParentSlot? Ancestor { get; set; }

    /// <summary>
    /// From this step on, the path runs as a tuple stream (each item carries its variable bindings). On a path or block:
    /// it hands its tuple stream to the step that contains it, so parents found inside stay known outside.
    /// </summary>
    public bool IsTuple { get; set; }
}

/// <summary>
/// What a <c>%</c> refers to: the parser counts the steps back (Level) and gives the step it reaches the slot as its
/// <see cref="JsonataNode.Ancestor"/>; at run time the parent is the tuple variable named Label.
/// </summary>
internal sealed class ParentSlot(string label, int position)
{
    /// <summary>Not a possible variable name ('!' cannot appear in one), so it cannot clash with the user's.</summary>
    public string Label { get; set; } = label;

    /// <summary>How many steps back the parent still is; 0 once found.</summary>
    public int Level { get; set; } = 1;

    /// <summary>Where the <c>%</c> is, for the S0217 error when no step can supply the parent.</summary>
    public int Position { get; } = position;
}

/// <summary><c>%</c>: the parent of the current context item.</summary>
internal sealed class ParentNode(int position, ParentSlot slot) : JsonataNode(position)
{
    public ParentSlot Slot { get; } = slot;
}

/// <summary>
/// <c>#$name</c> written after a predicate: sits among the step's predicates (stages) and numbers the tuples that the
/// earlier predicates kept, across the whole stream.
/// </summary>
internal sealed class PositionStageNode(int position, string name) : JsonataNode(position)
{
    public string Name { get; } = name;
}

internal sealed class LiteralNode(int position, object value) : JsonataNode(position)
{
    /// <summary>string, double, bool or JsonataNull.</summary>
    public object Value { get; } = value;
}

internal sealed class NameNode(int position, string name) : JsonataNode(position)
{
    public string Name { get; } = name;
}

/// <summary><c>$name</c>; the empty name is the context <c>$</c>, "$" is the root <c>$$</c>.</summary>
internal sealed class VariableNode(int position, string name) : JsonataNode(position)
{
    public string Name { get; } = name;
}

internal sealed class WildcardNode(int position) : JsonataNode(position);

internal sealed class DescendantsNode(int position) : JsonataNode(position);

internal sealed class PathNode(int position, List<JsonataNode> steps) : JsonataNode(position)
{
    public List<JsonataNode> Steps { get; } = steps;

    public bool KeepSingletonArray { get; set; }
}

/// <summary><c>^(&lt;a, &gt;b)</c>, always a step of a path: it sorts everything the earlier steps produced.</summary>
internal sealed class SortNode(int position, List<(JsonataNode Expression, bool Descending)> terms) : JsonataNode(position)
{
    public List<(JsonataNode Expression, bool Descending)> Terms { get; } = terms;
}

internal sealed class BinaryNode(int position, string op, JsonataNode left, JsonataNode right) : JsonataNode(position)
{
    public string Operator { get; } = op;

    public JsonataNode Left { get; } = left;

    public JsonataNode Right { get; } = right;
}

internal sealed class NegateNode(int position, JsonataNode operand) : JsonataNode(position)
{
    public JsonataNode Operand { get; } = operand;
}

internal sealed class ArrayNode(int position, List<JsonataNode> items) : JsonataNode(position)
{
    public List<JsonataNode> Items { get; } = items;

    /// <summary>First or last step of a path: its result is kept as one array instead of being flattened.</summary>
    public bool IsPathConstructor { get; set; }
}

internal sealed class ObjectNode(int position, List<(JsonataNode Key, JsonataNode Value)> pairs) : JsonataNode(position)
{
    public List<(JsonataNode Key, JsonataNode Value)> Pairs { get; } = pairs;
}

internal sealed class BlockNode(int position, List<JsonataNode> expressions) : JsonataNode(position)
{
    public List<JsonataNode> Expressions { get; } = expressions;
}

internal sealed class ConditionNode(int position, JsonataNode condition, JsonataNode then, JsonataNode? otherwise) : JsonataNode(position)
{
    public JsonataNode Condition { get; } = condition;

    public JsonataNode Then { get; } = then;

    public JsonataNode? Otherwise { get; } = otherwise;
}

internal sealed class BindNode(int position, string name, JsonataNode value) : JsonataNode(position)
{
    public string Name { get; } = name;

    public JsonataNode Value { get; } = value;
}

internal sealed class PlaceholderNode(int position) : JsonataNode(position);

internal sealed class CallNode(int position, JsonataNode procedure, List<JsonataNode> arguments) : JsonataNode(position)
{
    public JsonataNode Procedure { get; } = procedure;

    public List<JsonataNode> Arguments { get; } = arguments;

    public bool IsPartial => Arguments.Exists(a => a is PlaceholderNode);
}

internal sealed class LambdaNode(int position, List<string> parameters, JsonataNode body) : JsonataNode(position)
{
    public List<string> Parameters { get; } = parameters;

    public JsonataNode Body { get; } = body;

    /// <summary>From the signature: fewer arguments than this, with <see cref="UsesContext"/>, means the context comes first.</summary>
    public int RequiredArguments { get; init; }

    public bool UsesContext { get; init; }
}

/// <summary><c>lhs ~&gt; rhs</c>: rhs is called with lhs as its first argument.</summary>
internal sealed class ApplyNode(int position, JsonataNode left, JsonataNode right) : JsonataNode(position)
{
    public JsonataNode Left { get; } = left;

    public JsonataNode Right { get; } = right;
}

internal sealed class TransformNode(int position, JsonataNode pattern, JsonataNode update, JsonataNode? delete) : JsonataNode(position)
{
    public JsonataNode Pattern { get; } = pattern;

    public JsonataNode Update { get; } = update;

    public JsonataNode? Delete { get; } = delete;
}

internal sealed class RegexNode(int position, JsonataRegex regex) : JsonataNode(position)
{
    public JsonataRegex Regex { get; } = regex;
}
