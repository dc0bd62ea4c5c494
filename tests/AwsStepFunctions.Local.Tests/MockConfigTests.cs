using System.Linq;
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

    [Fact]
    public async Task A_Lambda_function_ARN_writes_the_LambdaFunction_events_on_the_wire_with_the_payload_as_output()
    {
        // The legacy form of a Lambda Task: the mocked Return is the function's payload, which AWS records unwrapped.
        const string legacy = """
            {"StartAt":"CallLambda","States":{"CallLambda":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Answer","End":true}}}
            """;
        var options = CommandLine.Parse([], name => name == "SFN_MOCK_CONFIG" ? Mocks : null);
        await using var server = await LocalEndpointServer.StartAsync(options, CancellationToken.None);
        var client = new AwsTestClient(server.Url, Credentials.Default);
        var machine = await client.CreateStateMachineAsync("mocked", legacy);
        var arn = await client.StartAsync(machine + "#Happy", "legacy", """{"q":"life"}""");
        var done = await client.WaitForEndAsync(arn);
        Assert.Equal("""{"answer":42}""", done["output"]!.GetValue<string>());

        var events = (await client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn })).Ok()["events"]!.AsArray();
        Assert.Equal(["ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
            "TaskStateExited", "ExecutionSucceeded"], events.Select(e => e!["type"]!.GetValue<string>()));
        var scheduled = events[2]!["lambdaFunctionScheduledEventDetails"]!;
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:Answer", scheduled["resource"]!.GetValue<string>());
        Assert.Equal("""{"q":"life"}""", scheduled["input"]!.GetValue<string>());
        Assert.Equal(["timestamp", "type", "id", "previousEventId"], events[3]!.AsObject().Select(p => p.Key));
        Assert.Equal("""{"answer":42}""", events[4]!["lambdaFunctionSucceededEventDetails"]!["output"]!.GetValue<string>());
    }

    [Fact]
    public void A_mock_config_with_mistakes_is_refused_at_start_naming_every_one()
    {
        const string broken = """
            {"StateMachines":{"Orders":{"TestCases":{"Happy":{"Charge":"Charged","Ship":"Shipped","Bill":7}}},"Bad":{}},
             "MockedResponses":{"Charged":{"0":{"Return":{}},"0-1":{"Throw":{"Error":"X"}},"2-1":{"Return":1},"3":{"Return":1,"Throw":{}},
                                           "4":{},"5":{"Throw":{"Error":5}}},
                                "Empty":{}}}
            """;
        var ex = Assert.Throws<System.ArgumentException>(() => CommandLine.Parse([], name => name == "SFN_MOCK_CONFIG" ? broken : null));
        var lines = ex.Message.Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal("SFN_MOCK_CONFIG: the mock config has 9 problems:", lines[0]);
        Assert.Equal(new[]
        {
            "MockedResponses.Charged.\"0-1\": its invocations overlap those of \"0\" (each invocation must have one entry)",
            "MockedResponses.Charged.\"2-1\": the key must be a zero-based invocation number or a range such as \"1-2\" (its first number not above its second)",
            "MockedResponses.Charged.3 holds both Return and Throw: give one",
            "MockedResponses.Charged.4 must hold Return or Throw",
            "MockedResponses.Charged.5.Throw.Error must be a string",
            "MockedResponses.Empty must be an object of entries keyed by invocation number (\"0\", \"1-2\")",
            "StateMachines.Orders.TestCases.Happy.Ship names the mocked response 'Shipped', which MockedResponses does not define",
            "StateMachines.Orders.TestCases.Happy.Bill must be the name of a mocked response (a string)",
            "StateMachines.Bad must be an object with a TestCases object",
        }, lines.Skip(1));
    }

    [Fact]
    public void A_member_named_twice_in_one_object_is_refused_with_the_source_named()
    {
        const string twice = """{"MockedResponses":{"R":{"0":{"Return":1},"0":{"Return":2}}}}""";
        var ex = Assert.Throws<System.ArgumentException>(() => CommandLine.Parse([], name => name == "SFN_MOCK_CONFIG" ? twice : null));
        Assert.StartsWith("SFN_MOCK_CONFIG: the mock config names a member twice in one object (", ex.Message);
        Assert.Contains("Key: 0", ex.Message);
    }

    [Fact]
    public void Half_a_surrogate_pair_in_a_mocked_response_is_refused_at_start_up_naming_the_string()
    {
        // Before, the endpoint started and every execution that met this response failed with an internal error.
        const string half = """{"MockedResponses":{"R":{"0":{"Return":{"text":"\ud83d"}}}}}""";
        var ex = Assert.Throws<System.ArgumentException>(() => CommandLine.Parse([], name => name == "SFN_MOCK_CONFIG" ? half : null));
        Assert.Equal("SFN_MOCK_CONFIG: the mock config is not valid JSON (the string at $.MockedResponses.R.0.Return.text holds half of a UTF-16 surrogate pair, which is no Unicode character)",
            ex.Message);
    }

    [Fact]
    public void The_sample_mock_config_and_this_files_own_pass_the_check()
    {
        Assert.NotNull(CommandLine.Parse([], name => name == "SFN_MOCK_CONFIG" ? Mocks : null).MockConfig);
        var sample = System.IO.Path.Combine(SampleDefinitionTests.SamplesFolder(), "MockConfig.json");
        Assert.NotNull(CommandLine.Parse(["--mock-config", sample], _ => null).MockConfig);
    }
}
