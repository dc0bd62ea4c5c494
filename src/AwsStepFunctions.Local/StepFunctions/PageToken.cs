using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// Opaque nextToken values. Each names the list it belongs to and a position, so a token from one list
/// (or a forged one) is refused with InvalidToken instead of silently paging something else.
/// </summary>
public static class PageToken
{
    public static string Create(string scope, long position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1|{scope}|{position.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The model's PageToken length; ListExecutions' own token type allows 3096.</summary>
    public const int MaxLength = 1024;

    public static long? Read(string? token, string scope, int maxLength = MaxLength)
    {
        if (token is null) return null;
        // The model's constraint, answered as AWS answers it (LocalStack's test_list_*_pagination recordings).
        if (token.Length > maxLength)
            throw AwsApiException.Validation($"1 validation error detected: Value '{token}' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to {maxLength}");
        if (token.Length < 1)
            throw AwsApiException.Validation("1 validation error detected: Value '' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1");
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
            if (parts.Length == 3 && parts[0] == "v1" && parts[1] == scope && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
                return position;
        }
        catch (FormatException)
        {
            // Not base64: fall through to the same InvalidToken a wrong-list token gets.
        }
        throw Invalid;
    }

    /// <summary>
    /// One page of a list answer: the first pageSize of the items left (already past the token's position), as member, and
    /// a nextToken at the last one shown when more follow.
    /// </summary>
    public static JsonObject Page<T>(IEnumerable<T> remaining, int pageSize, string member, string scope, Func<T, long> position, Func<T, JsonNode> toJson)
    {
        var page = remaining.Take(pageSize + 1).ToList();
        var result = new JsonObject { [member] = new JsonArray(page.Take(pageSize).Select(toJson).ToArray()) };
        if (page.Count > pageSize) result["nextToken"] = Create(scope, position(page[pageSize - 1]));
        return result;
    }

    /// <summary>
    /// One page of a list read by position (a snapshot that only grows at its end, or is read whole each time): the
    /// pageSize items from the token's position, as member, and a nextToken at the next position when more follow.
    /// </summary>
    public static JsonObject PageByPosition<T>(IReadOnlyList<T> all, string? nextToken, int pageSize, string member, string scope, Func<T, JsonNode> toJson)
    {
        var start = (int)(Read(nextToken, scope) ?? 0);
        var result = new JsonObject { [member] = new JsonArray(all.Skip(start).Take(pageSize).Select(toJson).ToArray()) };
        if (start + pageSize < all.Count) result["nextToken"] = Create(scope, start + pageSize);
        return result;
    }

    /// <summary>AWS's answer to a token it did not issue names no token: "Invalid Token: 'Invalid token'" (recorded).</summary>
    private static AwsApiException Invalid => new("InvalidToken", "Invalid Token: 'Invalid token'");
}
