using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// The JSON text the endpoint writes for an execution (its output, a state's output in the history, assigned variables) is
/// what a user compares with what they sent, so it escapes only what JSON requires, as the service does: '&lt;', '&amp;',
/// letters such as 'é' and characters outside the Basic Multilingual Plane (emoji) stay as they are.
/// </summary>
public sealed class JsonTextTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    // Written by hand: an emoji (a surrogate pair), a letter outside ASCII, the characters HTML encoders escape, and the ones
    // JSON itself must escape (a quote, a backslash, a line feed, a control character).
    private const string Note = """{"note":"café 🚀 <b>&amp; \"q\" \\ \n \u0001"}""";

    private const string Machine = """
        {"StartAt":"Keep","States":{
          "Keep":{"Type":"Pass","Assign":{"rocket":"🚀 <go>"},"Next":"Add"},
          "Add":{"Type":"Pass","Parameters":{"note.$":"$.note","from.$":"$rocket"},"End":true}}}
        """;

    [Fact]
    public async Task Output_history_and_variables_keep_emoji_and_letters_as_written_and_escape_only_what_json_requires()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("text"), Machine);
        var execution = await Client.StartAsync(machine, input: Note);
        var described = await Client.WaitForEndAsync(execution);
        Assert.Equal("SUCCEEDED", described["status"]!.GetValue<string>());

        Assert.Equal("""{"note":"café 🚀 <b>&amp; \"q\" \\ \n \u0001","from":"🚀 <go>"}""", described["output"]!.GetValue<string>());
        Assert.Equal(Note, described["input"]!.GetValue<string>());

        var events = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = execution })).Ok()["events"]!.AsArray();
        var kept = events.Single(e => e!["type"]!.GetValue<string>() == "PassStateExited"
            && e["stateExitedEventDetails"]!["name"]!.GetValue<string>() == "Keep")!["stateExitedEventDetails"]!;
        Assert.Equal(Note, kept["output"]!.GetValue<string>());
        Assert.Equal("\"🚀 <go>\"", kept["assignedVariables"]!["rocket"]!.GetValue<string>());
    }

    /// <summary>
    /// JSON that parses but holds an escape for half a surrogate pair is no Unicode text: the execution used to start and
    /// then fail with "Internal error in the local interpreter"; now the start is refused, naming the string.
    /// </summary>
    [Theory]
    [InlineData("""{"half":"\ud83d"}""", "$.half")]
    [InlineData("""{"list":[1,{"low":"x\ude80"}]}""", "$.list[1].low")]
    [InlineData("\"\\ud83d\"", "$")]
    public async Task Input_with_half_a_surrogate_pair_is_refused_at_the_start_naming_the_string(string input, string path)
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("text"), Definitions.Pass);
        var refused = await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["input"] = input });
        refused.AssertError("InvalidExecutionInput");
        Assert.Equal($"Invalid State Machine Execution Input: 'the string at {path} holds half of a UTF-16 surrogate pair, which is no Unicode character'",
            refused.ErrorMessage);

        var name = await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["input"] = """{"\ud83d":1}""" });
        name.AssertError("InvalidExecutionInput");
        Assert.Equal("Invalid State Machine Execution Input: 'a member name in $ holds half of a UTF-16 surrogate pair, which is no Unicode character'", name.ErrorMessage);

        var tested = await Client.CallAsync("TestState", new JsonObject { ["definition"] = """{"Type":"Pass","End":true}""", ["input"] = input });
        tested.AssertError("InvalidExecutionInput");

        var whole = await Client.StartAsync(machine, input: """{"whole":"\ud83d\ude80"}""");
        Assert.Equal("""{"whole":"🚀"}""", (await Client.WaitForEndAsync(whole))["output"]!.GetValue<string>());
    }

    /// <summary>
    /// The same in a definition: a state named with half a pair answered InternalFailure (the AWS CLI retried it four times),
    /// and one in a Pass state's Result was accepted, to fail the executions later.
    /// </summary>
    [Fact]
    public async Task A_definition_with_half_a_surrogate_pair_is_an_invalid_definition_naming_the_string()
    {
        const string InResult = """{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"x":"\ud83d"},"End":true}}}""";
        const string InName = """{"StartAt":"P\ud83d","States":{"P\ud83d":{"Type":"Pass","End":true}}}""";
        const string Rule = "holds half of a UTF-16 surrogate pair, which is no Unicode character";

        var result = await Client.CallAsync("CreateStateMachine", Create(InResult));
        result.AssertError("InvalidDefinition");
        Assert.Equal($"Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: Definition is not valid JSON: the string at $.States.P.Result.x {Rule}'",
            result.ErrorMessage);
        var name = await Client.CallAsync("CreateStateMachine", Create(InName));
        name.AssertError("InvalidDefinition");
        Assert.Contains($"the string at $.StartAt {Rule}", name.ErrorMessage);

        var validated = (await Client.CallAsync("ValidateStateMachineDefinition", new JsonObject { ["definition"] = InResult })).Ok();
        Assert.Equal("FAIL", validated["result"]!.GetValue<string>());
        Assert.Equal("INVALID_JSON_DESCRIPTION", validated["diagnostics"]![0]!["code"]!.GetValue<string>());

        var tested = await Client.CallAsync("TestState", new JsonObject { ["definition"] = """{"Type":"Pass","Result":"\udc00","End":true}""" });
        tested.AssertError("InvalidDefinition");
        Assert.Contains($"the string at $.Result {Rule}", tested.ErrorMessage);

        // A whole pair is a character like any other.
        (await Client.CallAsync("CreateStateMachine", Create(InName.Replace("\\ud83d", "\\ud83d\\ude80")))).Ok();
    }

    /// <summary>A request member itself holding half a pair (raw JSON, as no SDK would send) is a SerializationException naming it.</summary>
    [Fact]
    public async Task A_request_member_with_half_a_surrogate_pair_is_a_serialization_exception_naming_it()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("text"), Definitions.Pass);
        var body = System.Text.Encoding.UTF8.GetBytes("{\"stateMachineArn\":\"" + machine + "\",\"name\":\"run-\\ud83d\"}");
        var refused = await Client.SendRawAsync(body, "StartExecution");
        refused.AssertError("SerializationException");
        Assert.Equal("Malformed JSON request body: the string at $.name holds half of a UTF-16 surrogate pair, which is no Unicode character.", refused.ErrorMessage);
    }

    /// <summary>
    /// A member named twice in one object is valid JSON; the service's parser keeps the last value. The endpoint answered
    /// such a request body with InternalFailure and failed such an execution input mid-run with an internal error.
    /// </summary>
    [Fact]
    public async Task A_member_named_twice_keeps_its_last_value_in_a_request_and_in_an_execution_input()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("text"), Definitions.Pass);
        var body = System.Text.Encoding.UTF8.GetBytes("{\"stateMachineArn\":\"" + machine + "\",\"name\":\"first\",\"name\":\"second\","
            + "\"input\":\"{\\\"a\\\":1,\\\"b\\\":{\\\"c\\\":1,\\\"c\\\":[2]},\\\"a\\\":3}\"}");
        var started = await Client.SendRawAsync(body, "StartExecution");
        var execution = started.Ok()["executionArn"]!.GetValue<string>();
        Assert.EndsWith(":second", execution);

        var ended = await Client.WaitForEndAsync(execution);
        Assert.Equal("SUCCEEDED", ended["status"]!.GetValue<string>());
        Assert.Equal("""{"a":3,"b":{"c":[2]}}""", ended["output"]!.GetValue<string>());
        // DescribeExecution gives the input back as it was sent.
        Assert.Equal("""{"a":1,"b":{"c":1,"c":[2]},"a":3}""", ended["input"]!.GetValue<string>());
    }

    private static JsonObject Create(string definition) => new()
    {
        ["name"] = ServerFixture.Unique("text"), ["definition"] = definition, ["roleArn"] = "arn:aws:iam::123456789012:role/Test",
    };
}
