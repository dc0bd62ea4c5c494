using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;
using ExecutionContext = AwsStepFunctions.Local.Asl.ExecutionContext;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// One Map Run: the child executions a Distributed Map started and the settings that govern them. The engine drives it
/// through <see cref="IMapRun"/>; DescribeMapRun, ListMapRuns and UpdateMapRun read and change it. Counts are worked out
/// from the children's own status, so they can never disagree with DescribeExecution.
/// </summary>
public sealed partial class MapRunRecord : IMapRun
{
    private readonly object _gate = new();
    // One slot per item (or batch), in item order: the child that ran it last. Counts are taken over the slots.
    private readonly List<(ExecutionRecord Execution, int ItemCount)> _children = [];
    // EXPRESS children that a redrive replaced: still listed as the Map Run's executions, no longer counted.
    private readonly List<ExecutionRecord> _replaced = [];
    // Slots a redrive will rerun but has not restarted yet (pendingRedrive).
    private readonly HashSet<int> _pendingRedrive = [];
    // The parent's redriveCount when this Map Run last ran, so one parent attempt picks it up at most once.
    private int _parentAttempt;
    private readonly StepFunctionsStore _store;
    private readonly ExecutionRecord _parent;
    private readonly TimeProvider _time;
    private readonly string _childArnPrefix;
    private readonly bool _express;
    private int _maxConcurrency;
    private double? _percentage;
    private long? _count;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal MapRunRecord(StepFunctionsStore store, ExecutionRecord parent, TimeProvider time, string region, MapRunStart start)
    {
        _store = store;
        _parent = parent;
        _time = time;
        _express = start.ExpressChildren;
        _maxConcurrency = start.MaxConcurrency;
        _percentage = start.ToleratedFailurePercentage;
        _count = start.ToleratedFailureCount;
        ItemTotal = start.ItemCount;
        StateName = start.StateName;
        _parentAttempt = parent.RedriveCount;
        ExecutionTotal = start.ExecutionCount;
        Sequence = store.NextSequence();
        StartDate = EpochTime.Truncate(time.GetUtcNow());
        // Without a Label the service puts a UUID where the label goes (developer guide, "Examining Map Run").
        var label = start.Label ?? Guid.NewGuid().ToString();
        var prefix = $"arn:aws:states:{region}:{Auth.Principal.AccountId}:";
        var machine = MachineName(parent) + "/" + label;
        Arn = $"{prefix}mapRun:{machine}:{Guid.NewGuid()}";
        StateMachineArn = $"{prefix}stateMachine:{machine}";
        _childArnPrefix = prefix + (_express ? "express:" : "execution:") + machine + ":";
    }

    /// <summary>The name part of the parent's machine ARN (for a nested Map Run, already "machine/label").</summary>
    private static string MachineName(ExecutionRecord parent) => parent.StateMachineArn[(parent.StateMachineArn.IndexOf(":stateMachine:", StringComparison.Ordinal) + 14)..];

    public long Sequence { get; }
    public string Arn { get; }
    public string ExecutionArn => _parent.Arn;

    /// <summary>The labelled machine ARN the service reports for the Map Run's children.</summary>
    public string StateMachineArn { get; }
    public DateTimeOffset StartDate { get; }
    public int ItemTotal { get; }
    public int ExecutionTotal { get; }

    public string Status { get; private set; } = "RUNNING";
    public DateTimeOffset? StopDate { get; private set; }

    public int MaxConcurrency
    {
        get { lock (_gate) return _maxConcurrency; }
    }

    public (double? Percentage, long? Count) ToleratedFailure
    {
        get { lock (_gate) return (_percentage, _count); }
    }

    /// <summary>UpdateMapRun: each value given replaces the one in force; the engine reads them as children finish.</summary>
    public void Update(int? maxConcurrency, double? percentage, long? count)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (maxConcurrency is { } m) _maxConcurrency = m;
            if (percentage is not null) _percentage = percentage;
            if (count is not null) _count = count;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    public Task Changed
    {
        get { lock (_gate) return _changed.Task; }
    }

    public IMapRunChild StartChild(string input, int itemCount)
    {
        var (child, host) = NewChild(input, itemCount);
        lock (_gate) _children.Add((child, itemCount));
        return host;
    }

    private (ExecutionRecord Child, IMapRunChild Host) NewChild(string input, int itemCount)
    {
        var name = Guid.NewGuid().ToString();
        var arn = _childArnPrefix + name + (_express ? ":" + Guid.NewGuid() : "");
        var (sequence, now) = _store.NextStart(_time);
        var child = new ExecutionRecord(sequence, arn, name, _parent.StateMachine, input, null, now, _parent.TestCase)
        {
            MapRunArn = Arn,
            ChildMachineArn = StateMachineArn,
            IsExpressChild = _express,
            MapRunItemCount = itemCount,
            // Children are executions of the parent's machine: deleting it ends them at their next transition too.
            Termination = _parent.Termination,
        };
        child.MapRuns = new MapRunHost(_store, child, _time, Arns.RegionOf(Arn));
        _store.AddChild(child);
        return (child, child.BeginChildRun(ChildContext(child)));
    }

    private ExecutionContext ChildContext(ExecutionRecord child) =>
        new(child.Arn, child.Name, StateMachineArn, MachineName(child), _parent.StateMachine.RoleArn, child.StartDate, _parent.TestCase)
        {
            MockMachineName = _parent.StateMachine.Name,
        };

    public void Finish(string status)
    {
        lock (_gate)
        {
            if (Status != "RUNNING") return;
            Status = status;
            // Slots the redrive never reached stay as they were: unsuccessful, no longer waiting.
            _pendingRedrive.Clear();
            StopDate = EpochTime.Truncate(_time.GetUtcNow());
        }
    }

    /// <summary>The children, newest first (ListExecutions with mapRunArn).</summary>
    public IReadOnlyList<ExecutionRecord> Children()
    {
        lock (_gate) return _children.Select(c => c.Execution).Concat(_replaced).OrderByDescending(e => e.Sequence).ToList();
    }

    /// <summary>
    /// itemCounts (weighting each child by the items it carries) or executionCounts (one per child). Children not started
    /// yet are pending; resultsWritten counts the succeeded ones, whose results the Map state's output holds.
    /// pendingRedrive: unsuccessful slots a running redrive has not restarted yet (still counted as failed, timedOut or
    /// aborted until it does). failuresNotRedrivable: unsuccessful slots when <see cref="FailuresRedrivable"/> is false.
    /// </summary>
    public Counts Count(bool byItem)
    {
        (ExecutionRecord Execution, int ItemCount, bool PendingRedrive)[] children;
        lock (_gate) children = _children.Select((c, i) => (c.Execution, c.ItemCount, _pendingRedrive.Contains(i))).ToArray();
        var exhausted = !FailuresRedrivable;
        var statuses = children.Select(c => (Status: c.Execution.Snapshot().Status, Weight: byItem ? c.ItemCount : 1L, c.PendingRedrive)).ToArray();
        long Sum(string status) => statuses.Where(c => c.Status == status).Sum(c => c.Weight);
        var total = byItem ? ItemTotal : ExecutionTotal;
        var started = statuses.Sum(c => c.Weight);
        var succeeded = Sum("SUCCEEDED");
        var unsuccessful = statuses.Where(c => c.Status is "FAILED" or "TIMED_OUT" or "ABORTED").Sum(c => c.Weight);
        return new Counts(total - started, Sum("RUNNING"), succeeded, Sum("FAILED"), Sum("TIMED_OUT"), Sum("ABORTED"), total, succeeded,
            exhausted ? unsuccessful : 0, statuses.Where(c => c.PendingRedrive).Sum(c => c.Weight));
    }

    public sealed record Counts(long Pending, long Running, long Succeeded, long Failed, long TimedOut, long Aborted, long Total, long ResultsWritten,
        long FailuresNotRedrivable, long PendingRedrive);
}
