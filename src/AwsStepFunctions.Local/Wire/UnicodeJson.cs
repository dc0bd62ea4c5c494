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
        for (var i = text.IndexOf('\\'); i >= 0 && i + 3 < text.Length; i = NextBackslash(text, i))
            if (text[i + 1] == 'u' && (text[i + 2] | 0x20) == 'd' && IsSurrogateNibble(text[i + 3])) return true;
        return false;
    }

    private static bool HasSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        for (var i = utf8.IndexOf((byte)'\\'); i >= 0 && i + 3 < utf8.Length; i = NextBackslash(utf8, i))
            if (utf8[i + 1] == 'u' && (utf8[i + 2] | 0x20) == 'd' && IsSurrogateNibble((char)utf8[i + 3])) return true;
        return false;
    }

    private static int NextBackslash(ReadOnlySpan<char> text, int at)
    {
        var next = text.Slice(at + 1).IndexOf('\\');
        return next < 0 ? -1 : at + 1 + next;
    }

    private static int NextBackslash(ReadOnlySpan<byte> utf8, int at)
    {
        var next = utf8.Slice(at + 1).IndexOf((byte)'\\');
        return next < 0 ? -1 : at + 1 + next;
    }

    /// <summary>The third hex digit of D800-DFFF: 8 to F.</summary>
    private static bool IsSurrogateNibble(char c) => c is >= '8' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';

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
