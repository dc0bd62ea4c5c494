using System;
using System.Text;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// The callback token AWS puts in a .waitForTaskToken Task's context (<c>$$.Task.Token</c>). Opaque to machines and
/// callers; here the base64 of the execution ARN, the Task's StateEntered event id and its retry count, so it is the same
/// within one attempt, new for each retry, and unique across the branches and iterations of one execution.
/// </summary>
internal static class TaskTokens
{
    public static string Create(string executionArn, long enteredEventId, int retryCount) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{executionArn}#{enteredEventId}#{retryCount}"));

    /// <summary>Whether <paramref name="token"/> is one this endpoint could have handed out (its form, not whether a Task waits for it).</summary>
    public static bool IsWellFormed(string token)
    {
        var bytes = new byte[token.Length];
        if (!Convert.TryFromBase64String(token, bytes, out var length)) return false;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (ArgumentException)
        {
            return false;
        }
        var parts = text.Split('#');
        return parts.Length == 3 && parts[0].StartsWith("arn:", StringComparison.Ordinal)
            && long.TryParse(parts[1], out var id) && id > 0 && int.TryParse(parts[2], out var retry) && retry >= 0;
    }
}
