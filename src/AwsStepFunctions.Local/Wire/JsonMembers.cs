using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Wire;

/// <summary>
/// Typed access to the members of an awsJson1_0 request. A member of the wrong JSON type is a
/// SerializationException, as the real service's deserializer answers; a missing required member is a
/// ValidationException naming the member.
/// </summary>
public sealed class JsonMembers(JsonObject body)
{
    public JsonObject Body { get; } = body;

    public string? String(string name)
    {
        if (!Body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String) return value.GetValue<string>();
        throw AwsApiException.Serialization($"Member '{name}' must be a string, not {Describe(node)}.");
    }

    public string RequiredString(string name) => String(name) ?? throw AwsApiException.MissingMember(name);

    public int? Int(string name)
    {
        if (!Body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out int result)) return result;
        throw AwsApiException.Serialization($"Member '{name}' must be an integer, not {Describe(node)}.");
    }

    public long? Long(string name)
    {
        if (!Body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long result)) return result;
        throw AwsApiException.Serialization($"Member '{name}' must be an integer, not {Describe(node)}.");
    }

    public double? Double(string name)
    {
        if (!Body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double result)) return result;
        throw AwsApiException.Serialization($"Member '{name}' must be a number, not {Describe(node)}.");
    }

    public bool? Bool(string name)
    {
        if (!Body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return value.GetValue<bool>();
        throw AwsApiException.Serialization($"Member '{name}' must be a boolean, not {Describe(node)}.");
    }

    public JsonObject? Object(string name)
    {
        if (!Body.TryGetPropertyValue(name, out var node) || node is null) return null;
        return node as JsonObject ?? throw AwsApiException.Serialization($"Member '{name}' must be an object, not {Describe(node)}.");
    }

    public JsonArray? Array(string name)
    {
        if (!Body.TryGetPropertyValue(name, out var node) || node is null) return null;
        return node as JsonArray ?? throw AwsApiException.Serialization($"Member '{name}' must be an array, not {Describe(node)}.");
    }

    /// <summary>
    /// maxResults as Step Functions reads it: 0 to <paramref name="max"/> (1000 for the List operations, 100 for
    /// ValidateStateMachineDefinition), where 0 (or absent) means the default of 100.
    /// </summary>
    public int PageSize(string name = "maxResults", int max = 1000)
    {
        var value = Int(name) ?? 0;
        // The words AWS answers with (LocalStack's maxResults=1001 recordings); one bound is named, the one broken.
        if (value > max)
            throw AwsApiException.Validation($"1 validation error detected: Value '{value}' at '{name}' failed to satisfy constraint: Member must have value less than or equal to {max}");
        if (value < 0)
            throw AwsApiException.Validation($"1 validation error detected: Value '{value}' at '{name}' failed to satisfy constraint: Member must have value greater than or equal to 0");
        return value == 0 ? 100 : value;
    }

    private static string Describe(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };
}
