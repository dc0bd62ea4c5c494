using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using AwsStepFunctions.Local.Auth;

namespace AwsStepFunctions.Local.Sso;

/// <summary>
/// IAM Identity Center's side of a sign-in: which bearer tokens are valid and whose they are, which refresh tokens SSO OIDC
/// accepts, and which OIDC clients are registered. Tokens from --config never expire here (their expiry is the client's
/// business, as written in its cache file); tokens CreateToken mints expire after the user's accessTokenSeconds.
/// </summary>
public sealed class SsoDirectory
{
    private readonly ConcurrentDictionary<string, (SsoUserConfig User, DateTimeOffset? ExpiresAt)> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SsoUserConfig> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SsoClientConfig> _clients;
    private readonly ConcurrentQueue<MintedTokens> _minted = new();
    private readonly TimeProvider _time;

    /// <summary>What one CreateToken issued: for the control plane's list of issued credentials.</summary>
    public sealed record MintedTokens(string UserName, string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);

    public SsoDirectory(AccessConfig config, TimeProvider time)
    {
        _time = time;
        foreach (var user in config.SsoUsers ?? [])
        {
            foreach (var token in user.AccessTokens) _accessTokens[token] = (user, null);
            foreach (var token in user.RefreshTokens) _refreshTokens[token] = user;
        }
        _clients = (config.SsoClients ?? []).ToDictionary(c => c.ClientId, StringComparer.Ordinal);
    }

    /// <summary>The user a bearer token was issued to; null when the token is unknown or has expired.</summary>
    public SsoUserConfig? UserOf(string accessToken)
    {
        if (!_accessTokens.TryGetValue(accessToken, out var entry)) return null;
        return entry.ExpiresAt is { } expires && _time.GetUtcNow() >= expires ? null : entry.User;
    }

    /// <summary>Whether the client id is registered and the secret is its own (compared in constant time).</summary>
    public bool IsClient(string clientId, string clientSecret) =>
        _clients.TryGetValue(clientId, out var client)
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(client.ClientSecret), System.Text.Encoding.UTF8.GetBytes(clientSecret));

    public SsoUserConfig? UserOfRefreshToken(string refreshToken) => _refreshTokens.TryGetValue(refreshToken, out var user) ? user : null;

    /// <summary>
    /// A new access token (and a new refresh token) for the user. The refresh token presented stays valid: AWS documents no
    /// rotation rule, and a client that could not save the new one (two processes refreshing at once) keeps working.
    /// </summary>
    public (string AccessToken, string RefreshToken, int ExpiresIn) Mint(SsoUserConfig user)
    {
        var access = "aoa" + RandomToken();
        var refresh = "aor" + RandomToken();
        var expiresAt = _time.GetUtcNow().AddSeconds(user.AccessTokenSeconds);
        _accessTokens[access] = (user, expiresAt);
        _refreshTokens[refresh] = user;
        _minted.Enqueue(new MintedTokens(user.Name, access, refresh, expiresAt));
        return (access, refresh, user.AccessTokenSeconds);
    }

    /// <summary>Every token pair CreateToken issued so far, oldest first.</summary>
    public IReadOnlyList<MintedTokens> Minted() => _minted.ToArray();

    /// <summary>The registered OIDC clients (from --config: RegisterClient is not served).</summary>
    public IReadOnlyList<SsoClientConfig> Clients() => _clients.Values.OrderBy(c => c.ClientId, StringComparer.Ordinal).ToList();

    private static string RandomToken() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 120);
}
