using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl;

// The seam between the TestState operation (request validation, wire shape) and the interpreter that runs one state.

/// <summary>TestState's mock: a result (any JSON) or an error with its cause, used instead of calling anything.</summary>
public sealed record TestStateMock(JsonNode? Result, string? Error, string? Cause)
{
    /// <summary>True for a mocked error (errorOutput); false for a mocked result.</summary>
    public bool IsError => Error is not null;
}

/// <summary>What one TestState call runs: the state, its input and variables, and the request's optional settings.</summary>
public sealed record TestStateRequest(JsonNode? Input, JsonObject? Variables, bool Debug)
{
    public TestStateMock? Mock { get; init; }

    /// <summary>The context object to use instead of the one the endpoint makes up (the request's context member).</summary>
    public JsonObject? Context { get; init; }

    /// <summary>The role given, or null: the made-up context's Execution.RoleArn is then null, as AWS's is.</summary>
    public string? RoleArn { get; init; }

    /// <summary>stateConfiguration.retrierRetryCount: how many retries of the matching retrier already happened.</summary>
    public int RetrierRetryCount { get; init; }

    /// <summary>stateConfiguration.mapIterationFailureCount: how many of a mocked Map's iterations failed.</summary>
    public int? MapIterationFailureCount { get; init; }

    /// <summary>stateConfiguration.mapItemReaderData: what a Distributed Map's ItemReader reads, as found in its source.</summary>
    public string? MapItemReaderData { get; init; }
}

/// <summary>
/// How the state ended. Status: SUCCEEDED, FAILED, RETRIABLE (a retrier would run it again) or CAUGHT_ERROR (a catcher
/// took the error; Output and NextState are the catcher's). Inspection holds the DEBUG data (empty at INFO).
/// </summary>
public sealed record TestStateOutcome(string Status, string? Output, string? Error, string? Cause, string? NextState, JsonObject Inspection);
