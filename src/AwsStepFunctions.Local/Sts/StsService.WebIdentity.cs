using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Wire;
using Microsoft.Extensions.Primitives;

namespace AwsStepFunctions.Local.Sts;

/// <summary>
/// AssumeRoleWithWebIdentity: a workload (EKS, GitHub Actions, any OIDC provider) trades its identity token for a session
/// of a role. AWS takes it unsigned (the token is the proof), so it is routed before the signature check. Which tokens are
/// valid for which roles, and which are expired or refused, comes from the --config file; the token itself is never
/// echoed, logged or stored.
/// </summary>
public sealed partial class StsService
{
    public const string WebIdentityAction = "AssumeRoleWithWebIdentity";

    private const string DefaultProvider = "oidc.local";
    private const string DefaultAudience = "sts.amazonaws.com";

    public AwsResponse AssumeRoleWithWebIdentity(Func<string, StringValues> form, string requestId)
    {
        var roleArn = RoleArn(form);
        var sessionName = SessionName(form);
        var token = form("WebIdentityToken").ToString();
        if (token.Length == 0) throw Validation("Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
        if (token.Length is < 4 or > 20000)
            throw Validation("Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000");
        var requested = Duration(form);

        // STS checks the token with its issuer before it reads the role's trust policy: an expired or forged token is
        // refused as such whatever role it names.
        switch (credentials.CheckWebIdentityToken(token))
        {
            case WebIdentityTokenState.Expired:
                throw new StsApiException("ExpiredTokenException", "Token expired: current date/time must be before the expiration date/time.");
            case WebIdentityTokenState.Rejected:
                throw new StsApiException("IDPRejectedClaim", "Incorrect token audience", 403);
            case WebIdentityTokenState.Unknown:
                throw new StsApiException("InvalidIdentityToken",
                    "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.");
        }
        var role = credentials.FindRole(roleArn);
        // Unknown role and a role whose trust policy does not name this token's identity read the same, as in AWS.
        if (role is null || role.WebIdentityTokens is null || !role.WebIdentityTokens.Contains(token))
            throw new StsApiException("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403);

        var (session, expiration) = Issue(role, sessionName, requested, WebIdentityAction);
        var claims = TokenClaims.Read(token);
        var body = new StringBuilder()
            .Append(SessionXml(session, expiration))
            .Append($"<SubjectFromWebIdentityToken>{X(claims.Subject)}</SubjectFromWebIdentityToken>")
            .Append($"<Provider>{X(claims.Issuer ?? DefaultProvider)}</Provider>")
            .Append($"<Audience>{X(claims.Audience ?? DefaultAudience)}</Audience>")
            .ToString();
        return Ok(WebIdentityAction, body, requestId);
    }

    /// <summary>
    /// The claims of an OIDC token (a JWT: header.payload.signature, base64url). Any other token gets a subject derived from
    /// a hash of it, stable and never the token itself.
    /// </summary>
    private sealed record TokenClaims(string Subject, string? Issuer, string? Audience)
    {
        public static TokenClaims Read(string token)
        {
            var fallbackSubject = "local-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..24];
            var parts = token.Split('.');
            if (parts.Length != 3) return new TokenClaims(fallbackSubject, null, null);
            try
            {
                var payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
                using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
                var root = json.RootElement;
                string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var audience = root.TryGetProperty("aud", out var aud) && aud.ValueKind == JsonValueKind.Array && aud.GetArrayLength() > 0
                    ? aud[0].GetString() : Text("aud");
                return new TokenClaims(Text("sub") ?? fallbackSubject, Text("iss"), audience);
            }
            catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
            {
                return new TokenClaims(fallbackSubject, null, null);
            }
        }
    }
}
