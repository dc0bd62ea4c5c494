using System;

namespace AwsStepFunctions.Local.Asl;

/// <summary>A runtime error in the States Language sense (Error name + Cause), handled by Retry/Catch or failing the execution.</summary>
internal sealed class StatesError(string error, string? cause) : Exception(cause ?? error)
{
    public string Error { get; } = error;
    public string? Cause { get; } = cause;

    /// <summary>Set when the error came out of a Parallel branch or a Map iteration (so States.BranchFailed matches it).</summary>
    public bool FromBranch { get; init; }

    /// <summary>Set once the cause names the state it happened in ("An error occurred while executing the state ...").</summary>
    public bool Located { get; init; }

    /// <summary>
    /// The event a Parallel or Map writes for this error when no retrier takes it (ParallelStateFailed, MapStateFailed);
    /// null for other states. The service writes none before a retry.
    /// </summary>
    public string? StateFailedEvent { get; init; }

    /// <summary>The same error, to be recorded as <paramref name="stateFailedEvent"/> unless it is retried (or it is <see cref="BeforeStateStarted"/>).</summary>
    public StatesError FailingState(string stateFailedEvent) => BeforeStateStarted ? this
        : new(Error, Cause) { FromBranch = FromBranch, Located = Located, Terminal = Terminal, StateFailedEvent = stateFailedEvent };

    /// <summary>
    /// Set for a failure the service meets before a Map starts its work, for which it writes no MapStateFailed: a
    /// MaxConcurrencyPath that does not read ends the execution straight after MapStateEntered (test_max_concurrency_path).
    /// </summary>
    public bool BeforeStateStarted { get; init; }

    /// <summary>
    /// Set for a States.DataLimitExceeded that a state's own output raised: AWS fails the execution at once (no StateExited,
    /// no catcher), whereas the same error from a Task's call is an ordinary Task failure that States.ALL catches.
    /// </summary>
    public bool Terminal { get; init; }

    /// <summary>The cause AWS writes when <paramref name="source"/> (a state, or a Task's resource) returned too much.</summary>
    public static StatesError DataLimitExceeded(string source, bool terminal) =>
        new(ErrorNames.DataLimitExceeded, $"The state/task '{source}' returned a result with a size exceeding the maximum number of bytes service limit.")
        { Terminal = terminal };

    /// <summary>The service's payload quota (256 KiB of UTF-8) for a state's input, output and a Task's result.</summary>
    public const int PayloadLimitBytes = 256 * 1024;

    public static StatesError Runtime(string cause) => new(ErrorNames.Runtime, cause);
}

internal static class ErrorNames
{
    public const string All = "States.ALL";
    public const string Timeout = "States.Timeout";
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    public const string TaskFailed = "States.TaskFailed";
    public const string Permissions = "States.Permissions";
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    public const string ParameterPathFailure = "States.ParameterPathFailure";
    public const string BranchFailed = "States.BranchFailed";
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    public const string IntrinsicFailure = "States.IntrinsicFailure";
    public const string Runtime = "States.Runtime";
    public const string QueryEvaluationError = "States.QueryEvaluationError";
    public const string DataLimitExceeded = "States.DataLimitExceeded";

    /// <summary>
    /// The specification's matching rules: States.ALL matches every error but the terminal ones
    /// (see <see cref="IsTerminal"/>), States.TaskFailed matches every error but States.Timeout
    /// and the terminal ones, otherwise names compare exactly. States.BranchFailed also matches any error
    /// that came out of a Parallel branch or Map iteration (the branch's own name is kept as the error).
    /// </summary>
    public static bool Matches(string matcher, StatesError error)
    {
        if (IsTerminal(error)) return false;
        if (matcher == All) return true;
        if (matcher == TaskFailed && error.Error != Timeout && error.Error != HeartbeatTimeout) return true;
        if (matcher == BranchFailed && error.FromBranch) return true;
        return string.Equals(matcher, error.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Never retried or caught, not even by States.ALL: States.Runtime, and States.DataLimitExceeded when a state's own
    /// output was too large. The service's guide calls every States.DataLimitExceeded terminal, but AWS's recorded
    /// histories show a Task whose result was too large write TaskFailed and be caught by States.ALL (LocalStack's
    /// test_states_errors snapshots); the recordings win.
    /// </summary>
    public static bool IsTerminal(StatesError error) => error.Error == Runtime || error.Terminal;
}
