using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// State machines, their versions and aliases, and executions in memory. One lock: every critical section is a few
/// dictionary operations.
/// </summary>
public sealed partial class StepFunctionsStore
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, StateMachineRecord> _machines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExecutionRecord> _executions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ExecutionRecord>> _byMachine = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StateMachineVersions> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MapRunRecord> _mapRuns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<MapRunRecord>> _mapRunsByExecution = new(StringComparer.Ordinal);
    // Machines DeleteStateMachine marked DELETING: gone once none of their executions runs (see SettleDeletions).
    private readonly HashSet<string> _deleting = new(StringComparer.Ordinal);
    // _deleting.Count, readable without the lock: every state transition of every execution asks IsDeleting(revision).
    private int _deletingCount;
    // Each machine's and activity's tags, in the order they were first set (kept across revisions; removed with the resource).
    private readonly Dictionary<string, List<KeyValuePair<string, string>>> _tags = new(StringComparer.Ordinal);
    private long _sequence;

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    private readonly object _startGate = new();

    /// <summary>
    /// An execution's sequence and start date, drawn together: ListExecutions orders by sequence, newest first, and the service
    /// documents that order as "by time", so a later sequence never carries an earlier start date (two starts drawing them
    /// separately could cross, and a client that stops reading at a start date would miss one).
    /// </summary>
    public (long Sequence, DateTimeOffset StartDate) NextStart(TimeProvider time)
    {
        lock (_startGate) return (Interlocked.Increment(ref _sequence), EpochTime.Truncate(time.GetUtcNow()));
    }

    /// <summary>
    /// Adds the machine, or returns the existing one with that ARN (the caller compares them). whenAdded runs under the
    /// same lock with the new machine's (empty) versions, so CreateStateMachine's publish is part of the create: no
    /// request can see the machine without the version 1 it was created with (nor without its tags).
    /// </summary>
    public StateMachineRecord AddOrGet(StateMachineRecord machine, Action<StateMachineRecord, StateMachineVersions>? whenAdded = null,
        List<KeyValuePair<string, string>>? tags = null)
    {
        lock (_gate)
        {
            SettleDeletions();
            if (_machines.TryGetValue(machine.Arn, out var existing)) return existing;
            _machines[machine.Arn] = machine;
            if (tags is { Count: > 0 }) _tags[machine.Arn] = tags;
            if (whenAdded is not null) whenAdded(machine, _versions[machine.Arn] = new StateMachineVersions());
            return machine;
        }
    }

    public StateMachineRecord? FindMachine(string arn)
    {
        lock (_gate)
        {
            SettleDeletions();
            return _machines.GetValueOrDefault(arn);
        }
    }

    /// <summary>
    /// DeleteStateMachine: removes the machine with its versions and aliases, or, while executions of a STANDARD machine
    /// still run, marks it DELETING (each of them fails at its next state transition, and the machine goes when the last
    /// one has ended). An EXPRESS machine goes at once: its executions are not tracked by the service either.
    /// </summary>
    public void DeleteMachine(string arn)
    {
        lock (_gate)
        {
            if (!_machines.TryGetValue(arn, out var machine)) return;
            if (!machine.IsExpress && HasRunningExecutions(arn)) _deleting.Add(arn);
            else Remove(arn);
            Volatile.Write(ref _deletingCount, _deleting.Count);
        }
    }

    /// <summary>Whether DeleteStateMachine marked the machine DELETING and an execution of it still runs.</summary>
    public bool IsDeleting(string arn)
    {
        lock (_gate)
        {
            SettleDeletions();
            return _deleting.Contains(arn);
        }
    }

    /// <summary>Whether the machine <paramref name="revision"/> belongs to is DELETING (not another machine created since under its name).</summary>
    public bool IsDeleting(StateMachineRecord revision)
    {
        // The common case, no deletion pending, without taking the store's lock on an execution's hot path.
        if (Volatile.Read(ref _deletingCount) == 0) return false;
        lock (_gate)
        {
            SettleDeletions();
            return _deleting.Contains(revision.Arn) && _machines.TryGetValue(revision.Arn, out var current) && current.Lineage == revision.Lineage;
        }
    }

    /// <summary>
    /// Removes the DELETING machines none of whose executions runs any more. Called under the lock by whatever reads the
    /// machines, so the deletion completes the moment anyone could tell (an execution ending does not call back here:
    /// its completion runs under the execution's own locks).
    /// </summary>
    private void SettleDeletions()
    {
        if (_deleting.Count == 0) return;
        foreach (var arn in _deleting.ToList())
        {
            if (HasRunningExecutions(arn)) continue;
            _deleting.Remove(arn);
            Remove(arn);
        }
        Volatile.Write(ref _deletingCount, _deleting.Count);
    }

    /// <summary>Whether an execution of the machine now under this ARN runs (one of an earlier machine of the name does not count).</summary>
    private bool HasRunningExecutions(string machineArn) =>
        _machines.TryGetValue(machineArn, out var machine) && _byMachine.TryGetValue(machineArn, out var executions)
        && executions.Any(e => e.Status == "RUNNING" && e.StateMachine.Lineage == machine.Lineage);

    /// <summary>
    /// Removes a machine and what belongs to it. Its executions stay (readable by ARN, and in the control plane's list of the
    /// name's executions), but they are not the executions of a machine created again under that name (see Lineage).
    /// </summary>
    private void Remove(string arn)
    {
        _versions.Remove(arn);
        _tags.Remove(arn);
        _machines.Remove(arn);
    }

    /// <summary>
    /// Runs action under the lock with the machine's or activity's tags, which it may change (null when there is no such
    /// resource). A resource added without tags gets an empty list on first use.
    /// </summary>
    public T WithTags<T>(string resourceArn, Func<List<KeyValuePair<string, string>>?, T> action)
    {
        lock (_gate)
        {
            SettleDeletions();
            if (!_machines.ContainsKey(resourceArn) && !_activities.ContainsKey(resourceArn)) return action(null);
            if (!_tags.TryGetValue(resourceArn, out var tags)) _tags[resourceArn] = tags = [];
            return action(tags);
        }
    }

    /// <summary>
    /// Replaces the machine with change(current), then runs then(updated, versions), all in one critical section:
    /// UpdateStateMachine's publish snapshots exactly the revision its update made, however many updates race it. Null
    /// when there is no such machine. Both functions must be quick; if then throws, the update is not stored.
    /// </summary>
    public (StateMachineRecord Machine, T Result)? Update<T>(string arn, Func<StateMachineRecord, StateMachineRecord> change,
        Func<StateMachineRecord, StateMachineVersions, T> then)
    {
        lock (_gate)
        {
            SettleDeletions();
            if (!_machines.TryGetValue(arn, out var current)) return null;
            var updated = change(current);
            if (!_versions.TryGetValue(arn, out var versions)) _versions[arn] = versions = new StateMachineVersions();
            var result = then(updated, versions);
            _machines[arn] = updated;
            return (updated, result);
        }
    }

    /// <summary>Whether the machine exists and, for a version or alias ARN, that version or alias too.</summary>
    public bool Exists(StateMachineRef target) => WithVersions(target.MachineArn, (machine, versions) =>
        machine is not null && (target.Qualifier is null
                                || (target.IsVersion ? versions.Find(target.Qualifier) is not null : versions.FindAlias(target.Qualifier) is not null)));

    /// <summary>
    /// Runs action under the lock with the machine (null when unknown) and its versions and aliases, so a check and the
    /// change it guards cannot interleave with another request. For an unknown machine the versions are an empty,
    /// throwaway set: the action must refuse to change them.
    /// </summary>
    public T WithVersions<T>(string machineArn, Func<StateMachineRecord?, StateMachineVersions, T> action)
    {
        lock (_gate)
        {
            SettleDeletions();
            if (!_machines.TryGetValue(machineArn, out var machine)) return action(null, new StateMachineVersions());
            if (!_versions.TryGetValue(machineArn, out var versions)) _versions[machineArn] = versions = new StateMachineVersions();
            return action(machine, versions);
        }
    }

    public IReadOnlyList<StateMachineRecord> Machines()
    {
        lock (_gate)
        {
            SettleDeletions();
            return _machines.Values.ToList();
        }
    }

    public ExecutionRecord? FindExecution(string arn)
    {
        lock (_gate) return _executions.GetValueOrDefault(arn);
    }

    /// <summary>Adds the execution unless its ARN exists; then returns the existing one for the idempotency check.</summary>
    public ExecutionRecord AddOrGet(ExecutionRecord execution)
    {
        lock (_gate)
        {
            if (_executions.TryGetValue(execution.Arn, out var existing)) return existing;
            _executions[execution.Arn] = execution;
            if (!_byMachine.TryGetValue(execution.StateMachine.Arn, out var list)) _byMachine[execution.StateMachine.Arn] = list = [];
            list.Add(execution);
            return execution;
        }
    }

    /// <summary>Executions of one machine, newest first (by start sequence, which paging tokens rely on).</summary>
    public IReadOnlyList<ExecutionRecord> ExecutionsOf(string machineArn)
    {
        ExecutionRecord[] copy;
        lock (_gate)
        {
            if (!_byMachine.TryGetValue(machineArn, out var list)) return [];
            copy = list.ToArray();
        }
        // Sequences are drawn before the insert, so concurrent starts may be stored slightly out of order.
        Array.Sort(copy, (a, b) => b.Sequence.CompareTo(a.Sequence));
        return copy;
    }

    /// <summary>Stores a Distributed Map's child execution: found by its ARN, never listed with its parent's machine.</summary>
    public void AddChild(ExecutionRecord child)
    {
        lock (_gate) _executions[child.Arn] = child;
    }

    public void AddMapRun(MapRunRecord mapRun)
    {
        lock (_gate)
        {
            _mapRuns[mapRun.Arn] = mapRun;
            if (!_mapRunsByExecution.TryGetValue(mapRun.ExecutionArn, out var list)) _mapRunsByExecution[mapRun.ExecutionArn] = list = [];
            list.Add(mapRun);
        }
    }

    public MapRunRecord? FindMapRun(string arn)
    {
        lock (_gate) return _mapRuns.GetValueOrDefault(arn);
    }

    /// <summary>The Map Runs an execution started, oldest first (by sequence, which paging tokens rely on).</summary>
    public IReadOnlyList<MapRunRecord> MapRunsOf(string executionArn)
    {
        lock (_gate)
            return _mapRunsByExecution.TryGetValue(executionArn, out var list) ? list.OrderBy(r => r.Sequence).ToList() : [];
    }
}
