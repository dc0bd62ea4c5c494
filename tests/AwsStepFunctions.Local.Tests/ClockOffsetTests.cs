using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Hosting;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// --clock-offset: the endpoint behaves as a service whose clock differs from the client's, which is how a client with a
/// wrong clock meets AWS. Everything a client can read the time from follows the offset.
/// </summary>
public sealed class ClockOffsetTests
{
    private static readonly TimeSpan Ahead = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task DateHeader_SignatureWindow_AndExecutionDates_FollowTheOffset()
    {
        await using var server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Time = new OffsetClock(Ahead) }, CancellationToken.None);
        var client = new AwsTestClient(server.Url, Credentials.Default);

        // Signed by the machine's clock: 20 minutes behind the endpoint's, past the 15 minutes it allows.
        var early = await client.CallAsync("ListStateMachines");
        early.AssertError("InvalidSignatureException");
        Assert.StartsWith("Signature expired: ", early.ErrorMessage);
        var serverTime = DateTimeOffset.ParseExact(early.Header("Date")!, "R", CultureInfo.InvariantCulture);
        Assert.InRange(serverTime - DateTimeOffset.UtcNow, Ahead - TimeSpan.FromMinutes(1), Ahead + TimeSpan.FromMinutes(1));

        // Signed by the endpoint's clock, as a client that corrected itself from that Date header signs.
        var signedAt = DateTimeOffset.UtcNow + Ahead;
        var created = await client.SendRawAsync(Json(new JsonObject
        {
            ["name"] = "Clocked", ["roleArn"] = LocalEndpointServer.DefinitionsRoleArn,
            ["definition"] = """{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}""",
        }), "CreateStateMachine", signedAt: signedAt);
        created.Ok();
        var creationDate = DateTimeOffset.FromUnixTimeMilliseconds((long)(created.Json["creationDate"]!.GetValue<double>() * 1000));
        Assert.InRange(creationDate - DateTimeOffset.UtcNow, Ahead - TimeSpan.FromMinutes(1), Ahead + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task AnEndpointBehindTheClient_RefusesItsSignaturesAsNotYetCurrent()
    {
        await using var server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Time = new OffsetClock(-Ahead) }, CancellationToken.None);
        var reply = await new AwsTestClient(server.Url, Credentials.Default).CallAsync("ListStateMachines");
        reply.AssertError("InvalidSignatureException");
        Assert.StartsWith("Signature not yet current: ", reply.ErrorMessage);
    }

    private static byte[] Json(JsonObject body) => System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
}
