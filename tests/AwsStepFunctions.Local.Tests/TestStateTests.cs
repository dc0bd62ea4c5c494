using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// TestState over HTTP. Definitions, inputs and expected answers come from AWS's answers recorded in LocalStack's
/// test_state snapshots wherever one exists (named in each test).
/// </summary>
public sealed class TestStateTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Role = "arn:aws:iam::123456789012:role/TestStateRole";
    private const string NestedInput = """{"initialData": {"fieldFromInput": "value from input", "otherField": "other"}, "unrelatedData": {"someOtherField": 1234}}""";

    private AwsTestClient Client => fixture.Client;

    private Task<Reply> TestAsync(string definition, string? input = null, string level = "DEBUG", JsonObject? extra = null, AwsTestClient? client = null)
    {
        var body = new JsonObject { ["definition"] = definition, ["inspectionLevel"] = level };
        if (input is not null) body["input"] = input;
        foreach (var (key, value) in extra ?? new JsonObject()) body[key] = value?.DeepClone();
        return (client ?? Client).CallAsync("TestState", body);
    }

    private static JsonObject Mock(string result) => new() { ["mock"] = new JsonObject { ["result"] = result } };

    private static JsonObject MockError(string error, string cause) =>
        new() { ["mock"] = new JsonObject { ["errorOutput"] = new JsonObject { ["error"] = error, ["cause"] = cause } } };

    /// <summary>A JSON text member compared as JSON (the wire carries inspection data and output as JSON text).</summary>
    private static void AssertJson(string expected, JsonNode? actualText) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actualText!.GetValue<string>())),
            $"expected {expected}, got {actualText?.GetValue<string>()}");

    [Fact]
    public async Task PassWithParameters_Debug_ReportsEachStepOfTheDataFlow()
    {
        // IO_PASS_STATE, test_base_inspection_level_debug.
        var reply = (await TestAsync("""
            {"Type": "Pass", "InputPath": "$.initialData", "Parameters": {"staticValue": "some value", "inputValue.$": "$.fieldFromInput"}, "ResultPath": "$.modifiedData", "End": true}
            """, NestedInput)).Ok();
        Assert.Equal("SUCCEEDED", reply["status"]!.GetValue<string>());
        Assert.False(reply.ContainsKey("nextState"));
        var data = reply["inspectionData"]!.AsObject();
        Assert.Equal(["input", "afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath"], Keys(data));
        AssertJson(NestedInput, data["input"]);
        AssertJson("""{"fieldFromInput": "value from input", "otherField": "other"}""", data["afterInputPath"]);
        AssertJson("""{"staticValue": "some value", "inputValue": "value from input"}""", data["afterParameters"]);
        AssertJson("""{"staticValue": "some value", "inputValue": "value from input"}""", data["afterResultSelector"]);
        const string output = """{"initialData": {"fieldFromInput": "value from input", "otherField": "other"}, "unrelatedData": {"someOtherField": 1234}, "modifiedData": {"staticValue": "some value", "inputValue": "value from input"}}""";
        AssertJson(output, data["afterResultPath"]);
        AssertJson(output, reply["output"]);
    }

    [Fact]
    public async Task PassWithResult_ReportsTheResult_NotTheInputSteps_AndInfoReportsNoInspectionData()
    {
        // BASE_RESULT_PASS_STATE: AWS leaves afterInputPath and afterParameters out when Result is given.
        const string definition = """{"Type": "Pass", "Result": {"resultKey": "result value"}, "End": true}""";
        var debug = (await TestAsync(definition, """{"Value": "HelloWorld"}""")).Ok();
        Assert.Equal(["input", "result", "afterResultSelector", "afterResultPath"], Keys(debug["inspectionData"]!.AsObject()));
        AssertJson("""{"resultKey": "result value"}""", debug["output"]);

        var info = (await TestAsync(definition, """{"Value": "HelloWorld"}""", "INFO")).Ok();
        Assert.False(info.ContainsKey("inspectionData"));
        Assert.Equal("SUCCEEDED", info["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Choice_AnswersTheNextState_Fail_AnswersErrorAndCause_Succeed_HasNoNextState()
    {
        // BASE_CHOICE_STATE and BASE_FAIL_STATE.
        var choice = (await TestAsync("""
            {"Type": "Choice", "Choices": [{"Variable": "$.value", "NumericGreaterThanEquals": 20, "Next": "ValueInTwenties"}], "Default": "Other"}
            """, """{"type": "Private", "value": 22}""", "TRACE")).Ok();
        Assert.Equal("ValueInTwenties", choice["nextState"]!.GetValue<string>());
        Assert.Equal(["input", "afterInputPath"], Keys(choice["inspectionData"]!.AsObject()));

        var fail = (await TestAsync("""{"Type": "Fail", "Error": "SomeFailure", "Cause": "This state machines raises a 'SomeFailure' failure."}""",
            """{"Value": "HelloWorld"}""", "INFO")).Ok();
        Assert.Equal("FAILED", fail["status"]!.GetValue<string>());
        Assert.Equal("SomeFailure", fail["error"]!.GetValue<string>());
        Assert.Equal("This state machines raises a 'SomeFailure' failure.", fail["cause"]!.GetValue<string>());
        Assert.False(fail.ContainsKey("output"));

        var succeed = (await TestAsync("""{"Type": "Succeed"}""", """{"Value": "HelloWorld"}""")).Ok();
        AssertJson("""{"Value": "HelloWorld"}""", succeed["output"]);
        Assert.False(succeed.ContainsKey("nextState"));
    }

    [Fact]
    public async Task WaitState_AnswersAtOnce_WithItsNextState()
    {
        var reply = (await TestAsync("""{"Type": "Wait", "Seconds": 86400, "Next": "After"}""", """{"a": 1}""")).Ok();
        Assert.Equal("After", reply["nextState"]!.GetValue<string>());
        AssertJson("""{"a": 1}""", reply["output"]);
    }

    [Fact]
    public async Task MockedTask_RunsParametersResultSelectorAndResultPath_OnTheMock()
    {
        var reply = (await TestAsync("""
            {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$.p"},
             "ResultSelector": {"body.$": "$.Payload"}, "ResultPath": "$.out", "Next": "After"}
            """, """{"p": 1}""", extra: Mock("""{"Payload": "function output", "StatusCode": 200}"""))).Ok();
        Assert.Equal("SUCCEEDED", reply["status"]!.GetValue<string>());
        Assert.Equal("After", reply["nextState"]!.GetValue<string>());
        var data = reply["inspectionData"]!.AsObject();
        Assert.Equal(["input", "afterInputPath", "afterParameters", "result", "afterResultSelector", "afterResultPath"], Keys(data));
        AssertJson("""{"FunctionName": "f", "Payload": 1}""", data["afterParameters"]);
        AssertJson("""{"Payload": "function output", "StatusCode": 200}""", data["result"]);
        AssertJson("""{"body": "function output"}""", data["afterResultSelector"]);
        AssertJson("""{"p": 1, "out": {"body": "function output"}}""", reply["output"]);
    }

    [Fact]
    public async Task TaskWithoutAMock_NeedsARole_AndWithOne_FailsBecauseNothingIsCalled()
    {
        // test_base_lambda_service_task_state_no_role_arn_validation.
        const string definition = """{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""";
        var noRole = await TestAsync(definition, "{}");
        noRole.AssertError("ValidationException");
        Assert.Equal("RoleArn must be specified when testing a Task state", noRole.ErrorMessage);

        var unmocked = (await TestAsync(definition, "{}", extra: new JsonObject { ["roleArn"] = Role })).Ok();
        Assert.Equal("FAILED", unmocked["status"]!.GetValue<string>());
        Assert.Equal("States.Runtime", unmocked["error"]!.GetValue<string>());
        Assert.Contains("mock", unmocked["cause"]!.GetValue<string>());
    }

    [Fact]
    public async Task TaskCredentialsAndTimeoutPaths_AreCheckedAsARunChecksThem()
    {
        const string definition = """
            {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Credentials": {"RoleArn.$": "$.role"}, "TimeoutSecondsPath": "$.limit", "End": true}
            """;
        var extra = Mock("""{"ok": true}""");
        extra["roleArn"] = Role;
        var good = (await TestAsync(definition, """{"role": "arn:aws:iam::111122223333:role/Worker", "limit": 30}""", extra: extra)).Ok();
        Assert.Equal("SUCCEEDED", good["status"]!.GetValue<string>());

        var noRole = (await TestAsync(definition, """{"role": 5, "limit": 30}""", extra: extra)).Ok();
        Assert.Equal("FAILED", noRole["status"]!.GetValue<string>());
        Assert.Equal("States.Runtime", noRole["error"]!.GetValue<string>());
        Assert.Contains("The Credentials field must hold a RoleArn string", noRole["cause"]!.GetValue<string>());

        var noLimit = (await TestAsync(definition, """{"role": "arn:aws:iam::111122223333:role/Worker", "limit": 0}""", extra: extra)).Ok();
        Assert.Equal("FAILED", noLimit["status"]!.GetValue<string>());
        Assert.Contains("TimeoutSecondsPath", noLimit["cause"]!.GetValue<string>());

        // JSONata: the same rule, reported as a query evaluation error.
        const string jsonata = """
            {"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Credentials": {"RoleArn": "{% $states.input.role %}"}, "End": true}
            """;
        var badJsonata = (await TestAsync(jsonata, """{"role": false}""", extra: extra)).Ok();
        Assert.Equal("FAILED", badJsonata["status"]!.GetValue<string>());
        Assert.Equal("States.QueryEvaluationError", badJsonata["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task MockedErrorMatchingARetrier_IsRetriable_WithTheBackoff_UntilTheRetryCountReachesMaxAttempts()
    {
        // BASE_TASK_STATE_RETRY with stateConfiguration.retrierRetryCount (test_state_configuration_retrier_retry_count).
        const string definition = """
            {"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "foo", "Payload": "bar"},
             "Retry": [{"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 5, "BackoffRate": 2.0}], "End": true}
            """;
        var retriable = MockError("MockException", "Mock the cause of the error.");
        retriable["stateConfiguration"] = new JsonObject { ["retrierRetryCount"] = 4 };
        var reply = (await TestAsync(definition, """{"Values": ["first", "second", "third"]}""", extra: retriable)).Ok();
        Assert.Equal("RETRIABLE", reply["status"]!.GetValue<string>());
        Assert.Equal("MockException", reply["error"]!.GetValue<string>());
        var data = reply["inspectionData"]!.AsObject();
        AssertJson("""{"FunctionName": "foo", "Payload": "bar"}""", data["afterArguments"]);
        Assert.Equal(16, data["errorDetails"]!["retryBackoffIntervalSeconds"]!.GetValue<long>());
        Assert.Equal(0, data["errorDetails"]!["retryIndex"]!.GetValue<int>());
        Assert.False(reply.ContainsKey("output"));

        var exhausted = MockError("MockException", "Mock the cause of the error.");
        exhausted["stateConfiguration"] = new JsonObject { ["retrierRetryCount"] = 5 };
        var failed = (await TestAsync(definition, "{}", extra: exhausted)).Ok();
        Assert.Equal("FAILED", failed["status"]!.GetValue<string>());
        Assert.Equal(0, failed["inspectionData"]!["errorDetails"]!["retryIndex"]!.GetValue<int>());
        Assert.Null(failed["inspectionData"]!["errorDetails"]!["retryBackoffIntervalSeconds"]);
    }

    [Fact]
    public async Task MockedErrorMatchingACatcher_IsCaught_WithTheCatchersOutputAndNext_AndAMadeUpContext()
    {
        // BASE_TASK_STATE_CATCH (test_state_task_catch_error).
        const string definition = """
            {"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "foo", "Payload": "bar"},
             "Catch": [{"ErrorEquals": ["MockException"], "Output": "{% $states %}", "Next": "HandleMockError"},
                       {"ErrorEquals": ["States.TaskFailed"], "Output": "{% $states %}", "Next": "HandleThreshold"}], "End": true}
            """;
        var extra = MockError("States.TaskFailed", "The task failed.");
        extra["roleArn"] = Role;
        var reply = (await TestAsync(definition, """{"Value": "HelloWorld"}""", extra: extra)).Ok();
        Assert.Equal("CAUGHT_ERROR", reply["status"]!.GetValue<string>());
        Assert.Equal("HandleThreshold", reply["nextState"]!.GetValue<string>());
        Assert.Equal("States.TaskFailed", reply["error"]!.GetValue<string>());
        Assert.Equal("The task failed.", reply["cause"]!.GetValue<string>());
        Assert.Equal(1, reply["inspectionData"]!["errorDetails"]!["catchIndex"]!.GetValue<int>());

        var states = JsonNode.Parse(reply["output"]!.GetValue<string>())!.AsObject();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Error": "States.TaskFailed", "Cause": "The task failed."}"""), states["errorOutput"]));
        var context = states["context"]!;
        Assert.Equal("StateName", context["State"]!["Name"]!.GetValue<string>());
        Assert.Equal(0, context["State"]!["RetryCount"]!.GetValue<int>());
        Assert.Equal(Role, context["Execution"]!["RoleArn"]!.GetValue<string>());
        Assert.StartsWith("arn:aws:states:us-east-1:123456789012:express:", context["Execution"]!["Id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Value": "HelloWorld"}"""), context["Execution"]!["Input"]));
    }

    [Fact]
    public async Task Variables_AreReadByTheState_AndReportedWithItsAssignments()
    {
        // test_state_with_variables: a JSONata state reading the variables it is given; RoleArn null without a role.
        var extra = new JsonObject { ["variables"] = """{"var_input_value": "test_value", "var_constant_1": 10}""" };
        var reply = (await TestAsync("""
            {"QueryLanguage": "JSONata", "Type": "Pass", "Assign": {"total": "{% $var_constant_1 + 6 %}"},
             "Output": {"ja_var_access": "{% $var_input_value %}", "ja_expr": "{% $sum($states.input.input_values) + $var_constant_1 %}", "role": "{% $states.context.Execution.RoleArn %}"}, "End": true}
            """, """{"input_values": [1, 2, 3]}""", extra: extra)).Ok();
        AssertJson("""{"ja_var_access": "test_value", "ja_expr": 16, "role": null}""", reply["output"]);
        var data = reply["inspectionData"]!.AsObject();
        Assert.Equal(["input", "variables"], Keys(data));
        AssertJson("""{"var_input_value": "test_value", "var_constant_1": 10, "total": 16}""", data["variables"]);
    }

    [Fact]
    public async Task StateName_TestsAStateOfAWholeMachine_EvenInsideAMap_AndAnUnknownNameIsRefused()
    {
        // BASE_MAP_STATE_MACHINE tested by the name of its item processor's state; test_base_state_name_validation_failures.
        const string machine = """
            {"StartAt": "State0", "States": {"State0": {"Type": "Map", "ItemsPath": "$.Values", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
              "StartAt": "HandleItem", "States": {"HandleItem": {"Type": "Pass", "End": true}}}, "ToleratedFailureCount": 2, "End": true}}}
            """;
        var reply = (await TestAsync(machine, """{"Value": "HelloWorld"}""", extra: new JsonObject { ["stateName"] = "HandleItem" })).Ok();
        AssertJson("""{"Value": "HelloWorld"}""", reply["output"]);
        Assert.Equal(["input", "afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath"], Keys(reply["inspectionData"]!.AsObject()));

        var missing = await TestAsync(machine, "{}", extra: new JsonObject { ["stateName"] = "dne" });
        missing.AssertError("ValidationException");
        Assert.Equal("State not found in definition", missing.ErrorMessage);
    }

    [Fact]
    public async Task MockedMap_ReportsItsSettings_AndHoldsFailedIterationsAgainstItsThreshold()
    {
        // BASE_MAP_STATE_RETRY with mapIterationFailureCount (test_map_state_failure_count).
        const string definition = """
            {"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.Values %}",
             "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "TestState", "States": {"TestState": {"Type": "Pass", "End": true}}},
             "Retry": [{"ErrorEquals": ["MockException"], "MaxAttempts": 3}, {"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "MaxAttempts": 2}],
             "ToleratedFailureCount": 1, "End": true}
            """;
        const string input = """{"Values": ["first", "second", "third"]}""";
        var below = Mock("[1, 1, 1]");
        below["stateConfiguration"] = new JsonObject { ["mapIterationFailureCount"] = 0 };
        var ok = (await TestAsync(definition, input, extra: below)).Ok();
        Assert.Equal("SUCCEEDED", ok["status"]!.GetValue<string>());
        AssertJson("[1, 1, 1]", ok["output"]);
        Assert.Equal(0, ok["inspectionData"]!["maxConcurrency"]!.GetValue<int>());
        Assert.Equal(1, ok["inspectionData"]!["toleratedFailureCount"]!.GetValue<int>());

        var exceeds = Mock("[0, 0, 1]");
        exceeds["stateConfiguration"] = new JsonObject { ["mapIterationFailureCount"] = 2 };
        var retriable = (await TestAsync(definition, input, extra: exceeds)).Ok();
        Assert.Equal("RETRIABLE", retriable["status"]!.GetValue<string>());
        Assert.Equal("States.ExceedToleratedFailureThreshold", retriable["error"]!.GetValue<string>());
        Assert.Equal("The specified tolerated failure threshold was exceeded", retriable["cause"]!.GetValue<string>());
        Assert.Equal(1, retriable["inspectionData"]!["errorDetails"]!["retryIndex"]!.GetValue<int>());
        Assert.Equal(1, retriable["inspectionData"]!["errorDetails"]!["retryBackoffIntervalSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task MockedDistributedMapWithAnItemReader_ReadsMapItemReaderData()
    {
        const string definition = """
            {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "MaxItems": 2},
                                           "Parameters": {"Bucket": "b", "Key": "k.csv"}},
             "ItemSelector": {"row.$": "$$.Map.Item.Value"},
             "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "T", "States": {"T": {"Type": "Pass", "End": true}}},
             "End": true}
            """;
        var read = Mock("""["A", "B"]""");
        read["stateConfiguration"] = new JsonObject { ["mapItemReaderData"] = "id,name\n1,one\n2,two\n3,three\n" };
        var reply = (await TestAsync(definition, "{}", extra: read)).Ok();
        Assert.Equal("SUCCEEDED", reply["status"]!.GetValue<string>());
        var data = reply["inspectionData"]!.AsObject();
        Assert.False(data.ContainsKey("afterItemsPath"));
        AssertJson("""[{"row": {"id": "1", "name": "one"}}, {"row": {"id": "2", "name": "two"}}]""", data["afterItemSelector"]);

        var unreadable = Mock("""[]""");
        unreadable["stateConfiguration"] = new JsonObject { ["mapItemReaderData"] = "id,id\n1,2\n" };
        var failed = (await TestAsync(definition, "{}", extra: unreadable)).Ok();
        Assert.Equal("FAILED", failed["status"]!.GetValue<string>());
        Assert.Equal("States.ItemReaderFailed", failed["error"]!.GetValue<string>());
        Assert.Equal("CSV headers cannot contain duplicates.", failed["cause"]!.GetValue<string>());

        var noData = await TestAsync(definition, "{}", extra: Mock("""[]"""));
        noData.AssertError("ValidationException");
        Assert.Contains("mapItemReaderData", noData.ErrorMessage);

        var strayData = Mock("""{"ok": true}""");
        strayData["roleArn"] = Role;
        strayData["stateConfiguration"] = new JsonObject { ["mapItemReaderData"] = "[]" };
        var stray = await TestAsync("""{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""", "{}", extra: strayData);
        stray.AssertError("ValidationException");
        Assert.Contains("only for a Distributed Map state with an ItemReader", stray.ErrorMessage);
    }

    [Fact]
    public async Task MockedMapWithAResultWriter_TakesAnObjectAsItsResult()
    {
        // base_map_state_result_writer, test_mock_result_is_not_object_on_map_state_with_result_writer.
        const string definition = """
            {"Type": "Map", "ItemsPath": "$.Values", "Label": "TestMap", "End": true,
             "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "T", "States": {"T": {"Type": "Pass", "End": true}}},
             "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "result-bucket", "Prefix": "mapJobs"}}}
            """;
        var array = await TestAsync(definition, """{"Values": [1, 2]}""", extra: Mock("""[1, 2]"""));
        array.AssertError("ValidationException");
        Assert.Equal("Mocked result must be a JSON object.", array.ErrorMessage);

        const string written = """{"MapRunArn": "arn:aws:states:us-east-1:123456789012:mapRun:m/TestMap:1", "ResultWriterDetails": {"Bucket": "result-bucket", "Key": "mapJobs/1/manifest.json"}}""";
        var reply = (await TestAsync(definition, """{"Values": [1, 2]}""", extra: Mock(written))).Ok();
        Assert.Equal("SUCCEEDED", reply["status"]!.GetValue<string>());
        AssertJson(written, reply["output"]);
    }

    [Fact]
    public async Task MockedJsonPathMap_ReportsItemsAndSelectedItems_AndMockedParallel_ItsResultSteps()
    {
        var map = (await TestAsync("""
            {"Type": "Map", "ItemsPath": "$.v", "MaxConcurrency": 1, "ItemSelector": {"item.$": "$$.Map.Item.Value", "at.$": "$$.Map.Item.Index"},
             "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Pass", "End": true}}}, "ResultPath": "$.r", "End": true}
            """, """{"v": ["a", "b"]}""", extra: Mock("""["A", "B"]"""))).Ok();
        var data = map["inspectionData"]!.AsObject();
        AssertJson("""["a", "b"]""", data["afterItemsPath"]);
        AssertJson("""[{"item": "a", "at": 0}, {"item": "b", "at": 1}]""", data["afterItemSelector"]);
        Assert.Equal(1, data["maxConcurrency"]!.GetValue<int>());
        AssertJson("""{"v": ["a", "b"], "r": ["A", "B"]}""", map["output"]);

        // IO_PARALLEL_STATE (test_io_parallel_state_mock_success): only the result steps are reported.
        var parallel = (await TestAsync("""
            {"Type": "Parallel", "Branches": [{"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}}, {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}],
             "ResultPath": "$.parallelResult", "End": true}
            """, """{"parallelInput": {"data": "input_value"}}""", extra: Mock("""[{"branch1": "result"}, {"branch2": "result"}]"""))).Ok();
        Assert.Equal(["input", "afterResultSelector", "afterResultPath"], Keys(parallel["inspectionData"]!.AsObject()));
        AssertJson("""{"parallelInput": {"data": "input_value"}, "parallelResult": [{"branch1": "result"}, {"branch2": "result"}]}""", parallel["output"]);
    }

    [Fact]
    public async Task GivenContext_IsTheContextObject()
    {
        // test_state_context_object_edge_cases[EMPTY_OBJECTS].
        var extra = Mock("""{"pokemon": "pikachu"}""");
        extra["context"] = """{"Execution": {}, "State": {}, "StateMachine": {}}""";
        var reply = (await TestAsync("""
            {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultSelector": {"ContextObjectValue.$": "$$", "LambdaOutput.$": "$"}, "End": true}
            """, "{}", extra: extra)).Ok();
        AssertJson("""{"ContextObjectValue": {"Execution": {}, "State": {}, "StateMachine": {}}, "LambdaOutput": {"pokemon": "pikachu"}}""", reply["output"]);
    }

    [Theory]
    // test_state_mock_validation and test_state_context_object: AWS's codes and messages.
    [InlineData("""{"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}""", null, null,
        "InvalidDefinition", "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]")]
    [InlineData("""{"Type": "Pass", "End": true}""", """{"result": "{}"}""", null, "ValidationException", "State type 'Pass' is not supported when a mock is specified")]
    [InlineData("""{"Type": "Succeed"}""", """{"errorOutput": {"error": "E"}}""", null, "ValidationException", "State type 'Succeed' is not supported when a mock is specified")]
    [InlineData("""{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""", """{"result": "{}", "errorOutput": {"error": "E"}}""", null,
        "ValidationException", "A test mock should have only one of the following fields: [result, errorOutput].")]
    [InlineData("""{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""", """{"result": "{not json"}""", null, "ValidationException", "Mocked result must be valid JSON")]
    [InlineData("""{"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}""", """{"result": "{}"}""", null,
        "ValidationException", "Mocked result must be an array.")]
    [InlineData("""{"Type": "Parallel", "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}], "End": true}""", """{"result": "[1, 2]"}""", null,
        "ValidationException", "Mocked result must contain the same number of items as number of Parallel branches.")]
    [InlineData("""{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""", """{"result": "{}"}""", """{"Execution": {"Id": 5}}""",
        "ValidationException", "Invalid Context object provided: Execution.Id must be a string")]
    [InlineData("""{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""", """{"result": "{}"}""", """{"Map": {"Item": {"Index": 2}}}""",
        "ValidationException", "Invalid Context object provided: 'Map' field is not supported when mocking a Context object")]
    [InlineData("""{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""", """{"result": "{}"}""", """{"Pokedex": {}}""",
        "ValidationException", "Invalid Context object provided: Field 'Pokedex' is not allowed")]
    [InlineData("""{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""", """{"result": "{}"}""", """{"Execution": {"pokemon": 1}}""",
        "ValidationException", "Invalid Context object provided: Field 'pokemon' is not allowed")]
    [InlineData("""{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""", """{"result": "{}"}""", """{"Task": {"Token": "abcd123"}}""",
        "ValidationException", "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern")]
    [InlineData("""{"Type": "Parallel", "Branches": [], "End": true}""", """{"result": "[]"}""", null, "InvalidDefinition", null)]
    [InlineData("""{"Type": "Nope", "End": true}""", null, null, "InvalidDefinition", null)]
    public async Task WhatAwsRefuses_IsRefusedTheSameWay(string definition, string? mock, string? context, string code, string? message)
    {
        var extra = new JsonObject { ["roleArn"] = Role };
        if (mock is not null) extra["mock"] = JsonNode.Parse(mock);
        if (context is not null) extra["context"] = context;
        var reply = await TestAsync(definition, "{}", extra: extra);
        reply.AssertError(code);
        if (message is not null) Assert.Equal(message, reply.ErrorMessage);
    }

    [Fact]
    public async Task RevealSecretsWithAMock_AndMapIterationFailureCountWithoutOne_AreRefused()
    {
        const string task = """{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""";
        var reveal = Mock("{}");
        reveal["revealSecrets"] = true;
        var refused = await TestAsync(task, "{}", extra: reveal);
        refused.AssertError("ValidationException");
        Assert.Equal("TestState does not support RevealSecrets when a mock is specified.", refused.ErrorMessage);

        var count = new JsonObject { ["roleArn"] = Role, ["stateConfiguration"] = new JsonObject { ["mapIterationFailureCount"] = 1 } };
        var unmocked = await TestAsync(task, "{}", extra: count);
        unmocked.AssertError("ValidationException");
        Assert.Equal("TestState does not support MapIterationFailureCount when a mock is not specified.", unmocked.ErrorMessage);

        var tooMany = Mock("[1]");
        tooMany["stateConfiguration"] = new JsonObject { ["mapIterationFailureCount"] = 2 };
        var over = await TestAsync("""{"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}""", "{}", extra: tooMany);
        over.AssertError("ValidationException");
        Assert.Equal("Map iteration failure count must be less than or equal to the number of Map iterations", over.ErrorMessage);
    }

    [Fact]
    public async Task BadInput_BadLevel_AndABadRoleArn_AreRefused()
    {
        (await TestAsync("""{"Type": "Pass", "End": true}""", "{not json")).AssertError("InvalidExecutionInput");
        (await TestAsync("""{"Type": "Pass", "End": true}""", "{}", "VERBOSE")).AssertError("ValidationException");
        (await TestAsync("""{"Type": "Pass", "End": true}""", "{}", extra: new JsonObject { ["roleArn"] = "not-a-role" })).AssertError("InvalidArn");
        (await Client.CallAsync("TestState", new JsonObject())).AssertError("ValidationException");
    }

    [Fact]
    public async Task Authorization_NeedsTestState_PassRoleForTheRole_AndRevealSecretsForSecrets()
    {
        var tester = Client.With(ServerFixture.Tester);
        const string pass = """{"Type": "Pass", "End": true}""";
        (await TestAsync(pass, "{}", client: tester)).Ok();

        var withRole = await TestAsync(pass, "{}", extra: new JsonObject { ["roleArn"] = Role }, client: tester);
        withRole.AssertError("AccessDeniedException");
        Assert.Equal($"User: arn:aws:iam::123456789012:user/tester is not authorized to perform: iam:PassRole on resource: {Role} because no identity-based policy allows the iam:PassRole action",
            withRole.ErrorMessage);

        var secrets = await TestAsync(pass, "{}", extra: new JsonObject { ["revealSecrets"] = true }, client: tester);
        secrets.AssertError("AccessDeniedException");
        Assert.Contains("states:RevealSecrets", secrets.ErrorMessage);

        var reader = await TestAsync(pass, "{}", client: Client.With(ServerFixture.Reader));
        reader.AssertError("AccessDeniedException");
        Assert.Contains("states:TestState", reader.ErrorMessage);
    }

    private static string[] Keys(JsonObject o)
    {
        var keys = new string[o.Count];
        var i = 0;
        foreach (var (key, _) in o) keys[i++] = key;
        return keys;
    }
}
