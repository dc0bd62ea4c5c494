using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSO.Model;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;
using Credentials = AwsStepFunctions.Local.Tests.Infrastructure.Credentials;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// The IAM Identity Center portal's GetRoleCredentials and SSO OIDC's CreateToken (refresh_token grant): their restJson1
/// wire shape and errors, through raw HTTP and through the AWS SDK for .NET's own SSO and SSOOIDC clients, and the issued
/// credentials signing Step Functions and STS calls.
/// </summary>
public sealed class SsoTests : IAsyncLifetime
{
    private const string AliceToken = "alice-access-token-for-tests";
    private const string AliceRefresh = "alice-refresh-token-for-tests";
    private const string ClientId = "local-client-id";
    private const string ClientSecret = "local-client-secret";

    private const string ConfigJson = """
        {
          "ssoUsers": [
            { "name": "alice", "accessTokens": ["alice-access-token-for-tests"], "refreshTokens": ["alice-refresh-token-for-tests"],
              "accessTokenSeconds": 600,
              "assignments": [
                { "accountId": "123456789012", "roleName": "Runner", "actions": ["states:*"], "durationSeconds": 900 },
                { "accountId": "123456789012", "roleName": "Lister", "actions": ["states:ListStateMachines"] }
              ] }
          ],
          "ssoClients": [ { "clientId": "local-client-id", "clientSecret": "local-client-secret" } ]
        }
        """;

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ManualTime _time = new();
    private LocalEndpointServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Access = Load(ConfigJson), Time = _time }, CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static AccessConfig Load(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sso-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            return AccessConfig.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<Reply> GetRoleCredentialsAsync(string? token, string? roleName = "Runner", string? accountId = "123456789012")
    {
        var query = string.Join("&", new[] { ("role_name", roleName), ("account_id", accountId) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.Url, "/federation/credentials?" + query));
        if (token is not null) request.Headers.TryAddWithoutValidation("x-amz-sso_bearer_token", token);
        var response = await Http.SendAsync(request);
        return new Reply(response.StatusCode, response, await response.Content.ReadAsStringAsync());
    }

    private async Task<Reply> CreateTokenAsync(JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Url, "/token"));
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        var response = await Http.SendAsync(request);
        return new Reply(response.StatusCode, response, await response.Content.ReadAsStringAsync());
    }

    private static void AssertRestError(Reply reply, HttpStatusCode status, string code)
    {
        Assert.True(reply.Status == status, $"expected {(int)status} {code}, got {(int)reply.Status}: {reply.Body}");
        Assert.Equal(code, reply.Header("x-amzn-ErrorType"));
        Assert.Equal("application/json", reply.Message.Content.Headers.ContentType?.MediaType);
    }

    private static Credentials RoleCredentials(Reply reply)
    {
        var c = reply.Ok()["roleCredentials"]!.AsObject();
        return new Credentials(c["accessKeyId"]!.GetValue<string>(), c["secretAccessKey"]!.GetValue<string>(), c["sessionToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetRoleCredentials_AnswersTheModelsShape_AndTheCredentialsSignStepFunctionsAndSts()
    {
        var reply = await GetRoleCredentialsAsync(AliceToken);
        var role = reply.Ok()["roleCredentials"]!.AsObject();
        Assert.Equal("application/json", reply.Message.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["accessKeyId", "expiration", "secretAccessKey", "sessionToken"], role.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Matches("^ASIA[A-Z2-7]{16}$", role["accessKeyId"]!.GetValue<string>());
        // ExpirationTimestampType is a long of epoch milliseconds: durationSeconds (900) from now.
        Assert.Equal(_time.Now.ToUnixTimeSeconds() + 900, role["expiration"]!.GetValue<long>() / 1000);

        var session = new AwsTestClient(_server.Url, RoleCredentials(reply));
        (await session.CallAsync("ListStateMachines")).Ok();
        var who = await session.StsAsync(("Action", "GetCallerIdentity"));
        var arn = who.Xml.Descendants(who.StsNs + "Arn").Single().Value;
        Assert.Matches(@"^arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Runner_[0-9a-f]{16}/alice$", arn);
    }

    [Fact]
    public async Task IssuedCredentials_AreAuthorizedByTheAssignmentsActions()
    {
        var lister = new AwsTestClient(_server.Url, RoleCredentials(await GetRoleCredentialsAsync(AliceToken, "Lister")));
        (await lister.CallAsync("ListStateMachines")).Ok();
        var denied = await lister.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:X" });
        denied.AssertError("AccessDeniedException");
        Assert.Contains("assumed-role/AWSReservedSSO_Lister_", denied.ErrorMessage);
    }

    [Fact]
    public async Task GetRoleCredentials_RefusesUnknownOrMissingTokensAndUnassignedRoles()
    {
        foreach (var token in new[] { "not-a-token", null })
        {
            var refused = await GetRoleCredentialsAsync(token);
            AssertRestError(refused, HttpStatusCode.Unauthorized, "UnauthorizedException");
            Assert.Equal("Session token not found or invalid", refused.Json["message"]!.GetValue<string>());
        }
        foreach (var (roleName, account) in new[] { ("Admin", "123456789012"), ("Runner", "210987654321"), ("runner", "123456789012") })
        {
            var forbidden = await GetRoleCredentialsAsync(AliceToken, roleName, account);
            AssertRestError(forbidden, HttpStatusCode.Forbidden, "ForbiddenException");
            Assert.Equal("No access", forbidden.Json["message"]!.GetValue<string>());
        }
        AssertRestError(await GetRoleCredentialsAsync(AliceToken, roleName: null), HttpStatusCode.BadRequest, "InvalidRequestException");
        AssertRestError(await GetRoleCredentialsAsync(AliceToken, accountId: null), HttpStatusCode.BadRequest, "InvalidRequestException");
    }

    [Fact]
    public async Task TheSdksSsoClient_GetsCredentials_AndReadsTheErrorCodes()
    {
        using var sso = new AmazonSSOClient(new AnonymousAWSCredentials(), new AmazonSSOConfig { ServiceURL = _server.Url.ToString(), MaxErrorRetry = 0 });
        var response = await sso.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = AliceToken, AccountId = "123456789012", RoleName = "Runner" });
        Assert.StartsWith("ASIA", response.RoleCredentials.AccessKeyId);
        Assert.Equal(_time.Now.ToUnixTimeSeconds() + 900, response.RoleCredentials.Expiration / 1000);

        var unauthorized = await Assert.ThrowsAsync<UnauthorizedException>(() =>
            sso.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = "nope", AccountId = "123456789012", RoleName = "Runner" }));
        Assert.Equal("UnauthorizedException", unauthorized.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        var forbidden = await Assert.ThrowsAnyAsync<AmazonSSOException>(() =>
            sso.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = AliceToken, AccountId = "123456789012", RoleName = "Admin" }));
        Assert.Equal("ForbiddenException", forbidden.ErrorCode);
        Assert.Equal("No access", forbidden.Message);
    }

    [Fact]
    public async Task CreateToken_RefreshGrant_MintsATokenThePortalTakes_UntilItExpires()
    {
        using var oidc = new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), new AmazonSSOOIDCConfig { ServiceURL = _server.Url.ToString(), MaxErrorRetry = 0 });
        var token = await oidc.CreateTokenAsync(new CreateTokenRequest
        {
            ClientId = ClientId, ClientSecret = ClientSecret, GrantType = "refresh_token", RefreshToken = AliceRefresh,
        });
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(600, token.ExpiresIn);
        Assert.False(string.IsNullOrEmpty(token.RefreshToken));
        Assert.NotEqual(AliceRefresh, token.RefreshToken);
        Assert.NotEqual(AliceToken, token.AccessToken);
        (await GetRoleCredentialsAsync(token.AccessToken)).Ok();

        // The new refresh token works, and so does the old one (no rotation rule is documented).
        foreach (var refresh in new[] { token.RefreshToken, AliceRefresh })
        {
            var again = await CreateTokenAsync(new JsonObject { ["clientId"] = ClientId, ["clientSecret"] = ClientSecret, ["grantType"] = "refresh_token", ["refreshToken"] = refresh });
            Assert.False(string.IsNullOrEmpty(again.Ok()["accessToken"]!.GetValue<string>()));
        }

        _time.Now = _time.Now.AddSeconds(601);
        AssertRestError(await GetRoleCredentialsAsync(token.AccessToken), HttpStatusCode.Unauthorized, "UnauthorizedException");
        // A token declared in --config does not expire here: its expiry is in the client's cache file.
        (await GetRoleCredentialsAsync(AliceToken)).Ok();
    }

    [Fact]
    public async Task CreateToken_Errors_HaveTheOAuthShapeAndTheModelsCodes()
    {
        JsonObject Body(string? secret = ClientSecret, string? grant = "refresh_token", string? refresh = AliceRefresh, string clientId = ClientId)
        {
            var body = new JsonObject { ["clientId"] = clientId };
            if (secret is not null) body["clientSecret"] = secret;
            if (grant is not null) body["grantType"] = grant;
            if (refresh is not null) body["refreshToken"] = refresh;
            return body;
        }
        async Task Expect(JsonObject body, HttpStatusCode status, string code, string error)
        {
            var reply = await CreateTokenAsync(body);
            AssertRestError(reply, status, code);
            Assert.Equal(error, reply.Json["error"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(reply.Json["error_description"]!.GetValue<string>()));
        }
        await Expect(Body(refresh: "stolen"), HttpStatusCode.BadRequest, "InvalidGrantException", "invalid_grant");
        await Expect(Body(secret: "wrong"), HttpStatusCode.Unauthorized, "InvalidClientException", "invalid_client");
        await Expect(Body(clientId: "someone-else"), HttpStatusCode.Unauthorized, "InvalidClientException", "invalid_client");
        await Expect(Body(grant: "urn:ietf:params:oauth:grant-type:device_code"), HttpStatusCode.BadRequest, "UnsupportedGrantTypeException", "unsupported_grant_type");
        await Expect(Body(secret: null), HttpStatusCode.BadRequest, "InvalidRequestException", "invalid_request");
        await Expect(Body(refresh: null), HttpStatusCode.BadRequest, "InvalidRequestException", "invalid_request");

        using var oidc = new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), new AmazonSSOOIDCConfig { ServiceURL = _server.Url.ToString(), MaxErrorRetry = 0 });
        var grant = await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(new CreateTokenRequest
        {
            ClientId = ClientId, ClientSecret = ClientSecret, GrantType = "refresh_token", RefreshToken = "stolen",
        }));
        Assert.Equal("invalid_grant", grant.Error);
    }

    [Fact]
    public async Task SsoSessions_ExpireLikeAssumeRoleSessions()
    {
        var session = new AwsTestClient(_server.Url, RoleCredentials(await GetRoleCredentialsAsync(AliceToken)));
        _time.Now = _time.Now.AddSeconds(901);
        (await session.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", signedAt: _time.Now)).AssertError("ExpiredTokenException");
    }

    [Fact]
    public async Task TheRequestLog_CountsTheCalls_AndNeverHoldsATokenOrTheIssuedSecret()
    {
        _server.Requests.Clear();
        var issued = RoleCredentials(await GetRoleCredentialsAsync(AliceToken));
        await GetRoleCredentialsAsync("not-a-token");
        await CreateTokenAsync(new JsonObject { ["clientId"] = ClientId, ["clientSecret"] = ClientSecret, ["grantType"] = "refresh_token", ["refreshToken"] = AliceRefresh });
        var log = (await Http.GetStringAsync(new Uri(_server.Url, "/_local/requests")));
        Assert.Contains("\"GetRoleCredentials\"", log);
        Assert.Contains("\"CreateToken\"", log);
        Assert.Contains("UnauthorizedException", log);
        foreach (var secret in new[] { AliceToken, AliceRefresh, ClientSecret, issued.SecretAccessKey, issued.SessionToken! })
            Assert.DoesNotContain(secret, log);
    }

    [Theory]
    [InlineData("""{ "ssoUsers": [ { "name": "a", "assignments": [ { "accountId": "111111111111", "roleName": "R" } ] } ] }""", "ssoUsers[0].assignments[0].accountId")]
    [InlineData("""{ "ssoUsers": [ { "name": "a", "accessTokens": ["t"] }, { "name": "b", "refreshTokens": ["t"] } ] }""", "ssoUsers[1].accessTokens/refreshTokens")]
    [InlineData("""{ "ssoUsers": [ { "name": "a", "assignments": [ { "accountId": "123456789012", "roleName": "has space" } ] } ] }""", "roleName")]
    [InlineData("""{ "ssoClients": [ { "clientId": "c" } ] }""", "ssoClients[0].clientSecret")]
    public void Config_RefusesWhatCouldNotWork(string json, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Load(json));
        Assert.Contains(named, error.Message);
    }
}
