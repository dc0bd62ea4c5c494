using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// A state whose QueryLanguage is JSONata: its fields are JSON with {% expression %} strings. A field that may be a
// literal or an expression (Seconds, TimeoutSeconds, Error, ...) has its literal checked here, its expression's value
// when the state runs, by the same rule.
internal sealed partial class StateReader
{
    public StateSpec ReadJsonata()
    {
        var (next, end) = ReadTransition();
        if (type == "Wait" && node.ContainsKey("Seconds") == node.ContainsKey("Timestamp")) throw Error("Wait needs exactly one of Seconds, Timestamp");
        if (type == "Task" && node["Arguments"] is { } arguments && arguments is not JsonObject && JsonataTemplate.ExpressionText(arguments) is null)
            throw Error("'Arguments' must be an object or a {% %} expression");
        if (type == "Task" && JsonataTemplate.ExpressionText(node["Resource"]) is not null)
            throw Error("'Resource' must be the integration's ARN as written; it cannot be a {% %} expression");
        if (JsonValues.TryGetInteger(node["HeartbeatSeconds"], out var heartbeat) && JsonValues.TryGetInteger(node["TimeoutSeconds"], out var timeout)
            && heartbeat >= timeout)
            throw Error("'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'");
        return new StateSpec
        {
            Name = name,
            Type = type,
            Next = next,
            End = end,
            Jsonata = new JsonataFields
            {
                Arguments = Jsonata(node, "Arguments"),
                Output = Jsonata(node, "Output"),
                Items = Jsonata(node, "Items", JsonataRules.Items),
                ItemSelector = Jsonata(node, "ItemSelector"),
                MaxConcurrency = Jsonata(node, "MaxConcurrency", JsonataRules.NonNegativeInteger),
                Seconds = Jsonata(node, "Seconds", JsonataRules.NonNegativeInteger),
                Timestamp = Jsonata(node, "Timestamp", JsonataRules.Timestamp),
                TimeoutSeconds = Jsonata(node, "TimeoutSeconds", JsonataRules.PositiveInteger),
                HeartbeatSeconds = Jsonata(node, "HeartbeatSeconds", JsonataRules.PositiveInteger),
                Credentials = ReadJsonataCredentials(),
                Error = Jsonata(node, "Error", JsonataRules.Text),
                Cause = Jsonata(node, "Cause", JsonataRules.Text),
            },
            Assign = JsonataAssignments(node, where: null),
            Choices = type == "Choice" ? ReadConditions() : Array.Empty<ChoiceBranch>(),
            Default = OptionalString("Default"),
            Resource = type == "Task" ? RequiredString("Resource") : null,
            Retry = ReadRetry(),
            Catch = ReadCatch(jsonata: true),
            Branches = type == "Parallel" ? ReadBranches() : Array.Empty<StatesBlock>(),
            ItemProcessor = type == "Map" ? ReadItemProcessor() : null,
            Distributed = type == "Map" ? ReadDistributed(jsonata: true) : null,
        };
    }

    /// <summary>
    /// A Task's Credentials: one {% %} expression, or an object whose one member, RoleArn, is a literal (checked now) or an
    /// expression; what an expression gives is checked when the Task runs.
    /// </summary>
    private JsonataTemplate? ReadJsonataCredentials()
    {
        if (node["Credentials"] is JsonObject credentials && (credentials.Count != 1 || !credentials.ContainsKey("RoleArn")))
            throw Error($"'Credentials' must be an object with one member, RoleArn, got {JsonValues.Serialize(credentials)}");
        return Jsonata(node, "Credentials", TaskCredentials.Rule);
    }

    /// <summary>
    /// A JSONata field of the state (or of a Choice rule or catcher, which <paramref name="where"/> names); a literal is
    /// checked against <paramref name="rule"/> now.
    /// </summary>
    private JsonataTemplate? Jsonata(JsonObject owner, string field, Func<JsonNode?, string?>? rule = null, string? where = null)
    {
        if (!owner.TryGetPropertyValue(field, out var value)) return null;
        var at = where is null ? field : $"{where}: {field}";
        JsonataTemplate template;
        try { template = JsonataTemplate.Compile(value, field); }
        catch (FormatException ex) { throw Error(where is null ? ex.Message : $"{where}: {ex.Message}"); }
        if (rule is not null && template.IsLiteral && rule(template.LiteralValue) is { } problem) throw Error($"'{at}' {problem}");
        return template;
    }

    private AssignTemplate? JsonataAssignments(JsonObject owner, string? where)
    {
        if (!owner.TryGetPropertyValue("Assign", out var value)) return null;
        try { return AssignTemplate.CompileJsonata(value); }
        catch (FormatException ex) { throw Error(where is null ? ex.Message : $"{where}: {ex.Message}"); }
    }

    private IReadOnlyList<ChoiceBranch> ReadConditions()
    {
        if (node["Choices"] is not JsonArray list || list.Count == 0) throw Error("'Choices' must be a non-empty array");
        var result = new List<ChoiceBranch>();
        for (var i = 0; i < list.Count; i++)
        {
            var where = $"Choices[{i}]";
            if (list[i] is not JsonObject rule) throw Error($"{where} must be an object");
            foreach (var kv in rule)
                if (kv.Key is not ("Condition" or "Next" or "Assign" or "Output" or "Comment"))
                    throw Error($"{where}: field '{kv.Key}' is not supported in a JSONata Choice rule (it has Condition, Next, Assign and Output)");
            var next = JsonValues.AsString(rule["Next"]) ?? throw Error($"{where}: every Choice rule needs a string 'Next'");
            var condition = Jsonata(rule, "Condition", JsonataRules.Boolean, where) ?? throw Error($"{where}: a JSONata Choice rule needs 'Condition'");
            result.Add(new ChoiceBranch(null, next, JsonataAssignments(rule, where)) { Condition = condition, Output = Jsonata(rule, "Output", where: where) });
        }
        return result;
    }
}

/// <summary>What a JSONata field's value must be: null when it is fine, else the problem ("must be ...").</summary>
internal static class JsonataRules
{
    public static string? Items(JsonNode? value) => value is JsonArray ? null : $"must be an array, got {Kind(value)}";

    public static string? NonNegativeInteger(JsonNode? value) =>
        JsonValues.TryGetInteger(value, out var n) && n >= 0 && n <= 99999999 ? null : $"must be an integer from 0 to 99999999, got {JsonValues.Serialize(value)}";

    public static string? PositiveInteger(JsonNode? value) =>
        JsonValues.TryGetInteger(value, out var n) && n > 0 && n <= 99999999 ? null : $"must be an integer from 1 to 99999999, got {JsonValues.Serialize(value)}";

    public static string? Timestamp(JsonNode? value) =>
        JsonValues.TryGetTimestamp(value, out _) ? null : $"must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z, got {JsonValues.Serialize(value)}";

    public static string? Text(JsonNode? value) => JsonValues.IsString(value) ? null : $"must be a string, got {Kind(value)}";

    public static string? Boolean(JsonNode? value) => JsonValues.IsBoolean(value) ? null : $"must be a boolean, got {Kind(value)}";

    /// <summary>The JSON type name the service's messages use.</summary>
    public static string Kind(JsonNode? value) => JsonValues.Kind(value) switch
    {
        System.Text.Json.JsonValueKind.Array => "array",
        System.Text.Json.JsonValueKind.Object => "object",
        System.Text.Json.JsonValueKind.String => "string",
        System.Text.Json.JsonValueKind.Number => "number",
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
        _ => "null",
    };
}
