using System;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl;

/// <summary>A line of events that follow each other (the machine, one Parallel branch, one Map iteration): previousEventId links.</summary>
internal sealed class Lane(long previousId)
{
    public long PreviousId { get; set; } = previousId;
}

/// <summary>
/// Numbers history events and hands them to the host under one lock, so Record/Complete are never concurrent for one
/// execution even when branches run on several threads; after the single Complete every later event is dropped.
/// </summary>
internal sealed class EventLog(IExecutionHost host, TimeProvider time, long lastId = 0)
{
    // The service fails an execution whose history would pass 25,000 events; it also stops runaway loops here.
    // A redriven execution continues the ids of its earlier runs (lastId), and the limit counts them all.
    public const int MaxEvents = 25_000;

    private readonly object _gate = new();
    private long _lastId = lastId;
    private bool _ended;

    /// <summary>The host's Map Run store, for a Distributed Map.</summary>
    public IMapRunHost? MapRuns => host.MapRuns;

    public bool Ended
    {
        get { lock (_gate) return _ended; }
    }

    /// <summary>Returns the new event id, or 0 when the execution already ended (the event is dropped).</summary>
    public long Record(Lane lane, string type, JsonObject? details)
    {
        lock (_gate)
        {
            if (_ended) return 0;
            if (_lastId >= MaxEvents - 1)
                throw StatesError.Runtime($"The execution reached the limit of {MaxEvents} history events");
            return Append(lane, type, details);
        }
    }

    /// <summary>Writes the closing event and completes the host exactly once. False when something else ended it first.</summary>
    public bool TryFinish(Lane lane, string type, JsonObject details, Func<DateTimeOffset, ExecutionOutcome> outcome)
    {
        lock (_gate)
        {
            if (_ended) return false;
            _ended = true;
            Append(lane, type, details);
            host.Complete(outcome(time.GetUtcNow()));
            return true;
        }
    }

    private long Append(Lane lane, string type, JsonObject? details)
    {
        var id = ++_lastId;
        host.Record(new HistoryEventRecord(id, lane.PreviousId, time.GetUtcNow(), type, details));
        lane.PreviousId = id;
        return id;
    }
}
