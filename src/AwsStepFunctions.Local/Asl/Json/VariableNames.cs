using System;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// What a workflow variable may be called, as the service documents it (Unicode identifier rules, UAX #31): a letter
/// first, then letters, digits and '_', at most 80 characters; and not <c>states</c>, which JSONata states reserve for
/// <c>$states</c>. Letters and digits stand in for ID_Start and ID_Continue (combining marks are not accepted here).
/// </summary>
internal static class VariableNames
{
    public const int MaxLength = 80;
    public const string Reserved = "states";

    public static bool IsStart(char c) => char.IsLetter(c);

    public static bool IsPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Null when <paramref name="name"/> is a valid name, else what is wrong with it.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0) return "a variable name cannot be empty";
        if (name.Length > MaxLength) return $"variable name '{name}' is longer than {MaxLength} characters";
        if (!IsStart(name[0])) return $"variable name '{name}' must start with a letter";
        foreach (var c in name)
            if (!IsPart(c)) return $"variable name '{name}' may hold only letters, digits and '_'";
        if (name == Reserved) return "'states' is reserved (JSONata states read $states)";
        return null;
    }
}
