using System;
using System.Collections.Generic;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// One execution and its history. The engine reports through an <see cref="Attempt"/> per run, so a
/// late callback from a run that a redrive replaced can never overwrite the new run's state.
/// </summary>
public sealed class ExecutionRecord
{
    private readonly object _gate = new();
    private readonly List<HistoryEventRecord> _history = [];
    private Attempt? _current;

    public ExecutionRecord(long sequence, string arn, string name, StateMachineRecord machine, string input, string? traceHeader, DateTimeOffset startDate,
        string? testCase = null)
    {
        TestCase = testCase;
        Sequence = sequence;
        Arn = arn;
        Name = name;
        StateMachine = machine;
        Input = input;
        TraceHeader = traceHeader;
        StartDate = startDate;
    }

    /// <summary>Start order, for newest-first listing and stable paging.</summary>
    public long Sequence { get; }
    public string Arn { get; }
    public string Name { get; }
    public StateMachineRecord StateMachine { get; }
    public string Input { get; }
    public string? TraceHeader { get; }
    public DateTimeOffset StartDate { get; }
    /// <summary>The mock config test case (<c>#TestCase</c> on the start ARN); a redrive keeps answering from it.</summary>
    public string? TestCase { get; }
    /// <summary>The version the execution was started through (directly or by an alias); null for the unqualified machine.</summary>
    public string? VersionArn { get; init; }
    /// <summary>The alias the execution was started through, if any.</summary>
    public string? AliasArn { get; init; }

    /// <summary>For a Distributed Map's child execution: the Map Run that started it.</summary>
    public string? MapRunArn { get; init; }

    /// <summary>
    /// For a child execution: the ARN the service reports as its state machine, the parent's with the Map Run's label
    /// (arn:...:stateMachine:machine/label).
    /// </summary>
    public string? ChildMachineArn { get; init; }

    /// <summary>For a child execution: how many items it processes (more than one with ItemBatcher).</summary>
    public int MapRunItemCount { get; init; }

    /// <summary>A child execution of EXPRESS type (its ARN is an express one; DescribeExecution still answers for it).</summary>
    public bool IsExpressChild { get; init; }

    /// <summary>The state machine ARN DescribeExecution and ListExecutions report.</summary>
    public string StateMachineArn => ChildMachineArn ?? StateMachine.Arn;

    /// <summary>Where this execution's Distributed Maps keep their Map Runs (set by the service when it creates the record).</summary>
    internal IMapRunHost? MapRuns { get; set; }

    /// <summary>Why the execution must end at its next state transition (its machine is being deleted); set by the service.</summary>
    internal Func<string?>? Termination { get; set; }

    public string Status { get; private set; } = "RUNNING";
    public DateTimeOffset? StopDate { get; private set; }
    public string? Output { get; private set; }
    public string? Error { get; private set; }
    public string? Cause { get; private set; }
    public int RedriveCount { get; private set; }
    public DateTimeOffset? RedriveDate { get; private set; }
    public string? LastRedriveToken { get; private set; }
    /// <summary>Where the last run ended (from the engine), for the next redrive.</summary>
    private ResumePoint? _resumePoint;

    /// <summary>Status, stop date and outcome read together, so a reader never sees half a completion.</summary>
    public ExecutionSnapshot Snapshot()
    {
        lock (_gate) return new ExecutionSnapshot(Status, StopDate, Output, Error, Cause, RedriveCount, RedriveDate);
    }

    public HistoryEventRecord[] History()
    {
        lock (_gate) return _history.ToArray();
    }

    public int HistoryCount
    {
        get { lock (_gate) return _history.Count; }
    }

    /// <summary>Starts the engine for a new execution.</summary>
    public void Run(EngineOptions options, ExecutionContext context)
    {
        Attempt attempt;
        lock (_gate) attempt = _current = new Attempt(this);
        // Start may complete the execution synchronously (a Pass-only machine): the attempt is current already.
        var run = ExecutionRun.Start(StateMachine.Parsed, Input, context, options, attempt);
        lock (_gate) attempt.Run = run;
    }

    /// <summary>
    /// Runs the engine again after <see cref="TryBeginRedrive"/>: from the state where the last run ended, with a fresh
    /// reporting channel, its event ids following ExecutionRedriven.
    /// </summary>
    public void RunRedrive(EngineOptions options, ExecutionContext context)
    {
        Attempt attempt;
        ResumePoint? resume;
        long lastId;
        lock (_gate)
        {
            attempt = _current = new Attempt(this);
            resume = _resumePoint;
            lastId = _history.Count == 0 ? 0 : _history[^1].Id;
        }
        var run = ExecutionRun.Redrive(StateMachine.Parsed, resume, Input, context, options, attempt, lastId);
        lock (_gate) attempt.Run = run;
    }

    /// <summary>A child execution: the engine runs it, reporting through the host returned here (with the child's context).</summary>
    internal IMapRunChild BeginChildRun(ExecutionContext context)
    {
        lock (_gate) return _current = new Attempt(this) { Context = context };
    }

    /// <summary>
    /// A redriven Map Run reruns this unsuccessful child in place: ExecutionRedriven is written and the run reports
    /// through the returned attempt. Null when the child is not FAILED, TIMED_OUT or ABORTED.
    /// </summary>
    internal (IMapRunChild Host, ResumePoint? Resume, long LastEventId)? BeginChildRedrive(DateTimeOffset now, Func<int, DateTimeOffset, ExecutionContext> context)
    {
        if (!TryBeginRedrive(now, null)) return null;
        lock (_gate)
        {
            var attempt = _current = new Attempt(this) { Context = context(RedriveCount, RedriveDate!.Value) };
            return (attempt, _resumePoint, _history[^1].Id);
        }
    }

    public void Stop(string? error, string? cause)
    {
        ExecutionRun? run;
        lock (_gate) run = _current?.Run;
        run?.Stop(error, cause);
    }

    /// <summary>Waits for the current run's engine to finish (StartSyncExecution).</summary>
    public System.Threading.Tasks.Task Completion()
    {
        lock (_gate) return _current?.Run?.Completion ?? System.Threading.Tasks.Task.CompletedTask;
    }

    /// <summary>Marks the execution RUNNING again and writes ExecutionRedriven; the caller then calls RunRedrive. False when not redrivable now.</summary>
    public bool TryBeginRedrive(DateTimeOffset now, string? clientToken)
    {
        lock (_gate)
        {
            if (Status is not ("FAILED" or "TIMED_OUT" or "ABORTED")) return false;
            RedriveCount++;
            RedriveDate = EpochTime.Truncate(now);
            LastRedriveToken = clientToken;
            Status = "RUNNING";
            StopDate = null;
            Output = null;
            Error = null;
            Cause = null;
            var last = _history.Count == 0 ? 0 : _history[^1].Id;
            _history.Add(new HistoryEventRecord(last + 1, last, RedriveDate.Value, "ExecutionRedriven",
                new System.Text.Json.Nodes.JsonObject { ["redriveCount"] = RedriveCount }));
            return true;
        }
    }

    /// <summary>Appends events directly; used by tests of history paging independent of any engine.</summary>
    internal void AppendForTest(HistoryEventRecord historyEvent)
    {
        lock (_gate) _history.Add(historyEvent);
    }

    private sealed class Attempt(ExecutionRecord owner) : IMapRunChild
    {
        public ExecutionRun? Run { get; set; }

        /// <summary>Set for a child execution's attempt (the only kind the engine asks for it).</summary>
        public ExecutionContext Context { get; init; } = null!;

        public IMapRunHost? MapRuns => owner.MapRuns;

        public string? TerminationCause => owner.Termination?.Invoke();

        public void Attach(ExecutionRun run)
        {
            lock (owner._gate) Run = run;
        }

        public void Record(HistoryEventRecord e)
        {
            lock (owner._gate)
            {
                // A run that a redrive replaced may still be unwinding: its late events are not history.
                if (owner._current != this) return;
                owner._history.Add(e);
            }
        }

        public void Complete(ExecutionOutcome outcome)
        {
            lock (owner._gate)
            {
                if (owner._current != this || owner.Status != "RUNNING") return;
                owner.Status = outcome.Status;
                owner.StopDate = EpochTime.Truncate(outcome.StopDate);
                owner.Output = outcome.Status == "SUCCEEDED" ? outcome.Output : null;
                owner.Error = outcome.Error;
                owner.Cause = outcome.Cause;
                owner._resumePoint = outcome.ResumePoint;
            }
        }
    }
}

public sealed record ExecutionSnapshot(string Status, DateTimeOffset? StopDate, string? Output, string? Error, string? Cause, int RedriveCount, DateTimeOffset? RedriveDate);
