using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace AwsStepFunctions.Local.Asl;

// The seam between the HTTP server (store, wire, auth) and the States Language interpreter.
// The server owns ids for executions and ARNs; the engine owns states, paths and history events.

/// <summary>
/// A definition the engine refuses (unsupported or invalid): one problem, or several found by one check (a block's
/// transitions). The server answers InvalidDefinition, or ValidateStateMachineDefinition's diagnostics, from Problems.
/// </summary>
public sealed class AslDefinitionException : Exception
{
    public AslDefinitionException(string message, string? location = null, string code = DefinitionProblem.SchemaValidationFailed)
        : this([new DefinitionProblem(code, message, location)])
    {
    }

    public AslDefinitionException(IReadOnlyList<DefinitionProblem> problems)
        : base(string.Join(", ", System.Linq.Enumerable.Select(problems, p => p.Message)))
    {
        Problems = problems;
    }

    public IReadOnlyList<DefinitionProblem> Problems { get; }
}

/// <summary>What the engine knows about the execution it runs ($$ context object and history).</summary>
public sealed record ExecutionContext(
    string ExecutionArn,
    string ExecutionName,
    string StateMachineArn,
    string StateMachineName,
    string RoleArn,
    DateTimeOffset StartTime,
    string? TestCase)
{
    /// <summary>The version the execution runs when started through one (ExecutionStarted names it).</summary>
    public string? StateMachineVersionArn { get; init; }

    /// <summary>The alias the execution was started through, if any.</summary>
    public string? StateMachineAliasArn { get; init; }

    /// <summary>How many times the execution was redriven ($$.Execution.RedriveCount); 0 for a first run.</summary>
    public int RedriveCount { get; init; }

    /// <summary>
    /// The machine name the mock config's StateMachines are looked up by: a Distributed Map's child (whose own machine name
    /// is "machine/label") answers from its root machine's test case. Null: <see cref="StateMachineName"/>.
    /// </summary>
    public string? MockMachineName { get; init; }

    /// <summary>When the last redrive began ($$.Execution.RedriveTime); null before any redrive.</summary>
    public DateTimeOffset? RedriveTime { get; init; }
}

public sealed record EngineOptions
{
    /// <summary>Wait states run this many times faster (WAIT_TIME_SCALE). 1 = real time.</summary>
    public double TimeScale { get; init; } = 1;
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Raw MockConfigFile JSON (Step Functions Local's format), or null.</summary>
    public JsonObject? MockConfig { get; init; }

    /// <summary>
    /// Where a .waitForTaskToken Task the mock config does not answer waits for SendTaskSuccess/SendTaskFailure; null (as
    /// in TestState) leaves such a Task to the mock config alone.
    /// </summary>
    public TaskCallbacks? Callbacks { get; init; }

    /// <summary>
    /// Where an activity Task the mock config does not answer is scheduled for a worker (GetActivityTask); null (as in
    /// TestState) leaves such a Task to the mock config alone. Works only together with <see cref="Callbacks"/>.
    /// </summary>
    public ActivityTasks? Activities { get; init; }
}

/// <summary>One history event; the engine numbers them from 1 and links PreviousEventId.</summary>
public sealed record HistoryEventRecord(
    long Id,
    long PreviousEventId,
    DateTimeOffset Timestamp,
    string Type,
    JsonObject? Details);

/// <summary>How an execution ended. Status: SUCCEEDED, FAILED, TIMED_OUT or ABORTED.</summary>
public sealed record ExecutionOutcome(string Status, DateTimeOffset StopDate, string? Output, string? Error, string? Cause)
{
    /// <summary>
    /// For FAILED, TIMED_OUT and ABORTED: where a redrive resumes (the top-level state that was running when the
    /// execution ended). Null for SUCCEEDED, and when no state had been entered yet (a redrive then starts at StartAt).
    /// </summary>
    public ResumePoint? ResumePoint { get; init; }
}

/// <summary>
/// Where a redriven execution picks up: a top-level state and the input it had when it was entered. When that state is
/// a Parallel or inline Map, <see cref="Branches"/> says which branches/iterations succeeded (they keep their output) and
/// where each of the others stopped (a nested resume point of its own), so only those run again.
/// The server keeps it from <see cref="ExecutionOutcome.ResumePoint"/> and hands it back to
/// <see cref="ExecutionRun.Redrive"/>; what else the engine needs to continue (mock invocation counts, variables) travels inside.
/// </summary>
public sealed class ResumePoint
{
    internal ResumePoint(string stateName, string input, IReadOnlyDictionary<string, int> invocations)
    {
        StateName = stateName;
        Input = input;
        Invocations = invocations;
    }

    public string StateName { get; }

    /// <summary>The state's input as JSON text, as its StateEntered event showed it.</summary>
    public string Input { get; }

    /// <summary>Mock config invocation numbers already used, per Task state, so a redrive continues the count.</summary>
    internal IReadOnlyDictionary<string, int> Invocations { get; }

    /// <summary>The machine's variables when that state was entered (a JSON object), or null when none were assigned.</summary>
    internal string? Variables { get; init; }

    /// <summary>For a Parallel or inline Map state that had started its branches/iterations: each one's outcome so far; else null.</summary>
    internal IReadOnlyList<BranchResume?>? Branches { get; init; }
}

/// <summary>Implemented by the server's execution store. Called from engine continuations (any thread).</summary>
public interface IExecutionHost
{
    void Record(HistoryEventRecord historyEvent);
    void Complete(ExecutionOutcome outcome);

    /// <summary>Where a Distributed Map's Map Runs go; null when the host keeps none (the Map then fails with States.Runtime).</summary>
    IMapRunHost? MapRuns => null;

    /// <summary>
    /// Asked before every state is entered: a cause here fails the execution at that transition with States.Runtime (its
    /// machine is being deleted); null lets it go on.
    /// </summary>
    string? TerminationCause => null;
}

/// <summary>
/// The server's side of a Distributed Map: it gives the Map Run its ARN and stores it and its child executions. The
/// engine runs the children itself (the item processor is part of the parent's definition).
/// </summary>
public interface IMapRunHost
{
    /// <summary>Creates the Map Run when the Map state starts it (before MapRunStarted is recorded).</summary>
    IMapRun StartMapRun(MapRunStart start);
}

/// <summary>What a Map Run starts with: its label (null: the service makes one), child type, settings and size.</summary>
public sealed record MapRunStart(string? Label, bool ExpressChildren, int MaxConcurrency, double? ToleratedFailurePercentage,
    long? ToleratedFailureCount, int ItemCount, int ExecutionCount)
{
    /// <summary>The Distributed Map state's name: a redriven parent picks up the unsuccessful Map Run of the same state.</summary>
    public string StateName { get; init; } = "";
}

/// <summary>
/// How a redriven Map Run reruns one unsuccessful child: a STANDARD child is redriven in place (same ARN, resumed at
/// <see cref="Resume"/>, its events following <see cref="LastEventId"/>); an EXPRESS child is replaced by a new one
/// (<see cref="Fresh"/>: started from the beginning with <see cref="Input"/>), as the service restarts those with StartExecution.
/// </summary>
public sealed record ChildRedrive(IMapRunChild Host, string Input, bool Fresh, ResumePoint? Resume, long LastEventId);

/// <summary>One Map Run as the engine drives it. UpdateMapRun may change the settings while it runs (read them each time).</summary>
public interface IMapRun
{
    string Arn { get; }

    /// <summary>0 = no limit of the Map Run's own.</summary>
    int MaxConcurrency { get; }

    /// <summary>The thresholds now in force; null when neither was given (then any failure fails the Map Run).</summary>
    (double? Percentage, long? Count) ToleratedFailure { get; }

    /// <summary>Completes at the next change of the settings, so a raised MaxConcurrency starts children at once.</summary>
    Task Changed { get; }

    /// <summary>Creates the child execution for one item or batch (input as JSON text) and the host its run reports to.</summary>
    IMapRunChild StartChild(string input, int itemCount);

    /// <summary>The Map Run ended: SUCCEEDED, FAILED or ABORTED.</summary>
    void Finish(string status);

    /// <summary>0 for a new Map Run; for one a redriven parent picked up again, how many times it was redriven.</summary>
    int RedriveCount { get; }

    /// <summary>For a redriven Map Run: whether the child in slot <paramref name="index"/> succeeded before (it keeps its output and does not run again).</summary>
    bool TryGetSucceeded(int index, out string? output);

    /// <summary>For a redriven Map Run: how to rerun the unsuccessful child in slot <paramref name="index"/>; null when that slot never started (start it with <see cref="StartChild"/>).</summary>
    ChildRedrive? RedriveChild(int index);
}

/// <summary>A child execution's record: its context ($$, ARNs) and the host its events and outcome go to.</summary>
public interface IMapRunChild : IExecutionHost
{
    ExecutionContext Context { get; }

    /// <summary>The run that now executes the child, so StopExecution can reach it.</summary>
    void Attach(ExecutionRun run);
}
