using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// Parallel and Map: concurrent child blocks on async tasks (no threads), the first failure cancels the siblings. Each
// branch and each iteration has its own variable scope: it reads the state's variables and assigns only its own.
internal sealed partial class Interpreter
{
    /// <summary>Runs the branches on <paramref name="branchInput"/>; returns the raw result (the array of branch outputs).</summary>
    private async Task<JsonNode?> RunParallelAsync(StateSpec state, JsonNode? branchInput, Lane lane, StateScope scope, CancellationToken ct)
    {
        Record(lane, "ParallelStateStarted", null, ct);
        var startedId = lane.PreviousId;
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failure = new FirstFailure();
        var lanes = state.Branches.Select(_ => new Lane(startedId)).ToArray();
        var earlier = scope.TakeRedrive(state.Branches.Count);
        var children = scope.Progress?.StartChildren(state.Branches.Count);
        var runs = state.Branches.Select((branch, i) => Kept(earlier, i, children) ?? RunChildAsync(
            () => RunBranchAsync(branch, JsonValues.Clone(branchInput), lanes[i], scope.Variables, i, children, earlier?[i]?.Resume, failure, siblings.Token),
            lanes[i], failure, siblings)).ToArray();
        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (failure.Error is { } error) throw BranchFailure(lane, error, failure, "ParallelStateFailed");
        // ParallelStateSucceeded and ParallelStateExited both link to the last event of the branch that ended last.
        var last = LastEvent(startedId, lanes);
        Record(lane, last, "ParallelStateSucceeded", null, advance: false, ct);
        lane.PreviousId = last;
        return new JsonArray(results);
    }

    /// <summary>One Parallel branch; when it fails or is aborted, the state it was in gets its *StateAborted event.</summary>
    private async Task<JsonNode?> RunBranchAsync(StatesBlock branch, JsonNode? input, Lane lane, VariableScope outer, int index,
        ChildrenProgress? children, ResumePoint? resume, FirstFailure failure, CancellationToken ct)
    {
        try
        {
            var output = await RunInnerBlockAsync(branch, input, lane, outer, children?.Start(index), resume, ct).ConfigureAwait(false);
            children?.Succeeded(index, output);
            return output;
        }
        catch (StatesError)
        {
            RecordOpenStateAborted(lane, lane.PreviousId, interrupted: false);
            throw;
        }
        catch (OperationCanceledException)
        {
            RecordOpenStateAborted(lane, AbortCause(lane, failure), interrupted: true);
            throw;
        }
    }

    /// <summary>
    /// The *StateAborted event of the state a failing (or, <paramref name="interrupted"/>, aborted) branch or iteration
    /// left open, linked to the failing event: a Task's, as the service records it even for the Task that failed; a
    /// Wait's, Parallel's or Map's when a sibling's failure interrupts it, written after the events of the nested
    /// branches it aborted (assumptions: no recording shows a WaitStateAborted, ParallelStateAborted or MapStateAborted;
    /// a Parallel or Map that failed itself has its ...StateFailed).
    /// </summary>
    private void RecordOpenStateAborted(Lane lane, long cause, bool interrupted)
    {
        if (lane.OpenState is "Task" || (interrupted && lane.OpenState is "Wait" or "Parallel" or "Map"))
            log.Record(lane, cause, lane.OpenState + "StateAborted", null, advance: false);
        lane.OpenState = null;
    }

    /// <summary>What an aborted branch's events link to: the sibling's failing event, else (an enclosing branch failed) the branch's last.</summary>
    private static long AbortCause(Lane lane, FirstFailure failure) => failure.Error is null ? lane.PreviousId : failure.EventId;

    /// <summary>The error a failed branch/iteration makes its Parallel/Map throw; later events link to the event that failed it.</summary>
    private static StatesError BranchFailure(Lane lane, StatesError error, FirstFailure failure, string stateFailedEvent)
    {
        lane.PreviousId = failure.EventId;
        return new StatesError(error.Error, error.Cause)
        {
            FromBranch = true, Located = error.Located, Terminal = error.Terminal, StateFailedEvent = stateFailedEvent,
        };
    }

    /// <summary>The latest of the lanes' last events (<paramref name="none"/> when there are no lanes).</summary>
    private static long LastEvent(long none, Lane[] lanes) => lanes.Length == 0 ? none : lanes.Max(l => l.PreviousId);

    /// <summary>A Map state's work as its query language prepared it: the items, each one's input, the concurrency.</summary>
    private sealed record MapWork(JsonArray Items, Func<StateScope, int, JsonNode?, JsonNode?> ItemInput, int MaxConcurrency)
    {
        /// <summary>A Distributed Map's thresholds and batching, read after MapStateStarted (as the service does).</summary>
        public Func<MapRunSettings>? ReadSettings { get; init; }
    }

    /// <summary>MaxConcurrency, or the non-negative integer MaxConcurrencyPath selects from the effective input.</summary>
    private static int MaxConcurrencyOf(StateSpec state, JsonNode? effective, StateScope scope)
    {
        if (state.MaxConcurrencyPath is not { } path) return state.MaxConcurrency;
        long value;
        try { value = PathInteger(path, effective, scope, "MaxConcurrencyPath"); }
        catch (StatesError e) { throw new StatesError(e.Error, e.Cause) { BeforeStateStarted = true }; }
        if (value is < 0 or > int.MaxValue)
            throw new StatesError(ErrorNames.Runtime, $"The MaxConcurrencyPath field refers to value \"{value}\" which is not a non-negative integer: {path.Text}")
                { BeforeStateStarted = true };
        return (int)value;
    }

    /// <summary>A JSONPath Map: ItemsPath on the effective input; ItemSelector (or the item itself) for each item.</summary>
    private MapWork JsonPathMapWork(StateSpec state, JsonNode? input, StateScope scope)
    {
        var effective = SelectInput(state, input, scope);
        // An ItemReader's items come when the Map Run starts. AWS's recordings show ItemsPath is then not read at all: a
        // path to nothing fails nothing (test_map_item_reader_base_json_with_items_path).
        var itemsNode = state.Distributed?.Reader is null ? Evaluate(state.ItemsPath!, effective, scope, "ItemsPath") : new JsonArray();
        if (itemsNode is not JsonArray items) throw StatesError.Runtime(NotAnArray(itemsNode));
        // A Distributed Map reads it with its other paths, after MapStateStarted; an inline Map before it runs an item.
        var maxConcurrency = state.Distributed is null ? MaxConcurrencyOf(state, effective, scope) : state.MaxConcurrency;
        return new MapWork(items, (at, index, item) => state.ItemSelector is null
            ? JsonValues.Clone(item)
            : state.ItemSelector.Evaluate(at.WithItem(new MapItem(index, item)).For(effective)), maxConcurrency)
        {
            ReadSettings = state.Distributed is null ? null : () => JsonPathMapRunSettings(state, effective, scope),
        };
    }

    private static string NotAnArray(JsonNode? items) => $"Map state input must be an array but was: {JsonValues.Serialize(items)}";

    /// <summary>Reading the items and the concurrency; a failure there is recorded as MapStateFailed, as the service does.</summary>
    private static MapWork PrepareMap(Func<MapWork> prepare)
    {
        try
        {
            return prepare();
        }
        catch (StatesError e)
        {
            throw e.FailingState("MapStateFailed");
        }
    }

    /// <summary>Runs the iterations; returns the raw result (the array of iteration outputs).</summary>
    private async Task<JsonNode?> RunMapAsync(StateSpec state, MapWork work, Lane lane, StateScope scope, CancellationToken ct)
    {
        if (state.Distributed is not null) return await RunDistributedMapAsync(state, work, lane, scope, ct).ConfigureAwait(false);
        var items = work.Items;
        Record(lane, "MapStateStarted", new JsonObject { ["length"] = items.Count }, ct);
        var startedId = lane.PreviousId;

        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var places = new MapPlaces(work.MaxConcurrency, items.Count, startedId);
        var failure = new FirstFailure();
        var lanes = items.Select(_ => new Lane(startedId)).ToArray();
        var earlier = scope.TakeRedrive(items.Count);
        var children = scope.Progress?.StartChildren(items.Count);
        // With no place to wait for, AWS writes every MapIterationStarted before any iteration's own events (assumption:
        // a redrive writes none for the iterations that succeeded before, as they do not run again).
        if (places.Unlimited)
        {
            for (var index = 0; index < items.Count; index++)
                if (earlier?[index]?.Output is null) Record(lanes[index], "MapIterationStarted", Iteration(state, index), ct);
        }
        var runs = items.Select((item, index) => Kept(earlier, index, children) ?? RunChildAsync(
            () => RunIterationAsync(state, work, index, item, lanes[index], scope, places, new Redriven(children, earlier?[index]?.Resume), failure, siblings.Token),
            lanes[index], failure, siblings)).ToArray();
        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (failure.Error is { } error) throw BranchFailure(lane, error, failure, "MapStateFailed");
        // MapStateSucceeded and MapStateExited both link to the last MapIterationSucceeded (where each iteration's lane ends).
        var last = LastEvent(startedId, lanes);
        Record(lane, last, "MapStateSucceeded", null, advance: false, ct);
        lane.PreviousId = last;
        return new JsonArray(results);
    }

    /// <summary>Where an iteration reports its progress, and where a redrive resumes it (null: from the ItemProcessor's StartAt).</summary>
    private sealed record Redriven(ChildrenProgress? Children, ResumePoint? Resume);

    /// <summary>
    /// A branch's or iteration's output kept from before a redrive (it succeeded then, and does not run again: no events),
    /// recorded again so a further failure keeps it too; null when it has to run.
    /// </summary>
    private static Task<JsonNode?>? Kept(IReadOnlyList<BranchResume?>? earlier, int index, ChildrenProgress? children)
    {
        if (earlier?[index]?.Output is not { } output) return null;
        var kept = JsonNode.Parse(output);
        children?.Succeeded(index, kept);
        return Task.FromResult(kept);
    }

    private async Task<JsonNode?> RunIterationAsync(StateSpec state, MapWork work, int index, JsonNode? item, Lane lane,
        StateScope scope, MapPlaces places, Redriven redriven, FirstFailure failure, CancellationToken ct)
    {
        // Unlimited: MapIterationStarted is written already (RunMapAsync), and the lane starts from it.
        if (!places.Unlimited) lane.PreviousId = await places.TakeAsync(ct).ConfigureAwait(false);
        var leftAt = lane.PreviousId;
        var failed = false;
        var iteration = Iteration(state, index);
        try
        {
            if (!places.Unlimited)
            {
                // Items that never started after a sibling failed leave no events.
                ct.ThrowIfCancellationRequested();
                Record(lane, "MapIterationStarted", iteration, ct);
            }
            try
            {
                // A resumed iteration continues from its own state's input: the item's input is not built again.
                var itemInput = redriven.Resume is null ? work.ItemInput(scope, index, item) : null;
                var progress = redriven.Children?.Start(index);
                var output = await RunInnerBlockAsync(state.ItemProcessor!, itemInput, lane, scope.Variables, progress, redriven.Resume, ct).ConfigureAwait(false);
                redriven.Children?.Succeeded(index, output);
                // The next iteration in this place links to the event before MapIterationSucceeded.
                leftAt = lane.PreviousId;
                Record(lane, "MapIterationSucceeded", (JsonObject)iteration.DeepClone(), ct);
                return output;
            }
            catch (StatesError)
            {
                failed = true;
                log.Together(() =>
                {
                    log.Record(lane, lane.PreviousId, "MapIterationFailed", (JsonObject)iteration.DeepClone(), advance: false);
                    RecordOpenStateAborted(lane, lane.PreviousId, interrupted: false);
                });
                throw;
            }
            catch (OperationCanceledException)
            {
                // A sibling failed (or an enclosing branch did; or the execution ended and the log drops these events).
                var cause = AbortCause(lane, failure);
                log.Together(() =>
                {
                    log.Record(lane, cause, "MapIterationAborted", (JsonObject)iteration.DeepClone(), advance: false);
                    RecordOpenStateAborted(lane, cause, interrupted: true);
                });
                throw;
            }
        }
        finally
        {
            // A failed iteration keeps its place: the Map is failing, and a waiting iteration given the place now could
            // start (and write events) before the failure cancels it.
            if (!failed) places.Release(leftAt);
        }
    }

    private static JsonObject Iteration(StateSpec state, int index) => new() { ["name"] = state.Name, ["index"] = index };

    /// <summary>
    /// The places MaxConcurrency allows (none needed without a limit or with at least as many places as items: then every
    /// MapIterationStarted links to MapStateStarted). Each place remembers the last event of the iteration that ran in it,
    /// which the next iteration there links its MapIterationStarted to; at first, MapStateStarted.
    /// </summary>
    private sealed class MapPlaces(int maxConcurrency, int items, long startedId) : IDisposable
    {
        private readonly SemaphoreSlim? _slots = maxConcurrency > 0 && maxConcurrency < items ? new SemaphoreSlim(maxConcurrency) : null;
        private readonly ConcurrentQueue<long> _lastEvents = new(Enumerable.Repeat(startedId, Math.Max(0, Math.Min(maxConcurrency, items))));

        /// <summary>No iteration waits for a place (no MaxConcurrency, or at least one place per item).</summary>
        public bool Unlimited => _slots is null;

        public async Task<long> TakeAsync(CancellationToken ct)
        {
            if (_slots is null) return startedId;
            await _slots.WaitAsync(ct).ConfigureAwait(false);
            return _lastEvents.TryDequeue(out var last) ? last : startedId;
        }

        /// <summary>Gives the place back (only after <see cref="TakeAsync"/> returned).</summary>
        public void Release(long lastEvent)
        {
            if (_slots is null) return;
            _lastEvents.Enqueue(lastEvent);
            _slots.Release();
        }

        public void Dispose() => _slots?.Dispose();
    }

    /// <summary>
    /// Runs one branch/iteration; its StatesError is kept (first one wins) with the event that failed it (the lane's last:
    /// MapIterationFailed does not move it), and cancels the siblings.
    /// </summary>
    private static async Task<JsonNode?> RunChildAsync(Func<Task<JsonNode?>> run, Lane lane, FirstFailure failure, CancellationTokenSource siblings)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (StatesError e)
        {
            if (ErrorNames.IsTerminal(e)) failure.SetTerminal(e, lane.PreviousId);
            else failure.Set(e, lane.PreviousId);
            siblings.Cancel();
            return null;
        }
        catch (OperationCanceledException) when (siblings.IsCancellationRequested)
        {
            return null;
        }
    }

    private sealed class FirstFailure
    {
        private readonly object _gate = new();
        private StatesError? _error, _terminal;
        private long _eventId, _terminalEventId;

        public StatesError? Error
        {
            get { lock (_gate) return _terminal ?? _error; }
        }

        /// <summary>The event that failed the branch/iteration <see cref="Error"/> came from.</summary>
        public long EventId
        {
            get { lock (_gate) return _terminal is null ? _eventId : _terminalEventId; }
        }

        public void Set(StatesError e, long eventId)
        {
            lock (_gate)
            {
                if (_error is not null) return;
                (_error, _eventId) = (e, eventId);
            }
        }

        public void SetTerminal(StatesError e, long eventId)
        {
            lock (_gate)
            {
                if (_terminal is not null) return;
                (_terminal, _terminalEventId) = (e, eventId);
            }
        }
    }
}
