using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// Constraints of the service model (and of its documentation's words) that a probe sending every operation one broken
/// member at a time found unchecked: each broken request changed something (an execution started or redriven, a machine
/// created or revised, a configuration kept and described back). Over signed HTTP; each one now answers an error that names
/// the member and changes nothing.
/// </summary>
public sealed class ModelConstraintTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Role = "arn:aws:iam::123456789012:role/LocalStepFunctions";
    private const string Pass = """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""";
    private const string Fails = """{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"c"}}}""";
    private const string LogGroup = "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*";

    private AwsTestClient Client => fixture.Client;

    private static string Unique(string prefix) => $"{prefix}-{System.Guid.NewGuid():N}";

    private Task<Reply> CreateAsync(string name, JsonObject extra)
    {
        var body = new JsonObject { ["name"] = name, ["definition"] = Pass, ["roleArn"] = Role };
        foreach (var (key, value) in extra) body[key] = value?.DeepClone();
        return Client.CallAsync("CreateStateMachine", body);
    }

    [Theory]
    [InlineData("""{"loggingConfiguration":{"level":"LOUD"}}""", "ValidationException", "loggingConfiguration.level")]
    [InlineData("""{"loggingConfiguration":{"level":12345}}""", "SerializationException", "'level'")]
    [InlineData("""{"loggingConfiguration":{"includeExecutionData":"yes"}}""", "SerializationException", "'includeExecutionData'")]
    [InlineData("""{"loggingConfiguration":{"level":"ALL"}}""", "InvalidLoggingConfiguration", "exactly one Log Destination")]
    [InlineData("""{"loggingConfiguration":{"level":"ERROR","destinations":[{"cloudWatchLogsLogGroup":{"logGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:sfn"}}]}}""",
        "InvalidLoggingConfiguration", "ending in ':*'")]
    [InlineData("""{"tracingConfiguration":{"enabled":"no"}}""", "SerializationException", "'enabled'")]
    [InlineData("""{"encryptionConfiguration":{"type":"PLAIN"}}""", "ValidationException", "encryptionConfiguration.type")]
    [InlineData("""{"encryptionConfiguration":{"type":"CUSTOMER_MANAGED_KMS_KEY"}}""", "InvalidEncryptionConfiguration", "kmsKeyId is required")]
    [InlineData("""{"encryptionConfiguration":{"type":"CUSTOMER_MANAGED_KMS_KEY","kmsKeyId":"k","kmsDataKeyReusePeriodSeconds":59}}""",
        "ValidationException", "kmsDataKeyReusePeriodSeconds")]
    [InlineData("""{"encryptionConfiguration":{"type":"AWS_OWNED_KEY","kmsKeyId":""}}""", "ValidationException", "encryptionConfiguration.kmsKeyId")]
    public async Task A_configuration_the_service_refuses_creates_no_machine_and_revises_none(string extra, string code, string named)
    {
        var name = Unique("cfg");
        var refused = await CreateAsync(name, JsonNode.Parse(extra)!.AsObject());
        refused.AssertError(code);
        Assert.Contains(named, refused.ErrorMessage);
        var machines = await Client.ListAllAsync("ListStateMachines", new JsonObject(), "stateMachines", 1000);
        Assert.DoesNotContain(machines, m => m!["name"]!.GetValue<string>() == name);

        var arn = (await CreateAsync(name, new JsonObject())).Ok()["stateMachineArn"]!.GetValue<string>();
        var before = (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn })).Ok()["revisionId"]?.ToJsonString();
        var update = JsonNode.Parse(extra)!.AsObject();
        update["stateMachineArn"] = arn;
        (await Client.CallAsync("UpdateStateMachine", update)).AssertError(code);
        Assert.Equal(before, (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn })).Ok()["revisionId"]?.ToJsonString());
    }

    [Fact]
    public async Task A_configuration_the_service_accepts_is_kept()
    {
        var extra = new JsonObject
        {
            ["loggingConfiguration"] = JsonNode.Parse($$$"""{"level":"ALL","includeExecutionData":true,"destinations":[{"cloudWatchLogsLogGroup":{"logGroupArn":"{{{LogGroup}}}"}}]}"""),
            ["tracingConfiguration"] = JsonNode.Parse("""{"enabled":true}"""),
            ["encryptionConfiguration"] = JsonNode.Parse($$"""{"type":"CUSTOMER_MANAGED_KMS_KEY","kmsKeyId":"{{new string('k', 2048)}}","kmsDataKeyReusePeriodSeconds":900}"""),
        };
        (await CreateAsync(Unique("cfg-ok"), extra)).Ok();
        var activity = await Client.CallAsync("CreateActivity", new JsonObject
        {
            ["name"] = Unique("act"),
            ["encryptionConfiguration"] = JsonNode.Parse("""{"type":"CUSTOMER_MANAGED_KMS_KEY","kmsKeyId":"alias/k","kmsDataKeyReusePeriodSeconds":60}"""),
        });
        activity.Ok();
    }

    [Theory]
    [InlineData("""{"type":"CUSTOMER_MANAGED_KMS_KEY","kmsKeyId":{"a":1}}""", "SerializationException")]
    [InlineData("""{"type":"CUSTOMER_MANAGED_KMS_KEY","kmsKeyId":"k","kmsDataKeyReusePeriodSeconds":1.5}""", "SerializationException")]
    [InlineData("""{"type":"CUSTOMER_MANAGED_KMS_KEY","kmsKeyId":"k","kmsDataKeyReusePeriodSeconds":901}""", "ValidationException")]
    public async Task An_activity_with_such_a_key_is_not_created(string encryption, string code)
    {
        var name = Unique("act");
        (await Client.CallAsync("CreateActivity", new JsonObject { ["name"] = name, ["encryptionConfiguration"] = JsonNode.Parse(encryption) })).AssertError(code);
        var activities = await Client.ListAllAsync("ListActivities", new JsonObject(), "activities", 1000);
        Assert.DoesNotContain(activities, a => a!["name"]!.GetValue<string>() == name);
    }

    [Fact]
    public async Task A_trace_header_beyond_ascii_starts_nothing_and_a_client_token_beyond_its_pattern_redrives_nothing()
    {
        var machine = await Client.CreateStateMachineAsync(Unique("trace"), Pass);
        var name = Unique("run");
        var start = await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = name, ["traceHeader"] = "Root=1-é" });
        start.AssertError("ValidationException");
        Assert.Contains("traceHeader", start.ErrorMessage);
        var executions = await Client.ListAllAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine }, "executions", 1000);
        Assert.Empty(executions);

        var failing = await Client.CreateStateMachineAsync(Unique("redrive"), Fails);
        var failed = await Client.StartAsync(failing);
        Assert.Equal("FAILED", (await Client.WaitForEndAsync(failed))["status"]!.GetValue<string>());
        foreach (var token in new[] { "ab cd", "a\tb", "é" })
        {
            var redrive = await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = failed, ["clientToken"] = token });
            redrive.AssertError("ValidationException");
            Assert.Contains("clientToken", redrive.ErrorMessage);
        }
        Assert.Equal(0, (await Client.DescribeAsync(failed))["redriveCount"]!.GetValue<int>());
        (await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = failed, ["clientToken"] = "!token~" })).Ok();
    }

    [Fact]
    public async Task StartSyncExecution_checks_includedData_and_METADATA_ONLY_leaves_the_data_out()
    {
        var express = await Client.CreateStateMachineAsync(Unique("sync"), Pass, "EXPRESS");
        var bogus = await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = express, ["includedData"] = "BOGUS_VALUE" });
        bogus.AssertError("ValidationException");
        Assert.Contains("includedData", bogus.ErrorMessage);
        (await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = express, ["includedData"] = 12345 })).AssertError("SerializationException");

        var metadata = (await Client.CallAsync("StartSyncExecution",
            new JsonObject { ["stateMachineArn"] = express, ["input"] = """{"secret":1}""", ["includedData"] = "METADATA_ONLY" })).Ok();
        Assert.Equal("SUCCEEDED", metadata["status"]!.GetValue<string>());
        Assert.False(metadata.ContainsKey("input"));
        Assert.False(metadata.ContainsKey("output"));
        Assert.False(metadata["inputDetails"]!["included"]!.GetValue<bool>());
        Assert.False(metadata["outputDetails"]!["included"]!.GetValue<bool>());

        var all = (await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = express, ["input"] = """{"secret":1}""" })).Ok();
        Assert.Equal("""{"secret":1}""", all["output"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"mock":{"errorOutput":{"error":"%257%","cause":"c"}}}""", "mock.errorOutput.error")]
    [InlineData("""{"mock":{"result":"{}"},"stateConfiguration":{"errorCausedByState":""}}""", "stateConfiguration.errorCausedByState")]
    [InlineData("""{"mock":{"result":"{}"},"stateConfiguration":{"errorCausedByState":"%81%"}}""", "stateConfiguration.errorCausedByState")]
    public async Task TestState_refuses_mock_members_beyond_the_models_lengths(string extra, string member)
    {
        var body = JsonNode.Parse(extra.Replace("%257%", new string('e', 257)).Replace("%81%", new string('s', 81)))!.AsObject();
        body["definition"] = """{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}""";
        body["roleArn"] = Role;
        var reply = await Client.CallAsync("TestState", body);
        reply.AssertError("ValidationException");
        Assert.Contains(member, reply.ErrorMessage);
    }

    /// <summary>Answers a replay of AWS's recordings (LocalStack's test_sfn_api, test_express_sync, test_state_*) found worded or shaped otherwise.</summary>
    [Fact]
    public async Task Pages_limits_and_sync_failures_are_answered_in_AWSs_words()
    {
        var machine = await Client.CreateStateMachineAsync(Unique("pages"), Pass);
        var longToken = await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["nextToken"] = new string('t', 3097) });
        longToken.AssertError("ValidationException");
        Assert.EndsWith("at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 3096", longToken.ErrorMessage);
        var machinesToken = await Client.CallAsync("ListStateMachines", new JsonObject { ["nextToken"] = new string('t', 1025) });
        Assert.EndsWith("Member must have length less than or equal to 1024", machinesToken.ErrorMessage);
        var forged = await Client.CallAsync("ListStateMachines", new JsonObject { ["nextToken"] = "InvalidToken" });
        forged.AssertError("InvalidToken");
        Assert.Equal("Invalid Token: 'Invalid token'", forged.ErrorMessage);
        var tooMany = await Client.CallAsync("ListStateMachines", new JsonObject { ["maxResults"] = 1001 });
        Assert.Equal("1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", tooMany.ErrorMessage);
        var status = await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "DONE" });
        Assert.EndsWith("Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]", status.ErrorMessage);

        // test_express_sync[BASE_RAISE_FAILURE]: a failed run's answer has outputDetails, and no output.
        var failing = await Client.CreateStateMachineAsync(Unique("sync-fail"), Fails, "EXPRESS");
        var failed = (await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = failing })).Ok();
        Assert.Equal("FAILED", failed["status"]!.GetValue<string>());
        Assert.True(failed["outputDetails"]!["included"]!.GetValue<bool>());
        Assert.False(failed.ContainsKey("output"));
    }

    [Fact]
    public async Task TestState_answers_a_context_ItemsPath_and_a_jsonata_Parallel_as_AWS_recorded()
    {
        // test_state_map_context_object[EXECUTION_INPUT]: the cause writes the context path with one $.
        var map = (await Client.CallAsync("TestState", new JsonObject
        {
            ["definition"] = """{"Type":"Map","ItemsPath":"$$.Execution.Input","ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},"End":true}""",
            ["input"] = "{}",
            ["mock"] = new JsonObject { ["result"] = "[]" },
            ["context"] = """{"Execution":{"Input":{"not":"an array"}}}""",
        })).Ok();
        Assert.Equal("Reference path \"$.Execution.Input\" must point to array.", map["cause"]!.GetValue<string>());

        // test_io_jsonata_parallel_state_mock_success[DEBUG]: no afterArguments for a Parallel.
        var parallel = (await Client.CallAsync("TestState", new JsonObject
        {
            ["definition"] = """{"QueryLanguage":"JSONata","Type":"Parallel","Arguments":{"data":"{% $states.input.x %}"},"Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"End":true}""",
            ["input"] = """{"x":1}""",
            ["inspectionLevel"] = "DEBUG",
            ["mock"] = new JsonObject { ["result"] = "[1]" },
        })).Ok();
        Assert.Equal("SUCCEEDED", parallel["status"]!.GetValue<string>());
        Assert.False(parallel["inspectionData"]!.AsObject().ContainsKey("afterArguments"));
    }
}
