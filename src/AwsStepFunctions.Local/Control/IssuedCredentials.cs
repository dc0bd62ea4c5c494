using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Sso;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.Control;

/// <summary>
/// GET /_local/issued-credentials: every secret the endpoint handed out (sessions of AssumeRole, AssumeRoleWithWebIdentity and
/// GetRoleCredentials; CreateToken's access and refresh tokens) and the OIDC clients' secrets, so that a test can search a
/// client's output for credentials the client obtained itself and the test never saw. It answers secrets, so the control
/// plane serves it only when the endpoint was started with --expose-issued-credentials.
/// </summary>
public sealed class IssuedCredentials(CredentialStore credentials, SsoDirectory sso)
{
    public JsonObject ToJson() => new()
    {
        ["sessions"] = new JsonArray(credentials.IssuedSessions().Select(s => (JsonNode)new JsonObject
        {
            ["operation"] = s.IssuedBy,
            ["principalArn"] = s.Principal.Arn,
            ["accessKeyId"] = s.AccessKeyId,
            ["secretAccessKey"] = s.SecretAccessKey,
            ["sessionToken"] = s.SessionToken,
            ["expiration"] = s.Expiration is { } e ? EpochTime.ToEpochSeconds(e) : null,
        }).ToArray()),
        ["ssoTokens"] = new JsonArray(sso.Minted().Select(t => (JsonNode)new JsonObject
        {
            ["operation"] = "CreateToken",
            ["user"] = t.UserName,
            ["accessToken"] = t.AccessToken,
            ["refreshToken"] = t.RefreshToken,
            ["expiration"] = EpochTime.ToEpochSeconds(t.ExpiresAt),
        }).ToArray()),
        ["ssoClients"] = new JsonArray(sso.Clients().Select(c => (JsonNode)new JsonObject
        {
            ["clientId"] = c.ClientId,
            ["clientSecret"] = c.ClientSecret,
        }).ToArray()),
    };
}
