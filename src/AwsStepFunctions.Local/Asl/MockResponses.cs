using System;
using System.Globalization;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// Answers Task states from a Step Functions Local MockConfigFile:
/// <c>StateMachines.&lt;machine&gt;.TestCases.&lt;case&gt;.&lt;state&gt;</c> names a mock, and
/// <c>MockedResponses.&lt;mock&gt;.&lt;"n" | "n-m"&gt;</c> holds <c>Return</c> or <c>Throw {Error, Cause}</c>
/// for the zero-based invocation number (each retry is a new invocation).
/// </summary>
internal static class MockResponses
{
    /// <summary>
    /// Returns the mocked result, or throws StatesError: the mocked Throw, or States.Runtime when nothing is mocked.
    /// <paramref name="subject"/> names what asks in the messages: a Task state, or a Map state whose ItemReader reads.
    /// </summary>
    public static JsonNode? Invoke(JsonObject? config, ExecutionContext context, string stateName, int invocation, string subject = "Task state")
    {
        if (config is null)
            throw StatesError.Runtime($"{subject} '{stateName}' has no mocked response: the endpoint was started without a mock config (--mock-config or SFN_MOCK_CONFIG), and it never calls real services");
        if (context.TestCase is null)
            throw StatesError.Runtime($"{subject} '{stateName}' has no mocked response: start the execution on '<stateMachineArn>#<TestCase>' to pick a test case of the mock config");
        var testCase = (config["StateMachines"] as JsonObject)?[context.MockMachineName ?? context.StateMachineName] is JsonObject machine
            ? (machine["TestCases"] as JsonObject)?[context.TestCase] as JsonObject
            : null;
        if (testCase is null)
            throw StatesError.Runtime($"{subject} '{stateName}': the mock config has no test case 'StateMachines.{context.MockMachineName ?? context.StateMachineName}.TestCases.{context.TestCase}'");
        var mockName = JsonValues.AsString(testCase[stateName])
            ?? throw StatesError.Runtime($"{subject} '{stateName}': test case '{context.TestCase}' of state machine '{context.MockMachineName ?? context.StateMachineName}' mocks no response for this state");
        if ((config["MockedResponses"] as JsonObject)?[mockName] is not JsonObject responses)
            throw StatesError.Runtime($"{subject} '{stateName}': mocked response '{mockName}' is not defined under MockedResponses");

        foreach (var kv in responses)
        {
            if (!Covers(kv.Key, invocation)) continue;
            if (kv.Value is not JsonObject response)
                throw StatesError.Runtime($"Mocked response '{mockName}' entry '{kv.Key}' must be an object with Return or Throw");
            if (response.TryGetPropertyValue("Return", out var returned)) return JsonValues.Clone(returned);
            if (response["Throw"] is JsonObject thrown)
                throw new StatesError(JsonValues.AsString(thrown["Error"]) ?? "States.TaskFailed", JsonValues.AsString(thrown["Cause"]));
            throw StatesError.Runtime($"Mocked response '{mockName}' entry '{kv.Key}' must hold 'Return' or 'Throw'");
        }
        throw StatesError.Runtime($"{subject} '{stateName}': mocked response '{mockName}' has no entry for invocation {invocation} (keys are zero-based invocation numbers or ranges such as \"1-2\")");
    }

    /// <summary>Whether the mock config names a response for this Task state in the execution's test case.</summary>
    public static bool Answers(JsonObject? config, ExecutionContext context, string stateName) =>
        config is not null && context.TestCase is not null
        && (config["StateMachines"] as JsonObject)?[context.MockMachineName ?? context.StateMachineName] is JsonObject machine
        && ((machine["TestCases"] as JsonObject)?[context.TestCase] as JsonObject)?.ContainsKey(stateName) == true;

    private static bool Covers(string key, int invocation)
    {
        var dash = key.IndexOf('-');
        if (dash < 0) return TryInt(key, out var single) && single == invocation;
        return TryInt(key.Substring(0, dash), out var from) && TryInt(key.Substring(dash + 1), out var to)
            && invocation >= from && invocation <= to;
    }

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
