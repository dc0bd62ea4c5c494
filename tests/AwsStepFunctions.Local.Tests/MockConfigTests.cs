using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>The '#TestCase' suffix and the mock file reach the interpreter through the server.</summary>
public sealed class MockConfigTests
{
    private const string Definition = """
        {"StartAt":"CallLambda","States":{"CallLambda":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}
        """;

    private const string Mocks = """
        {"StateMachines":{"mocked":{"TestCases":{"Happy":{"CallLambda":"LambdaOk"},"Sad":{"CallLambda":"LambdaBoom"}}}},
         "MockedResponses":{"LambdaOk":{"0":{"Return":{"answer":42}}},
                            "LambdaBoom":{"0":{"Throw":{"Error":"Lambda.Boom","Cause":"mocked failure"}}}}}
        """;

    [Fact]
    public async Task TestCaseSuffix_SelectsTheMockedResponses()
    {
        var options = CommandLine.Parse([], name => name == "SFN_MOCK_CONFIG" ? Mocks : null);
        await using var server = await LocalEndpointServer.StartAsync(options, CancellationToken.None);
        var client = new AwsTestClient(server.Url, Credentials.Default);
        var machine = await client.CreateStateMachineAsync("mocked", Definition);

        var happy = await client.WaitForEndAsync(await client.StartAsync(machine + "#Happy", "happy"));
        Assert.Equal("SUCCEEDED", happy["status"]!.GetValue<string>());
        Assert.Equal(42, JsonNode.Parse(happy["output"]!.GetValue<string>())!["answer"]!.GetValue<int>());

        var sad = await client.WaitForEndAsync(await client.StartAsync(machine + "#Sad", "sad"));
        Assert.Equal("FAILED", sad["status"]!.GetValue<string>());
        Assert.Equal("Lambda.Boom", sad["error"]!.GetValue<string>());
        Assert.Equal("mocked failure", sad["cause"]!.GetValue<string>());
    }
}
