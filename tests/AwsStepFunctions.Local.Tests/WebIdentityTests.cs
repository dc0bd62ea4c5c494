using System;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Credentials = AwsStepFunctions.Local.Tests.Infrastructure.Credentials;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>STS AssumeRoleWithWebIdentity: unsigned, judged by the tokens the --config file declares.</summary>
public sealed class WebIdentityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    private Task<Reply> AssumeAsync(string token, string roleArn = ServerFixture.WebRole, string session = "web-session", string? duration = null)
    {
        var parameters = new System.Collections.Generic.List<(string, string)>
        {
            ("Action", "AssumeRoleWithWebIdentity"), ("RoleArn", roleArn), ("RoleSessionName", session), ("WebIdentityToken", token),
        };
        if (duration is not null) parameters.Add(("DurationSeconds", duration));
        return fixture.Client.UnsignedStsAsync(parameters.ToArray());
    }

    private static XElement Result(Reply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        return reply.Xml.Element(Ns + "AssumeRoleWithWebIdentityResult")!;
    }

    [Fact]
    public async Task UnsignedRequest_WithAValidToken_IssuesASessionOfTheRole_WithTheTokensClaims()
    {
        var result = Result(await AssumeAsync(ServerFixture.WebJwt));
        var c = result.Element(Ns + "Credentials")!;
        Assert.StartsWith("ASIA", c.Element(Ns + "AccessKeyId")!.Value);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/WebRunner/web-session", result.Element(Ns + "AssumedRoleUser")!.Element(Ns + "Arn")!.Value);
        Assert.EndsWith(":web-session", result.Element(Ns + "AssumedRoleUser")!.Element(Ns + "AssumedRoleId")!.Value);
        Assert.Equal("system:serviceaccount:ci:runner", result.Element(Ns + "SubjectFromWebIdentityToken")!.Value);
        Assert.Equal("https://oidc.eks.us-east-1.amazonaws.com/id/LOCAL", result.Element(Ns + "Provider")!.Value);
        Assert.Equal("sts.amazonaws.com", result.Element(Ns + "Audience")!.Value);
    }

    [Fact]
    public async Task IssuedCredentials_SignStepFunctionsAndStsRequests_WithTheRolesActions()
    {
        var c = Result(await AssumeAsync(ServerFixture.WebPlainToken, session: "usable")).Element(Ns + "Credentials")!;
        var session = new Credentials(c.Element(Ns + "AccessKeyId")!.Value, c.Element(Ns + "SecretAccessKey")!.Value, c.Element(Ns + "SessionToken")!.Value);

        var who = await fixture.As(session).StsAsync(("Action", "GetCallerIdentity"));
        Assert.True(who.Status == HttpStatusCode.OK, who.Body);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/WebRunner/usable", who.Xml.Element(Ns + "GetCallerIdentityResult")!.Element(Ns + "Arn")!.Value);
        (await fixture.As(session).CallAsync("ListStateMachines")).Ok();
        (await fixture.As(session).CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:X" }))
            .AssertError("AccessDeniedException");
    }

    [Fact]
    public async Task ATokenThatIsNoJwt_GetsAStableSubject_AndTheTokenIsNeverEchoed()
    {
        var first = await AssumeAsync(ServerFixture.WebPlainToken);
        var second = await AssumeAsync(ServerFixture.WebPlainToken);
        var subject = Result(first).Element(Ns + "SubjectFromWebIdentityToken")!.Value;
        Assert.StartsWith("local-", subject);
        Assert.Equal(subject, Result(second).Element(Ns + "SubjectFromWebIdentityToken")!.Value);
        Assert.DoesNotContain(ServerFixture.WebPlainToken, first.Body);
        Assert.Equal("oidc.local", Result(first).Element(Ns + "Provider")!.Value);
    }

    [Theory]
    [InlineData("never-declared-token", "InvalidIdentityToken", HttpStatusCode.BadRequest)]
    [InlineData(ServerFixture.WebExpiredToken, "ExpiredTokenException", HttpStatusCode.BadRequest)]
    [InlineData(ServerFixture.WebRejectedToken, "IDPRejectedClaim", HttpStatusCode.Forbidden)]
    public async Task TokensTheProviderDoesNotVouchFor_AreRefusedWithStsCodes(string token, string code, HttpStatusCode status)
    {
        var reply = await AssumeAsync(token);
        reply.AssertStsError(code, status);
        Assert.DoesNotContain(token, reply.Body);
    }

    [Theory]
    [InlineData(ServerFixture.DeployerRole)]
    [InlineData("arn:aws:iam::123456789012:role/NoSuchRole")]
    public async Task AValidToken_ForARoleThatDoesNotTrustIt_IsAccessDenied(string roleArn)
    {
        var reply = await AssumeAsync(ServerFixture.WebPlainToken, roleArn);
        reply.AssertStsError("AccessDenied", HttpStatusCode.Forbidden);
        Assert.Contains("Not authorized to perform sts:AssumeRoleWithWebIdentity", reply.Body);
    }

    [Theory]
    [InlineData("WebIdentityToken", "")]
    [InlineData("WebIdentityToken", "abc")]
    [InlineData("RoleSessionName", "a")]
    [InlineData("RoleArn", "not-an-arn")]
    [InlineData("DurationSeconds", "899")]
    [InlineData("DurationSeconds", "43201")]
    public async Task BadParameters_AreValidationErrors(string name, string value)
    {
        var parameters = new System.Collections.Generic.Dictionary<string, string>
        {
            ["Action"] = "AssumeRoleWithWebIdentity", ["RoleArn"] = ServerFixture.WebRole, ["RoleSessionName"] = "web-session",
            ["WebIdentityToken"] = ServerFixture.WebPlainToken, [name] = value,
        };
        var reply = await fixture.Client.UnsignedStsAsync(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(parameters, p => (p.Key, p.Value))));
        reply.AssertStsError("ValidationError", HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(null, 1800)]   // the default hour, capped by the role's maximum
    [InlineData("900", 900)]
    [InlineData("43200", 1800)]
    public async Task DurationSeconds_IsHonouredUpToTheRolesMaximum(string? requested, int expectedSeconds)
    {
        var before = DateTimeOffset.UtcNow;
        var expiration = DateTimeOffset.Parse(Result(await AssumeAsync(ServerFixture.WebPlainToken, duration: requested))
            .Element(Ns + "Credentials")!.Element(Ns + "Expiration")!.Value, CultureInfo.InvariantCulture);
        Assert.InRange((expiration - before).TotalSeconds, expectedSeconds - 2, expectedSeconds + 2);
    }

    [Fact]
    public async Task TheSdksOwnStsClient_SendsItUnsigned_AndReadsAnswersAndErrors()
    {
        using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(),
            new AmazonSecurityTokenServiceConfig { ServiceURL = fixture.Server.Url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var answer = await sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = ServerFixture.WebRole, RoleSessionName = "sdk", WebIdentityToken = ServerFixture.WebJwt, DurationSeconds = 900,
        });
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/WebRunner/sdk", answer.AssumedRoleUser.Arn);
        Assert.Equal("system:serviceaccount:ci:runner", answer.SubjectFromWebIdentityToken);
        Assert.Equal("sts.amazonaws.com", answer.Audience);
        Assert.NotNull(answer.Credentials.Expiration);

        await Assert.ThrowsAsync<InvalidIdentityTokenException>(() => sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = ServerFixture.WebRole, RoleSessionName = "sdk", WebIdentityToken = "never-declared-token",
        }));
        await Assert.ThrowsAsync<ExpiredTokenException>(() => sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = ServerFixture.WebRole, RoleSessionName = "sdk", WebIdentityToken = ServerFixture.WebExpiredToken,
        }));
        await Assert.ThrowsAsync<IDPRejectedClaimException>(() => sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = ServerFixture.WebRole, RoleSessionName = "sdk", WebIdentityToken = ServerFixture.WebRejectedToken,
        }));
    }

    [Fact]
    public async Task OtherUnsignedStsActions_StillNeedASignature()
    {
        var reply = await fixture.Client.UnsignedStsAsync(("Action", "GetCallerIdentity"));
        reply.AssertStsError("MissingAuthenticationToken", HttpStatusCode.Forbidden);
    }
}

/// <summary>The --config checks for web identity tokens.</summary>
public sealed class WebIdentityConfigTests
{
    private static Exception? Load(string json)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sfn-webid-config-{Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(path, json);
        try
        {
            AwsStepFunctions.Local.Auth.AccessConfig.Load(path);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{ "roles": [ { "roleArn": "arn:aws:iam::123456789012:role/W", "webIdentityTokens": ["abc"] } ] }""", "roles[0].webIdentityTokens")]
    [InlineData("""{ "roles": [ { "roleArn": "arn:aws:iam::123456789012:role/W", "webIdentityTokens": ["token-1"] } ], "expiredWebIdentityTokens": ["token-1"] }""", "both valid and expired or rejected")]
    [InlineData("""{ "expiredWebIdentityTokens": ["token-2"], "rejectedWebIdentityTokens": ["token-2"] }""", "both valid and expired or rejected")]
    public void ContradictoryOrImpossibleTokens_AreRefusedAtStart(string json, string expected)
    {
        var error = Load(json);
        Assert.NotNull(error);
        Assert.Contains(expected, error!.Message);
    }

    [Fact]
    public void TokensForRoles_AndExpiredAndRejectedLists_Load()
    {
        Assert.Null(Load("""{ "roles": [ { "roleArn": "arn:aws:iam::123456789012:role/W", "webIdentityTokens": ["token-1"] } ], "expiredWebIdentityTokens": ["token-2"], "rejectedWebIdentityTokens": ["token-3"] }"""));
    }
}
