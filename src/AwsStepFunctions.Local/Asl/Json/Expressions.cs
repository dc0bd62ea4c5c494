using System;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>What a path or an intrinsic function sees: the state's current data (<c>$</c>) and the context object (<c>$$</c>).</summary>
internal sealed class EvalScope(JsonNode? input, Func<JsonNode> context)
{
    private JsonNode? _context;

    public JsonNode? Input { get; } = input;

    // Built on first use only: most states never read $$.
    public JsonNode Context => _context ??= context();

    public EvalScope WithInput(JsonNode? other) => new(other, () => Context);
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
        var root = Path.IsContext ? scope.Context : scope.Input;
        if (!Path.TryEvaluate(root, out var value))
            throw StatesError.Runtime(
                $"The JSONPath '{Path.Text}' specified for the field '{field}' could not be found in the input '{JsonValues.Serialize(root)}'");
        return JsonValues.Clone(value);
    }
}
