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
//                "durationSeconds": 3600,        // the role's maximum session; below 900 only for tests
//                "webIdentityTokens": ["..."] } ],  // tokens AssumeRoleWithWebIdentity accepts for this role
//   "expiredWebIdentityTokens": ["..."],     // answered ExpiredTokenException
//   "rejectedWebIdentityTokens": ["..."],    // answered IDPRejectedClaim
//   "ssoUsers": [ { "name": "alice", "accessTokens": ["..."], "refreshTokens": ["..."], "accessTokenSeconds": 3600,
//                   "assignments": [ { "accountId": "123456789012", "roleName": "Runner",
//                                      "actions": ["states:*"], "durationSeconds": 3600 } ] } ],
//   "ssoClients": [ { "clientId": "...", "clientSecret": "..." } ]
// }

public sealed record UserConfig(string Name, string AccessKeyId, string SecretAccessKey, IReadOnlyList<string> Actions);

/// <param name="WebIdentityTokens">The web identity (OIDC) tokens this role's trust policy accepts in AssumeRoleWithWebIdentity.</param>
public sealed record RoleConfig(string RoleArn, IReadOnlyList<string>? TrustedPrincipals, string? ExternalId, IReadOnlyList<string> Actions, int DurationSeconds,
    IReadOnlyList<string>? WebIdentityTokens = null)
{
    public string RoleName => RoleArn[(RoleArn.LastIndexOf('/') + 1)..];
}

/// <summary>A permission set assigned to an IAM Identity Center user in an account: what GetRoleCredentials may issue.</summary>
public sealed record SsoAssignmentConfig(string AccountId, string RoleName, IReadOnlyList<string> Actions, int DurationSeconds);

/// <summary>
/// An IAM Identity Center user who is signed in: the access tokens `aws sso login` would have cached for them, the refresh
/// tokens SSO OIDC CreateToken accepts for them, and the roles they are assigned.
/// </summary>
public sealed record SsoUserConfig(string Name, IReadOnlyList<string> AccessTokens, IReadOnlyList<string> RefreshTokens,
    int AccessTokenSeconds, IReadOnlyList<SsoAssignmentConfig> Assignments);

/// <summary>An SSO OIDC client registration (RegisterClient's clientId and clientSecret, as the SSO token cache holds them).</summary>
public sealed record SsoClientConfig(string ClientId, string ClientSecret);

/// <param name="ExpiredWebIdentityTokens">Tokens the identity provider issued that have expired: ExpiredTokenException.</param>
/// <param name="RejectedWebIdentityTokens">Tokens whose claims (audience, subject) the role refuses: IDPRejectedClaim.</param>
public sealed record AccessConfig(bool DefaultUser, IReadOnlyList<UserConfig> Users, IReadOnlyList<RoleConfig> Roles,
    IReadOnlyList<SsoUserConfig>? SsoUsers = null, IReadOnlyList<SsoClientConfig>? SsoClients = null,
    IReadOnlyList<string>? ExpiredWebIdentityTokens = null, IReadOnlyList<string>? RejectedWebIdentityTokens = null)
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
            var webIdentityTokens = WebIdentityTokens(r.WebIdentityTokens, Where("webIdentityTokens"));
            roles.Add(new RoleConfig(r.RoleArn, r.TrustedPrincipals, r.ExternalId, r.Actions ?? [], duration, webIdentityTokens));
        }
        var (ssoUsers, ssoClients) = SsoFromRaw(raw, source);
        var expired = WebIdentityTokens(raw.ExpiredWebIdentityTokens, $"--config {source}: expiredWebIdentityTokens");
        var rejected = WebIdentityTokens(raw.RejectedWebIdentityTokens, $"--config {source}: rejectedWebIdentityTokens");
        // A token that is both valid for a role and expired (or refused) would make the answer depend on the check order.
        var valid = roles.SelectMany(r => r.WebIdentityTokens ?? []).ToHashSet(StringComparer.Ordinal);
        if (expired.Concat(rejected).Any(valid.Contains) || expired.Intersect(rejected, StringComparer.Ordinal).Any())
            throw new InvalidOperationException($"--config {source}: a web identity token is declared both valid and expired or rejected");
        return new AccessConfig(raw.DefaultUser ?? true, users, roles, ssoUsers, ssoClients, expired, rejected);
    }

    /// <summary>STS accepts web identity tokens of 4 to 20000 characters: a shorter or longer one could never be sent.</summary>
    private static List<string> WebIdentityTokens(List<string>? tokens, string where)
    {
        foreach (var token in tokens ?? [])
            if (token is null || token.Length is < 4 or > 20000) throw new InvalidOperationException($"{where} must hold tokens of 4-20000 characters");
        return tokens ?? [];
    }

    private static readonly Regex SsoRoleNamePattern = new(@"^[A-Za-z0-9_+=,.@-]{1,64}\z", RegexOptions.CultureInvariant);

    private static (List<SsoUserConfig>, List<SsoClientConfig>) SsoFromRaw(RawConfig raw, string source)
    {
        var users = new List<SsoUserConfig>();
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (u, i) in (raw.SsoUsers ?? []).Select((u, i) => (u, i)))
        {
            string Where(string field) => $"--config {source}: ssoUsers[{i}].{field}";
            if (string.IsNullOrWhiteSpace(u.Name)) throw new InvalidOperationException($"{Where("name")} is required");
            // A token names one user: the same string under two users would make GetRoleCredentials ambiguous.
            foreach (var token in (u.AccessTokens ?? []).Concat(u.RefreshTokens ?? []))
            {
                if (string.IsNullOrEmpty(token)) throw new InvalidOperationException($"{Where("accessTokens/refreshTokens")} must not hold empty strings");
                if (!tokens.Add(token)) throw new InvalidOperationException($"{Where("accessTokens/refreshTokens")}: a token is declared twice");
            }
            var lifetime = u.AccessTokenSeconds ?? 3600;
            if (lifetime is < 1 or > 86400) throw new InvalidOperationException($"{Where("accessTokenSeconds")} must be 1-86400");
            var assignments = new List<SsoAssignmentConfig>();
            foreach (var (a, j) in (u.Assignments ?? []).Select((a, j) => (a, j)))
            {
                string At(string field) => Where($"assignments[{j}].{field}");
                // The endpoint is one account: credentials for another could not be authorized against its resources.
                if (a.AccountId != Principal.AccountId) throw new InvalidOperationException($"{At("accountId")} must be {Principal.AccountId}, the endpoint's account");
                if (a.RoleName is null || !SsoRoleNamePattern.IsMatch(a.RoleName)) throw new InvalidOperationException($"{At("roleName")} must be 1-64 characters of [A-Za-z0-9_+=,.@-]");
                var duration = a.DurationSeconds ?? 3600;
                // Below 900 is accepted on purpose, as for roles: tests shorten credential lifetimes to exercise refresh.
                if (duration is < 1 or > 43200) throw new InvalidOperationException($"{At("durationSeconds")} must be 1-43200");
                assignments.Add(new SsoAssignmentConfig(a.AccountId, a.RoleName, a.Actions ?? [], duration));
            }
            users.Add(new SsoUserConfig(u.Name, u.AccessTokens ?? [], u.RefreshTokens ?? [], lifetime, assignments));
        }
        var clients = new List<SsoClientConfig>();
        foreach (var (c, i) in (raw.SsoClients ?? []).Select((c, i) => (c, i)))
        {
            string Where(string field) => $"--config {source}: ssoClients[{i}].{field}";
            if (string.IsNullOrEmpty(c.ClientId)) throw new InvalidOperationException($"{Where("clientId")} is required");
            if (string.IsNullOrEmpty(c.ClientSecret)) throw new InvalidOperationException($"{Where("clientSecret")} is required");
            if (clients.Any(k => k.ClientId == c.ClientId)) throw new InvalidOperationException($"{Where("clientId")} is declared twice");
            clients.Add(new SsoClientConfig(c.ClientId, c.ClientSecret));
        }
        return (users, clients);
    }

    private sealed class RawConfig
    {
        public bool? DefaultUser { get; set; }
        public List<RawUser>? Users { get; set; }
        public List<RawRole>? Roles { get; set; }
        public List<RawSsoUser>? SsoUsers { get; set; }
        public List<RawSsoClient>? SsoClients { get; set; }
        public List<string>? ExpiredWebIdentityTokens { get; set; }
        public List<string>? RejectedWebIdentityTokens { get; set; }
    }

    private sealed class RawSsoUser
    {
        public string? Name { get; set; }
        public List<string>? AccessTokens { get; set; }
        public List<string>? RefreshTokens { get; set; }
        public int? AccessTokenSeconds { get; set; }
        public List<RawSsoAssignment>? Assignments { get; set; }
    }

    private sealed class RawSsoAssignment
    {
        public string? AccountId { get; set; }
        public string? RoleName { get; set; }
        public List<string>? Actions { get; set; }
        public int? DurationSeconds { get; set; }
    }

    private sealed class RawSsoClient
    {
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
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
        public List<string>? WebIdentityTokens { get; set; }
    }
}
