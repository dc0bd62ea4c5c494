using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>
/// A JSONata expression, parsed once (when the state machine is created) and evaluated for each state run.
/// Covers JSONata 2.0 as Step Functions runs it (no $eval; $parse, $partition, $range, $hash, $uuid and a seeded
/// $random added), the parent (%), focus (@) and index (#) operators included. The 2.1 operators ?? and ?: are
/// refused when parsing. See README.md in this folder.
/// </summary>
internal sealed class JsonataExpression
{
    private readonly JsonataNode root;

    private JsonataExpression(string text, JsonataNode root)
    {
        Text = text;
        this.root = root;
    }

    public string Text { get; }

    /// <exception cref="JsonataSyntaxException">The text is not a JSONata expression this engine can run.</exception>
    public static JsonataExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new JsonataExpression(text, JsonataParser.Parse(text));
    }

    /// <summary>
    /// Evaluates against <paramref name="input"/> (the context <c>$</c> and root <c>$$</c>) with variables named
    /// without their '$'. False when the result is undefined; otherwise a freshly built node (null for JSON null).
    /// </summary>
    /// <exception cref="JsonataEvaluationException">A runtime error, such as T2001 for <c>"a" + 1</c>.</exception>
    public bool TryEvaluate(JsonNode? input, IReadOnlyDictionary<string, JsonNode?> bindings, JsonataEnvironment environment, out JsonNode? value) =>
        // Converting copies the input, so nothing the expression does can reach the caller's tree.
        Evaluate(JsonataValues.FromNode(input), bindings, environment, out value);

    /// <summary>
    /// Evaluates with no context at all, as Step Functions does: a state's data is reached only through variables
    /// (<c>$states.input</c>), so a bare field name or <c>$</c> at the top is undefined rather than the state's input.
    /// </summary>
    public bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> bindings, JsonataEnvironment environment, out JsonNode? value) =>
        Evaluate(null, bindings, environment, out value);

    private bool Evaluate(object? context, IReadOnlyDictionary<string, JsonNode?> bindings, JsonataEnvironment environment, out JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentNullException.ThrowIfNull(environment);
        var frame = new JsonataFrame(null);
        foreach (var (name, bound) in bindings) frame.Bind(name, JsonataValues.FromNode(bound));
        var evaluator = new JsonataEvaluator(environment, context);
        object? focus = context;
        if (context is JsonataArray array) focus = new JsonataArray { IsSequence = true, IsOuterWrapper = true }.With(array);
        var result = evaluator.Evaluate(root, focus, frame);
        if (result is null)
        {
            value = null;
            return false;
        }
        value = JsonataValues.ToNode(result);
        return true;
    }

    public override string ToString() => Text;
}
