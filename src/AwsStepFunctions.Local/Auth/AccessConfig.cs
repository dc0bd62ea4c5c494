using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Local.Auth;

// The --config file. Schema (also in README.md):
// {
//   "defaultUser": true,                      // false drops AKIAIOSFODNN7EXAMPLE
//   "users": [ { "name": "reader", "accessKeyId": "AKIA...", "secretAccessKey": "...",
//                "actions": ["states:Describe*", "states:List*"] } ],
//   "roles": [ { "roleArn": "arn:aws:iam::123456789012:role/Deployer",
//                "trustedPrincipals": ["reader", "arn:aws:iam::123456789012:user/other"],  // omitted = whole account
//                "externalId": "optional", "actions": ["states:*"],
//                "durationSeconds": 3600 } ]     // the role's maximum session; below 900 only for tests
// }

public sealed record UserConfig(string Name, string AccessKeyId, string SecretAccessKey, IReadOnlyList<string> Actions);

public sealed record RoleConfig(string RoleArn, IReadOnlyList<string>? TrustedPrincipals, string? ExternalId, IReadOnlyList<string> Actions, int DurationSeconds)
{
    public string RoleName => RoleArn[(RoleArn.LastIndexOf('/') + 1)..];
}

public sealed record AccessConfig(bool DefaultUser, IReadOnlyList<UserConfig> Users, IReadOnlyList<RoleConfig> Roles)
{
    public const string DefaultAccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string DefaultSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string DefaultUserName = "local";

    public static AccessConfig Default { get; } = new(true, [], []);

    private static readonly Regex RoleArnPattern = new(@"^arn:aws:iam::\d{12}:role/[\w+=,.@/-]{1,128}$", RegexOptions.CultureInvariant);
    private static readonly Regex AccessKeyPattern = new(@"^[A-Z0-9]{16,128}$", RegexOptions.CultureInvariant);

    public static AccessConfig Load(string path)
    {
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        RawConfig raw;
        try
        {
            raw = JsonSerializer.Deserialize<RawConfig>(File.ReadAllText(path), options) ?? new RawConfig();
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"--config {path}: not valid JSON ({ex.Message})", ex);
        }
        return FromRaw(raw, path);
    }

    private static AccessConfig FromRaw(RawConfig raw, string source)
    {
        var users = new List<UserConfig>();
        foreach (var (u, i) in (raw.Users ?? []).Select((u, i) => (u, i)))
        {
            string Where(string field) => $"--config {source}: users[{i}].{field}";
            if (string.IsNullOrWhiteSpace(u.Name)) throw new InvalidOperationException($"{Where("name")} is required");
            if (u.AccessKeyId is null || !AccessKeyPattern.IsMatch(u.AccessKeyId))
                throw new InvalidOperationException($"{Where("accessKeyId")} must be 16-128 upper-case letters or digits");
            if (u.AccessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
                throw new InvalidOperationException($"{Where("accessKeyId")} must not start with ASIA (reserved for session keys)");
            if (string.IsNullOrEmpty(u.SecretAccessKey)) throw new InvalidOperationException($"{Where("secretAccessKey")} is required");
            users.Add(new UserConfig(u.Name, u.AccessKeyId, u.SecretAccessKey, u.Actions ?? []));
        }
        var roles = new List<RoleConfig>();
        foreach (var (r, i) in (raw.Roles ?? []).Select((r, i) => (r, i)))
        {
            string Where(string field) => $"--config {source}: roles[{i}].{field}";
            if (r.RoleArn is null || !RoleArnPattern.IsMatch(r.RoleArn))
                throw new InvalidOperationException($"{Where("roleArn")} must look like arn:aws:iam::123456789012:role/Name");
            var duration = r.DurationSeconds ?? 3600;
            // Below 900 is accepted on purpose: tests shorten credential lifetimes to exercise refresh.
            if (duration is < 1 or > 43200) throw new InvalidOperationException($"{Where("durationSeconds")} must be 1-43200");
            roles.Add(new RoleConfig(r.RoleArn, r.TrustedPrincipals, r.ExternalId, r.Actions ?? [], duration));
        }
        return new AccessConfig(raw.DefaultUser ?? true, users, roles);
    }

    private sealed class RawConfig
    {
        public bool? DefaultUser { get; set; }
        public List<RawUser>? Users { get; set; }
        public List<RawRole>? Roles { get; set; }
    }

    private sealed class RawUser
    {
        public string? Name { get; set; }
        public string? AccessKeyId { get; set; }
        public string? SecretAccessKey { get; set; }
        public List<string>? Actions { get; set; }
    }

    private sealed class RawRole
    {
        public string? RoleArn { get; set; }
        public List<string>? TrustedPrincipals { get; set; }
        public string? ExternalId { get; set; }
        public List<string>? Actions { get; set; }
        public int? DurationSeconds { get; set; }
    }
}
