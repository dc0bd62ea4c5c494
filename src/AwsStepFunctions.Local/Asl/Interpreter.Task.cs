using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// Task states (answered by the mock config) and the Retry/Catch loop shared by Task, Parallel and Map.
internal sealed partial class Interpreter
{
    private async Task<(JsonNode?, string?)> RunWithRetryAsync(StateSpec state, JsonNode? input, Lane lane, StateScope scope, CancellationToken ct)
    {
        var attempts = new int[state.Retry.Count];
        while (true)
        {
            try
            {
                if (state.Jsonata is not null) return Exit(state, lane, scope, await RunJsonataWorkAsync(state, input, lane, scope, ct).ConfigureAwait(false), ct);
                var result = state.Type switch
                {
                    "Task" => await RunJsonPathTaskAsync(state, input, lane, scope, ct).ConfigureAwait(false),
                    "Parallel" => await RunParallelAsync(state, ApplyParameters(state, SelectInput(state, input, scope), scope), lane, scope, ct).ConfigureAwait(false),
                    "Map" => await RunMapAsync(state, PrepareMap(() => JsonPathMapWork(state, input, scope)), lane, scope, ct).ConfigureAwait(false),
                    _ => throw new InvalidOperationException($"State type {state.Type} has no runner"),
                };
                // Assign reads the raw result, before ResultSelector.
                var output = ApplyOutputPath(state, ApplyResultPath(state.ResultPath, input, ApplyResultSelector(state, result, scope)), scope);
                return Exit(state, lane, scope, new Completion(output, state.Next, state.Assign?.Evaluate(scope.For(result))), ct);
            }
            catch (StatesError error) when (!ct.IsCancellationRequested)
            {
                // The first retrier whose ErrorEquals matches decides; once its attempts are spent, Catch decides.
                var r = IndexOfMatch(state.Retry.Select(x => x.ErrorEquals), error);
                if (r >= 0 && attempts[r] < state.Retry[r].MaxAttempts)
                {
                    await ScaledDelayAsync(RetryDelay(state.Retry[r], attempts[r]), ct).ConfigureAwait(false);
                    EndIfTerminated();
                    attempts[r]++;
                    scope.RetryCount++;
                    continue;
                }
                // Not retried: only now does a Parallel or Map write its failure (linked to the event that failed it).
                if (error.StateFailedEvent is { } stateFailed) Record(lane, stateFailed, null, ct);
                var c = IndexOfMatch(state.Catch.Select(x => x.ErrorEquals), error);
                if (c < 0) throw;
                var errorOutput = new JsonObject { ["Error"] = error.Error };
                if (error.Cause is not null) errorOutput["Cause"] = error.Cause;
                // A Task's timeout has no cause in its TaskTimedOut event, yet AWS records "Cause": "" in the catcher's
                // output (test_invoke_timeout). Other errors without a cause: no recording, the member stays absent.
                else if (IsTaskTimeout(state, error)) errorOutput["Cause"] = "";
                // The catcher's ResultPath (JSONata: Output) makes the output; the state's OutputPath does not apply. Its
                // Assign reads the error output (the state's own Assign does not apply).
                var catcher = state.Catch[c];
                if (state.Jsonata is not null) return Exit(state, lane, scope, JsonataCaught(catcher, input, errorOutput, lane, scope), ct);
                return Exit(state, lane, scope, new Completion(ApplyResultPath(catcher.ResultPath, input, errorOutput), catcher.Next,
                    catcher.Assign?.Evaluate(scope.For(errorOutput))), ct);
            }
        }
    }

    private static bool IsTaskTimeout(StateSpec state, StatesError error) =>
        state.Type == "Task" && !error.FromBranch && error.Error is ErrorNames.Timeout or ErrorNames.HeartbeatTimeout;

    private static int IndexOfMatch(IEnumerable<IReadOnlyList<string>> rules, StatesError error)
    {
        var i = 0;
        foreach (var names in rules)
        {
            if (names.Any(n => ErrorNames.Matches(n, error))) return i;
            i++;
        }
        return -1;
    }

    /// <summary>IntervalSeconds x BackoffRate^attempt, capped by MaxDelaySeconds; FULL jitter picks uniformly below it.</summary>
    internal static TimeSpan RetryDelay(Retrier retrier, int attempt)
    {
        var seconds = retrier.IntervalSeconds * Math.Pow(retrier.BackoffRate, attempt);
        if (retrier.MaxDelaySeconds is { } max && seconds > max) seconds = max;
        if (retrier.FullJitter) seconds *= Random.Shared.NextDouble();
        return TimeSpan.FromSeconds(Math.Min(seconds, 99999999));
    }

    /// <summary>
    /// A JSONPath Task: InputPath, then TimeoutSecondsPath and HeartbeatSecondsPath on the effective input (each must select a
    /// positive integer, and the heartbeat must stay below the timeout, as the definition's literals must), then
    /// Credentials and Parameters on the same input.
    /// </summary>
    private Task<JsonNode?> RunJsonPathTaskAsync(StateSpec state, JsonNode? input, Lane lane, StateScope scope, CancellationToken ct) =>
        RunTaskAsync(state, JsonPathTaskCall(state, SelectInput(state, input, scope), scope), lane, scope, ct);

    private static TaskCall JsonPathTaskCall(StateSpec state, JsonNode? effective, StateScope scope)
    {
        var timeout = state.TimeoutSecondsPath is { } t ? PositiveSeconds(t, effective, scope, "TimeoutSecondsPath") : state.TimeoutSeconds;
        var heartbeat = state.HeartbeatSecondsPath is { } h ? PositiveSeconds(h, effective, scope, "HeartbeatSecondsPath") : state.HeartbeatSeconds;
        if (heartbeat is { } beat && timeout is { } limit && beat >= limit)
            throw StatesError.Runtime($"The HeartbeatSeconds value {beat} must be smaller than the TimeoutSeconds value {limit}");
        string? roleArn = null;
        if (state.Credentials is { } credentials && TaskCredentials.Problem(credentials.Evaluate(scope.For(effective)), out roleArn) is { } problem)
            throw StatesError.Runtime($"The Credentials field {problem}");
        return new TaskCall(ApplyParameters(state, effective, scope), timeout, heartbeat, roleArn);
    }

    private static long PositiveSeconds(JsonPath path, JsonNode? effective, StateScope scope, string field)
    {
        var value = PathInteger(path, effective, scope, field);
        if (value is < 1 or > 99999999)
            throw StatesError.Runtime($"The {field} field refers to value \"{value}\" which is not a positive integer up to 99999999: {path.Text}");
        return value;
    }

    /// <summary>
    /// Runs the Task's call and returns its raw result (the caller applies ResultSelector and the rest): a
    /// .waitForTaskToken Task the mock config does not answer waits for its callback, an activity Task it does not answer
    /// for a worker; every other Task is answered by the mock config.
    /// </summary>
    private Task<JsonNode?> RunTaskAsync(StateSpec state, TaskCall call, Lane lane, StateScope scope, CancellationToken ct)
    {
        if (Options.Callbacks is { } callbacks && !MockResponses.Answers(Options.MockConfig, Context, state.Name))
        {
            if (state.Resource!.EndsWith(".waitForTaskToken", StringComparison.Ordinal))
                return RunCallbackTaskAsync(callbacks, state, call, lane, scope.CallbackToken, ct);
            if (Options.Activities is { } activities && TaskHistory.IsActivity(state.Resource))
                return RunActivityTaskAsync(activities, callbacks, state, call, lane, scope.CallbackToken, ct);
        }
        return Task.FromResult(RunMockedTask(state, call, lane, ct));
    }

    /// <summary>
    /// Answers the Task from the mock config. Timeout and heartbeat are only reported: mocks answer at once. A bare Lambda
    /// function ARN's mock returns the function's payload, which is the result as it is.
    /// </summary>
    private JsonNode? RunMockedTask(StateSpec state, TaskCall call, Lane lane, CancellationToken ct)
    {
        JsonNode? result = null;
        StatesError? failure = null;
        try { result = MockResponses.Invoke(Options.MockConfig, Context, state.Name, NextInvocation(state.Name)); }
        catch (StatesError e) when (!ErrorNames.IsTerminal(e)) { failure = e; }

        var history = TaskHistory.For(state.Resource!, Region());
        // A result over the quota fails the call itself (TaskFailed, caught like any Task error), as AWS records it.
        if (failure is null && OverPayloadLimit(JsonValues.Serialize(result))) failure = StatesError.DataLimitExceeded(TaskHistory.ResultSource(state.Resource!), terminal: false);
        Record(lane, history.Scheduled(call), ct);
        Record(lane, history.Started(), ct);
        if (failure is not null)
        {
            // A mocked States.Timeout is how a test makes a Task time out (mocks answer at once, so
            // TimeoutSeconds/HeartbeatSeconds never elapse on their own here).
            Record(lane, history.Failed(failure), ct);
            throw failure;
        }
        Record(lane, history.Succeeded(result), ct);
        return result;
    }

    /// <summary>The zero-based number of this call to the mock config for the state (each retry and re-entry counts).</summary>
    private int NextInvocation(string stateName)
    {
        var invocations = LazyInitializer.EnsureInitialized(ref _invocations, () => new(StringComparer.Ordinal));
        return invocations.AddOrUpdate(stateName, 0, (_, n) => n + 1);
    }

    private void Record(Lane lane, HistoryEntry entry, CancellationToken ct) => Record(lane, entry.Type, entry.Details, ct);

    private string Region()
    {
        var parts = Context.StateMachineArn.Split(':');
        return parts.Length > 3 ? parts[3] : "";
    }
}
