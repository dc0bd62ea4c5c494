using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

public sealed class TaskRetryCatchTests
{
    // Step Functions Local's documented example shape: a retry path that throws three times, then returns.
    private static readonly JsonObject Mocks = JsonNode.Parse("""
        {"StateMachines":{"Machine":{"TestCases":{
            "HappyPath":{"LambdaState":"MockedLambdaSuccess"},
            "RetryPath":{"LambdaState":"MockedLambdaRetry"},
            "AlwaysFails":{"LambdaState":"MockedLambdaFails"},
            "TimesOut":{"LambdaState":"MockedTimeout"},
            "Unmocked":{}}}},
         "MockedResponses":{
            "MockedLambdaSuccess":{"0":{"Return":{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}}},
            "MockedLambdaRetry":{
                "0":{"Throw":{"Error":"Lambda.ResourceNotReadyException","Cause":"Lambda resource is not ready."}},
                "1-2":{"Throw":{"Error":"Lambda.TimeoutException","Cause":"Lambda timed out."}},
                "3":{"Return":{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}}},
            "MockedLambdaFails":{"0-99":{"Throw":{"Error":"Lambda.ServiceException","Cause":"Boom"}}},
            "MockedTimeout":{"0":{"Throw":{"Error":"States.Timeout","Cause":"Task timed out"}}}}}
        """)!.AsObject();

    private static EngineOptions Options => new() { TimeScale = 10_000, MockConfig = Mocks };

    private static string TaskMachine(string extra = "") =>
        """{"StartAt":"LambdaState","States":{"LambdaState":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"HelloFunction","Payload.$":"$"}"""
        + extra
        + ""","Next":"Done"},"Done":{"Type":"Succeed"}"""
        + (extra.Contains("Recover") ? ""","Recover":{"Type":"Pass","End":true}""" : "")
        + "}}";

    private const string CatchAll = ""","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover","ResultPath":"$.error-info"}]""";

    [Fact]
    public async Task Task_returns_the_mocked_result_with_the_service_history()
    {
        var host = await AslKit.RunAsync(TaskMachine(CatchAll), """{"who":"me"}""", Options, "HappyPath");
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        AslKit.JsonEqual("""{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}""", JsonNode.Parse(host.Outcome.Output!));
        Assert.Equal(new[] { "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
            "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded" }, host.Types);
        var scheduled = host.Details("TaskScheduled");
        Assert.Equal("lambda", scheduled["resourceType"]!.GetValue<string>());
        Assert.Equal("invoke", scheduled["resource"]!.GetValue<string>());
        Assert.Equal("eu-west-1", scheduled["region"]!.GetValue<string>());
        AslKit.JsonEqual("""{"FunctionName":"HelloFunction","Payload":{"who":"me"}}""", JsonNode.Parse(scheduled["parameters"]!.GetValue<string>()));
        Assert.Equal("lambda", host.Details("TaskStarted")["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retry_counts_invocations_across_attempts_and_then_succeeds()
    {
        var host = await AslKit.RunAsync(TaskMachine(""","Retry":[{"ErrorEquals":["Lambda.ResourceNotReadyException","Lambda.TimeoutException"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":2}]"""),
            "{}", Options, "RetryPath");
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        Assert.Equal(4, host.Types.Count(t => t == "TaskScheduled"));
        Assert.Equal(3, host.Types.Count(t => t == "TaskFailed"));
        Assert.Equal(1, host.Types.Count(t => t == "TaskStateEntered"));
        var failures = host.Events.Where(e => e.Type == "TaskFailed").Select(e => e.Details!["error"]!.GetValue<string>()).ToArray();
        Assert.Equal(new[] { "Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException" }, failures);
    }

    [Fact]
    public async Task Retry_waits_IntervalSeconds_times_BackoffRate_on_the_clock()
    {
        var clock = new ManualClock();
        var (run, host) = AslKit.Start(TaskMachine(""","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"MaxAttempts":3,"BackoffRate":1.5}]"""),
            "{}", new EngineOptions { Time = clock, MockConfig = Mocks }, "RetryPath");
        foreach (var seconds in new[] { 3.0, 4.5, 6.75 })
        {
            await clock.WaitForTimersAsync(1);
            clock.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, clock.ActiveTimers);
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
    }

    [Theory]
    [InlineData(1, 2, 0, null, 0, 1)]
    [InlineData(1, 2, 3, null, 3, 8)]
    [InlineData(3, 1.5, 1, null, 1, 4.5)]
    [InlineData(2, 2, 10, 60.0, 10, 60)]
    public void RetryDelay_follows_the_documented_formula(double interval, double backoff, int attempt, double? maxDelay, int _, double expected)
    {
        var retrier = new Retrier(new[] { "States.ALL" }, interval, 3, backoff, maxDelay, FullJitter: false);
        Assert.Equal(expected, Interpreter.RetryDelay(retrier, attempt).TotalSeconds, 6);
    }

    [Fact]
    public void Full_jitter_spreads_delays_uniformly_below_the_computed_delay()
    {
        // 2 x 2^2 = 8 s un-jittered; FULL jitter draws uniformly from [0, 8). The draws come from Random.Shared (no seed to
        // pin), so the bounds are chosen for a correct implementation to fail them with probability far below 1e-9:
        // the mean of 1000 draws leaves [3, 5] with probability <= 2exp(-2*1000*(1/8)^2) ~ 5e-14 (Hoeffding), and no draw
        // below 1 s (or none above 7 s) has probability (7/8)^1000 ~ 1e-58.
        var retrier = new Retrier(new[] { "States.ALL" }, 2, 3, 2, null, FullJitter: true);
        var delays = Enumerable.Range(0, 1000).Select(_ => Interpreter.RetryDelay(retrier, 2).TotalSeconds).ToArray();
        Assert.All(delays, d => Assert.True(d is >= 0 and < 8, $"delay {d} s outside [0, 8)"));
        Assert.True(delays.Distinct().Count() >= 900, $"only {delays.Distinct().Count()} distinct delays of 1000");
        Assert.InRange(delays.Average(), 3, 5);
        Assert.Contains(delays, d => d < 1);
        Assert.Contains(delays, d => d > 7);
    }

    [Fact]
    public async Task Exhausted_retries_go_to_Catch_with_the_error_output_at_its_ResultPath()
    {
        var host = await AslKit.RunAsync(TaskMachine(""","Retry":[{"ErrorEquals":["Lambda.ServiceException"],"MaxAttempts":2}]""" + CatchAll),
            """{"order":1}""", Options, "AlwaysFails");
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        AslKit.JsonEqual("""{"order":1,"error-info":{"Error":"Lambda.ServiceException","Cause":"Boom"}}""", JsonNode.Parse(host.Outcome.Output!));
        Assert.Equal(3, host.Types.Count(t => t == "TaskFailed"));
        var types = host.Types.ToList();
        Assert.Equal(new[] { "TaskFailed", "TaskStateExited", "PassStateEntered" }, types.Skip(types.LastIndexOf("TaskFailed")).Take(3));
    }

    [Fact]
    public async Task Uncaught_task_error_fails_the_execution_with_its_name_and_cause()
    {
        var host = await AslKit.RunAsync(TaskMachine(), "{}", Options, "AlwaysFails");
        Assert.Equal(("FAILED", "Lambda.ServiceException", "Boom"), (host.Outcome!.Status, host.Outcome.Error, host.Outcome.Cause));
        Assert.Equal("ExecutionFailed", host.Types.Last());
        Assert.Equal("TaskFailed", host.Types[^2]);
    }

    public static TheoryData<string, string, bool> MatchingRules => new()
    {
        // TaskFailed matches any error but States.Timeout.
        { "AlwaysFails", "States.TaskFailed", true },
        { "TimesOut", "States.TaskFailed", false },
        { "TimesOut", "States.Timeout", true },
        { "TimesOut", "States.ALL", true },
        { "AlwaysFails", "Lambda.ServiceException", true },
        { "AlwaysFails", "Lambda.Other", false },
    };

    [Theory]
    [MemberData(nameof(MatchingRules))]
    public async Task Catch_follows_the_specification_matching_rules(string testCase, string errorEquals, bool caught)
    {
        var host = await AslKit.RunAsync(TaskMachine($$""","Catch":[{"ErrorEquals":["{{errorEquals}}"],"Next":"Recover"}]"""), "{}", Options, testCase);
        Assert.Equal(caught ? "SUCCEEDED" : "FAILED", host.Outcome!.Status);
    }

    [Fact]
    public async Task A_mocked_States_Timeout_records_TaskTimedOut()
    {
        var host = await AslKit.RunAsync(TaskMachine(), "{}", Options, "TimesOut");
        Assert.Equal(("FAILED", "States.Timeout"), (host.Outcome!.Status, host.Outcome.Error));
        Assert.Contains("TaskTimedOut", host.Types);
    }

    [Theory]
    [InlineData("Unmocked", "mocks no response")]
    [InlineData("NoSuchCase", "no test case")]
    [InlineData(null, "#<TestCase>")]
    public async Task A_task_without_a_mock_fails_with_States_Runtime_even_with_Catch_all(string? testCase, string message)
    {
        var host = await AslKit.RunAsync(TaskMachine(CatchAll), "{}", Options, testCase);
        Assert.Equal(("FAILED", "States.Runtime"), (host.Outcome!.Status, host.Outcome.Error));
        Assert.Contains(message, host.Outcome.Cause);
        Assert.DoesNotContain("TaskScheduled", host.Types);
    }

    [Fact]
    public async Task Without_a_mock_config_the_cause_says_how_to_give_one()
    {
        var host = await AslKit.RunAsync(TaskMachine(), "{}", new EngineOptions(), "HappyPath");
        Assert.Equal("States.Runtime", host.Outcome!.Error);
        Assert.Contains("--mock-config", host.Outcome.Cause);
    }

    [Fact]
    public async Task ResultSelector_and_ResultPath_shape_the_task_result()
    {
        // Developer guide, ResultSelector: keep parts of the result, place them under ResultPath.
        var host = await AslKit.RunAsync(TaskMachine(""","ResultSelector":{"body.$":"$.Payload.body","code.$":"$.StatusCode"},"ResultPath":"$.lambda","OutputPath":"$.lambda" """),
            """{"who":"me"}""", Options, "HappyPath");
        AslKit.JsonEqual("""{"body":"Hello from Lambda!","code":200}""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Theory]
    [InlineData("arn:aws:states:::lambda:invoke", "lambda", "invoke")]
    [InlineData("arn:aws:states:::sqs:sendMessage.waitForTaskToken", "sqs", "sendMessage.waitForTaskToken")]
    [InlineData("arn:aws:states:::aws-sdk:s3:listBuckets", "aws-sdk:s3", "listBuckets")]
    [InlineData("arn:aws:states:::aws-sdk:secretsmanager:createSecret", "aws-sdk:secretsmanager", "createSecret")]
    [InlineData("arn:aws:states:::states:startExecution.sync:2", "states", "startExecution.sync:2")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:Hello", "lambda", "arn:aws:lambda:us-east-1:123456789012:function:Hello")]
    public void Resource_splits_into_type_and_name_like_the_service(string resource, string type, string name) =>
        Assert.Equal((type, name), TaskHistory.SplitResource(resource));

    [Fact]
    public async Task Invocation_numbers_also_count_re_entries_of_the_same_state()
    {
        // The Choice loops back into the Task once: invocations 0 (throws, caught) and 1-2 (throw) then 3 (returns).
        var host = await AslKit.RunAsync("""
            {"StartAt":"LambdaState","States":{
              "LambdaState":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Done",
                 "Retry":[{"ErrorEquals":["Lambda.TimeoutException"],"MaxAttempts":5}],
                 "Catch":[{"ErrorEquals":["Lambda.ResourceNotReadyException"],"Next":"Again","ResultPath":null}]},
              "Again":{"Type":"Pass","Next":"LambdaState"},
              "Done":{"Type":"Succeed"}}}
            """, "{}", Options, "RetryPath");
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        Assert.Equal(2, host.Types.Count(t => t == "TaskStateEntered"));
        Assert.Equal(4, host.Types.Count(t => t == "TaskScheduled"));
    }

    [Fact]
    public async Task Stop_during_a_retry_interval_ends_at_once()
    {
        var clock = new ManualClock();
        var (run, host) = AslKit.Start(TaskMachine(""","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":60}]"""),
            "{}", new EngineOptions { Time = clock, MockConfig = Mocks }, "AlwaysFails");
        await clock.WaitForTimersAsync(1);
        run.Stop("Stopped", null);
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ABORTED", host.Outcome!.Status);
        Assert.Equal(0, clock.ActiveTimers);
        Assert.Equal(1, host.Types.Count(t => t == "TaskScheduled"));
    }

    [Fact]
    public async Task TaskScheduled_reports_the_task_timeouts()
    {
        var host = await AslKit.RunAsync(TaskMachine(""","TimeoutSeconds":30,"HeartbeatSeconds":10"""), "{}", Options, "HappyPath");
        var scheduled = host.Details("TaskScheduled");
        Assert.Equal(30, scheduled["timeoutInSeconds"]!.GetValue<long>());
        Assert.Equal(10, scheduled["heartbeatInSeconds"]!.GetValue<long>());
    }

    /// <summary>TimeoutSecondsPath and HeartbeatSecondsPath: read from the effective input (after InputPath) when the Task runs.</summary>
    [Fact]
    public async Task TimeoutSecondsPath_and_HeartbeatSecondsPath_come_from_the_input()
    {
        var host = await AslKit.RunAsync(TaskMachine(""","InputPath":"$.limits","TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$.h" """),
            """{"limits":{"t":40,"h":15}}""", Options, "HappyPath");
        var scheduled = host.Details("TaskScheduled");
        Assert.Equal(40, scheduled["timeoutInSeconds"]!.GetValue<long>());
        Assert.Equal(15, scheduled["heartbeatInSeconds"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"t":"soon","h":1}""", "The TimeoutSecondsPath field refers to value \"soon\" which is not a valid integer: $.t")]
    [InlineData("""{"t":0,"h":1}""", "The TimeoutSecondsPath field refers to value \"0\" which is not a positive integer up to 99999999: $.t")]
    [InlineData("""{"t":10,"h":10}""", "The HeartbeatSeconds value 10 must be smaller than the TimeoutSeconds value 10")]
    public async Task A_bad_timeout_from_the_input_fails_the_state_before_the_task_is_scheduled(string input, string cause)
    {
        var host = await AslKit.RunAsync(TaskMachine(""","TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$.h" """), input, Options, "HappyPath");
        Assert.Equal("FAILED", host.Outcome!.Status);
        Assert.Equal("States.Runtime", host.Outcome.Error);
        Assert.EndsWith(cause, host.Outcome.Cause);
        Assert.DoesNotContain("TaskScheduled", host.Types);
    }

    /// <summary>A JSONata Task's heartbeat must stay below its timeout too: literals at create time, expressions when it runs.</summary>
    [Fact]
    public async Task A_jsonata_heartbeat_not_below_the_timeout_is_refused_or_fails_the_state()
    {
        const string literal = """{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"HeartbeatSeconds":5,"End":true}}}""";
        Assert.Contains("'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
            Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(literal)).Message);

        var host = await AslKit.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"LambdaState","States":{"LambdaState":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
             "TimeoutSeconds":"{% $states.input.t %}","HeartbeatSeconds":"{% $states.input.h %}","End":true}}}
            """, """{"t":10,"h":10}""", Options, "HappyPath");
        Assert.Equal("States.Runtime", host.Outcome!.Error);
        Assert.EndsWith("The HeartbeatSeconds value 10 must be smaller than the TimeoutSeconds value 10", host.Outcome.Cause);
        Assert.DoesNotContain("TaskScheduled", host.Types);

        var fine = await AslKit.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"LambdaState","States":{"LambdaState":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
             "TimeoutSeconds":"{% $states.input.t %}","HeartbeatSeconds":"{% $states.input.h %}","End":true}}}
            """, """{"t":10,"h":9}""", Options, "HappyPath");
        Assert.Equal("SUCCEEDED", fine.Outcome!.Status);
        Assert.Equal(9, fine.Details("TaskScheduled")["heartbeatInSeconds"]!.GetValue<long>());
    }
}
