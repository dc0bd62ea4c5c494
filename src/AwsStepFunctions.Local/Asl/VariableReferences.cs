using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// DescribeStateMachine's <c>variableReferences</c>: for each state that reads workflow variables, the names it reads,
/// each once, in the order they first appear in the state. The rules follow AWS's answers recorded in LocalStack's
/// <c>test_sfn_api_variable_references</c> snapshots:
/// <list type="bullet">
/// <item>a JSONPath <c>$name...</c> path counts where a path is read: InputPath, OutputPath, ItemsPath, the Wait, Fail and
/// Map <c>...Path</c> fields, Choice <c>Variable</c> and <c>...Path</c> operands, and the values of <c>.$</c> keys in
/// Parameters, ResultSelector, ItemSelector, Assign (the state's, a Choice rule's, a catcher's) and the like;</item>
/// <item>an intrinsic function counts each <c>$name</c> argument, nested calls included;</item>
/// <item><c>$</c>, <c>$.x</c>, <c>$$...</c> and a plain string such as <c>"$bucket"</c> under a key without <c>.$</c> are
/// not references;</item>
/// <item>states inside Parallel branches and Map item processors are listed under their own names (names are unique in
/// a machine);</item>
/// <item>JSONata states list nothing: the recorded answers for JSONata machines (reading <c>$states</c> and calling
/// functions) have no <c>variableReferences</c>, and LocalStack's test states that references inside JSONata
/// expressions are not included. A JSONata state that reads a variable of its own is not recorded anywhere we found;
/// listing nothing for it is an assumption (see README).</item>
/// </list>
/// </summary>
internal static class VariableReferences
{
    // The path fields of a JSONPath state (ResultPath is never a variable: a variable cannot be written by a path).
    private static readonly HashSet<string> PathFields = new(StringComparer.Ordinal)
    {
        "InputPath", "OutputPath", "ItemsPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath", "MaxConcurrencyPath",
        "ToleratedFailurePercentagePath", "ToleratedFailureCountPath", "TimeoutSecondsPath", "HeartbeatSecondsPath",
        "MaxItemsPath", "MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath",
    };

    // Fields whose value is a payload template (keys ending in ".$" are expressions), or an object holding path fields.
    private static readonly HashSet<string> TemplateFields = new(StringComparer.Ordinal)
    {
        "Parameters", "ResultSelector", "ItemSelector", "Assign", "BatchInput", "Credentials",
    };

    private static readonly HashSet<string> Containers = new(StringComparer.Ordinal) { "ItemReader", "ReaderConfig", "ItemBatcher", "ResultWriter" };

    /// <summary>The state name -> variable names map, in state order; empty when no state reads a variable.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(JsonObject definition)
    {
        var found = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        VisitBlock(definition, IsJsonata(definition, false), found, order);
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var name in order) result[name] = found[name];
        return result;
    }

    /// <summary>The map as the wire member (an object of string arrays), or null when it would be empty.</summary>
    public static JsonObject? ToJson(JsonObject definition)
    {
        var references = Of(definition);
        if (references.Count == 0) return null;
        var json = new JsonObject();
        foreach (var (state, names) in references)
        {
            var list = new JsonArray();
            foreach (var name in names) list.Add(name);
            json[state] = list;
        }
        return json;
    }

    private static bool IsJsonata(JsonObject node, bool inherited) =>
        node["QueryLanguage"] is JsonValue v && v.TryGetValue<string>(out var language) ? language == "JSONata" : inherited;

    private static void VisitBlock(JsonObject block, bool machineIsJsonata, Dictionary<string, IReadOnlyList<string>> found, List<string> order)
    {
        if (block["States"] is not JsonObject states) return;
        foreach (var (name, node) in states)
        {
            if (node is not JsonObject state) continue;
            if (!IsJsonata(state, machineIsJsonata))
            {
                var names = new List<string>();
                foreach (var (field, value) in state) Collect(field, value, names);
                if (names.Count > 0 && !found.ContainsKey(name))
                {
                    found[name] = names;
                    order.Add(name);
                }
            }
            // A state's QueryLanguage is its own: the states of its branches and item processor inherit the machine's.
            if (state["Branches"] is JsonArray branches)
                foreach (var branch in branches)
                    if (branch is JsonObject b) VisitBlock(b, machineIsJsonata, found, order);
            if ((state["ItemProcessor"] ?? state["Iterator"]) is JsonObject processor) VisitBlock(processor, machineIsJsonata, found, order);
        }
    }

    private static void Collect(string field, JsonNode? value, List<string> names)
    {
        if (PathFields.Contains(field))
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text)) AddExpression(text, names);
            return;
        }
        if (TemplateFields.Contains(field))
        {
            CollectTemplate(value, names);
            return;
        }
        if (Containers.Contains(field) && value is JsonObject container)
        {
            foreach (var (inner, innerValue) in container) Collect(inner, innerValue, names);
            return;
        }
        if (field == "Choices" && value is JsonArray rules)
        {
            foreach (var rule in rules) CollectRule(rule, names);
            return;
        }
        if (field == "Catch" && value is JsonArray catchers)
            foreach (var catcher in catchers)
                if (catcher is JsonObject c) CollectTemplate(c["Assign"], names);
    }

    /// <summary>A Choice rule: Variable, the ...Path operands, nested And/Or/Not, and the rule's own Assign.</summary>
    private static void CollectRule(JsonNode? rule, List<string> names)
    {
        if (rule is not JsonObject r) return;
        foreach (var (key, value) in r)
        {
            if ((key == "Variable" || key.EndsWith("Path", StringComparison.Ordinal)) && value is JsonValue v && v.TryGetValue<string>(out var text))
                AddExpression(text, names);
            else if (key is "And" or "Or" && value is JsonArray inner)
                foreach (var nested in inner) CollectRule(nested, names);
            else if (key == "Not") CollectRule(value, names);
            else if (key == "Assign") CollectTemplate(value, names);
        }
    }

    private static void CollectTemplate(JsonNode? template, List<string> names)
    {
        switch (template)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal) && value is JsonValue v && v.TryGetValue<string>(out var text)) AddExpression(text, names);
                    else CollectTemplate(value, names);
                }
                break;
            case JsonArray array:
                foreach (var item in array) CollectTemplate(item, names);
                break;
        }
    }

    private static void AddExpression(string text, List<string> names)
    {
        ValueExpression expression;
        try
        {
            expression = ValueExpression.Compile(text);
        }
        catch (FormatException)
        {
            // Not an expression the interpreter accepts (the definition was validated, so only an unsupported field
            // can hold one): it references nothing we can name.
            return;
        }
        AddFrom(expression, names);
    }

    private static void AddFrom(ValueExpression expression, List<string> names)
    {
        switch (expression)
        {
            case PathExpression { Path.Variable: { } variable }:
                Add(variable, names);
                break;
            case IntrinsicCall call:
                foreach (var argument in call.Arguments)
                {
                    if (argument is IntrinsicArgument.Path { Value.Variable: { } name }) Add(name, names);
                    else if (argument is IntrinsicArgument.Call nested) AddFrom(nested.Value, names);
                }
                break;
        }
    }

    private static void Add(string name, List<string> names)
    {
        // $states is the reserved variable of JSONata states, never a workflow variable of the machine.
        if (name != VariableNames.Reserved && !names.Contains(name)) names.Add(name);
    }
}
