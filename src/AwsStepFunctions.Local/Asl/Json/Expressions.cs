using System;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// What a path or an intrinsic function sees: the state's current data (<c>$</c>), the context object (<c>$$</c>)
/// and the workflow variables (<c>$name</c>).
/// </summary>
internal sealed class EvalScope(JsonNode? input, Func<JsonNode> context, VariableScope? variables = null)
{
    private JsonNode? _context;

    public JsonNode? Input { get; } = input;

    // Built on first use only: most states never read $$.
    public JsonNode Context => _context ??= context();

    public EvalScope WithInput(JsonNode? other) => new(other, () => Context, variables);

    /// <summary>
    /// Evaluates <paramref name="path"/> from the root it names (<c>$</c>, <c>$$</c> or a variable). False when nothing
    /// is there, an undefined variable included. The value is not copied.
    /// </summary>
    public bool TryRead(JsonPath path, out JsonNode? value)
    {
        JsonNode? root;
        if (path.IsContext) root = Context;
        else if (path.Variable is null) root = Input;
        else if (variables is null || !variables.TryGet(path.Variable, out root))
        {
            value = null;
            return false;
        }
        return path.TryEvaluate(root, out value);
    }

    /// <summary>Names what a path that found nothing was read from, for the error's cause.</summary>
    public string Where(JsonPath path)
    {
        // AWS calls the context object "the input" too.
        if (path.IsContext) return $"the input '{JsonValues.Serialize(Context)}'";
        if (path.Variable is null) return $"the input '{JsonValues.Serialize(Input)}'";
        return variables is not null && variables.TryGet(path.Variable, out var value)
            ? $"the variable '${path.Variable}' = '{JsonValues.Serialize(value)}'"
            : $"the variables: '${path.Variable}' is not assigned";
    }
}

/// <summary>The value side of a <c>"key.$"</c> field: a path or an intrinsic function call.</summary>
internal abstract class ValueExpression
{
    public abstract string Text { get; }

    /// <summary>Returns a node the caller may attach anywhere (already a copy).</summary>
    public abstract JsonNode? Evaluate(EvalScope scope, string field);

    /// <summary>Compiles a path or an intrinsic call (once, when the definition is created). Throws FormatException.</summary>
    public static ValueExpression Compile(string text) =>
        text.StartsWith("States.", StringComparison.Ordinal) ? IntrinsicParser.Parse(text) : new PathExpression(JsonPath.Parse(text));
}

internal sealed class PathExpression(JsonPath path) : ValueExpression
{
    public JsonPath Path { get; } = path;

    public override string Text => Path.Text;

    public override JsonNode? Evaluate(EvalScope scope, string field)
    {
        if (!scope.TryRead(Path, out var value))
            throw StatesError.Runtime($"The JSONPath '{Path.Text}' specified for the field '{field}' could not be found in {scope.Where(Path)}");
        return JsonValues.Clone(value);
    }
}
