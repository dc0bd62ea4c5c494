using System;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// A Map Run's redrive: a redriven parent that reaches the Distributed Map again picks up its unsuccessful Map Run (same
/// ARN) instead of starting another; the children that succeeded keep their output and the others run again.
/// </summary>
public sealed partial class MapRunRecord
{
    /// <summary>The Distributed Map state that started it.</summary>
    public string StateName { get; }
    public int RedriveCount { get; private set; }
    public DateTimeOffset? RedriveDate { get; private set; }

    /// <summary>
    /// A redriven parent reached this Map Run's state again: when the Map Run did not succeed and this parent attempt has
    /// not picked it up yet, it runs again (RUNNING, redriveCount + 1) and true is returned; the unsuccessful slots wait
    /// as pendingRedrive until the engine reruns them.
    /// </summary>
    internal bool TryRedrive(int parentAttempt)
    {
        lock (_gate)
        {
            if (Status is not ("FAILED" or "ABORTED") || _parentAttempt >= parentAttempt || RedriveCount >= MaxRedrives) return false;
            _parentAttempt = parentAttempt;
            RedriveCount++;
            RedriveDate = EpochTime.Truncate(_time.GetUtcNow());
            Status = "RUNNING";
            StopDate = null;
            for (var i = 0; i < _children.Count; i++)
                if (_children[i].Execution.Snapshot().Status != "SUCCEEDED") _pendingRedrive.Add(i);
        }
        return true;
    }

    /// <summary>
    /// Whether the unsuccessful children can still run again through a redrive of the parent: not once the Map Run
    /// succeeded (its failures were tolerated), nor once the parent succeeded (it caught the Map Run's failure), nor after
    /// the last allowed redrive. (Assumption: the service's "terminal" children of failuresNotRedrivable are these.)
    /// </summary>
    public bool FailuresRedrivable
    {
        get
        {
            lock (_gate)
            {
                if (Status == "RUNNING") return true;
                if (Status == "SUCCEEDED" || RedriveCount >= MaxRedrives) return false;
            }
            return _parent.Snapshot().Status != "SUCCEEDED";
        }
    }

    /// <summary>The service's hard limit of redrives per Map Run (developer guide, "Redriving Map Runs").</summary>
    internal const int MaxRedrives = 1000;

    public bool TryGetSucceeded(int index, out string? output)
    {
        ExecutionRecord? child;
        lock (_gate) child = index < _children.Count ? _children[index].Execution : null;
        var snapshot = child?.Snapshot();
        output = snapshot?.Output;
        return snapshot?.Status == "SUCCEEDED";
    }

    public ChildRedrive? RedriveChild(int index)
    {
        (ExecutionRecord Execution, int ItemCount) slot;
        lock (_gate)
        {
            if (index >= _children.Count) return null;
            slot = _children[index];
            _pendingRedrive.Remove(index);
        }
        var old = slot.Execution;
        if (!_express && old.BeginChildRedrive(_time.GetUtcNow(), (count, date) => ChildContext(old) with { RedriveCount = count, RedriveTime = date })
                is { } begun)
            return new ChildRedrive(begun.Host, old.Input, Fresh: false, begun.Resume, begun.LastEventId);
        // EXPRESS children, and (defensively) a child no longer FAILED/TIMED_OUT/ABORTED, are replaced by a new child.
        var (fresh, host) = NewChild(old.Input, slot.ItemCount);
        lock (_gate)
        {
            _replaced.Add(old);
            _children[index] = (fresh, slot.ItemCount);
        }
        return new ChildRedrive(host, old.Input, Fresh: true, null, 0);
    }
}
