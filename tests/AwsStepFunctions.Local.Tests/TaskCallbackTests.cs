using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Asl;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// The callback pattern over the wire: a .waitForTaskToken Task the mock config does not answer waits for SendTaskSuccess
/// or SendTaskFailure with the token its context showed, within TimeoutSeconds and HeartbeatSeconds (reset by
/// SendTaskHeartbeat); a callback for a task that has ended is TaskTimedOut. A ManualClock moves the timeouts.
/// </summary>
public sealed class TaskCallbackTests
{
    /// <summary>A Task that hands its token on (as a real integration would to a queue) and waits for it.</summary>
    private static string Callback(string extra = "") => """
        {"StartAt":"Ask","States":{
          "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                 "Parameters":{"QueueUrl":"approvals","MessageBody":{"token.$":"$$.Task.Token","order.$":"$.order"}},
                 EXTRA"ResultPath":"$.answer","End":true}}}
        """.Replace("EXTRA", extra);

    private const string Mocks = """
        {"StateMachines":{"Mocked":{"TestCases":{"Approved":{"Ask":"Yes"}}}},
         "MockedResponses":{"Yes":{"0":{"Return":{"approved":"by the mock"}}}}}
        """;

    [Fact]
    public async Task SendTaskSuccess_with_the_token_completes_the_Task_with_its_output_and_a_second_answer_is_TaskTimedOut()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, Mocks);
        var execution = await client.StartAsync(await client.CreateAsync("Approval", Callback()), """{"order":7}""");
        var token = await TokenAsync(client, execution);

        (await client.CallAsync("SendTaskHeartbeat", Token(token))).Ok();
        Assert.Equal("RUNNING", Str(await client.DescribeAsync(execution), "status"));
        var success = Token(token);
        success["output"] = """{"approved":true}""";
        (await client.CallAsync("SendTaskSuccess", success)).Ok();

        var done = await client.WaitForEndAsync(execution);
        Assert.Equal("SUCCEEDED", Str(done, "status"));
        AslKit.JsonEqual("""{"order":7,"answer":{"approved":true}}""", JsonNode.Parse(Str(done, "output")));
        Assert.Equal(new[] { "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded" },
            (await client.HistoryAsync(execution)).Select(e => Str(e!, "type")));

        var again = await client.CallAsync("SendTaskSuccess", success);
        again.AssertError("TaskTimedOut");
        Assert.Equal("Task Timed Out: 'Provided task does not exist anymore'", again.ErrorMessage);
        (await client.CallAsync("SendTaskHeartbeat", Token(token))).AssertError("TaskTimedOut");
    }

    [Fact]
    public async Task SendTaskFailure_fails_the_Task_with_its_error_and_cause_which_a_Catch_can_take()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, Mocks);
        var definition = """
            {"StartAt":"Ask","States":{
              "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                     "Parameters":{"FunctionName":"approve","Payload":{"token.$":"$$.Task.Token"}},
                     "Catch":[{"ErrorEquals":["Approval.Rejected"],"ResultPath":"$.rejected","Next":"Rejected"}],"End":true},
              "Rejected":{"Type":"Pass","End":true}}}
            """;
        var execution = await client.StartAsync(await client.CreateAsync("Rejecting", definition), "{}");
        var failure = Token(await TokenAsync(client, execution));
        failure["error"] = "Approval.Rejected";
        failure["cause"] = "over budget";
        (await client.CallAsync("SendTaskFailure", failure)).Ok();

        var done = await client.WaitForEndAsync(execution);
        Assert.Equal("SUCCEEDED", Str(done, "status"));
        AslKit.JsonEqual("""{"rejected":{"Error":"Approval.Rejected","Cause":"over budget"}}""", JsonNode.Parse(Str(done, "output")));
        var failed = (await client.HistoryAsync(execution)).Single(e => Str(e!, "type") == "TaskFailed")!["taskFailedEventDetails"]!;
        Assert.Equal("Approval.Rejected", Str(failed, "error"));
        Assert.Equal("over budget", Str(failed, "cause"));
    }

    [Fact]
    public async Task Heartbeats_keep_the_Task_waiting_and_a_missed_one_times_it_out()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, Mocks);
        var execution = await client.StartAsync(await client.CreateAsync("Beating", Callback("\"HeartbeatSeconds\":10,\"TimeoutSeconds\":100,")), """{"order":1}""");
        var token = await TokenAsync(client, execution);
        await clock.WaitForTimersAsync(2);

        clock.Advance(TimeSpan.FromSeconds(9));
        (await client.CallAsync("SendTaskHeartbeat", Token(token))).Ok();
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("RUNNING", Str(await client.DescribeAsync(execution), "status"));
        clock.Advance(TimeSpan.FromSeconds(2));

        var done = await client.WaitForEndAsync(execution);
        Assert.Equal("FAILED", Str(done, "status"));
        Assert.Equal("States.HeartbeatTimeout", Str(done, "error"));
        Assert.Contains("TaskTimedOut", (await client.HistoryAsync(execution)).Select(e => Str(e!, "type")));
        (await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = token, ["output"] = "{}" })).AssertError("TaskTimedOut");
    }

    [Fact]
    public async Task TimeoutSeconds_times_the_Task_out_and_a_stop_ends_the_wait()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, Mocks);
        var machine = await client.CreateAsync("Limited", Callback("\"TimeoutSeconds\":30,"));
        var timesOut = await client.StartAsync(machine, """{"order":1}""");
        await TokenAsync(client, timesOut);
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(30));
        var timedOut = await client.WaitForEndAsync(timesOut);
        Assert.Equal("FAILED", Str(timedOut, "status"));
        Assert.Equal("States.Timeout", Str(timedOut, "error"));

        var stopped = await client.StartAsync(machine, """{"order":2}""");
        var token = await TokenAsync(client, stopped);
        (await client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = stopped })).Ok();
        Assert.Equal("ABORTED", Str(await client.WaitForEndAsync(stopped), "status"));
        (await client.CallAsync("SendTaskFailure", Token(token))).AssertError("TaskTimedOut");
    }

    [Fact]
    public async Task A_Task_the_mock_config_answers_does_not_wait_and_bad_callbacks_are_refused()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, Mocks);
        var mocked = await client.StartAsync(await client.CreateAsync("Mocked", Callback()) + "#Approved", """{"order":3}""");
        var done = await client.WaitForEndAsync(mocked);
        Assert.Equal("SUCCEEDED", Str(done, "status"));
        AslKit.JsonEqual("""{"order":3,"answer":{"approved":"by the mock"}}""", JsonNode.Parse(Str(done, "output")));

        (await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = "not-a-token", ["output"] = "{}" })).AssertError("InvalidToken");
        var unknown = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("arn:aws:states:us-east-1:123456789012:execution:Nobody:x#2#0"));
        (await client.CallAsync("SendTaskHeartbeat", Token(unknown))).AssertError("TaskDoesNotExist");

        var waiting = await client.StartAsync(await client.CreateAsync("Waits", Callback()), """{"order":4}""");
        var token = await TokenAsync(client, waiting);
        (await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = token, ["output"] = "{not json" })).AssertError("InvalidOutput");
        var half = await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = token, ["output"] = """{"a":["\ud83d"]}""" });
        half.AssertError("InvalidOutput");
        Assert.Equal("Invalid Output: 'the string at $.a[0] holds half of a UTF-16 surrogate pair, which is no Unicode character'", half.ErrorMessage);
        (await client.CallAsync("SendTaskSuccess", Token(token))).AssertError("ValidationException");
        // The model counts the output's limit in UTF-8 bytes: 131,073 'é' are fewer characters than 262,144 but more bytes.
        var wide = await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = token, ["output"] = "\"" + new string('\u00e9', 131_073) + "\"" });
        wide.AssertError("ValidationException");
        Assert.Contains("'output'", wide.ErrorMessage);
        var longError = Token(token);
        longError["error"] = new string('e', 257);
        (await client.CallAsync("SendTaskFailure", longError)).AssertError("ValidationException");
        // The model's token is 1-2048 characters: one more is refused for its length, 2048 only for what it is.
        (await client.CallAsync("SendTaskHeartbeat", Token(new string('t', 2049)))).AssertError("ValidationException");
        (await client.CallAsync("SendTaskHeartbeat", Token(new string('t', 2048)))).AssertError("InvalidToken");
        // None of the refused calls touched the waiting Task.
        Assert.Equal("RUNNING", Str(await client.DescribeAsync(waiting), "status"));
    }

    /// <summary>Credentials over the wire: the role the input names is in taskScheduledEventDetails.taskCredentials.</summary>
    [Fact]
    public async Task A_waiting_Task_reports_the_role_its_Credentials_name_in_TaskScheduled()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, Mocks);
        var machine = await client.CreateAsync("CrossAccount", Callback(
            "\"Credentials\":{\"RoleArn.$\":\"States.Format('arn:aws:iam::{}:role/Approver', $.account)\"},"));
        var execution = await client.StartAsync(machine, """{"order":8,"account":"444455556666"}""");
        var token = await TokenAsync(client, execution);
        var success = Token(token);
        success["output"] = "{}";
        (await client.CallAsync("SendTaskSuccess", success)).Ok();
        Assert.Equal("SUCCEEDED", Str(await client.WaitForEndAsync(execution), "status"));
        var scheduled = (await client.HistoryAsync(execution)).Single(e => Str(e!, "type") == "TaskScheduled")!["taskScheduledEventDetails"]!;
        AslKit.JsonEqual("""{"roleArn":"arn:aws:iam::444455556666:role/Approver"}""", scheduled["taskCredentials"]);

        // An input without the account names no role: the execution fails before anything is scheduled.
        var broken = await client.StartAsync(machine, """{"order":9}""");
        var failed = await client.WaitForEndAsync(broken);
        Assert.Equal("FAILED", Str(failed, "status"));
        Assert.Equal("States.Runtime", Str(failed, "error"));
        Assert.DoesNotContain("TaskScheduled", (await client.HistoryAsync(broken)).Select(e => Str(e!, "type")));
    }

    /// <summary>The token the Task handed on: the MessageBody/Payload of its TaskScheduled parameters.</summary>
    private static async Task<string> TokenAsync(ClockedClient client, string execution)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            var scheduled = (await client.HistoryAsync(execution)).FirstOrDefault(e => Str(e!, "type") == "TaskScheduled");
            if (scheduled is not null)
            {
                var parameters = JsonNode.Parse(Str(scheduled["taskScheduledEventDetails"]!, "parameters"))!;
                return Str(parameters["MessageBody"] ?? parameters["Payload"]!, "token");
            }
            if (Environment.TickCount64 > deadline) throw new TimeoutException("the Task was never scheduled");
            await Task.Delay(10);
        }
    }

    private static JsonObject Token(string token) => new() { ["taskToken"] = token };

    private static string Str(JsonNode node, string member) => node[member]!.GetValue<string>();
}
