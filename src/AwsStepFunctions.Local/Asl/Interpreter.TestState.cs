using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// TestState: one state run once, reporting what each step of its data flow produced. Which steps are reported for which
// state follows AWS's answers recorded in LocalStack's test_state snapshots (a Pass with Result reports result but not
// afterInputPath/afterParameters; a mocked Parallel reports only afterResultSelector and afterResultPath; a JSONata state
// reports input, afterArguments and result).
internal sealed partial class Interpreter
{
    /// <summary>Runs <paramref name="state"/> on the request's input and variables; never throws a StatesError.</summary>
    public async Task<TestStateOutcome> TestStateAsync(StateSpec state, TestStateRequest request, CancellationToken ct)
    {
        var variables = VariableScope.FromSnapshot(request.Variables);
        var scope = new StateScope(this, state, Options.Time.GetUtcNow(), variables) { RetryCount = request.RetrierRetryCount };
        var lane = new Lane(0);
        var probe = new Probe(request.Debug);
        var input = JsonValues.Clone(request.Input);
        probe.Text("input", input);
        try
        {
            var done = state.Jsonata is null
                ? await TestJsonPathAsync(state, input, request, probe, scope, ct).ConfigureAwait(false)
                : await TestJsonataAsync(state, input, request, probe, lane, scope, ct).ConfigureAwait(false);
            return Finish(probe, variables, state, done, "SUCCEEDED", null);
        }
        catch (StatesError error)
        {
            return Handled(state, input, request, probe, lane, scope, variables, error);
        }
    }

    private TestStateOutcome Finish(Probe probe, VariableScope variables, StateSpec state, Completion done, string status, StatesError? error)
    {
        if (done.Assigned is { Count: > 0 } assigned) variables.Assign(assigned, state.Name);
        ReportVariables(probe, variables);
        return new TestStateOutcome(status, JsonValues.Serialize(done.Output), error?.Error, error?.Cause, done.Next, probe.Data);
    }

    private static void ReportVariables(Probe probe, VariableScope variables)
    {
        if (!variables.IsEmpty) probe.Text("variables", variables.Snapshot());
    }

    /// <summary>
    /// An error: a matching retrier with attempts left makes it RETRIABLE (with the backoff the next attempt would wait),
    /// else a matching catcher makes it CAUGHT_ERROR (its output and Next), else FAILED.
    /// </summary>
    private TestStateOutcome Handled(StateSpec state, JsonNode? input, TestStateRequest request, Probe probe, Lane lane, StateScope scope,
        VariableScope variables, StatesError error)
    {
        var details = new JsonObject();
        var r = IndexOfMatch(state.Retry.Select(x => x.ErrorEquals), error);
        if (r >= 0)
        {
            details["retryIndex"] = r;
            var retrier = state.Retry[r];
            if (request.RetrierRetryCount < retrier.MaxAttempts)
            {
                details["retryBackoffIntervalSeconds"] = (long)RetryDelay(retrier with { FullJitter = false }, request.RetrierRetryCount).TotalSeconds;
                probe.Details(details);
                ReportVariables(probe, variables);
                return new TestStateOutcome("RETRIABLE", null, error.Error, error.Cause, null, probe.Data);
            }
        }
        var c = IndexOfMatch(state.Catch.Select(x => x.ErrorEquals), error);
        if (c < 0)
        {
            if (details.Count > 0) probe.Details(details);
            ReportVariables(probe, variables);
            return new TestStateOutcome("FAILED", null, error.Error, error.Cause, null, probe.Data);
        }
        details["catchIndex"] = c;
        probe.Details(details);
        var errorOutput = new JsonObject { ["Error"] = error.Error };
        if (error.Cause is not null) errorOutput["Cause"] = error.Cause;
        var catcher = state.Catch[c];
        try
        {
            var caught = state.Jsonata is not null
                ? JsonataCaught(catcher, input, errorOutput, lane, scope)
                : new Completion(ApplyResultPath(catcher.ResultPath, input, errorOutput), catcher.Next, catcher.Assign?.Evaluate(scope.For(errorOutput)));
            return Finish(probe, variables, state, caught, "CAUGHT_ERROR", error);
        }
        catch (StatesError failed)
        {
            ReportVariables(probe, variables);
            return new TestStateOutcome("FAILED", null, failed.Error, failed.Cause, null, probe.Data);
        }
    }

    private async Task<Completion> TestJsonPathAsync(StateSpec state, JsonNode? input, TestStateRequest request, Probe probe, StateScope scope, CancellationToken ct)
    {
        switch (state.Type)
        {
            case "Pass":
            {
                var effective = SelectInput(state, input, scope);
                JsonNode? result;
                if (state.HasResult)
                {
                    result = JsonValues.Clone(state.Result);
                    probe.Text("result", result);
                }
                else
                {
                    probe.Text("afterInputPath", effective);
                    result = ApplyParameters(state, effective, scope);
                    probe.Text("afterParameters", result);
                }
                probe.Text("afterResultSelector", result);
                var afterResultPath = ApplyResultPath(state.ResultPath, input, result);
                probe.Text("afterResultPath", afterResultPath);
                return new Completion(ApplyOutputPath(state, afterResultPath, scope), state.Next, state.Assign?.Evaluate(scope.For(result)));
            }
            case "Wait":
                probe.Text("afterInputPath", SelectInput(state, input, scope));
                return await RunWaitAsync(state, input, scope, ct).ConfigureAwait(false);
            case "Choice":
                probe.Text("afterInputPath", SelectInput(state, input, scope));
                return RunChoice(state, input, scope);
            case "Succeed":
            {
                var effective = SelectInput(state, input, scope);
                probe.Text("afterInputPath", effective);
                return new Completion(ApplyOutputPath(state, effective, scope), null);
            }
            case "Fail":
                probe.Text("afterInputPath", SelectInput(state, input, scope));
                throw FailState(state, input, scope);
        }

        // Task, Parallel and Map: the work is the mock.
        var selected = SelectInput(state, input, scope);
        JsonNode? raw;
        if (state.Type == "Map")
        {
            probe.Text("afterInputPath", selected);
            raw = TestJsonPathMap(state, input, selected, request, probe, scope);
        }
        else if (state.Type == "Parallel")
        {
            ApplyParameters(state, selected, scope);
            raw = Mocked(state, request);
        }
        else
        {
            probe.Text("afterInputPath", selected);
            // Its timeouts and Credentials are checked as a run would check them; the mock answers at once.
            var call = JsonPathTaskCall(state, selected, scope);
            probe.Text("afterParameters", call.Parameters);
            raw = Mocked(state, request);
            probe.Text("result", raw);
        }
        var selectedResult = ApplyResultSelector(state, raw, scope);
        probe.Text("afterResultSelector", selectedResult);
        var combined = ApplyResultPath(state.ResultPath, input, selectedResult);
        probe.Text("afterResultPath", combined);
        return new Completion(ApplyOutputPath(state, combined, scope), state.Next, state.Assign?.Evaluate(scope.For(raw)));
    }

    /// <summary>A mocked JSONPath Map: the items and settings it would run with, then the mock as its result.</summary>
    private JsonNode? TestJsonPathMap(StateSpec state, JsonNode? input, JsonNode? selected, TestStateRequest request, Probe probe, StateScope scope)
    {
        if (state.Distributed?.Reader is null)
        {
            var items = Evaluate(state.ItemsPath!, selected, scope, "ItemsPath");
            if (items is not JsonArray array)
                // AWS's cause in its TestState recordings (test_state_map_context_object), which write a context path
                // ($$.Execution.Input) with one $.
                throw StatesError.Runtime($"Reference path \"{(state.ItemsPath!.IsContext ? state.ItemsPath.Text[1..] : state.ItemsPath.Text)}\" must point to array.");
            probe.Text("afterItemsPath", array);
        }
        var work = WithReadItems(state, JsonPathMapWork(state, input, scope), request);
        if (state.ItemSelector is not null)
            probe.Text("afterItemSelector", new JsonArray(work.Items.Select((item, i) => work.ItemInput(scope, i, item)).ToArray()));
        return MockedMap(state, work, request, probe);
    }

    private async Task<Completion> TestJsonataAsync(StateSpec state, JsonNode? input, TestStateRequest request, Probe probe, Lane lane, StateScope scope,
        CancellationToken ct)
    {
        if (state.Type is not ("Task" or "Parallel" or "Map")) return await RunJsonataFlowAsync(state, input, lane, scope, ct).ConfigureAwait(false);
        var fields = state.Jsonata!;
        var frame = new JsonataFrame(this, scope, lane, input, ct);
        JsonNode? result;
        if (state.Type == "Map")
            result = MockedMap(state, WithReadItems(state, JsonataMapWork(state, input, frame), request), request, probe);
        else
        {
            var arguments = fields.Arguments is null ? JsonValues.Clone(input) : frame.Evaluate(fields.Arguments);
            // AWS reports afterArguments for a Task, not for a mocked Parallel (test_io_jsonata_parallel_state_mock_success).
            if (fields.Arguments is not null && state.Type == "Task") probe.Text("afterArguments", arguments);
            // A Task's timeouts and Credentials are checked as a run would check them; the mock answers at once.
            if (state.Type == "Task") JsonataTaskCall(fields, frame, arguments);
            result = Mocked(state, request);
            if (state.Type == "Task") probe.Text("result", result);
        }
        frame.Result = result;
        return new Completion(frame.OutputOr(fields.Output, result), state.Next, state.Assign?.Evaluate(frame.Evaluate));
    }

    /// <summary>A Distributed Map's items read from the request's mapItemReaderData by its ItemReader (a failure is States.ItemReaderFailed).</summary>
    private static MapWork WithReadItems(StateSpec state, MapWork work, TestStateRequest request)
    {
        if (state.Distributed?.Reader is not { } reader) return work;
        // Read once: MockedMap reports the same settings, and reading evaluates the reader's Parameters/Arguments.
        var settings = work.ReadSettings!();
        return work with { Items = ItemReaderData.Items(reader, request.MapItemReaderData, settings.ReaderMaxItems ?? 0), ReadSettings = () => settings };
    }

    /// <summary>
    /// The Map's settings as it would start, then the mock as its result. With mapIterationFailureCount, the failed
    /// iterations are held against the tolerated failure thresholds; as in AWS's recordings, a Map without thresholds
    /// is not failed by them.
    /// </summary>
    private static JsonNode? MockedMap(StateSpec state, MapWork work, TestStateRequest request, Probe probe)
    {
        var settings = work.ReadSettings?.Invoke();
        probe.Number("maxConcurrency", settings?.MaxConcurrency ?? work.MaxConcurrency);
        if (settings?.Percentage is { } percentage) probe.Number("toleratedFailurePercentage", percentage);
        if (settings?.Count is { } count) probe.Number("toleratedFailureCount", count);
        var result = Mocked(state, request);
        if (request.MapIterationFailureCount is { } failed && result is JsonArray iterations && failed > 0
            && (settings?.Count is { } tolerated && failed > tolerated
                || settings?.Percentage is { } share && iterations.Count > 0 && failed * 100.0 / iterations.Count > share))
            throw new StatesError(ExceedToleratedFailureThreshold, ThresholdExceededCause);
        return result;
    }

    /// <summary>The mocked result, or the mocked error thrown. A Task without a mock fails: this endpoint calls nothing.</summary>
    private static JsonNode? Mocked(StateSpec state, TestStateRequest request)
    {
        if (request.Mock is not { } mock)
            throw StatesError.Runtime($"Task state '{state.Name}' has no mocked response: TestState answers a Task from the request's mock (result or errorOutput), since this endpoint never calls real services");
        if (mock.IsError) throw new StatesError(mock.Error!, mock.Cause);
        return JsonValues.Clone(mock.Result);
    }

    /// <summary>The inspection data, collected only at DEBUG and TRACE: JSON values as text, the Map settings as numbers.</summary>
    private sealed class Probe(bool on)
    {
        public JsonObject Data { get; } = new();

        public void Text(string key, JsonNode? value)
        {
            if (on) Data[key] = JsonValues.Serialize(value);
        }

        public void Number(string key, double value)
        {
            if (on) Data[key] = value == Math.Floor(value) && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);
        }

        public void Details(JsonObject details)
        {
            if (on) Data["errorDetails"] = details;
        }
    }
}
