using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Wire;

/// <summary>
/// JSON that names a member twice in one object (<c>{"a":1,"a":2}</c>) is valid JSON, and a parser with Jackson's defaults,
/// such as the service's, keeps the last value. System.Text.Json's JsonObject instead throws when it first reads such an
/// object: a request body like that answered InternalFailure, and an execution input like that failed the execution
/// mid-run ("Internal error in the local interpreter: ArgumentException"). Such a document is rebuilt here with the last
/// value of each member; any other parses as usual.
/// </summary>
internal static class LastWinsJson
{
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static JsonNode? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static JsonNode? Parse(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return Read(document.RootElement);
    }

    /// <summary>
    /// One parse for both cases: the usual document is the same lazily read node JsonNode.Parse makes (on a copy that
    /// outlives the pooled document), the rare one is rebuilt.
    /// </summary>
    private static JsonNode? Read(JsonElement root)
    {
        if (HasRepeatedMember(root)) return Build(root);
        var copy = root.Clone();
        return copy.ValueKind switch
        {
            JsonValueKind.Object => JsonObject.Create(copy),
            JsonValueKind.Array => JsonArray.Create(copy),
            JsonValueKind.Null => null,
            _ => JsonValue.Create(copy),
        };
    }

    private static bool HasRepeatedMember(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // Most objects a request carries have one member or a few: the set is made only for a second one.
                string? first = null;
                HashSet<string>? names = null;
                foreach (var property in element.EnumerateObject())
                {
                    if (first is null) first = property.Name;
                    else if (!(names ??= new HashSet<string>(StringComparer.Ordinal) { first }).Add(property.Name)) return true;
                    if (HasRepeatedMember(property.Value)) return true;
                }
                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (HasRepeatedMember(item)) return true;
                return false;
            default:
                return false;
        }
    }

    private static JsonNode? Build(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                // The indexer replaces a member already set: the last value wins, in the place of the first.
                foreach (var property in element.EnumerateObject()) obj[property.Name] = Build(property.Value);
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray()) array.Add(Build(item));
                return array;
            case JsonValueKind.Null:
                return null;
            default:
                // Strings, numbers (their text kept exactly), true and false, independent of the disposed document.
                return JsonValue.Create(element.Clone());
        }
    }
}
