using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// A Task's <c>Credentials</c>: <c>{"RoleArn": "arn:aws:iam::ACCOUNT:role/NAME"}</c>, the role the service assumes for
/// the Task's call (cross-account access). JSONPath may give it as <c>"RoleArn.$"</c> (a path or intrinsic function), JSONata
/// as a <c>{% %}</c> expression; either way the value is checked by the same rule, as the literal is at create time.
/// </summary>
internal static class TaskCredentials
{
    /// <summary>TaskCredentials.roleArn in the service's model: a LongArn, 1 to 2000 characters.</summary>
    public const int MaxRoleArnLength = 2000;

    /// <summary>Null when <paramref name="value"/> is such an object (its role in <paramref name="roleArn"/>), else what is wrong.</summary>
    public static string? Problem(JsonNode? value, out string? roleArn)
    {
        roleArn = null;
        if (value is not JsonObject credentials || credentials.Count != 1 || !credentials.ContainsKey("RoleArn"))
            return $"must be an object with one member, RoleArn, got {JsonValues.Serialize(value)}";
        var role = JsonValues.AsString(credentials["RoleArn"]);
        if (role is null || role.Length is 0 or > MaxRoleArnLength)
            return $"must hold a RoleArn string of 1 to {MaxRoleArnLength} characters, got {JsonValues.Serialize(credentials["RoleArn"])}";
        roleArn = role;
        return null;
    }

    /// <summary>The rule in the form JSONata fields are checked by.</summary>
    public static string? Rule(JsonNode? value) => Problem(value, out _);
}
