using System;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>The demo's sample (samples/HelloWorld.asl.json) loads through --definitions and reaches both ends.</summary>
public sealed class SampleDefinitionTests
{
    internal static string SamplesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(candidate, "HelloWorld.asl.json"))) return candidate;
        }
        throw new InvalidOperationException("samples/HelloWorld.asl.json not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task HelloWorld_SucceedsByDefault_AndFailsWhenAsked()
    {
        await using var server = await LocalEndpointServer.StartAsync(
            new LocalEndpointOptions { DefinitionsDirectory = SamplesFolder(), TimeScale = 20 }, CancellationToken.None);
        var client = new AwsTestClient(server.Url, Credentials.Default);
        const string machine = "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld";

        var ok = await client.WaitForEndAsync(await client.StartAsync(machine, "ok", "{\"who\":\"demo\"}"));
        Assert.Equal("SUCCEEDED", ok["status"]!.GetValue<string>());
        var output = JsonNode.Parse(ok["output"]!.GetValue<string>())!;
        Assert.Equal("demo", output["who"]!.GetValue<string>());
        Assert.StartsWith("Hello", output["greeting"]!["message"]!.GetValue<string>());

        var failed = await client.WaitForEndAsync(await client.StartAsync(machine, "no", "{\"fail\":true}"));
        Assert.Equal("FAILED", failed["status"]!.GetValue<string>());
        Assert.Equal("HelloWorld.Failed", failed["error"]!.GetValue<string>());
    }
}
