using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// variableReferences on DescribeStateMachine and DescribeStateMachineForExecution, over HTTP. The definitions mirror the
/// cases AWS answered in LocalStack's test_sfn_api_variable_references snapshots (their expected lists are AWS's).
/// </summary>
public sealed class VariableReferencesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    private async Task<JsonObject> DescribeAsync(string definition, string includedData = "ALL_DATA")
    {
        var arn = await Client.CreateStateMachineAsync(ServerFixture.Unique("refs"), definition);
        return (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn, ["includedData"] = includedData })).Ok();
    }

    private static void AssertReferences(string expected, JsonObject described) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), described["variableReferences"]),
            $"expected {expected}, got {described["variableReferences"]?.ToJsonString() ?? "(absent)"}");

    [Fact]
    public async Task JsonPathPaths_Templates_And_Intrinsics_AreListedPerState_LiteralsAndInputPathsAreNot()
    {
        // BASE_REFERENCE_IN_PARAMETERS, _IN_CHOICE, _IN_WAIT, _IN_FAIL, _IN_INPUTPATH/_OUTPUTPATH and _IN_INTRINSIC_FUNCTION.
        const string definition = """
            {"StartAt": "Setup", "States": {
              "Setup": {"Type": "Pass", "Parameters": {"result": "$result"}, "Assign": {"guess": 1, "answer": 2, "waitTime": 0, "causeVar": "c", "errorVar": "e", "rawString": "s", "name": "n", "place": "p", "t": "2024-11-06T09:42:03Z"}, "Next": "Params"},
              "Params": {"Type": "Pass", "ResultPath": "$.result", "Parameters": {"result.$": "$result", "plain": "$answer", "ctx.$": "$$.State.Name", "in.$": "$.x"}, "Next": "Intrinsic"},
              "Intrinsic": {"Type": "Pass", "Parameters": {"e.$": "States.Base64Encode($rawString)", "f.$": "States.Format('Hello {} {} {} {} $notAVar', $name, States.Format('{}', $place), $name, $.input)"}, "Next": "Check"},
              "Check": {"Type": "Choice", "Choices": [{"Variable": "$guess", "StringEqualsPath": "$answer", "Next": "WaitSeconds"}], "Default": "Wrong"},
              "Wrong": {"Type": "Pass", "Assign": {"guess.$": "$answer"}, "Next": "Check"},
              "WaitSeconds": {"Type": "Wait", "SecondsPath": "$waitTime", "Next": "WaitUntil"},
              "WaitUntil": {"Type": "Wait", "TimestampPath": "$t", "Next": "Paths"},
              "Paths": {"Type": "Pass", "InputPath": "$answer", "ResultPath": "$.theAnswer", "OutputPath": "$answer", "Assign": {"answer": "<omitted>"}, "Next": "Fail"},
              "Fail": {"Type": "Fail", "CausePath": "$causeVar", "ErrorPath": "$errorVar"}
            }}
            """;
        var described = await DescribeAsync(definition);
        AssertReferences("""
            {"Params": ["result"], "Intrinsic": ["rawString", "name", "place"], "Check": ["guess", "answer"], "Wrong": ["answer"],
             "WaitSeconds": ["waitTime"], "WaitUntil": ["t"], "Paths": ["answer"], "Fail": ["causeVar", "errorVar"]}
            """, described);
    }

    [Fact]
    public async Task StatesInsideMapsAndParallels_AreListedUnderTheirOwnNames_WithTheMapsOwnReferences()
    {
        // BASE_REFERENCE_IN_ITERATOR_OUTER_SCOPE, MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION and _IN_ITEMS_PATH.
        const string definition = """
            {"StartAt": "Input", "States": {
              "Input": {"Type": "Pass", "Result": [[9, 44, 6]], "Assign": {"bias": 4.3, "AnswerTemplate": "It's {}!", "Question": "Q", "List": [1]}, "Next": "Outer"},
              "Outer": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "AssignCurrent", "States": {
                "AssignCurrent": {"Type": "Pass", "Assign": {"xCurrent.$": "$[0]", "yCurrent.$": "$[1]", "zCurrent.$": "$[2]"}, "Next": "Calculate"},
                "Calculate": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": {"StartAt": "Summate", "States": {
                  "Summate": {"Type": "Pass", "Assign": {"Sum.$": "States.MathAdd(States.MathAdd(States.MathAdd($yCurrent, $xCurrent), $zCurrent), $bias)"}, "End": true}}}, "End": true}}}, "Next": "Announce"},
              "Announce": {"Type": "Map", "ItemsPath": "$List", "ItemSelector": {"AnnouncePokemon.$": "States.Format($AnswerTemplate, $$.Map.Item.Value)", "bucketName": "$bucket"},
                "ItemProcessor": {"StartAt": "Ask", "States": {"Ask": {"Type": "Pass", "Parameters": {"Question.$": "$Question", "Answer.$": "$.AnnouncePokemon"}, "End": true}}}, "Next": "Both"},
              "Both": {"Type": "Parallel", "Branches": [{"StartAt": "Left", "States": {"Left": {"Type": "Pass", "OutputPath": "$bias", "End": true}}}], "End": true}
            }}
            """;
        var described = await DescribeAsync(definition);
        AssertReferences("""
            {"Summate": ["yCurrent", "xCurrent", "zCurrent", "bias"], "Announce": ["List", "AnswerTemplate"], "Ask": ["Question"], "Left": ["bias"]}
            """, described);
    }

    [Fact]
    public async Task AssignFromInputPaths_TheReservedStates_OrNoVariableAtAll_LeavesTheMemberOut()
    {
        // BASE_ASSIGN_FROM_PARAMETERS / _FROM_RESULT / _FROM_INTRINSIC_FUNCTION: assigning is not referencing.
        var described = await DescribeAsync("""
            {"StartAt": "S0", "States": {"S0": {"Type": "Pass", "Parameters": {"input": "PENDING", "s.$": "$states.input"}, "Assign": {"result.$": "$.input", "n.$": "States.ArrayLength($.list)"}, "Next": "S1"},
             "S1": {"Type": "Pass", "Assign": {"result": "SUCCESS", "originalResult.$": "$.input"}, "End": true}}}
            """);
        Assert.False(described.ContainsKey("variableReferences"));
    }

    [Fact]
    public async Task JsonataStates_ListNothing_NotEvenTheirVariables()
    {
        // CHOICE_STATE_UNSORTED_CHOICE_PARAMETERS_JSONATA ($states and function calls); a user variable is our assumption.
        var described = await DescribeAsync("""
            {"QueryLanguage": "JSONata", "StartAt": "Set", "States": {
              "Set": {"Type": "Pass", "Assign": {"x": 1}, "Next": "CheckResult"},
              "CheckResult": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.result.done and $x = 1 %}", "Next": "FinishTrue"},
                {"Condition": "{% $not($states.input.result.done) %}", "Next": "FinishFalse"}], "Default": "FinishFalse"},
              "FinishTrue": {"Type": "Pass", "Output": "{% $x %}", "End": true}, "FinishFalse": {"Type": "Pass", "End": true}}}
            """);
        Assert.False(described.ContainsKey("variableReferences"));
    }

    [Fact]
    public async Task AJsonataStateInAJsonPathMachine_ListsNothing_ItsJsonPathNeighboursDo()
    {
        var described = await DescribeAsync("""
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
             "B": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $x %}", "Next": "C"},
             "C": {"Type": "Pass", "InputPath": "$x", "End": true}}}
            """);
        AssertReferences("""{"C": ["x"]}""", described);
    }

    [Fact]
    public async Task CatcherAssign_AndChoiceRuleAssign_AndNestedRules_Count()
    {
        var described = await DescribeAsync("""
            {"StartAt": "Choose", "States": {
              "Choose": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$a", "IsPresent": true}, {"Not": {"Variable": "$.b", "NumericGreaterThanPath": "$limit"}}],
                "Assign": {"picked.$": "$label"}, "Next": "Work"}], "Default": "Work"},
              "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"why.$": "States.Format('{} {}', $.Cause, $context)"}, "Next": "Done"}], "End": true},
              "Done": {"Type": "Succeed"}}}
            """);
        AssertReferences("""{"Choose": ["a", "limit", "label"], "Work": ["context"]}""", described);
    }

    [Fact]
    public async Task MetadataOnly_LeavesTheMemberOut_WithTheDefinition()
    {
        var described = await DescribeAsync("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$v", "End": true}}}""", "METADATA_ONLY");
        Assert.Equal("{}", described["definition"]!.GetValue<string>());
        Assert.False(described.ContainsKey("variableReferences"));
    }

    [Fact]
    public async Task AVersion_AndAnExecution_AnswerTheReferencesOfTheDefinitionTheyHold()
    {
        var name = ServerFixture.Unique("refs");
        var (machine, v1) = await Client.CreatePublishedAsync(name, """{"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$old", "End": true}}}""");
        var update = (await Client.UpdateAsync(machine, """{"StartAt": "B", "States": {"B": {"Type": "Pass", "OutputPath": "$new", "End": true}}}""")).Ok();

        var version = (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = v1 })).Ok();
        AssertReferences("""{"A": ["old"]}""", version);
        var current = (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = machine })).Ok();
        AssertReferences("""{"B": ["new"]}""", current);

        // DescribeStateMachineForExecution: the revision the execution ran, under the unqualified machine ARN (AWS's
        // recorded test_describe_state_machine_for_execution_of_version answers).
        var ranV1 = await Client.StartAsync(v1);
        var forV1 = (await Client.CallAsync("DescribeStateMachineForExecution", new JsonObject { ["executionArn"] = ranV1 })).Ok();
        Assert.Equal(machine, forV1["stateMachineArn"]!.GetValue<string>());
        Assert.Equal(name, forV1["name"]!.GetValue<string>());
        Assert.Contains("$old", forV1["definition"]!.GetValue<string>());
        Assert.Equal("arn:aws:iam::123456789012:role/Test", forV1["roleArn"]!.GetValue<string>());
        Assert.NotNull(forV1["updateDate"]);
        Assert.Null(forV1["revisionId"]);
        Assert.Equal("OFF", forV1["loggingConfiguration"]!["level"]!.GetValue<string>());
        AssertReferences("""{"A": ["old"]}""", forV1);

        var ranCurrent = await Client.StartAsync(machine);
        var forCurrent = (await Client.CallAsync("DescribeStateMachineForExecution", new JsonObject { ["executionArn"] = ranCurrent })).Ok();
        Assert.Equal(update["revisionId"]!.GetValue<string>(), forCurrent["revisionId"]!.GetValue<string>());
        AssertReferences("""{"B": ["new"]}""", forCurrent);

        var metadata = (await Client.CallAsync("DescribeStateMachineForExecution", new JsonObject { ["executionArn"] = ranCurrent, ["includedData"] = "METADATA_ONLY" })).Ok();
        Assert.Equal("{}", metadata["definition"]!.GetValue<string>());
        Assert.False(metadata.ContainsKey("variableReferences"));
    }

    [Fact]
    public async Task DescribeStateMachineForExecution_OfAnUnknownOrMalformedOrExpressExecution_IsRefused()
    {
        (await Client.CallAsync("DescribeStateMachineForExecution", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:execution:nope:nope" }))
            .AssertError("ExecutionDoesNotExist");
        (await Client.CallAsync("DescribeStateMachineForExecution", new JsonObject { ["executionArn"] = "not-an-arn" })).AssertError("InvalidArn");
        (await Client.CallAsync("DescribeStateMachineForExecution", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:express:m:e:1" }))
            .AssertError("InvalidArn");
        (await Client.CallAsync("DescribeStateMachineForExecution", new JsonObject())).AssertError("ValidationException");
    }
}
