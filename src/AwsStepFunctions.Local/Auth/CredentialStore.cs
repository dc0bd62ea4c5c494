using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;

namespace AwsStepFunctions.Local.Auth;

/// <summary>
/// A signing key the server knows: long-term (user) or temporary (a session, with token and expiry, and the operation that
/// issued it: AssumeRole, AssumeRoleWithWebIdentity or GetRoleCredentials, numbered in the order issued).
/// </summary>
public sealed class StoredCredential(string accessKeyId, string secretAccessKey, Principal principal, string? sessionToken = null, DateTimeOffset? expiration = null,
    string? issuedBy = null, long sequence = 0)
{
    public string AccessKeyId { get; } = accessKeyId;
    public string SecretAccessKey { get; } = secretAccessKey;
    public Principal Principal { get; } = principal;
    public string? SessionToken { get; } = sessionToken;
    public DateTimeOffset? Expiration { get; } = expiration;
    /// <summary>The operation that issued this session; null for a user's long-term key.</summary>
    public string? IssuedBy { get; } = issuedBy;
    public long Sequence { get; } = sequence;
}

/// <summary>What the identity provider's side makes of a web identity token, before any role's trust policy is asked.</summary>
public enum WebIdentityTokenState { Unknown, Expired, Rejected, Valid }

/// <summary>Users from the config and the sessions AssumeRole issued, looked up by access key id.</summary>
public sealed class CredentialStore
{
    private readonly ConcurrentDictionary<string, StoredCredential> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoleConfig> _roles;
    private readonly HashSet<string> _validWebIdentityTokens;
    private readonly HashSet<string> _expiredWebIdentityTokens;
    private readonly HashSet<string> _rejectedWebIdentityTokens;
    private long _issued;

    public CredentialStore(AccessConfig config)
    {
        if (config.DefaultUser)
            AddUser(new UserConfig(AccessConfig.DefaultUserName, AccessConfig.DefaultAccessKeyId, AccessConfig.DefaultSecretAccessKey, ["*"]));
        foreach (var user in config.Users) AddUser(user);
        _roles = config.Roles.ToDictionary(r => r.RoleArn, StringComparer.Ordinal);
        _validWebIdentityTokens = config.Roles.SelectMany(r => r.WebIdentityTokens ?? []).ToHashSet(StringComparer.Ordinal);
        _expiredWebIdentityTokens = (config.ExpiredWebIdentityTokens ?? []).ToHashSet(StringComparer.Ordinal);
        _rejectedWebIdentityTokens = (config.RejectedWebIdentityTokens ?? []).ToHashSet(StringComparer.Ordinal);
    }

    public WebIdentityTokenState CheckWebIdentityToken(string token) =>
        _expiredWebIdentityTokens.Contains(token) ? WebIdentityTokenState.Expired
        : _rejectedWebIdentityTokens.Contains(token) ? WebIdentityTokenState.Rejected
        : _validWebIdentityTokens.Contains(token) ? WebIdentityTokenState.Valid
        : WebIdentityTokenState.Unknown;

    public StoredCredential? Find(string accessKeyId) => _byKey.TryGetValue(accessKeyId, out var c) ? c : null;

    public RoleConfig? FindRole(string roleArn) => _roles.TryGetValue(roleArn, out var r) ? r : null;

    /// <summary>Every session issued so far (AssumeRole, AssumeRoleWithWebIdentity, GetRoleCredentials), oldest first.</summary>
    public IReadOnlyList<StoredCredential> IssuedSessions() =>
        _byKey.Values.Where(c => c.IssuedBy is not null).OrderBy(c => c.Sequence).ToList();

    /// <param name="operation">The STS operation issuing it (AssumeRole or AssumeRoleWithWebIdentity).</param>
    public StoredCredential IssueSession(RoleConfig role, string sessionName, DateTimeOffset expiration, string operation)
    {
        var principal = new Principal(
            $"arn:aws:sts::{Principal.AccountId}:assumed-role/{role.RoleName}/{sessionName}",
            $"{RoleId(role)}:{sessionName}",
            sessionName,
            role.Actions);
        return Issue(principal, expiration, operation);
    }

    /// <summary>A temporary key pair and token for a principal, valid until it expires.</summary>
    private StoredCredential Issue(Principal principal, DateTimeOffset expiration, string operation)
    {
        var credential = new StoredCredential("ASIA" + RandomId(16), RandomSecret(40), principal, RandomSecret(356), expiration,
            operation, Interlocked.Increment(ref _issued));
        _byKey[credential.AccessKeyId] = credential;
        return credential;
    }

    public static string RoleId(RoleConfig role) => "AROA" + StableId(role.RoleArn);

    /// <summary>
    /// What GetRoleCredentials issues: a session of the role IAM Identity Center made for the permission set, named
    /// AWSReservedSSO_&lt;permission set&gt;_&lt;16 hex&gt; in IAM, with the user's name as the session name (as on AWS).
    /// </summary>
    public StoredCredential IssueSsoSession(SsoAssignmentConfig assignment, string userName, DateTimeOffset expiration)
    {
        var roleName = SsoRoleName(assignment);
        var principal = new Principal(
            $"arn:aws:sts::{assignment.AccountId}:assumed-role/{roleName}/{userName}",
            $"AROA{StableId(roleName)}:{userName}",
            userName,
            assignment.Actions);
        return Issue(principal, expiration, "GetRoleCredentials");
    }

    /// <summary>The IAM role behind a permission set: its suffix is stable per name here (AWS derives it from the set's id).</summary>
    public static string SsoRoleName(SsoAssignmentConfig assignment) =>
        $"AWSReservedSSO_{assignment.RoleName}_{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(assignment.RoleName)))[..16]}";

    private void AddUser(UserConfig user)
    {
        var principal = new Principal($"arn:aws:iam::{Principal.AccountId}:user/{user.Name}", "AIDA" + StableId(user.Name), user.Name, user.Actions);
        if (!_byKey.TryAdd(user.AccessKeyId, new StoredCredential(user.AccessKeyId, user.SecretAccessKey, principal)))
            throw new InvalidOperationException($"--config: accessKeyId {user.AccessKeyId} is declared twice");
    }

    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static string RandomId(int length) => RandomNumberGenerator.GetString(Upper, length);

    private static string RandomSecret(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", length);

    // Ids derived from names so GetCallerIdentity is stable across restarts, like IAM's unique ids.
    private static string StableId(string name)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return new string(hash.Take(17).Select(b => Upper[b % Upper.Length]).ToArray());
    }
}
