using System;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Wire;

/// <summary>
/// JSON text a caller hands the service inside a request (an execution's input, a task's output): read as the service
/// reads it (<see cref="LastWinsJson"/>) and refused, with the caller's own error, when it is not JSON or holds a string no
/// program can read (<see cref="UnicodeJson"/>).
/// </summary>
internal static class ServiceJson
{
    /// <param name="refuse">The caller's error for a reason (the parser's message, or where the broken string is).</param>
    public static JsonNode? Parse(string text, Func<string, Exception> refuse) => Read(text, refuse, LastWinsJson.Parse);

    /// <summary>The same checks without building the node: for a caller that only validates (a start, read again by its run).</summary>
    public static void Check(string text, Func<string, Exception> refuse) => Read<object?>(text, refuse, json =>
    {
        using var _ = JsonDocument.Parse(json);
        return null;
    });

    private static T Read<T>(string text, Func<string, Exception> refuse, Func<string, T> parse)
    {
        T value;
        try { value = parse(text); }
        catch (JsonException ex) { throw refuse(ex.Message); }
        if (UnicodeJson.FindBrokenString(text) is { } broken) throw refuse(broken);
        return value;
    }
}
