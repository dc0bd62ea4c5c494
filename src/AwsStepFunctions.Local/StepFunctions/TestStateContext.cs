using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// TestState's context member: a context object used as is for <c>$$</c> / <c>$states.context</c>. The fields it may
/// hold and the messages for the ones it may not follow AWS's answers in LocalStack's test_state_context_object
/// recordings ("Field 'X' is not allowed", "Execution.Id must be a string", no Map, Task only for .sync and
/// .waitForTaskToken); the integer check and the message for something that is not an object are this endpoint's own.
/// </summary>
internal static class TestStateContext
{
    private const string Prefix = "Invalid Context object provided: ";

    private static readonly Dictionary<string, Dictionary<string, JsonValueKind>> Fields = new(StringComparer.Ordinal)
    {
        ["Execution"] = new(StringComparer.Ordinal)
        {
            ["Id"] = JsonValueKind.String, ["Input"] = JsonValueKind.Undefined, ["Name"] = JsonValueKind.String, ["RoleArn"] = JsonValueKind.String,
            ["StartTime"] = JsonValueKind.String, ["RedriveCount"] = JsonValueKind.Number, ["RedriveTime"] = JsonValueKind.String,
        },
        ["State"] = new(StringComparer.Ordinal)
        {
            ["EnteredTime"] = JsonValueKind.String, ["Name"] = JsonValueKind.String, ["RetryCount"] = JsonValueKind.Number,
        },
        ["StateMachine"] = new(StringComparer.Ordinal) { ["Id"] = JsonValueKind.String, ["Name"] = JsonValueKind.String },
        ["Task"] = new(StringComparer.Ordinal) { ["Token"] = JsonValueKind.String },
    };

    public static JsonObject Read(string text, TestStateTarget target)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw Invalid($"the context is not valid JSON: {ex.Message}");
        }
        if (node is not JsonObject context) throw Invalid("the context must be a JSON object");
        foreach (var (name, value) in context)
        {
            if (name == "Map") throw Invalid("'Map' field is not supported when mocking a Context object");
            if (!Fields.TryGetValue(name, out var allowed)) throw Invalid($"Field '{name}' is not allowed");
            if (name == "Task" && !target.WaitsForCompletion)
                throw Invalid("Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern");
            if (value is not JsonObject fields) throw Invalid($"{name} must be an object");
            foreach (var (field, fieldValue) in fields)
            {
                if (!allowed.TryGetValue(field, out var kind)) throw Invalid($"Field '{field}' is not allowed");
                if (kind == JsonValueKind.String && fieldValue?.GetValueKind() != JsonValueKind.String) throw Invalid($"{name}.{field} must be a string");
                if (kind == JsonValueKind.Number && !Asl.Json.JsonValues.TryGetInteger(fieldValue, out _)) throw Invalid($"{name}.{field} must be an integer");
            }
        }
        return context;
    }

    private static AwsApiException Invalid(string problem) => AwsApiException.Validation(Prefix + problem);
}
