using System;
using System.Globalization;
using System.Text.Json;

namespace AwsStepFunctions.Local.Wire;

/// <summary>
/// JSON text that parses can still hold a string no program can read as text: an escape for half a UTF-16 surrogate pair
/// ("\ud83d" without its "\ude80"). System.Text.Json parses such a document and fails only when the string is read: an
/// execution's input failed in the middle of its run ("Internal error in the local interpreter"), a state name answered
/// InternalFailure. Callers check the JSON they are handed, once it has parsed, and refuse it naming the broken string.
/// </summary>
internal static class UnicodeJson
{
    /// <summary>Why the JSON text is no Unicode text (where, and the rule), or null when every string and name reads.</summary>
    public static string? FindBrokenString(string json)
        => HasSurrogateEscape(json.AsSpan()) ? Find(JsonDocument.Parse(json)) : null;

    /// <summary>The same for a UTF-8 request body (raw UTF-8 cannot carry a surrogate: only an escape can).</summary>
    public static string? FindBrokenString(ReadOnlyMemory<byte> utf8)
        => HasSurrogateEscape(utf8.Span) ? Find(JsonDocument.Parse(utf8)) : null;

    /// <summary>
    /// Whether the text holds "\uD800" to "\uDFFF" at all, so that the documents every request carries are not walked
    /// (a backslash escaped as "\\" followed by "uD8.." is a false alarm the walk then clears).
    /// </summary>
    private static bool HasSurrogateEscape(ReadOnlySpan<char> text)
    {
        for (var at = text.IndexOf(@"\u".AsSpan()); at >= 0; text = text.Slice(at + 2), at = text.IndexOf(@"\u".AsSpan()))
            if (at + 3 < text.Length && IsSurrogateStart(text[at + 2], text[at + 3])) return true;
        return false;
    }

    private static bool HasSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        for (var at = utf8.IndexOf("\\u"u8); at >= 0; utf8 = utf8.Slice(at + 2), at = utf8.IndexOf("\\u"u8))
            if (at + 3 < utf8.Length && IsSurrogateStart((char)utf8[at + 2], (char)utf8[at + 3])) return true;
        return false;
    }

    /// <summary>The first two hex digits of D800-DFFF: D, then 8 to F.</summary>
    private static bool IsSurrogateStart(char first, char second)
        => (first | 0x20) == 'd' && second is >= '8' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';

    private static string? Find(JsonDocument document)
    {
        using (document) return Find(document.RootElement, "$");
    }

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Reads(element) ? null : $"the string at {path} holds half of a UTF-16 surrogate pair, which is no Unicode character";
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]") is { } found) return found;
                    index++;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return $"a member name in {path} holds half of a UTF-16 surrogate pair, which is no Unicode character"; }
                    if (Find(property.Value, path + "." + name) is { } found) return found;
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Reads(JsonElement element)
    {
        try
        {
            element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
