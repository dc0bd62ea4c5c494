using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Wire;
using Microsoft.AspNetCore.Http;

namespace AwsStepFunctions.Local.Sso;

/// <summary>
/// The two IAM Identity Center calls an SDK makes for an SSO profile, on their restJson1 wire (botocore's
/// sso/2019-06-10 and sso-oidc/2019-06-10 models): the portal's GetRoleCredentials (GET /federation/credentials, bearer
/// token in x-amz-sso_bearer_token, unsigned) and SSO OIDC's CreateToken (POST /token, unsigned) for the refresh_token grant.
/// Issued credentials are sessions of the credential store, so Step Functions and STS verify them like AssumeRole's.
/// </summary>
public sealed class SsoService(SsoDirectory directory, CredentialStore credentials, TimeProvider time)
{
    public const string BearerHeader = "x-amz-sso_bearer_token";
    /// <summary>What the portal answers for a token it does not know or that has expired (as AWS words it).</summary>
    public const string InvalidTokenMessage = "Session token not found or invalid";

    /// <summary>The operation a request is for, or null when it is not one of these two (then it is Step Functions or STS).</summary>
    public static string? OperationFor(string method, string? path) => (method, path) switch
    {
        ("GET", "/federation/credentials") => "GetRoleCredentials",
        ("POST", "/token") => "CreateToken",
        _ => null,
    };

    public AwsResponse Handle(string operation, HttpRequest request, byte[] body) => operation switch
    {
        "GetRoleCredentials" => GetRoleCredentials(request),
        "CreateToken" => CreateToken(request, body),
        _ => throw new InvalidOperationException(operation),
    };

    private AwsResponse GetRoleCredentials(HttpRequest request)
    {
        var roleName = request.Query["role_name"].ToString();
        var accountId = request.Query["account_id"].ToString();
        // The model requires all three; an SDK refuses to send a request without them, so these answers are ours.
        if (roleName.Length == 0) throw RestJsonApiException.Portal("InvalidRequestException", 400, "role_name is required");
        if (accountId.Length == 0) throw RestJsonApiException.Portal("InvalidRequestException", 400, "account_id is required");
        var token = request.Headers[BearerHeader].ToString();
        var user = token.Length == 0 ? null : directory.UserOf(token);
        if (user is null) throw RestJsonApiException.Portal("UnauthorizedException", 401, InvalidTokenMessage);

        // An account or role the user is not assigned: AWS answers 403 ForbiddenException "No access" (not in the model).
        var assignment = user.Assignments.FirstOrDefault(a => a.AccountId == accountId && string.Equals(a.RoleName, roleName, StringComparison.Ordinal))
            ?? throw RestJsonApiException.Portal("ForbiddenException", 403, "No access");

        var expiration = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds() + assignment.DurationSeconds);
        var session = credentials.IssueSsoSession(assignment, user.Name, expiration);
        return AwsResponse.RestJsonOk(new JsonObject
        {
            ["roleCredentials"] = new JsonObject
            {
                ["accessKeyId"] = session.AccessKeyId,
                ["secretAccessKey"] = session.SecretAccessKey,
                ["sessionToken"] = session.SessionToken,
                // ExpirationTimestampType is a long: epoch milliseconds.
                ["expiration"] = expiration.ToUnixTimeMilliseconds(),
            },
        });
    }

    private AwsResponse CreateToken(HttpRequest request, byte[] body)
    {
        JsonObject json;
        try
        {
            json = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body) as JsonObject
                ?? throw Invalid("The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw Invalid("The request body is not valid JSON.");
        }
        string Text(string name) => json[name] is JsonValue v && v.TryGetValue(out string? s) ? s : "";
        var clientId = Text("clientId");
        var clientSecret = Text("clientSecret");
        var grantType = Text("grantType");
        if (clientId.Length == 0 || clientSecret.Length == 0 || grantType.Length == 0)
            throw Invalid("clientId, clientSecret and grantType are required.");
        if (request.Query.ContainsKey("aws_iam"))
            throw RestJsonApiException.Oidc("InvalidRequestException", 400, "invalid_request", "CreateTokenWithIAM is not supported by this endpoint.");
        if (!directory.IsClient(clientId, clientSecret))
            throw RestJsonApiException.Oidc("InvalidClientException", 401, "invalid_client", "Invalid client provided");
        // The device code and authorization code grants end a browser sign-in, which this endpoint has no page for:
        // sign-ins are declared in --config (ssoUsers) instead.
        if (grantType != "refresh_token")
            throw RestJsonApiException.Oidc("UnsupportedGrantTypeException", 400, "unsupported_grant_type",
                $"Unsupported grant type '{grantType}': this endpoint supports refresh_token only.");
        var refreshToken = Text("refreshToken");
        if (refreshToken.Length == 0) throw Invalid("refreshToken is required for the refresh_token grant.");
        var user = directory.UserOfRefreshToken(refreshToken)
            ?? throw RestJsonApiException.Oidc("InvalidGrantException", 400, "invalid_grant", "Invalid refresh token provided");

        var (accessToken, newRefreshToken, expiresIn) = directory.Mint(user);
        return AwsResponse.RestJsonOk(new JsonObject
        {
            ["accessToken"] = accessToken,
            ["tokenType"] = "Bearer",
            ["expiresIn"] = expiresIn,
            ["refreshToken"] = newRefreshToken,
        });
    }

    private static RestJsonApiException Invalid(string description) =>
        RestJsonApiException.Oidc("InvalidRequestException", 400, "invalid_request", description);
}
