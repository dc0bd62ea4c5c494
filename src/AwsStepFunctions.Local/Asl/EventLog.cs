using System;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// A line of events that follow each other (the machine, one Parallel branch, one Map iteration). PreviousId is what the
/// lane's next event links to (its previousEventId).
/// </summary>
/// <remarks>
/// How the service links events, as its recorded histories show (LocalStack's AWS-validated snapshots): an event links to
/// the event that caused it, which is mostly the lane's previous event. The exceptions, and where they are applied:
/// <list type="bullet">
/// <item>ExecutionStarted links to 0 and so does the first state's StateEntered: StartExecution, not event 1, starts
/// them (ExecutionRun.Start). A redriven run's first state links to ExecutionRedriven.</item>
/// <item>An EvaluationFailed raised while a state reads its fields at entry (Pass Output/Assign, Task Arguments, Map
/// Items...) links to what that state's StateEntered linked to, as if the entry had not happened; a Wait's (Seconds,
/// Timestamp) links to the WaitStateEntered (Interpreter.Jsonata). Later events link to the EvaluationFailed.</item>
/// <item>ExecutionAborted (StopExecution) links to 0: no event of the execution caused it (ExecutionRun.Stop; one
/// recording, a Stop during a Wait, which LocalStack generalises the same way).</item>
/// <item>Parallel: each branch's first event links to ParallelStateStarted. ParallelStateSucceeded links to the last
/// event of the branch that ended last, and so does ParallelStateExited (the Succeeded event is skipped).</item>
/// <item>Map (inline): MapIterationStarted links to MapStateStarted (with no iteration waiting for a place, every
/// MapIterationStarted is written before any iteration's own events), or, for an iteration that waited for a free place
/// under MaxConcurrency, to the last event of the iteration whose place it took. MapIterationSucceeded links to its
/// iteration's last event and nothing links to it, except MapStateSucceeded and MapStateExited, which both link to the
/// last MapIterationSucceeded (to MapStateStarted when there were no items).</item>
/// <item>A failing branch or iteration: the event that failed it (TaskFailed, FailStateEntered, EvaluationFailed...) is
/// what MapIterationFailed, every MapIterationAborted/TaskStateAborted of the other iterations and branches, and
/// MapStateFailed/ParallelStateFailed link to. MapStateFailed/ParallelStateFailed are written only when no retrier takes
/// the error: a retry's MapStateStarted/ParallelStateStarted links straight to the failing event. A catcher's StateExited
/// and ExecutionFailed link to the *StateFailed event. A Task left open in a failing branch or iteration (the one that
/// failed it, or one still running in another) gets a TaskStateAborted linked to the failing event too: after its
/// MapIterationFailed/MapIterationAborted, before ParallelStateFailed.</item>
/// <item>Distributed Map: MapStateSucceeded and MapStateExited both link to MapRunSucceeded (in about a third of the
/// recordings the service links MapStateExited to MapRunStarted instead; the majority is followed).</item>
/// </list>
/// </remarks>
internal sealed class Lane(long previousId)
{
    public long PreviousId { get; set; } = previousId;

    /// <summary>
    /// The type of the state this lane is in (entered and not exited), or null. A state left open by a failing or
    /// aborted branch or iteration gets its *StateAborted event (see Interpreter.RecordOpenStateAborted).
    /// </summary>
    public string? OpenState { get; set; }
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

    /// <summary>Why the execution must end at its next state transition (see <see cref="IExecutionHost.TerminationCause"/>).</summary>
    public string? TerminationCause => host.TerminationCause;

    public bool Ended
    {
        get { lock (_gate) return _ended; }
    }

    /// <summary>
    /// Records an event linked to <paramref name="previousId"/>; with <paramref name="advance"/> the lane's later events
    /// link to it, otherwise the lane is left as it was (see <see cref="Lane"/> for which events are not linked to).
    /// Returns its id, or 0 when the execution already ended (the event is dropped).
    /// </summary>
    public long Record(Lane lane, long previousId, string type, JsonObject? details, bool advance)
    {
        lock (_gate)
        {
            if (_ended) return 0;
            if (_lastId >= MaxEvents - 1)
                throw StatesError.Runtime($"The execution reached the limit of {MaxEvents} history events");
            return Append(lane, previousId, type, details, advance);
        }
    }

    /// <summary>
    /// Runs <paramref name="records"/> under the log's lock (Record takes it again): events that belong together stay
    /// adjacent when iterations end at the same moment on several threads (an iteration's MapIterationAborted and its open
    /// Wait's WaitStateAborted were once interleaved with another iteration's pair).
    /// </summary>
    public void Together(Action records)
    {
        lock (_gate) records();
    }

    /// <summary>
    /// Writes the closing event, linked to <paramref name="previousId"/> (null: the lane's previous event), and completes the
    /// host exactly once. False when something else ended it first.
    /// </summary>
    public bool TryFinish(Lane lane, long? previousId, string type, JsonObject details, Func<DateTimeOffset, ExecutionOutcome> outcome)
    {
        lock (_gate)
        {
            if (_ended) return false;
            _ended = true;
            Append(lane, previousId ?? lane.PreviousId, type, details, advance: true);
            host.Complete(outcome(time.GetUtcNow()));
            return true;
        }
    }

    private long Append(Lane lane, long previousId, string type, JsonObject? details, bool advance)
    {
        var id = ++_lastId;
        host.Record(new HistoryEventRecord(id, previousId, time.GetUtcNow(), type, details));
        if (advance) lane.PreviousId = id;
        return id;
    }
}
