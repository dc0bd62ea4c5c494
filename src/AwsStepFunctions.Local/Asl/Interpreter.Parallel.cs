using System;
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
        var runs = state.Branches.Select((branch, i) => RunChildAsync(
            () => RunBlockAsync(branch, JsonValues.Clone(branchInput), lanes[i], scope.Variables.Inner(), siblings.Token), failure, siblings)).ToArray();
        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        JoinLanes(lane, lanes);
        if (failure.Error is { } error)
        {
            Record(lane, "ParallelStateFailed", null, ct);
            throw new StatesError(error.Error, error.Cause) { FromBranch = true, Located = error.Located };
        }
        Record(lane, "ParallelStateSucceeded", null, ct);
        return new JsonArray(results);
    }

    /// <summary>A Map state's work as its query language prepared it: the items, each one's input, the concurrency.</summary>
    private sealed record MapWork(JsonArray Items, Func<StateScope, int, JsonNode?, JsonNode?> ItemInput, int MaxConcurrency)
    {
        /// <summary>A Distributed Map's thresholds and batching, read after MapStateStarted (as the service does).</summary>
        public Func<MapRunSettings>? ReadSettings { get; init; }
    }

    /// <summary>A JSONPath Map: ItemsPath on the effective input; ItemSelector (or the item itself) for each item.</summary>
    private MapWork JsonPathMapWork(StateSpec state, JsonNode? input, StateScope scope)
    {
        var effective = SelectInput(state, input, scope);
        var itemsNode = Evaluate(state.ItemsPath!, effective, scope, "ItemsPath");
        if (itemsNode is not JsonArray items) throw StatesError.Runtime(NotAnArray(itemsNode));
        return new MapWork(items, (at, index, item) => state.ItemSelector is null
            ? JsonValues.Clone(item)
            : state.ItemSelector.Evaluate(at.WithItem(new MapItem(index, item)).For(effective)), state.MaxConcurrency)
        {
            ReadSettings = state.Distributed is null ? null : () => JsonPathMapRunSettings(state, effective, scope),
        };
    }

    private static string NotAnArray(JsonNode? items) => $"Map state input must be an array but was: {JsonValues.Serialize(items)}";

    /// <summary>Reading the items and the concurrency; a failure there is recorded as MapStateFailed, as the service does.</summary>
    private MapWork PrepareMap(Func<MapWork> prepare, Lane lane, CancellationToken ct)
    {
        try
        {
            return prepare();
        }
        catch (StatesError)
        {
            Record(lane, "MapStateFailed", null, ct);
            throw;
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
        using var slots = work.MaxConcurrency > 0 ? new SemaphoreSlim(work.MaxConcurrency) : null;
        var failure = new FirstFailure();
        var lanes = items.Select(_ => new Lane(startedId)).ToArray();
        var runs = items.Select((item, index) => RunChildAsync(
            () => RunIterationAsync(state, work, index, item, lanes[index], scope, slots, siblings.Token), failure, siblings)).ToArray();
        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        JoinLanes(lane, lanes);
        if (failure.Error is { } error)
        {
            Record(lane, "MapStateFailed", null, ct);
            throw new StatesError(error.Error, error.Cause) { FromBranch = true, Located = error.Located };
        }
        Record(lane, "MapStateSucceeded", null, ct);
        return new JsonArray(results);
    }

    private async Task<JsonNode?> RunIterationAsync(StateSpec state, MapWork work, int index, JsonNode? item, Lane lane,
        StateScope scope, SemaphoreSlim? slots, CancellationToken ct)
    {
        if (slots is not null) await slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Items that never started after a sibling failed leave no events.
            ct.ThrowIfCancellationRequested();
            var iteration = new JsonObject { ["name"] = state.Name, ["index"] = index };
            Record(lane, "MapIterationStarted", iteration, ct);
            try
            {
                var itemInput = work.ItemInput(scope, index, item);
                var output = await RunBlockAsync(state.ItemProcessor!, itemInput, lane, scope.Variables.Inner(), ct).ConfigureAwait(false);
                Record(lane, "MapIterationSucceeded", (JsonObject)iteration.DeepClone(), ct);
                return output;
            }
            catch (StatesError)
            {
                log.Record(lane, "MapIterationFailed", (JsonObject)iteration.DeepClone());
                throw;
            }
            catch (OperationCanceledException)
            {
                // A sibling failed (or the execution ended; then the log drops this event).
                log.Record(lane, "MapIterationAborted", (JsonObject)iteration.DeepClone());
                throw;
            }
        }
        finally
        {
            slots?.Release();
        }
    }

    /// <summary>The closing event of a Parallel/Map links to the last event any of its branches wrote.</summary>
    private static void JoinLanes(Lane parent, Lane[] children)
    {
        foreach (var child in children) parent.PreviousId = Math.Max(parent.PreviousId, child.PreviousId);
    }

    /// <summary>Runs one branch/iteration; its StatesError is kept (first one wins) and cancels the siblings.</summary>
    private static async Task<JsonNode?> RunChildAsync(Func<Task<JsonNode?>> run, FirstFailure failure, CancellationTokenSource siblings)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (StatesError e)
        {
            if (ErrorNames.IsTerminal(e.Error)) failure.SetTerminal(e);
            else failure.Set(e);
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
        private StatesError? _error;
        private StatesError? _terminal;

        public StatesError? Error => _terminal ?? _error;

        public void Set(StatesError e) => Interlocked.CompareExchange(ref _error, e, null);

        public void SetTerminal(StatesError e) => Interlocked.CompareExchange(ref _terminal, e, null);
    }
}
