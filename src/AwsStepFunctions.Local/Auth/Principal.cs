using System;
using System.Collections.Generic;
using System.Linq;

namespace AwsStepFunctions.Local.Auth;

/// <summary>Who made a request: an IAM user or an assumed-role session, with the actions it may call.</summary>
public sealed class Principal(string arn, string userId, string name, IReadOnlyList<string> actions)
{
    public const string AccountId = "123456789012";

    public string Arn { get; } = arn;
    /// <summary>GetCallerIdentity's UserId (AIDA... for users, AROA...:session for roles).</summary>
    public string UserId { get; } = userId;
    /// <summary>The user name, or the session name of an assumed role.</summary>
    public string Name { get; } = name;
    public IReadOnlyList<string> Actions { get; } = actions;

    /// <summary>Action patterns as IAM writes them: exact (case-insensitive), or with '*' wildcards.</summary>
    public bool IsAllowed(string action) => Actions.Any(pattern => ActionPattern.Matches(pattern, action));
}

public static class ActionPattern
{
    public static bool Matches(string pattern, string action)
    {
        if (pattern == "*") return true;
        // Glob with '*' only, the way IAM action patterns work (states:Describe*, states:*).
        var parts = pattern.Split('*');
        if (parts.Length == 1) return string.Equals(pattern, action, StringComparison.OrdinalIgnoreCase);
        var position = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i == 0)
            {
                if (!action.StartsWith(part, StringComparison.OrdinalIgnoreCase)) return false;
                position = part.Length;
                continue;
            }
            if (i == parts.Length - 1)
                return action.Length - position >= part.Length && action.EndsWith(part, StringComparison.OrdinalIgnoreCase);
            var found = action.IndexOf(part, position, StringComparison.OrdinalIgnoreCase);
            if (found < 0) return false;
            position = found + part.Length;
        }
        return true;
    }
}
