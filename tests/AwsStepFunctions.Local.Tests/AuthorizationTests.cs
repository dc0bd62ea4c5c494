using System;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

public sealed class AuthorizationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Machine = "arn:aws:states:us-east-1:123456789012:stateMachine:Anything";

    [Fact]
    public async Task UserOutsideItsActions_IsAccessDenied_NamingPrincipalActionAndResource()
    {
        var reply = await fixture.As(ServerFixture.Reader).CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = Machine });
        reply.AssertError("AccessDeniedException");
        Assert.Equal(
            $"User: arn:aws:iam::123456789012:user/reader is not authorized to perform: states:StartExecution on resource: {Machine} because no identity-based policy allows the states:StartExecution action",
            reply.ErrorMessage);
    }

    [Fact]
    public async Task UserWithinItsWildcardActions_IsAllowed()
    {
        (await fixture.As(ServerFixture.Reader).CallAsync("ListStateMachines")).Ok();
        var describe = await fixture.As(ServerFixture.Reader).CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = Machine });
        describe.AssertError("StateMachineDoesNotExist");
    }

    [Fact]
    public async Task GetCallerIdentity_AnswersTheUserInStsXml()
    {
        var reply = await fixture.As(ServerFixture.Reader).StsAsync(("Action", "GetCallerIdentity"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var ns = reply.StsNs;
        Assert.Equal(ns + "GetCallerIdentityResponse", reply.Xml.Name);
        var result = reply.Xml.Element(ns + "GetCallerIdentityResult")!;
        Assert.Equal("arn:aws:iam::123456789012:user/reader", result.Element(ns + "Arn")!.Value);
        Assert.Equal("123456789012", result.Element(ns + "Account")!.Value);
        Assert.StartsWith("AIDA", result.Element(ns + "UserId")!.Value);
        var requestId = reply.Xml.Element(ns + "ResponseMetadata")!.Element(ns + "RequestId")!.Value;
        Assert.Equal(reply.Header("x-amzn-RequestId"), requestId);
    }

    [Fact]
    public async Task AssumeRole_IssuesWorkingSessionCredentials_AsTheAssumedRole()
    {
        var reply = await fixture.As(ServerFixture.Runner).StsAsync(("Action", "AssumeRole"), ("RoleArn", ServerFixture.DeployerRole),
            ("RoleSessionName", "deploy-1"), ("ExternalId", ServerFixture.ExternalId), ("DurationSeconds", "900"));
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var ns = reply.StsNs;
        var result = reply.Xml.Element(ns + "AssumeRoleResult")!;
        var c = result.Element(ns + "Credentials")!;
        Assert.StartsWith("ASIA", c.Element(ns + "AccessKeyId")!.Value);
        var expiration = DateTimeOffset.Parse(c.Element(ns + "Expiration")!.Value, CultureInfo.InvariantCulture);
        Assert.InRange((expiration - DateTimeOffset.UtcNow).TotalSeconds, 880, 905);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/Deployer/deploy-1", result.Element(ns + "AssumedRoleUser")!.Element(ns + "Arn")!.Value);
        Assert.EndsWith(":deploy-1", result.Element(ns + "AssumedRoleUser")!.Element(ns + "AssumedRoleId")!.Value);

        var session = new Credentials(c.Element(ns + "AccessKeyId")!.Value, c.Element(ns + "SecretAccessKey")!.Value, c.Element(ns + "SessionToken")!.Value);
        var who = await fixture.As(session).StsAsync(("Action", "GetCallerIdentity"));
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/Deployer/deploy-1", who.Xml.Element(ns + "GetCallerIdentityResult")!.Element(ns + "Arn")!.Value);
        (await fixture.As(session).CallAsync("ListStateMachines")).Ok();
    }

    [Fact]
    public async Task AssumeRole_DefaultLifetimeIsCappedByTheRoleMaximum()
    {
        var reply = await fixture.As(ServerFixture.Runner).StsAsync(("Action", "AssumeRole"), ("RoleArn", ServerFixture.ViewerRole), ("RoleSessionName", "cap"),
            ("DurationSeconds", "43200"));
        var ns = reply.StsNs;
        var expiration = DateTimeOffset.Parse(reply.Xml.Element(ns + "AssumeRoleResult")!.Element(ns + "Credentials")!.Element(ns + "Expiration")!.Value, CultureInfo.InvariantCulture);
        Assert.InRange((expiration - DateTimeOffset.UtcNow).TotalSeconds, 1780, 1805);
    }

    [Fact]
    public async Task RoleOutsideItsActions_IsAccessDenied_NamingTheAssumedRole()
    {
        var session = await fixture.As(ServerFixture.Runner).AssumeRoleAsync(ServerFixture.ViewerRole, "viewer");
        var reply = await fixture.As(session).CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = Machine });
        reply.AssertError("AccessDeniedException");
        Assert.StartsWith("User: arn:aws:sts::123456789012:assumed-role/Viewer/viewer is not authorized to perform: states:StartExecution", reply.ErrorMessage);
        var allowed = await fixture.As(session).CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:execution:A:b" });
        allowed.AssertError("ExecutionDoesNotExist");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-external-id")]
    public async Task AssumeRole_WithoutTheRightExternalId_IsAccessDenied(string? externalId)
    {
        var parameters = externalId is null
            ? new[] { ("Action", "AssumeRole"), ("RoleArn", ServerFixture.DeployerRole), ("RoleSessionName", "s1") }
            : new[] { ("Action", "AssumeRole"), ("RoleArn", ServerFixture.DeployerRole), ("RoleSessionName", "s1"), ("ExternalId", externalId) };
        var reply = await fixture.As(ServerFixture.Runner).StsAsync(parameters);
        reply.AssertStsError("AccessDenied", HttpStatusCode.Forbidden);
        Assert.Contains("User: arn:aws:iam::123456789012:user/runner is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Deployer",
            reply.Body);
    }

    [Fact]
    public async Task AssumeRole_ByAnUntrustedPrincipal_IsAccessDenied_EvenWithEveryAction()
    {
        // The default user may call anything, but the Deployer role's trust names only "runner".
        var reply = await fixture.Client.StsAsync(("Action", "AssumeRole"), ("RoleArn", ServerFixture.DeployerRole), ("RoleSessionName", "s1"),
            ("ExternalId", ServerFixture.ExternalId));
        reply.AssertStsError("AccessDenied", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AssumeRole_WithoutStsAssumeRoleAction_IsAccessDenied()
    {
        var reply = await fixture.As(ServerFixture.Reader).StsAsync(("Action", "AssumeRole"), ("RoleArn", ServerFixture.ViewerRole), ("RoleSessionName", "s1"));
        reply.AssertStsError("AccessDenied", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AssumeRole_UnknownRole_IsAccessDenied()
    {
        var reply = await fixture.As(ServerFixture.Runner).StsAsync(("Action", "AssumeRole"), ("RoleArn", "arn:aws:iam::123456789012:role/Nope"), ("RoleSessionName", "s1"));
        reply.AssertStsError("AccessDenied", HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("RoleSessionName", "a")]
    [InlineData("RoleSessionName", "has space")]
    [InlineData("DurationSeconds", "899")]
    [InlineData("DurationSeconds", "43201")]
    [InlineData("DurationSeconds", "ten")]
    [InlineData("RoleArn", "not-an-arn")]
    public async Task AssumeRole_BadParameters_AreValidationErrors(string name, string value)
    {
        var parameters = new System.Collections.Generic.Dictionary<string, string>
        {
            ["Action"] = "AssumeRole", ["RoleArn"] = ServerFixture.ViewerRole, ["RoleSessionName"] = "valid", [name] = value,
        };
        var reply = await fixture.As(ServerFixture.Runner).StsAsync(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(parameters, p => (p.Key, p.Value))));
        reply.AssertStsError("ValidationError", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownStsAction_IsInvalidAction()
    {
        var reply = await fixture.Client.StsAsync(("Action", "GetSessionToken"));
        reply.AssertStsError("InvalidAction", HttpStatusCode.BadRequest);
    }
}
