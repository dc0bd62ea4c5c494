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
}
