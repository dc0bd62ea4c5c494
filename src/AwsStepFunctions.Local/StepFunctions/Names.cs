using System.Text;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>The naming rule Step Functions applies to state machines and executions.</summary>
public static class Names
{
    private const string Forbidden = "<>{}[]?*\"#%\\^|~`$&,;:/";

    public static bool IsValid(string name)
    {
        if (name.Length is < 1 or > 80) return false;
        foreach (var rune in name.EnumerateRunes())
        {
            var v = rune.Value;
            if (Rune.IsWhiteSpace(rune)) return false;
            if (v <= 0x1F || (v >= 0x7F && v <= 0x9F)) return false;
            if (v < 128 && Forbidden.Contains((char)v)) return false;
        }
        return true;
    }

    /// <summary>
    /// The length is the service model's constraint (Name: 1 to 80), checked before the operation runs and answered as every
    /// model constraint is, ValidationException; the characters are the operation's own rule, InvalidName.
    /// </summary>
    public static void Require(string name)
    {
        if (name.Length is < 1 or > 80)
            throw AwsApiException.Validation($"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must have length "
                + (name.Length < 1 ? "greater than or equal to 1" : "less than or equal to 80"));
        if (!IsValid(name)) throw new AwsApiException("InvalidName", $"Invalid Name: '{name}'");
    }
}
