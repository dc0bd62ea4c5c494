using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// A Distributed Map: a Map Run whose items (or batches) are child executions of the item processor, each with its own
// history in the server's store. The parent's history shows only MapStateStarted, MapRunStarted and how the Map Run
// ended (no MapIteration* events), as the service's does. Children start with no workflow variables: the developer
// guide says a Distributed Map cannot reference variables in outer scopes.
internal sealed partial class Interpreter
{
    internal const string ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold";

    // The service's cause for it (recorded by TestState in LocalStack's snapshots of AWS).
    internal const string ThresholdExceededCause = "The specified tolerated failure threshold was exceeded";

    /// <summary>What a Map Run runs with, once its fields have been read.</summary>
    private sealed record MapRunSettings(int MaxConcurrency, double? Percentage, long? Count, long? MaxItemsPerBatch, long? MaxBytesPerBatch, JsonNode? BatchInput)
    {
        public bool Batched => MaxItemsPerBatch is not null || MaxBytesPerBatch is not null;

        /// <summary>An ItemReader's MaxItems (0: no limit), read with the other fields; null without a reader.</summary>
        public long? ReaderMaxItems { get; init; }

        /// <summary>Where a ResultWriter would write, read with the other fields; null without a writer.</summary>
        public ResultWriterTarget? Writer { get; init; }
    }

    private MapRunSettings JsonPathMapRunSettings(StateSpec state, JsonNode? effective, StateScope scope) =>
        JsonPathThresholdsAndBatching(state, effective, scope) with
        {
            ReaderMaxItems = JsonPathReaderMaxItems(state.Distributed!.Reader, effective, scope),
            Writer = JsonPathWriterTarget(state.Distributed.Writer, effective, scope),
        };

    private MapRunSettings JsonPathThresholdsAndBatching(StateSpec state, JsonNode? effective, StateScope scope)
    {
        var spec = state.Distributed!;
        var percentage = spec.ToleratedFailurePercentage;
        if (spec.ToleratedFailurePercentagePath is { } percentagePath)
        {
            var value = Evaluate(percentagePath, effective, scope, "ToleratedFailurePercentagePath");
            // A string holding a number is read as the number, as AWS does (test_reference_in_map_state).
            if (JsonValues.IsNumber(value)) percentage = JsonValues.ToDouble(value!);
            else if (JsonValues.AsString(value) is { } text && double.TryParse(text, System.Globalization.NumberStyles.Float,
                         System.Globalization.CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed))
                percentage = parsed;
            else
                throw StatesError.Runtime($"The ToleratedFailurePercentagePath field refers to value \"{PathValueText(value)}\" which is not a valid float: {percentagePath.Text}");
            if (percentage is < 0 or > 100) throw StatesError.Runtime("ToleratedFailurePercentage must be between 0 and 100.");
        }
        var count = spec.ToleratedFailureCount;
        if (spec.ToleratedFailureCountPath is { } countPath)
        {
            count = PathInteger(countPath, effective, scope, "ToleratedFailureCountPath");
            if (count < 0) throw StatesError.Runtime("ToleratedFailureCount cannot be negative.");
        }
        var maxConcurrency = MaxConcurrencyOf(state, effective, scope);
        var batcher = spec.Batcher;
        if (batcher is null) return new MapRunSettings(maxConcurrency, percentage, count, null, null, null);
        var maxItems = batcher.MaxItemsPerBatchPath is { } itemsPath ? PathInteger(itemsPath, effective, scope, "MaxItemsPerBatchPath") : batcher.MaxItemsPerBatch;
        var maxBytes = batcher.MaxInputBytesPerBatchPath is { } bytesPath ? PathInteger(bytesPath, effective, scope, "MaxInputBytesPerBatchPath") : batcher.MaxInputBytesPerBatch;
        if (maxItems is <= 0) throw StatesError.Runtime($"MaxItemsPerBatch must be a positive integer, got {maxItems}");
        if (maxBytes is <= 0 or > DistributedRules.MaxBatchBytes)
            throw StatesError.Runtime($"MaxInputBytesPerBatch must be an integer from 1 to {DistributedRules.MaxBatchBytes}, got {maxBytes}");
        var batchInput = batcher.BatchInput?.Evaluate(scope.For(effective));
        return new MapRunSettings(maxConcurrency, percentage, count, maxItems, maxBytes, batchInput);
    }

    private MapRunSettings JsonataMapRunSettings(StateSpec state, JsonataFrame frame, int maxConcurrency) =>
        JsonataThresholdsAndBatching(state, frame, maxConcurrency) with
        {
            ReaderMaxItems = JsonataReaderMaxItems(state.Distributed!.Reader, frame),
            Writer = JsonataWriterTarget(state.Distributed.Writer, frame),
        };

    private MapRunSettings JsonataThresholdsAndBatching(StateSpec state, JsonataFrame frame, int maxConcurrency)
    {
        var spec = state.Distributed!;
        double? percentage = spec.ToleratedFailurePercentageJsonata is { } p
            ? JsonValues.ToDouble(frame.Checked(p, "ToleratedFailurePercentage", DistributedRules.Percentage)!)
            : null;
        long? count = spec.ToleratedFailureCountJsonata is { } c ? frame.Integer(c, "ToleratedFailureCount", JsonataRules.NonNegativeInteger) : null;
        if (spec.Batcher is not { } batcher) return new MapRunSettings(maxConcurrency, percentage, count, null, null, null);
        long? maxItems = batcher.MaxItemsPerBatchJsonata is { } items ? frame.Integer(items, "ItemBatcher/MaxItemsPerBatch", JsonataRules.PositiveInteger) : null;
        long? maxBytes = batcher.MaxInputBytesPerBatchJsonata is { } bytes
            ? frame.Integer(bytes, "ItemBatcher/MaxInputBytesPerBatch", DistributedRules.BatchBytes)
            : null;
        var batchInput = batcher.BatchInputJsonata is { } input ? frame.Checked(input, "ItemBatcher/BatchInput", DistributedRules.Object) : null;
        return new MapRunSettings(maxConcurrency, percentage, count, maxItems, maxBytes, batchInput);
    }

    /// <summary>
    /// An integer a ...Path field selects: a JSON integer, or a string holding one, which AWS reads as the number
    /// (a variable holding "1" in MaxConcurrencyPath runs the Map: test_reference_in_map_state).
    /// </summary>
    private static long PathInteger(JsonPath path, JsonNode? effective, StateScope scope, string field)
    {
        var value = Evaluate(path, effective, scope, field);
        if (JsonValues.TryGetInteger(value, out var n)) return n;
        if (JsonValues.AsString(value) is { } text && long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out n))
            return n;
        throw StatesError.Runtime($"The {field} field refers to value \"{PathValueText(value)}\" which is not a valid integer: {path.Text}");
    }

    // The service quotes a string as written ("NoNumber") and anything else as JSON ("{}").
    private static string PathValueText(JsonNode? value) => JsonValues.AsString(value) ?? JsonValues.Serialize(value);

    /// <summary>One child execution's input and how many items it carries.</summary>
    private sealed record ChildWork(JsonNode? Input, int ItemCount);

    /// <summary>Each item alone, or batches of at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes: {"BatchInput": ..., "Items": [...]}.</summary>
    private static List<ChildWork> Batch(IReadOnlyList<JsonNode?> inputs, MapRunSettings settings)
    {
        if (!settings.Batched) return inputs.Select(input => new ChildWork(input, 1)).ToList();
        var batches = new List<ChildWork>();
        var current = new List<JsonNode?>();
        foreach (var input in inputs)
        {
            var full = settings.MaxItemsPerBatch is { } maxItems && current.Count >= maxItems;
            if (!full && current.Count > 0 && settings.MaxBytesPerBatch is { } maxBytes
                && Encoding.UTF8.GetByteCount(JsonValues.Serialize(BatchInput(settings, current.Append(input)))) > maxBytes)
                full = true;
            if (full)
            {
                batches.Add(new ChildWork(BatchInput(settings, current), current.Count));
                current = new List<JsonNode?>();
            }
            current.Add(input);
            if (settings.MaxBytesPerBatch is { } limit && Encoding.UTF8.GetByteCount(JsonValues.Serialize(BatchInput(settings, current))) > limit)
                throw StatesError.Runtime($"An item's input does not fit in MaxInputBytesPerBatch ({limit} bytes) even in a batch of its own");
        }
        if (current.Count > 0) batches.Add(new ChildWork(BatchInput(settings, current), current.Count));
        return batches;
    }

    private static JsonObject BatchInput(MapRunSettings settings, IEnumerable<JsonNode?> items)
    {
        var batch = new JsonObject();
        if (settings.BatchInput is not null) batch["BatchInput"] = JsonValues.Clone(settings.BatchInput);
        batch["Items"] = new JsonArray(items.Select(JsonValues.Clone).ToArray());
        return batch;
    }

    /// <summary>Whether this many failed items break the thresholds; with neither threshold given, any failure does.</summary>
    internal static bool ExceedsTolerance((double? Percentage, long? Count) tolerated, long failedItems, int totalItems)
    {
        if (tolerated.Percentage is null && tolerated.Count is null) return failedItems > 0;
        if (tolerated.Count is { } count && failedItems > count) return true;
        return tolerated.Percentage is { } percentage && totalItems > 0 && failedItems * 100.0 / totalItems > percentage;
    }

    private sealed record RunningChild(int Index, ExecutionRun Run, int ItemCount);

    /// <summary>Runs the Map Run; returns the raw result: each child's output in item (batch) order, a tolerated failure's error output in its place.</summary>
    private async Task<JsonNode?> RunDistributedMapAsync(StateSpec state, MapWork work, Lane lane, StateScope scope, CancellationToken ct)
    {
        var items = work.Items;
        // With an ItemReader the items are not known yet: AWS records length 0 (test_map_item_reader_base_csv_headers_first_line).
        Record(lane, "MapStateStarted", new JsonObject { ["length"] = items.Count }, ct);
        // A threshold or batch size that cannot be read fails the state here, with no MapStateFailed (as the service's history shows).
        var settings = work.ReadSettings!();
        var host = log.MapRuns ?? throw StatesError.Runtime(
            "A DISTRIBUTED Map cannot run here: the execution is not stored (as with StartSyncExecution), so there is nowhere to keep its Map Run and child executions");
        var spec = state.Distributed!;
        // What the reader cannot read fails the Map Run once it has started, as AWS records it (MapRunStarted, MapRunFailed).
        StatesError? readFailure = null;
        if (spec.Reader is { } reader)
        {
            try { items = ReadItems(state, reader, settings.ReaderMaxItems ?? 0); }
            catch (StatesError e) when (!ErrorNames.IsTerminal(e)) { readFailure = e; }
        }
        var inputs = items.Select((item, index) => work.ItemInput(scope, index, item)).ToList();
        var children = Batch(inputs, settings);
        var mapRun = host.StartMapRun(new MapRunStart(spec.Label, spec.Express, settings.MaxConcurrency, settings.Percentage, settings.Count,
            items.Count, children.Count) { StateName = state.Name });
        // A redriven parent picks its failed Map Run up again (same ARN): MapRunRedriven, as the service's history names it.
        Record(lane, mapRun.RedriveCount > 0 ? "MapRunRedriven" : "MapRunStarted", mapRun.RedriveCount > 0
            ? new JsonObject { ["mapRunArn"] = mapRun.Arn, ["redriveCount"] = mapRun.RedriveCount }
            : new JsonObject { ["mapRunArn"] = mapRun.Arn }, ct);

        var results = new JsonNode?[children.Count];
        // Children report their end through a queue, so each one costs O(1) however many run at once.
        var ended = Channel.CreateUnbounded<RunningChild>();
        var running = new Dictionary<int, RunningChild>();
        var next = 0;
        long failedItems = 0;
        // The run's status first: a DescribeMapRun between the two never shows every child ended under a RUNNING run.
        void FailMapRun(string error, string? cause)
        {
            mapRun.Finish("FAILED");
            AbortChildren(running.Values);
            var details = new JsonObject { ["error"] = error };
            if (cause is not null) details["cause"] = cause;
            Record(lane, "MapRunFailed", details, ct);
        }
        if (readFailure is not null)
        {
            FailMapRun(readFailure.Error, readFailure.Cause);
            throw new StatesError(readFailure.Error, readFailure.Cause) { StateFailedEvent = "MapStateFailed" };
        }
        try
        {
            while (next < children.Count || running.Count > 0)
            {
                // MaxConcurrency is read each time: UpdateMapRun may change it while the Map Run runs.
                while (next < children.Count && (mapRun.MaxConcurrency == 0 || running.Count < mapRun.MaxConcurrency))
                {
                    ct.ThrowIfCancellationRequested();
                    // A redriven Map Run keeps what its children that succeeded wrote; only the others run again.
                    if (mapRun.TryGetSucceeded(next, out var kept))
                    {
                        results[next] = kept is null ? null : JsonNode.Parse(kept);
                        next++;
                        continue;
                    }
                    var started = new RunningChild(next, StartOrRedriveChild(state.ItemProcessor!, mapRun, next, children[next]), children[next].ItemCount);
                    running[next] = started;
                    _ = started.Run.Completion.ContinueWith(_ => ended.Writer.TryWrite(started), CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    next++;
                }
                // Woken by a child ending or by UpdateMapRun (which may allow more children now).
                var changed = mapRun.Changed;
                await Task.WhenAny(ended.Reader.WaitToReadAsync(ct).AsTask(), changed).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                while (ended.Reader.TryRead(out var finished))
                {
                    running.Remove(finished.Index);
                    var outcome = finished.Run.Outcome!;
                    results[finished.Index] = ChildResult(outcome);
                    if (outcome.Status == "SUCCEEDED") continue;
                    // A deleted machine ends its children at their next transition, so their failures are not the items':
                    // the Map Run fails with the deletion's cause, and the parent ends with it, whatever catches errors.
                    if (log.TerminationCause is { } terminated)
                    {
                        FailMapRun(ErrorNames.Runtime, terminated);
                        EndIfTerminated();
                    }
                    failedItems += finished.ItemCount;
                    if (!ExceedsTolerance(mapRun.ToleratedFailure, failedItems, items.Count)) continue;
                    FailMapRun(ExceedToleratedFailureThreshold, ThresholdExceededCause);
                    throw new StatesError(ExceedToleratedFailureThreshold, ThresholdExceededCause) { StateFailedEvent = "MapStateFailed" };
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The parent was stopped or timed out: its Map Run ends ABORTED and so do the children still running.
            mapRun.Finish("ABORTED");
            AbortChildren(running.Values);
            throw;
        }
        mapRun.Finish("SUCCEEDED");
        Record(lane, "MapRunSucceeded", null, ct);
        // The service links MapStateExited to MapRunSucceeded, not to MapStateSucceeded.
        Record(lane, lane.PreviousId, "MapStateSucceeded", null, advance: false, ct);
        return settings.Writer is { } writer ? WrittenResults(mapRun.Arn, writer) : new JsonArray(results);
    }

    private ExecutionRun StartOrRedriveChild(StatesBlock processor, IMapRun mapRun, int index, ChildWork work)
    {
        var redrive = mapRun.RedriveChild(index);
        if (redrive is { Fresh: false }) return ExecutionRun.RedriveChild(processor, redrive, Options, Invocations);
        if (redrive is not null) return ExecutionRun.StartChild(processor, redrive.Input, redrive.Host, Options, Invocations);
        var text = JsonValues.Serialize(work.Input);
        return ExecutionRun.StartChild(processor, text, mapRun.StartChild(text, work.ItemCount), Options, Invocations);
    }

    /// <summary>A child's output, or for a child that did not succeed its error output (its place in a tolerated Map Run's output).</summary>
    private static JsonNode? ChildResult(ExecutionOutcome outcome)
    {
        if (outcome.Status == "SUCCEEDED") return outcome.Output is null ? null : JsonNode.Parse(outcome.Output);
        var errorOutput = new JsonObject();
        if (outcome.Error is not null) errorOutput["Error"] = outcome.Error;
        if (outcome.Cause is not null) errorOutput["Cause"] = outcome.Cause;
        return errorOutput;
    }

    private static void AbortChildren(IEnumerable<RunningChild> running)
    {
        foreach (var child in running) child.Run.Stop(null, null);
    }
}
