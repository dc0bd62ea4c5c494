using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>A server on a hand-moved clock, so expiry is tested without waiting for it.</summary>
public sealed class ExpiringCredentialsTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task ShortLivedRoleFromConfig_ExpiresAndThenAnswersExpiredToken()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, """
            { "roles": [ { "roleArn": "arn:aws:iam::123456789012:role/Short", "actions": ["*"], "durationSeconds": 5 } ] }
            """);
        var time = new ManualTime();
        AccessConfig access;
        try
        {
            access = AccessConfig.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
        await using var server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Access = access, Time = time }, CancellationToken.None);
        var client = new AwsTestClient(server.Url, Credentials.Default);

        var session = await client.AssumeRoleAsync("arn:aws:iam::123456789012:role/Short", "short");
        var asSession = client.With(session);
        (await asSession.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", signedAt: time.Now)).Ok();

        time.Now = time.Now.AddSeconds(6);
        var sfn = await asSession.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", signedAt: time.Now);
        sfn.AssertError("ExpiredTokenException");
        Assert.Equal("The security token included in the request is expired", sfn.ErrorMessage);

        var sts = await asSession.SendRawAsync("Action=GetCallerIdentity&Version=2011-06-15"u8.ToArray(), null, "application/x-www-form-urlencoded",
            signedAt: time.Now, service: "sts");
        sts.AssertStsError("ExpiredToken", HttpStatusCode.BadRequest);

        // A fresh AssumeRole (what a refreshing client does) works again.
        var renewed = await client.With(Credentials.Default).SendRawAsync(
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FShort&RoleSessionName=again"u8.ToArray(), null,
            "application/x-www-form-urlencoded", signedAt: time.Now, service: "sts");
        Assert.Equal(HttpStatusCode.OK, renewed.Status);
    }
}
