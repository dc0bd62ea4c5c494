using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Credentials = AwsStepFunctions.Local.Tests.Infrastructure.Credentials;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>The AWS SDK for .NET's own STS client (the one the module uses) against the endpoint.</summary>
public sealed class AwsSdkStsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AmazonSecurityTokenServiceClient Client(Credentials c) => new(
        c.SessionToken is null ? new BasicAWSCredentials(c.AccessKeyId, c.SecretAccessKey) : new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken),
        new AmazonSecurityTokenServiceConfig { ServiceURL = fixture.Server.Url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task GetCallerIdentityAndAssumeRole_WorkThroughTheSdk()
    {
        using var runner = Client(ServerFixture.Runner);
        var who = await runner.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("arn:aws:iam::123456789012:user/runner", who.Arn);

        var assumed = await runner.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = ServerFixture.DeployerRole, RoleSessionName = "sdk", ExternalId = ServerFixture.ExternalId, DurationSeconds = 900,
        });
        Assert.StartsWith("ASIA", assumed.Credentials.AccessKeyId);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/Deployer/sdk", assumed.AssumedRoleUser.Arn);

        using var session = Client(new Credentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken));
        Assert.Equal(assumed.AssumedRoleUser.Arn, (await session.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
    }

    [Fact]
    public async Task Errors_ReachTheSdkWithTheirCodes()
    {
        using var wrong = Client(Credentials.Default with { SecretAccessKey = "wrong" });
        var mismatch = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => wrong.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("SignatureDoesNotMatch", mismatch.ErrorCode);

        using var runner = Client(ServerFixture.Runner);
        var denied = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            runner.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = ServerFixture.DeployerRole, RoleSessionName = "sdk" }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, denied.StatusCode);
    }
}
