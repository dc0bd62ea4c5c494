using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// A .waitForTaskToken Task's context has Task.Token, as AWS documents and its recordings show (test_sqs_wait_for_task_token
/// passes "$$.Task.Token" to SQS). AWS then writes TaskSubmitted with the call's own response before the callback's
/// outcome; a mock holds only that outcome, so the endpoint writes no TaskSubmitted (see Asl/README.md).
/// </summary>
public sealed class TaskTokenTests
{
    private static EngineOptions Mocks(string responses) => new()
    {
        TimeScale = 10_000,
        MockConfig = (JsonObject)JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"T":{"SendMessageWithWait":"Sqs"}}}},"MockedResponses":{"Sqs":%R%}}
            """.Replace("%R%", responses))!,
    };

    private static string Definition(string resource, string retry = "") => """
        {"StartAt":"SendMessageWithWait","States":{"SendMessageWithWait":{"Type":"Task","Resource":"%RES%",%RETRY%
          "Parameters":{"QueueUrl.$":"$.QueueUrl","MessageBody":{"Message.$":"$.Message","TaskToken.$":"$$.Task.Token"}},"End":true}}}
        """.Replace("%RES%", resource).Replace("%RETRY%", retry);

    private const string Input = """{"QueueUrl":"sqs_queue_url","Message":"string-literal"}""";

    private static string Token(JsonObject scheduled) =>
        JsonNode.Parse(scheduled["parameters"]!.GetValue<string>())!["MessageBody"]!["TaskToken"]!.GetValue<string>();

    [Fact]
    public async Task A_waitForTaskToken_Task_reads_its_token_from_the_context()
    {
        var host = await AslKit.RunAsync(Definition("arn:aws:states:::sqs:sendMessage.waitForTaskToken"), Input,
            Mocks("""{"0":{"Return":"string-literal"}}"""), "T");
        Assert.Equal(["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
            "ExecutionSucceeded"], host.Events.Select(e => e.Type));
        Assert.NotEmpty(Token(host.Details("TaskScheduled")));
        Assert.Equal("\"string-literal\"", host.Outcome!.Output);
    }

    [Fact]
    public async Task Each_attempt_has_a_new_token()
    {
        var host = await AslKit.RunAsync(Definition("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                """ "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":1}], """), Input,
            Mocks("""{"0":{"Throw":{"Error":"Failure error","Cause":"Failure cause"}},"1":{"Return":"ok"}}"""), "T");
        var tokens = host.Events.Where(e => e.Type == "TaskScheduled").Select(e => Token(e.Details!)).ToArray();
        Assert.Equal(2, tokens.Length);
        Assert.NotEqual(tokens[0], tokens[1]);
    }

    [Fact]
    public async Task Other_Tasks_have_no_Task_in_their_context()
    {
        var host = await AslKit.RunAsync(Definition("arn:aws:states:::sqs:sendMessage"), Input, Mocks("""{"0":{"Return":{}}}"""), "T");
        Assert.Equal("States.Runtime", host.Outcome!.Error);
        Assert.Contains("$$.Task.Token", host.Outcome.Cause);
    }
}
