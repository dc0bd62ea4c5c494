using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// One running execution. It holds no thread: the state loop is async and sleeps only in timers from
/// <see cref="EngineOptions.Time"/>, so ten thousand executions in Wait cost ten thousand small objects and timers.
/// Exactly one of natural end, Stop and the machine timeout wins (<see cref="EventLog.TryFinish"/>).
/// </summary>
public sealed class ExecutionRun
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cts = new();
    private readonly StatesBlock _block;
    private readonly long? _timeoutSeconds;
    private readonly EventLog _log;
    private readonly Lane _lane;
    private readonly Interpreter _interpreter;
    private ITimer? _timeout;

    private ExecutionRun(StateMachineDefinition definition, ExecutionContext context, EngineOptions options, IExecutionHost host, long lastEventId)
        : this(definition.Block, definition.TimeoutSeconds, context, options, host, lastEventId)
    {
    }

    private ExecutionRun(StatesBlock block, long? timeoutSeconds, ExecutionContext context, EngineOptions options, IExecutionHost host, long lastEventId)
    {
        _block = block;
        _timeoutSeconds = timeoutSeconds;
        _lane = new Lane(lastEventId);
        _log = new EventLog(host, options.Time, lastEventId);
        _interpreter = new Interpreter(context, options, _log, _cts.Token);
    }

    /// <summary>Completes after host.Complete has been called.</summary>
    public Task Completion => _done.Task;

    /// <summary>How the run ended (set before <see cref="Completion"/> completes); null while it runs.</summary>
    public ExecutionOutcome? Outcome { get; private set; }

    /// <summary>
    /// Records ExecutionStarted before returning (so the history is never empty once StartExecution answered),
    /// then runs on the thread pool and timers; events go to host.Record.
    /// </summary>
    public static ExecutionRun Start(StateMachineDefinition definition, string input, ExecutionContext context, EngineOptions options, IExecutionHost host)
    {
        var run = new ExecutionRun(definition, context, options, host, lastEventId: 0);
        var started = new JsonObject
        {
            ["input"] = input,
            ["inputDetails"] = new JsonObject { ["truncated"] = false },
            ["roleArn"] = context.RoleArn,
        };
        if (context.StateMachineAliasArn is not null) started["stateMachineAliasArn"] = context.StateMachineAliasArn;
        if (context.StateMachineVersionArn is not null) started["stateMachineVersionArn"] = context.StateMachineVersionArn;
        // Nothing links to ExecutionStarted: the first state links to 0, as the service's histories show.
        run._log.Record(run._lane, 0, "ExecutionStarted", started, advance: false);
        run.Begin(input, input, definition.Block.StartAt);
        return run;
    }

    /// <summary>
    /// A Distributed Map's child execution: the item processor run as a machine of its own, with its own history. It
    /// continues the parent's mock invocation numbering (<paramref name="invocations"/> is shared), so a mock config can
    /// answer the n-th item's Task as it answers the n-th inline iteration's.
    /// </summary>
    internal static ExecutionRun StartChild(StatesBlock block, string input, IMapRunChild child, EngineOptions options,
        System.Collections.Concurrent.ConcurrentDictionary<string, int> invocations)
    {
        var run = new ExecutionRun(block, null, child.Context, options, child, lastEventId: 0);
        run._interpreter.ShareInvocations(invocations);
        child.Attach(run);
        run._log.Record(run._lane, 0, "ExecutionStarted", new JsonObject
        {
            ["input"] = input,
            ["inputDetails"] = new JsonObject { ["truncated"] = false },
            ["roleArn"] = child.Context.RoleArn,
        }, advance: false);
        run.Begin(input, input, block.StartAt);
        return run;
    }

    /// <summary>A redriven Map Run's STANDARD child: continues it at <paramref name="resume"/> (null: from the processor's StartAt), as <see cref="Redrive"/> does a machine.</summary>
    internal static ExecutionRun RedriveChild(StatesBlock block, ChildRedrive redrive, EngineOptions options,
        System.Collections.Concurrent.ConcurrentDictionary<string, int> invocations)
    {
        var resume = redrive.Resume;
        if (resume is not null && !block.States.ContainsKey(resume.StateName))
            throw new ArgumentException($"The resume state '{resume.StateName}' is not a top-level state of the item processor", nameof(redrive));
        var run = new ExecutionRun(block, null, redrive.Host.Context, options, redrive.Host, redrive.LastEventId);
        if (resume is not null) run._interpreter.Continue(resume);
        // Continue restores the child's own numbering; the parent's shared numbering wins so the tree keeps one count.
        run._interpreter.ShareInvocations(invocations);
        redrive.Host.Attach(run);
        run.Begin(redrive.Input, resume?.Input ?? redrive.Input, resume?.StateName ?? block.StartAt);
        return run;
    }

    /// <summary>
    /// RedriveExecution: continues a FAILED, TIMED_OUT or ABORTED execution at <paramref name="resume"/> (the state that
    /// failed, with the input it had then; null = from StartAt with the execution input). The server has already written
    /// ExecutionRedriven as event <paramref name="lastEventId"/>; the events of this run follow it. The machine-level
    /// TimeoutSeconds starts again from zero, as the service does.
    /// </summary>
    public static ExecutionRun Redrive(StateMachineDefinition definition, ResumePoint? resume, string executionInput, ExecutionContext context,
        EngineOptions options, IExecutionHost host, long lastEventId)
    {
        if (resume is not null && !definition.Block.States.ContainsKey(resume.StateName))
            throw new ArgumentException($"The resume state '{resume.StateName}' is not a top-level state of this definition", nameof(resume));
        var run = new ExecutionRun(definition, context, options, host, lastEventId);
        if (resume is not null) run._interpreter.Continue(resume);
        run.Begin(executionInput, resume?.Input ?? executionInput, resume?.StateName ?? definition.Block.StartAt);
        return run;
    }

    /// <summary>
    /// StopExecution: ends ABORTED with error and cause (ExecutionAborted event, linked to 0 as the service links it: no
    /// event of the execution caused it). No-op once ended.
    /// </summary>
    public void Stop(string? error, string? cause) =>
        Finish("ExecutionAborted", Details(error, cause), previousId: 0,
            at => new ExecutionOutcome("ABORTED", at, null, error, cause) { ResumePoint = _interpreter.ResumePoint() });

    private void Begin(string executionInput, string stateInput, string startAt)
    {
        if (_timeoutSeconds is { } seconds)
        {
            // TimeoutSeconds is real time on purpose: TimeScale (WAIT_TIME_SCALE) speeds up Wait states and
            // retry intervals only, as Step Functions Local does, so a timeout test cannot be cut short by it.
            var cause = $"The execution timed out after {seconds} seconds (TimeoutSeconds)";
            _timeout = _interpreter.Options.Time.CreateTimer(
                _ => Finish("ExecutionTimedOut", Details(ErrorNames.Timeout, cause), previousId: null,
                    at => new ExecutionOutcome("TIMED_OUT", at, null, ErrorNames.Timeout, cause) { ResumePoint = _interpreter.ResumePoint() }),
                null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
        }
        // Task.Run: leave the caller's thread (an HTTP request) and any SynchronizationContext before running states.
        _ = Task.Run(() => RunAsync(executionInput, stateInput, startAt));
    }

    private async Task RunAsync(string executionInputText, string stateInputText, string startAt)
    {
        try
        {
            _interpreter.ExecutionInput = ParseInput(executionInputText, "execution input");
            var input = ReferenceEquals(executionInputText, stateInputText) ? JsonValues.Clone(_interpreter.ExecutionInput) : ParseInput(stateInputText, "resume state's input");
            var output = await _interpreter.RunMachineAsync(_block, startAt, input, stateInputText, _lane).ConfigureAwait(false);
            var text = JsonValues.Serialize(output);
            Finish("ExecutionSucceeded",
                new JsonObject { ["output"] = text, ["outputDetails"] = new JsonObject { ["truncated"] = false } }, previousId: null,
                at => new ExecutionOutcome("SUCCEEDED", at, text, null, null));
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            // Stop or the timeout already wrote the outcome.
        }
        catch (StatesError e)
        {
            var error = e.Error.Length == 0 ? null : e.Error;
            Finish("ExecutionFailed", Details(error, e.Cause), previousId: null,
                at => new ExecutionOutcome("FAILED", at, null, error, e.Cause) { ResumePoint = _interpreter.ResumePoint() });
        }
        catch (Exception e)
        {
            // An engine defect must still end the execution (never leave it RUNNING forever); name it for the user.
            var cause = $"Internal error in the local interpreter: {e.GetType().Name}: {e.Message}";
            Finish("ExecutionFailed", Details(ErrorNames.Runtime, cause), previousId: null,
                at => new ExecutionOutcome("FAILED", at, null, ErrorNames.Runtime, cause) { ResumePoint = _interpreter.ResumePoint() });
        }
    }

    private static JsonNode? ParseInput(string text, string what)
    {
        try { return Wire.LastWinsJson.Parse(text); }
        catch (JsonException ex) { throw StatesError.Runtime($"The {what} is not valid JSON: {ex.Message}"); }
    }

    /// <summary>Writes the closing event, linked to <paramref name="previousId"/> (null: the machine's last event).</summary>
    private void Finish(string eventType, JsonObject details, long? previousId, Func<DateTimeOffset, ExecutionOutcome> outcome)
    {
        try
        {
            _log.TryFinish(_lane, previousId, eventType, details, at => Outcome = outcome(at));
        }
        finally
        {
            // Whoever ended it (even if the host threw), release the timers and let Completion go, exactly once in effect.
            // Ended is read under the log's lock, so host.Complete has returned by the time Completion completes.
            if (_log.Ended)
            {
                _timeout?.Dispose();
                // Ends a Wait or retry delay at once and makes branches still running drop out.
                _cts.Cancel();
                _done.TrySetResult();
            }
        }
    }

    private static JsonObject Details(string? error, string? cause)
    {
        var details = new JsonObject();
        if (error is not null) details["error"] = error;
        if (cause is not null) details["cause"] = cause;
        return details;
    }
}
