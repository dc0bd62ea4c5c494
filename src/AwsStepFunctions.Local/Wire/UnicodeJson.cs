using System;
using System.Globalization;
using System.Text.Json;

namespace AwsStepFunctions.Local.Wire;

/// <summary>
/// JSON text that parses can still hold a string no program can read as text: an escape for half a UTF-16 surrogate pair
/// ("\ud83d" without its "\ude80"). System.Text.Json parses such a document and fails only when the string is read, which
/// for an execution's input was in the middle of its run ("Internal error in the local interpreter"). Callers check the
/// JSON they are handed up front and refuse it as invalid, naming where the broken string is.
/// </summary>
internal static class UnicodeJson
{
    /// <summary>Why <paramref name="root"/> is no Unicode text (where, and the rule), or null when every string and name reads.</summary>
    public static string? FindBrokenString(JsonElement root) => Find(root, "$");

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Reads(element) ? null : Broken(path);
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

    private static string Broken(string path) => $"the string at {path} holds half of a UTF-16 surrogate pair, which is no Unicode character";
}
