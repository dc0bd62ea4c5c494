using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Asl;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// Executions whose Task is an activity, with workers polling GetActivityTask and answering with SendTask*: the events
/// and their details are AWS's recorded ones (LocalStack's AWS-validated test_activities), a ManualClock moves
/// TimeoutSeconds and HeartbeatSeconds, and GetActivityTask's long poll runs on the wall clock.
/// </summary>
public sealed class ActivityWorkerTests
{
    private const string Prefix = "arn:aws:states:us-east-1:123456789012:activity:";

    private static string Machine(string activityArn, string extra = "") => """
        {"StartAt":"ActivityTask","States":{
          "ActivityTask":{"Type":"Task","Resource":"ARN",EXTRA"ResultPath":"$.answer","End":true}}}
        """.Replace("ARN", activityArn).Replace("EXTRA", extra);

    [Fact]
    public async Task A_worker_takes_the_task_heartbeats_and_succeeds_and_the_history_has_the_services_events()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock);
        var activity = await CreateActivityAsync(client, "Work");
        var execution = await client.StartAsync(await client.CreateAsync("Worked", Machine(activity, "\"TimeoutSeconds\":60,\"HeartbeatSeconds\":10,")),
            """{"Value1":"HelloWorld"}""");

        var task = (await Poll(client, activity, "BASE_ID_ACTIVITY_CONSUMER")).Ok();
        Assert.Equal("""{"Value1":"HelloWorld"}""", Str(task, "input"));
        var token = Str(task, "taskToken");
        (await client.CallAsync("SendTaskHeartbeat", new JsonObject { ["taskToken"] = token })).Ok();
        (await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = token, ["output"] = """{"done":true}""" })).Ok();

        var done = await client.WaitForEndAsync(execution);
        Assert.Equal("SUCCEEDED", Str(done, "status"));
        AslKit.JsonEqual("""{"Value1":"HelloWorld","answer":{"done":true}}""", JsonNode.Parse(Str(done, "output")));
        var history = await client.HistoryAsync(execution);
        Assert.Equal("ExecutionStarted<0, TaskStateEntered<0, ActivityScheduled<2, ActivityStarted<3, ActivitySucceeded<4, TaskStateExited<5, ExecutionSucceeded<6",
            Links(history));
        AslKit.JsonEqual($$"""
            {"resource":"{{activity}}","input":"{\"Value1\":\"HelloWorld\"}","inputDetails":{"truncated":false},"timeoutInSeconds":60,"heartbeatInSeconds":10}
            """, Details(history, "ActivityScheduled"));
        AslKit.JsonEqual("""{"workerName":"BASE_ID_ACTIVITY_CONSUMER"}""", Details(history, "ActivityStarted"));
        AslKit.JsonEqual("""{"output":"{\"done\":true}","outputDetails":{"truncated":false}}""", Details(history, "ActivitySucceeded"));

        var late = await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = token, ["output"] = "{}" });
        late.AssertError("TaskTimedOut");
    }

    [Fact]
    public async Task A_worker_without_a_name_fails_the_task_and_a_Catch_takes_the_error()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock);
        var activity = await CreateActivityAsync(client, "Refuse");
        var definition = """
            {"StartAt":"ActivityTask","States":{
              "ActivityTask":{"Type":"Task","Resource":"ARN",
                "Catch":[{"ErrorEquals":["Programmatic Error"],"ResultPath":"$.failure","Next":"Handled"}],"End":true},
              "Handled":{"Type":"Pass","End":true}}}
            """.Replace("ARN", activity);
        var execution = await client.StartAsync(await client.CreateAsync("Refusing", definition), """{"n":1}""");

        var token = Str((await Poll(client, activity)).Ok(), "taskToken");
        (await client.CallAsync("SendTaskFailure", new JsonObject { ["taskToken"] = token, ["error"] = "Programmatic Error", ["cause"] = "no" })).Ok();

        var done = await client.WaitForEndAsync(execution);
        Assert.Equal("SUCCEEDED", Str(done, "status"));
        AslKit.JsonEqual("""{"n":1,"failure":{"Error":"Programmatic Error","Cause":"no"}}""", JsonNode.Parse(Str(done, "output")));
        var history = await client.HistoryAsync(execution);
        AslKit.JsonEqual("{}", Details(history, "ActivityStarted"));
        AslKit.JsonEqual("""{"error":"Programmatic Error","cause":"no"}""", Details(history, "ActivityFailed"));
        Assert.Equal(new[] { "ActivityScheduled", "ActivityStarted", "ActivityFailed", "TaskStateExited", "PassStateEntered" },
            Types(history).SkipWhile(t => t != "ActivityScheduled").Take(5));
    }

    [Fact]
    public async Task The_heartbeat_clock_starts_when_a_worker_takes_the_task_and_a_missed_heartbeat_times_it_out()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock);
        var activity = await CreateActivityAsync(client, "Beat");
        var execution = await client.StartAsync(await client.CreateAsync("Beating", Machine(activity, "\"TimeoutSeconds\":100,\"HeartbeatSeconds\":10,")), "{}");
        await WaitForEventAsync(client, execution, "ActivityScheduled");
        // Only TimeoutSeconds runs while no worker has the task: 50 s without a heartbeat changes nothing.
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal("RUNNING", Str(await client.DescribeAsync(execution), "status"));

        var token = Str((await Poll(client, activity, "beater")).Ok(), "taskToken");
        await clock.WaitForTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(9));
        (await client.CallAsync("SendTaskHeartbeat", new JsonObject { ["taskToken"] = token })).Ok();
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("RUNNING", Str(await client.DescribeAsync(execution), "status"));
        clock.Advance(TimeSpan.FromSeconds(2));

        var done = await client.WaitForEndAsync(execution);
        Assert.Equal("FAILED", Str(done, "status"));
        Assert.Equal("States.HeartbeatTimeout", Str(done, "error"));
        AslKit.JsonEqual("""{"error":"States.HeartbeatTimeout"}""", Details(await client.HistoryAsync(execution), "ActivityTimedOut"));
        (await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = token, ["output"] = "{}" })).AssertError("TaskTimedOut");
    }

    [Fact]
    public async Task TimeoutSeconds_withdraws_a_task_no_worker_took_and_a_Retry_schedules_it_again()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, activityPollSeconds: 1);
        var activity = await CreateActivityAsync(client, "Slow");
        var retry = "\"TimeoutSeconds\":30,\"Retry\":[{\"ErrorEquals\":[\"States.Timeout\"],\"IntervalSeconds\":5,\"MaxAttempts\":1}],";
        var execution = await client.StartAsync(await client.CreateAsync("Retried", Machine(activity, retry)), """{"try":1}""");
        await WaitForEventAsync(client, execution, "ActivityScheduled");
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(30));
        await WaitForEventAsync(client, execution, "ActivityTimedOut");

        // The timed-out task is gone: a poll during the Retry interval finds nothing.
        var empty = (await Poll(client, activity)).Ok();
        Assert.Null(empty["taskToken"]);
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(5));
        await WaitForEventCountAsync(client, execution, "ActivityScheduled", 2);
        var token = Str((await Poll(client, activity, "second")).Ok(), "taskToken");
        (await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = token, ["output"] = "1" })).Ok();

        Assert.Equal("SUCCEEDED", Str(await client.WaitForEndAsync(execution), "status"));
        var history = await client.HistoryAsync(execution);
        Assert.Equal(new[] { "ActivityScheduled", "ActivityTimedOut", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded" },
            Types(history).Where(t => t.StartsWith("Activity", StringComparison.Ordinal)));
        AslKit.JsonEqual("""{"error":"States.Timeout"}""", Details(history, "ActivityTimedOut"));
    }

    [Fact]
    public async Task Stopping_the_execution_ends_the_wait_before_and_after_a_worker_took_the_task()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, activityPollSeconds: 1);
        var activity = await CreateActivityAsync(client, "Stoppable");
        var machine = await client.CreateAsync("Stopped", Machine(activity));

        var waiting = await client.StartAsync(machine, """{"n":1}""");
        await WaitForEventAsync(client, waiting, "ActivityScheduled");
        (await client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = waiting })).Ok();
        Assert.Equal("ABORTED", Str(await client.WaitForEndAsync(waiting), "status"));
        Assert.Null((await Poll(client, activity)).Ok()["taskToken"]);

        var taken = await client.StartAsync(machine, """{"n":2}""");
        var task = (await Poll(client, activity)).Ok();
        Assert.Equal("""{"n":2}""", Str(task, "input"));
        (await client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = taken })).Ok();
        Assert.Equal("ABORTED", Str(await client.WaitForEndAsync(taken), "status"));
        (await client.CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = Str(task, "taskToken"), ["output"] = "{}" })).AssertError("TaskTimedOut");
    }

    [Fact]
    public async Task Two_pollers_waiting_for_one_task_get_it_exactly_once_and_tasks_go_out_in_the_order_scheduled()
    {
        await using var client = await ClockedClient.StartAsync(TimeProvider.System, activityPollSeconds: 3);
        var activity = await CreateActivityAsync(client, "Shared");
        var machine = await client.CreateAsync("Shared", Machine(activity));

        var pollers = new[] { Poll(client, activity, "one"), Poll(client, activity, "two") };
        var execution = await client.StartAsync(machine, """{"n":0}""");
        var answers = (await Task.WhenAll(pollers)).Select(r => r.Ok()).ToArray();
        Assert.Single(answers, a => a["taskToken"] is not null);
        Assert.Single(answers, a => a["taskToken"] is null);
        Assert.Single(Types(await client.HistoryAsync(execution)), t => t == "ActivityStarted");

        // Scheduled before anyone polls: they wait, and go out oldest first.
        var first = await client.StartAsync(machine, """{"n":1}""");
        await WaitForEventAsync(client, first, "ActivityScheduled");
        var second = await client.StartAsync(machine, """{"n":2}""");
        await WaitForEventAsync(client, second, "ActivityScheduled");
        Assert.Equal("""{"n":1}""", Str((await Poll(client, activity)).Ok(), "input"));
        Assert.Equal("""{"n":2}""", Str((await Poll(client, activity)).Ok(), "input"));
    }

    [Fact]
    public async Task A_poll_with_nothing_scheduled_answers_no_token_after_the_poll_time()
    {
        await using var client = await ClockedClient.StartAsync(TimeProvider.System, activityPollSeconds: 2);
        var activity = await CreateActivityAsync(client, "Idle");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reply = (await Poll(client, activity, "idle")).Ok();
        Assert.Empty(reply);
        // It held the request for the poll time (not answering at once), and not for AWS's full minute.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(45));
    }

    [Fact]
    public async Task Shutting_the_endpoint_down_ends_a_poll_at_once()
    {
        var client = await ClockedClient.StartAsync(TimeProvider.System);
        var activity = await CreateActivityAsync(client, "Closing");
        var poll = Poll(client, activity);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Give the poll time to reach the server, so the shutdown has one to end (it waits up to 60 s otherwise).
        await Task.Delay(500);
        await client.DisposeAsync();
        try
        {
            await poll;
        }
        catch (System.Net.Http.HttpRequestException)
        {
            // A connection closed by the shutdown ends the poll too.
        }
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_poll_the_client_gave_up_leaves_the_line_and_the_next_task_goes_to_a_worker_still_polling()
    {
        await using var client = await ClockedClient.StartAsync(TimeProvider.System, activityPollSeconds: 30);
        var activity = await CreateActivityAsync(client, "Impatient");
        var machine = await client.CreateAsync("Impatient", Machine(activity));
        using var impatient = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var gone = new AwsTestClient(client.Url, Credentials.Default, impatient);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            gone.CallAsync("GetActivityTask", new JsonObject { ["activityArn"] = activity, ["workerName"] = "gone" }));
        await WaitForClosedPollAsync(client.Url);

        var execution = await client.StartAsync(machine, "{}");
        await WaitForEventAsync(client, execution, "ActivityScheduled");
        Assert.NotNull((await Poll(client, activity, "present")).Ok()["taskToken"]);
        AslKit.JsonEqual("""{"workerName":"present"}""", Details(await client.HistoryAsync(execution), "ActivityStarted"));
    }

    /// <summary>Until the request log shows the server saw the client close a GetActivityTask (status 0).</summary>
    private static async Task WaitForClosedPollAsync(Uri endpoint)
    {
        using var http = new System.Net.Http.HttpClient();
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            var log = JsonNode.Parse(await http.GetStringAsync(new Uri(endpoint, "/_local/requests")))!["requests"]!.AsArray();
            if (log.Any(r => Str(r!, "operation") == "GetActivityTask" && r!["statusCode"]!.GetValue<int>() == 0)) return;
            if (Environment.TickCount64 > deadline) throw new TimeoutException("the server never saw the poll closed");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_Task_on_an_activity_that_does_not_exist_fails_the_execution_as_AWS_records_it_and_a_mock_still_answers()
    {
        const string mocks = """
            {"StateMachines":{"Missing":{"TestCases":{"Mocked":{"ActivityTask":"Done"}}}},
             "MockedResponses":{"Done":{"0":{"Return":{"by":"mock"}}}}}
            """;
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await ClockedClient.StartAsync(clock, mocks);
        var activity = Prefix + "Missing";
        var catchAll = "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Caught\"}],";
        var definition = Machine(activity, catchAll).Replace("\"End\":true}}}", "\"End\":true},\"Caught\":{\"Type\":\"Pass\",\"End\":true}}}");
        var machine = await client.CreateAsync("Missing", definition);

        var execution = await client.StartAsync(machine, "{}");
        var done = await client.WaitForEndAsync(execution);
        Assert.Equal("FAILED", Str(done, "status"));
        Assert.Equal("States.Runtime", Str(done, "error"));
        Assert.Equal($"An error occurred while executing the state 'ActivityTask' (entered at the event id #2). The activity {activity} does not exist.",
            Str(done, "cause"));
        Assert.Equal("ExecutionStarted<0, TaskStateEntered<0, ExecutionFailed<2", Links(await client.HistoryAsync(execution)));

        var mocked = await client.StartAsync(machine + "#Mocked", "{}");
        Assert.Equal("SUCCEEDED", Str(await client.WaitForEndAsync(mocked), "status"));
    }

    private static async Task<string> CreateActivityAsync(ClockedClient client, string name) =>
        Str((await client.CallAsync("CreateActivity", new JsonObject { ["name"] = name })).Ok(), "activityArn");

    private static Task<Reply> Poll(ClockedClient client, string activityArn, string? workerName = null)
    {
        var body = new JsonObject { ["activityArn"] = activityArn };
        if (workerName is not null) body["workerName"] = workerName;
        return client.CallAsync("GetActivityTask", body);
    }

    private static Task WaitForEventAsync(ClockedClient client, string execution, string type) => WaitForEventCountAsync(client, execution, type, 1);

    private static async Task WaitForEventCountAsync(ClockedClient client, string execution, string type, int count)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (Types(await client.HistoryAsync(execution)).Count(t => t == type) < count)
        {
            if (Environment.TickCount64 > deadline) throw new TimeoutException($"no {type} event #{count} in {execution}");
            await Task.Delay(10);
        }
    }

    private static string[] Types(JsonArray history) => history.Select(e => Str(e!, "type")).ToArray();

    private static string Links(JsonArray history) =>
        string.Join(", ", history.Select(e => $"{Str(e!, "type")}<{e!["previousEventId"]!.GetValue<long>()}"));

    /// <summary>The one event of that type's details member (activityScheduledEventDetails for ActivityScheduled...).</summary>
    private static JsonNode Details(JsonArray history, string type)
    {
        var e = history.Single(e => Str(e!, "type") == type)!;
        return e[char.ToLowerInvariant(type[0]) + type[1..] + "EventDetails"]!;
    }

    private static string Str(JsonNode node, string member) => node[member]!.GetValue<string>();
}
