using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// A JSONPath Map's MaxConcurrencyPath: the limit read from the state's effective input when it runs, a non-negative
/// integer, and never given with MaxConcurrency (the Map Run's side is in MapRunApiTests). The endpoint used to refuse the
/// field as unsupported.
/// </summary>
public sealed class MaxConcurrencyPathTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    private static string Map(string fields) => """
        {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items",
        """ + fields + """
        "ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Wait","Seconds":1,"End":true}}},"End":true}}}
        """;

    [Fact]
    public async Task An_inline_Map_runs_its_items_as_many_at_a_time_as_the_input_says()
    {
        // Four one-second items: one at a time they take four seconds of the endpoint's time, all at once one. The history
        // shows it directly: under a limit of one, each iteration starts only after the one before it ended.
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("mcp"), Map("\"MaxConcurrencyPath\":\"$.limit\","));
        var one = await Client.StartAsync(machine, input: """{"items":[1,2,3,4],"limit":1}""");
        var all = await Client.StartAsync(machine, input: """{"items":[1,2,3,4],"limit":0}""");
        Assert.Equal("SUCCEEDED", (await Client.WaitForEndAsync(one, 30_000))["status"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", (await Client.WaitForEndAsync(all, 30_000))["status"]!.GetValue<string>());

        Assert.Equal(["MapIterationStarted", "MapIterationSucceeded", "MapIterationStarted", "MapIterationSucceeded"], await IterationEventsAsync(one, 4));
        Assert.Equal(["MapIterationStarted", "MapIterationStarted", "MapIterationStarted", "MapIterationStarted"], await IterationEventsAsync(all, 4));
    }

    [Theory]
    [InlineData("\"x\"", "The MaxConcurrencyPath field refers to value \"x\" which is not a valid integer: $.limit")]
    [InlineData("1.5", "The MaxConcurrencyPath field refers to value \"1.5\" which is not a valid integer: $.limit")]
    [InlineData("-1", "The MaxConcurrencyPath field refers to value \"-1\" which is not a non-negative integer: $.limit")]
    public async Task A_limit_that_is_not_a_non_negative_integer_fails_the_execution_naming_it(string limit, string cause)
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("mcp"), Map("\"MaxConcurrencyPath\":\"$.limit\","));
        var run = await Client.StartAsync(machine, input: "{\"items\":[1],\"limit\":" + limit + "}");
        var ended = await Client.WaitForEndAsync(run);
        Assert.Equal("FAILED", ended["status"]!.GetValue<string>());
        Assert.Equal("States.Runtime", ended["error"]!.GetValue<string>());
        Assert.EndsWith(cause, ended["cause"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_definition_takes_it_in_JSONPath_only_and_never_beside_MaxConcurrency()
    {
        var both = await Client.CallAsync("CreateStateMachine", Create(Map("\"MaxConcurrency\":1,\"MaxConcurrencyPath\":\"$.limit\",")));
        both.AssertError("InvalidDefinition");
        Assert.Contains("Map takes 'MaxConcurrency' or 'MaxConcurrencyPath', not both", both.ErrorMessage);

        var jsonata = await Client.CallAsync("CreateStateMachine", Create("""
            {"QueryLanguage":"JSONata","StartAt":"Each","States":{"Each":{"Type":"Map","Items":"{% [1] %}","MaxConcurrencyPath":"$.limit",
             "ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}},"End":true}}}
            """));
        jsonata.AssertError("InvalidDefinition");
        Assert.Contains("MaxConcurrencyPath", jsonata.ErrorMessage);

        var notPath = await Client.CallAsync("CreateStateMachine", Create(Map("\"MaxConcurrencyPath\":7,")));
        notPath.AssertError("InvalidDefinition");
    }

    /// <summary>The first <paramref name="count"/> iteration events of the execution's history, in order.</summary>
    private async Task<string[]> IterationEventsAsync(string execution, int count)
    {
        var events = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = execution })).Ok()["events"]!.AsArray();
        return events.Select(e => e!["type"]!.GetValue<string>()).Where(t => t.StartsWith("MapIteration")).Take(count).ToArray();
    }

    private static JsonObject Create(string definition) => new()
    {
        ["name"] = ServerFixture.Unique("mcp"), ["definition"] = definition, ["roleArn"] = "arn:aws:iam::123456789012:role/Test",
    };
}
