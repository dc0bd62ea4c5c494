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
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;
using Credentials = AwsStepFunctions.Local.Tests.Infrastructure.Credentials;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// GET /_local/issued-credentials: every secret the endpoint issued (AssumeRole, AssumeRoleWithWebIdentity and
/// GetRoleCredentials sessions, CreateToken's tokens) and the OIDC clients' secrets, served only with
/// --expose-issued-credentials. A client's leak tests search its output for these.
/// </summary>
public sealed class IssuedCredentialsTests
{
    private const string WebToken = "issued-tests-web-identity-token";
    private const string SsoAccessToken = "issued-tests-sso-access-token";
    private const string SsoRefreshToken = "issued-tests-sso-refresh-token";
    private const string ClientSecret = "issued-tests-client-secret";
    private const string Role = "arn:aws:iam::123456789012:role/Issued";
    private static readonly Credentials Assumer = new("AKIAISSUEDTESTS00001", "issued-tests-assumer-secret");

    private const string ConfigJson = """
        {
          "users": [ { "name": "assumer", "accessKeyId": "AKIAISSUEDTESTS00001", "secretAccessKey": "issued-tests-assumer-secret",
                       "actions": ["sts:AssumeRole"] } ],
          "roles": [ { "roleArn": "arn:aws:iam::123456789012:role/Issued", "actions": ["states:*"], "durationSeconds": 900,
                       "webIdentityTokens": ["issued-tests-web-identity-token"] } ],
          "ssoUsers": [ { "name": "alice", "accessTokens": ["issued-tests-sso-access-token"], "refreshTokens": ["issued-tests-sso-refresh-token"],
                          "assignments": [ { "accountId": "123456789012", "roleName": "Runner", "actions": ["states:*"] } ] } ],
          "ssoClients": [ { "clientId": "issued-tests-client", "clientSecret": "issued-tests-client-secret" } ]
        }
        """;

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<LocalEndpointServer> StartAsync(bool expose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"issued-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ConfigJson);
        try
        {
            return await LocalEndpointServer.StartAsync(
                new LocalEndpointOptions { Access = AccessConfig.Load(path), ExposeIssuedCredentials = expose }, CancellationToken.None);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetIssuedAsync(LocalEndpointServer server)
    {
        using var response = await Http.GetAsync(new Uri(server.Url, "/_local/issued-credentials"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every kind of issue, and one refusal of each (which issues nothing); what each answered, in order.</summary>
    private static async Task<(Credentials Assumed, Credentials Web, Credentials Portal, string AccessToken, string RefreshToken)> IssueOneOfEachAsync(LocalEndpointServer server)
    {
        var client = new AwsTestClient(server.Url, Assumer);
        var assumed = await client.AssumeRoleAsync(Role, "issued");
        (await client.StsAsync(("Action", "AssumeRole"), ("RoleArn", "arn:aws:iam::123456789012:role/Unknown"), ("RoleSessionName", "refused")))
            .AssertStsError("AccessDenied", HttpStatusCode.Forbidden);

        var web = await client.UnsignedStsAsync(("Action", "AssumeRoleWithWebIdentity"), ("RoleArn", Role), ("RoleSessionName", "web"), ("WebIdentityToken", WebToken));
        Assert.True(web.Status == HttpStatusCode.OK, web.Body);
        var ns = web.StsNs;
        var w = web.Xml.Element(ns + "AssumeRoleWithWebIdentityResult")!.Element(ns + "Credentials")!;
        var webCredentials = new Credentials(w.Element(ns + "AccessKeyId")!.Value, w.Element(ns + "SecretAccessKey")!.Value, w.Element(ns + "SessionToken")!.Value);
        (await client.UnsignedStsAsync(("Action", "AssumeRoleWithWebIdentity"), ("RoleArn", Role), ("RoleSessionName", "web"), ("WebIdentityToken", "not-a-declared-token")))
            .AssertStsError("InvalidIdentityToken", HttpStatusCode.BadRequest);

        using var portalRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, "/federation/credentials?role_name=Runner&account_id=123456789012"));
        portalRequest.Headers.TryAddWithoutValidation("x-amz-sso_bearer_token", SsoAccessToken);
        using var portalResponse = await Http.SendAsync(portalRequest);
        var role = JsonNode.Parse(await portalResponse.Content.ReadAsStringAsync())!["roleCredentials"]!;
        var portal = new Credentials(role["accessKeyId"]!.GetValue<string>(), role["secretAccessKey"]!.GetValue<string>(), role["sessionToken"]!.GetValue<string>());

        async Task<(HttpStatusCode, JsonNode?)> CreateTokenAsync(string refreshToken)
        {
            using var content = new StringContent(new JsonObject
            {
                ["clientId"] = "issued-tests-client", ["clientSecret"] = ClientSecret, ["grantType"] = "refresh_token", ["refreshToken"] = refreshToken,
            }.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
            using var response = await Http.PostAsync(new Uri(server.Url, "/token"), content);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }
        var (status, token) = await CreateTokenAsync(SsoRefreshToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateTokenAsync("not-a-declared-refresh-token")).Item1);
        return (assumed, webCredentials, portal, token!["accessToken"]!.GetValue<string>(), token["refreshToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithTheOption_ListsEverySecretIssued_InOrder_AndTheClientSecrets_ButNothingForARefusal()
    {
        await using var server = await StartAsync(expose: true);
        var (empty, emptyBody) = await GetIssuedAsync(server);
        Assert.Equal(HttpStatusCode.OK, empty);
        var none = JsonNode.Parse(emptyBody)!;
        Assert.Empty(none["sessions"]!.AsArray());
        Assert.Empty(none["ssoTokens"]!.AsArray());

        var (assumed, web, portal, accessToken, refreshToken) = await IssueOneOfEachAsync(server);
        var (status, body) = await GetIssuedAsync(server);
        Assert.Equal(HttpStatusCode.OK, status);
        var issued = JsonNode.Parse(body)!;

        var sessions = issued["sessions"]!.AsArray();
        Assert.Equal(["AssumeRole", "AssumeRoleWithWebIdentity", "GetRoleCredentials"], sessions.Select(s => s!["operation"]!.GetValue<string>()));
        foreach (var (session, expected) in sessions.Zip([assumed, web, portal]))
        {
            Assert.Equal(expected.AccessKeyId, session!["accessKeyId"]!.GetValue<string>());
            Assert.Equal(expected.SecretAccessKey, session["secretAccessKey"]!.GetValue<string>());
            Assert.Equal(expected.SessionToken, session["sessionToken"]!.GetValue<string>());
            Assert.True(session["expiration"]!.GetValue<double>() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/Issued/issued", sessions[0]!["principalArn"]!.GetValue<string>());
        Assert.Matches("^arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Runner_[0-9a-f]{16}/alice$", sessions[2]!["principalArn"]!.GetValue<string>());

        var tokens = Assert.Single(issued["ssoTokens"]!.AsArray())!;
        Assert.Equal("CreateToken", tokens["operation"]!.GetValue<string>());
        Assert.Equal("alice", tokens["user"]!.GetValue<string>());
        Assert.Equal(accessToken, tokens["accessToken"]!.GetValue<string>());
        Assert.Equal(refreshToken, tokens["refreshToken"]!.GetValue<string>());

        var client = Assert.Single(issued["ssoClients"]!.AsArray())!;
        Assert.Equal("issued-tests-client", client["clientId"]!.GetValue<string>());
        Assert.Equal(ClientSecret, client["clientSecret"]!.GetValue<string>());

        // Users' long-term keys and the tokens --config declared are the test's own: not issued, not listed.
        Assert.DoesNotContain(Assumer.SecretAccessKey, body);
        Assert.DoesNotContain(SsoAccessToken, body);
        Assert.DoesNotContain(WebToken, body);
    }

    [Fact]
    public async Task WithoutTheOption_Answers403NamingIt_AndNoSecret()
    {
        await using var server = await StartAsync(expose: false);
        var (assumed, web, portal, accessToken, refreshToken) = await IssueOneOfEachAsync(server);
        var (status, body) = await GetIssuedAsync(server);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("--expose-issued-credentials", JsonNode.Parse(body)!["message"]!.GetValue<string>());
        foreach (var secret in new[] { assumed.SecretAccessKey, assumed.SessionToken!, web.SessionToken!, portal.SessionToken!, accessToken, refreshToken, ClientSecret })
            Assert.DoesNotContain(secret, body);
    }
}
