using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// TestState: one state run on its own, with AWS's validation answers as LocalStack recorded them against AWS
/// (test_state_mock_validation, test_test_state_*, test_state_configuration, test_state_context_object). Messages that
/// no recording shows are this endpoint's own; the README lists them.
/// </summary>
public sealed partial class StepFunctionsService
{
    private const int MaxSensitiveData = 262_144;

    private async Task<JsonObject> TestStateAsync(JsonMembers m, CancellationToken cancel)
    {
        var definitionText = m.RequiredString("definition");
        var roleArn = m.String("roleArn");
        var inputText = m.String("input") ?? "{}";
        var level = m.String("inspectionLevel") ?? "INFO";
        var revealSecrets = m.Bool("revealSecrets") ?? false;
        var variablesText = m.String("variables");
        var stateName = m.String("stateName");
        var contextText = m.String("context");
        var mockMember = m.Object("mock");
        var configuration = m.Object("stateConfiguration");

        RequireDefinitionLength(definitionText);
        if (level is not ("INFO" or "DEBUG" or "TRACE"))
            throw AwsApiException.Validation($"1 validation error detected: Value '{level}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]");
        foreach (var (name, value) in new[] { ("input", inputText), ("variables", variablesText), ("context", contextText) })
            RequireSensitiveLength(name, value);
        if (stateName is { Length: < 1 or > 80 })
            throw AwsApiException.Validation("1 validation error detected: Value at 'stateName' failed to satisfy constraint: Member must have length between 1 and 80");
        if (roleArn is not null) RequireRoleArn(roleArn);

        var mock = ReadMock(mockMember);
        if (mock is not null && revealSecrets) throw AwsApiException.Validation("TestState does not support RevealSecrets when a mock is specified.");
        var settings = ReadStateConfiguration(configuration, mock);
        if (contextText is not null && mock is null)
            throw AwsApiException.Validation("TestState does not support a Context object when a mock is not specified.");

        var definition = stateName is null ? ParseTestedState(definitionText) : Parse(definitionText);
        var target = TestStateRunner.Find(definition, stateName ?? TestStateRunner.SingleStateName)
            ?? throw AwsApiException.Validation("State not found in definition");
        CheckTarget(target, mock, roleArn);
        // Without Amazon S3 the data can only come from the request; data for a state that reads none is a mistake.
        if (target.ReadsItems && settings.MapItemReaderData is null)
            throw AwsApiException.Validation("TestState on this endpoint needs stateConfiguration.mapItemReaderData for a Map with an ItemReader: it has no Amazon S3 to read the items from.");
        if (!target.ReadsItems && settings.MapItemReaderData is not null)
            throw AwsApiException.Validation("stateConfiguration.mapItemReaderData is only for a Distributed Map state with an ItemReader.");
        if (mock is not null) CheckMockResult(target, mock, settings.MapIterationFailureCount);
        var context = contextText is null ? null : TestStateContext.Read(contextText, target);

        var input = ParseInput(inputText);
        var variables = variablesText is null ? null : ParseVariables(variablesText);
        var request = new TestStateRequest(input, variables, level != "INFO")
        {
            Mock = mock,
            Context = context,
            RoleArn = roleArn,
            RetrierRetryCount = settings.RetrierRetryCount,
            MapIterationFailureCount = settings.MapIterationFailureCount,
            MapItemReaderData = settings.MapItemReaderData,
        };
        var outcome = await TestStateRunner.RunAsync(definition, target.Name, request, engine, arns.Region, cancel);

        var result = new JsonObject();
        if (outcome.Output is not null) result["output"] = outcome.Output;
        if (outcome.Error is not null) result["error"] = outcome.Error;
        if (outcome.Cause is not null) result["cause"] = outcome.Cause;
        if (request.Debug) result["inspectionData"] = outcome.Inspection;
        if (outcome.NextState is not null) result["nextState"] = outcome.NextState;
        result["status"] = outcome.Status;
        return result;
    }

    private static void RequireSensitiveLength(string member, string? value)
    {
        if (value is { Length: > MaxSensitiveData })
            throw AwsApiException.Validation($"1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {MaxSensitiveData}");
    }

    /// <summary>A single state's definition; refused as CreateStateMachine refuses a machine (InvalidDefinition).</summary>
    private static StateMachineDefinition ParseTestedState(string definition)
    {
        try
        {
            return TestStateRunner.ParseSingleState(definition);
        }
        catch (AslDefinitionException ex)
        {
            throw new AwsApiException("InvalidDefinition", DefinitionProblem.InvalidDefinitionMessage(ex.Problems));
        }
    }

    /// <summary>
    /// What the state's type allows: Map and Parallel only with a mock (AWS's InvalidDefinition), a mock only for Task,
    /// Map and Parallel, a role for a Task that is not mocked, and Activities and .sync/.waitForTaskToken only mocked.
    /// </summary>
    private static void CheckTarget(TestStateTarget target, TestStateMock? mock, string? roleArn)
    {
        if (mock is null && target.Type is "Map" or "Parallel")
            throw new AwsApiException("InvalidDefinition", "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]");
        if (mock is not null && target.Type is not ("Task" or "Map" or "Parallel"))
            throw AwsApiException.Validation($"State type '{target.Type}' is not supported when a mock is specified");
        if (mock is null && target.Type == "Task" && roleArn is null)
            throw AwsApiException.Validation("RoleArn must be specified when testing a Task state");
        if (mock is null && target.RunsOnlyMocked)
            throw AwsApiException.Validation("TestState supports Activity tasks and the .sync and .waitForTaskToken service integration patterns only when a mock is specified.");
    }

    /// <summary>mock: exactly one of result (valid JSON) and errorOutput (with an error); fieldValidationMode's enum.</summary>
    private static TestStateMock? ReadMock(JsonObject? member)
    {
        if (member is null) return null;
        var mock = new JsonMembers(member);
        var resultText = mock.String("result");
        var errorOutput = mock.Object("errorOutput");
        var mode = mock.String("fieldValidationMode");
        if (mode is not (null or "STRICT" or "PRESENT" or "NONE"))
            throw AwsApiException.Validation($"1 validation error detected: Value '{mode}' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]");
        if ((resultText is null) == (errorOutput is null))
            throw AwsApiException.Validation("A test mock should have only one of the following fields: [result, errorOutput].");
        if (resultText is not null)
        {
            RequireSensitiveLength("mock.result", resultText);
            try
            {
                return new TestStateMock(JsonNode.Parse(resultText), null, null);
            }
            catch (JsonException)
            {
                throw AwsApiException.Validation("Mocked result must be valid JSON");
            }
        }
        var error = new JsonMembers(errorOutput!);
        // The model: "This field is required if mock.errorOutput is specified."
        var name = error.String("error") ?? throw AwsApiException.Validation("1 validation error detected: Value null at 'mock.errorOutput.error' failed to satisfy constraint: Member must not be null");
        var cause = error.String("cause");
        // The model's SensitiveError and SensitiveCause.
        if (name.Length > 256)
            throw AwsApiException.Validation("1 validation error detected: Value at 'mock.errorOutput.error' failed to satisfy constraint: Member must have length less than or equal to 256");
        if (cause is { Length: > 32768 })
            throw AwsApiException.Validation("1 validation error detected: Value at 'mock.errorOutput.cause' failed to satisfy constraint: Member must have length less than or equal to 32768");
        return new TestStateMock(null, name, cause);
    }

    /// <summary>TestStateConfiguration.mapItemReaderData's length limit in the service's model.</summary>
    private const int MaxItemReaderData = 262_144;

    private sealed record StateConfiguration(int RetrierRetryCount, int? MapIterationFailureCount, string? MapItemReaderData);

    /// <summary>
    /// stateConfiguration: retrierRetryCount and mapIterationFailureCount are used; errorCausedByState is accepted and only
    /// checked for a mock (it names where a mocked error came from, which changes nothing in the answer AWS recorded);
    /// mapItemReaderData is what a Distributed Map's ItemReader reads (this endpoint has no Amazon S3 to read it from).
    /// </summary>
    private static StateConfiguration ReadStateConfiguration(JsonObject? member, TestStateMock? mock)
    {
        if (member is null) return new StateConfiguration(0, null, null);
        var c = new JsonMembers(member);
        var retries = c.Int("retrierRetryCount");
        var failures = c.Int("mapIterationFailureCount");
        if (retries is < 0)
            throw AwsApiException.Validation("1 validation error detected: Value at 'stateConfiguration.retrierRetryCount' failed to satisfy constraint: Member must have value greater than or equal to 0");
        if (failures is < 0)
            throw AwsApiException.Validation("1 validation error detected: Value at 'stateConfiguration.mapIterationFailureCount' failed to satisfy constraint: Member must have value greater than or equal to 0");
        if (failures is not null && mock is null)
            throw AwsApiException.Validation("TestState does not support MapIterationFailureCount when a mock is not specified.");
        var itemReaderData = c.String("mapItemReaderData");
        if (itemReaderData?.Length > MaxItemReaderData)
            throw AwsApiException.Validation($"1 validation error detected: Value at 'stateConfiguration.mapItemReaderData' failed to satisfy constraint: Member must have length less than or equal to {MaxItemReaderData}");
        if (c.String("errorCausedByState") is { Length: < 1 or > 80 })
            throw AwsApiException.Validation("1 validation error detected: Value at 'stateConfiguration.errorCausedByState' failed to satisfy constraint: Member must have length between 1 and 80");
        if (c.String("errorCausedByState") is not null && mock is null)
            throw AwsApiException.Validation("TestState does not support ErrorCausedByState when a mock is not specified.");
        return new StateConfiguration(retries ?? 0, failures, itemReaderData);
    }

    /// <summary>A mocked Map's result is an array of its iterations' results; a Parallel's has one item per branch.</summary>
    private static void CheckMockResult(TestStateTarget target, TestStateMock mock, int? mapIterationFailureCount)
    {
        if (mock.IsError || target.Type is not ("Map" or "Parallel")) return;
        // AWS's answers (test_mock_result_is_not_object_on_map_state_with_result_writer and ..._not_array_..._without_...).
        if (target.WritesResults)
        {
            if (mock.Result is not JsonObject) throw AwsApiException.Validation("Mocked result must be a JSON object.");
            return;
        }
        if (mock.Result is not JsonArray items) throw AwsApiException.Validation("Mocked result must be an array.");
        if (target.Type == "Parallel" && items.Count != target.BranchCount)
            throw AwsApiException.Validation("Mocked result must contain the same number of items as number of Parallel branches.");
        if (mapIterationFailureCount > items.Count)
            throw AwsApiException.Validation("Map iteration failure count must be less than or equal to the number of Map iterations");
    }

    private static JsonNode? ParseInput(string input) => ServiceJson.Parse(input, InvalidInput);

    private static JsonObject ParseVariables(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw AwsApiException.Validation($"Variables must be a JSON object literal: {ex.Message}");
        }
        if (node is not JsonObject variables) throw AwsApiException.Validation("Variables must be a JSON object literal.");
        foreach (var (name, _) in variables)
            if (Asl.Json.VariableNames.Problem(name) is { } problem)
                throw AwsApiException.Validation($"Invalid variables: {problem}.");
        return variables;
    }
}
