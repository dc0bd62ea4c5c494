using System;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

public sealed class SigV4Tests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    [Fact]
    public async Task NoAuthorizationHeader_IsMissingAuthenticationToken()
    {
        var reply = await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", sign: false);
        reply.AssertError("MissingAuthenticationTokenException");
    }

    [Fact]
    public async Task MissingSignatureField_IsIncompleteSignature()
    {
        var reply = await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", afterSigning: r =>
        {
            var header = System.Linq.Enumerable.First(r.Headers.GetValues("Authorization"));
            r.Headers.Remove("Authorization");
            r.Headers.TryAddWithoutValidation("Authorization", header[..header.IndexOf(", Signature=", StringComparison.Ordinal)]);
        });
        reply.AssertError("IncompleteSignatureException");
        Assert.Contains("Signature", reply.ErrorMessage);
    }

    [Fact]
    public async Task UnknownAccessKey_IsUnrecognizedClient()
    {
        var reply = await Client.With(new Credentials("AKIAUNKNOWN000000000", "whatever")).CallAsync("ListStateMachines");
        reply.AssertError("UnrecognizedClientException");
        Assert.Equal("The security token included in the request is invalid.", reply.ErrorMessage);
    }

    [Fact]
    public async Task WrongSecret_IsInvalidSignature()
    {
        var reply = await Client.With(Credentials.Default with { SecretAccessKey = "not-the-secret" }).CallAsync("ListStateMachines");
        reply.AssertError("InvalidSignatureException");
        Assert.StartsWith("The request signature we calculated does not match the signature you provided.", reply.ErrorMessage);
        Assert.DoesNotContain("not-the-secret", reply.Body);
        Assert.DoesNotContain(Credentials.Default.SecretAccessKey, reply.Body);
    }

    [Fact]
    public async Task SignedForAnotherRegion_IsRefusedAsARegionalEndpointRefusesIt_StsAlsoTakesItsGlobalScope()
    {
        // As AWS answers a request whose credential scope names another region (e.g. aws/aws-sdk-ruby#508).
        var reply = await Client.SigningFor("eu-west-1").CallAsync("ListStateMachines");
        reply.AssertError("InvalidSignatureException");
        Assert.Equal("Credential should be scoped to a valid region, not 'eu-west-1'. ", reply.ErrorMessage);
        var sts = await Client.SigningFor("eu-west-1").StsAsync(("Action", "GetCallerIdentity"));
        sts.AssertStsError("SignatureDoesNotMatch", HttpStatusCode.Forbidden);
        Assert.Equal("Credential should be scoped to a valid region, not 'eu-west-1'. ", sts.Xml.Element(sts.StsNs + "Error")!.Element(sts.StsNs + "Message")!.Value);
        // The fixture's endpoint is us-east-1, which is also STS's global scope: both sign for it.
        (await Client.CallAsync("ListStateMachines")).Ok();
        Assert.Equal(HttpStatusCode.OK, (await Client.StsAsync(("Action", "GetCallerIdentity"))).Status);
    }

    [Fact]
    public async Task BodyChangedAfterSigning_IsInvalidSignature()
    {
        var signed = Encoding.UTF8.GetBytes("{\"maxResults\":1}");
        var reply = await Client.SendRawAsync(signed, "ListStateMachines", afterSigning: r =>
        {
            var type = r.Content!.Headers.ContentType;
            r.Content = new System.Net.Http.ByteArrayContent(Encoding.UTF8.GetBytes("{\"maxResults\":2}"));
            r.Content.Headers.ContentType = type;
        });
        reply.AssertError("InvalidSignatureException");
    }

    [Fact]
    public async Task SignedHeaderChangedAfterSigning_IsInvalidSignature()
    {
        var reply = await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", afterSigning: r =>
        {
            r.Headers.Remove("X-Amz-Target");
            r.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSStepFunctions.ListExecutions");
        });
        reply.AssertError("InvalidSignatureException");
    }

    [Theory]
    [InlineData(-20)]
    [InlineData(20)]
    public async Task ClockSkewOver15Minutes_IsSignatureExpired(int minutes)
    {
        var reply = await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", signedAt: DateTimeOffset.UtcNow.AddMinutes(minutes));
        reply.AssertError("InvalidSignatureException");
        Assert.StartsWith(minutes < 0 ? "Signature expired: " : "Signature not yet current: ", reply.ErrorMessage);
    }

    [Fact]
    public async Task ClockSkewUnder15Minutes_IsAccepted()
    {
        (await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", signedAt: DateTimeOffset.UtcNow.AddMinutes(-10))).Ok();
    }

    [Fact]
    public async Task SignatureOverTheHttpDateHeader_IsAccepted_AndItsSkewChecked()
    {
        (await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", signDateHeader: true)).Ok();
        var old = await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", signDateHeader: true, signedAt: DateTimeOffset.UtcNow.AddHours(-1));
        old.AssertError("InvalidSignatureException");
        Assert.StartsWith("Signature expired: ", old.ErrorMessage);
    }

    [Fact]
    public async Task NoSigningTimeAtAll_IsIncompleteSignature()
    {
        var reply = await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", afterSigning: r => r.Headers.Remove("X-Amz-Date"));
        reply.AssertError("IncompleteSignatureException");
        Assert.Contains("'X-Amz-Date' or a 'Date' header", reply.ErrorMessage);
    }

    [Fact]
    public async Task UnknownSessionToken_IsUnrecognizedClient()
    {
        var session = await fixture.As(ServerFixture.Runner).AssumeRoleAsync(ServerFixture.DeployerRole, externalId: ServerFixture.ExternalId);
        var reply = await Client.With(session with { SessionToken = "forged" + session.SessionToken }).CallAsync("ListStateMachines");
        reply.AssertError("UnrecognizedClientException");
        var noToken = await Client.With(session with { SessionToken = null }).CallAsync("ListStateMachines");
        noToken.AssertError("UnrecognizedClientException");
    }

    [Fact]
    public async Task SessionTokenWithLongTermKey_IsUnrecognizedClient()
    {
        var reply = await Client.With(Credentials.Default with { SessionToken = "some-token" }).CallAsync("ListStateMachines");
        reply.AssertError("UnrecognizedClientException");
    }

    [Fact]
    public async Task StsErrors_AreXmlWithStsCodesAndStatuses()
    {
        var unknown = await Client.With(new Credentials("AKIAUNKNOWN000000000", "x")).StsAsync(("Action", "GetCallerIdentity"));
        unknown.AssertStsError("InvalidClientTokenId", HttpStatusCode.Forbidden);
        var wrong = await Client.With(Credentials.Default with { SecretAccessKey = "wrong" }).StsAsync(("Action", "GetCallerIdentity"));
        wrong.AssertStsError("SignatureDoesNotMatch", HttpStatusCode.Forbidden);
        Assert.Equal("text/xml", wrong.Message.Content.Headers.ContentType!.MediaType);
        Assert.True(Guid.TryParse(wrong.Xml.Element(wrong.StsNs + "RequestId")!.Value, out _));
        var missing = await Client.SendRawAsync("Action=GetCallerIdentity&Version=2011-06-15"u8.ToArray(), null, "application/x-www-form-urlencoded", sign: false);
        missing.AssertStsError("MissingAuthenticationToken", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task StatesSignatureIsNotAcceptedForSts()
    {
        // A signature scoped to another service must not verify (the scope is part of the key).
        var reply = await Client.SendRawAsync("Action=GetCallerIdentity&Version=2011-06-15"u8.ToArray(), null, "application/x-www-form-urlencoded", service: "states");
        reply.AssertStsError("SignatureDoesNotMatch", HttpStatusCode.Forbidden);
    }
}
