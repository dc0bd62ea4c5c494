using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>Small helpers over System.Text.Json.Nodes: kinds, numbers, RFC 3339 timestamps, deep equality.</summary>
internal static class JsonValues
{
    // Step Functions only accepts RFC 3339 timestamps with an upper-case T and an explicit zone.
    private static readonly Regex Rfc3339 = new(
        @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static JsonValueKind Kind(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    public static bool IsNumber(JsonNode? node) => Kind(node) == JsonValueKind.Number;

    public static bool IsString(JsonNode? node) => Kind(node) == JsonValueKind.String;

    public static bool IsBoolean(JsonNode? node) => Kind(node) is JsonValueKind.True or JsonValueKind.False;

    // Nodes built in code (JsonValue.Create(5)) do not convert between numeric types, so go through the text form.
    public static double ToDouble(JsonNode node) =>
        double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (!IsNumber(node)) return false;
        var d = ToDouble(node!);
        if (Math.Floor(d) != d || d > long.MaxValue || d < long.MinValue) return false;
        value = (long)d;
        return true;
    }

    public static string? AsString(JsonNode? node) => IsString(node) ? node!.GetValue<string>() : null;

    public static bool TryParseTimestamp(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null && Rfc3339.IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    public static bool TryGetTimestamp(JsonNode? node, out DateTimeOffset value)
    {
        value = default;
        return IsString(node) && TryParseTimestamp(node!.GetValue<string>(), out value);
    }

    /// <summary>Deep copy safe to attach to another tree (a node has one parent).</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        if (IsNumber(a) && IsNumber(b)) return ToDouble(a!) == ToDouble(b!);
        return JsonNode.DeepEquals(a, b);
    }

    // As the service writes JSON text: '<', '>', '&', quotes as \" and non-ASCII characters, emoji included, stay as they
    // are (the default encoder would write "<omitted>" as "\u003Comitted\u003E": the same JSON, but not the text a user
    // compares).
    private static readonly JsonSerializerOptions AsWritten = new() { Encoder = ServiceJsonEncoder.Instance };

    public static string Serialize(JsonNode? node) => node is null ? "null" : node.ToJsonString(AsWritten);

    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
