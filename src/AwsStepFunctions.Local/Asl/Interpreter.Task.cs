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
                    "Task" => await RunTaskAsync(state, ApplyParameters(state, SelectInput(state, input, scope), scope), state.TimeoutSeconds, state.HeartbeatSeconds, lane, scope, ct).ConfigureAwait(false),
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
    /// Runs the Task's call with <paramref name="parameters"/> (Parameters or Arguments) and returns its raw result (the
    /// caller applies ResultSelector and the rest): a .waitForTaskToken Task the mock config does not answer waits for its
    /// callback; every other Task is answered by the mock config.
    /// </summary>
    private Task<JsonNode?> RunTaskAsync(StateSpec state, JsonNode? parameters, long? timeoutSeconds, long? heartbeatSeconds, Lane lane,
        StateScope scope, CancellationToken ct)
    {
        if (Options.Callbacks is { } callbacks && state.Resource!.EndsWith(".waitForTaskToken", StringComparison.Ordinal)
            && !MockResponses.Answers(Options.MockConfig, Context, state.Name))
            return RunCallbackTaskAsync(callbacks, state, parameters, timeoutSeconds, heartbeatSeconds, lane, scope.CallbackToken, ct);
        return Task.FromResult(RunMockedTask(state, parameters, timeoutSeconds, heartbeatSeconds, lane, ct));
    }

    /// <summary>
    /// A .waitForTaskToken Task waits for SendTaskSuccess or SendTaskFailure with its token, for at most TimeoutSeconds and
    /// HeartbeatSeconds between heartbeats (both scaled by --time-scale, like Wait states), and ends early when the
    /// execution is stopped. Nothing is called, so no TaskSubmitted is written (AWS fills it with the call's response).
    /// </summary>
    private async Task<JsonNode?> RunCallbackTaskAsync(TaskCallbacks callbacks, StateSpec state, JsonNode? parameters, long? timeoutSeconds,
        long? heartbeatSeconds, Lane lane, string token, CancellationToken ct)
    {
        var history = TaskHistory.For(state.Resource!, Region());
        // Waiting before TaskScheduled shows the token: a caller who reads it there and answers at once finds the Task.
        ITimer? heartbeat = null;
        using var waiting = callbacks.Wait(token, () => RestartHeartbeat(heartbeat, heartbeatSeconds));
        Record(lane, history.Scheduled(parameters, timeoutSeconds, heartbeatSeconds), ct);
        Record(lane, history.Started(), ct);
        var timedOut = new TaskCompletionSource<StatesError>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timeout = StartTimer(timeoutSeconds, () => timedOut.TrySetResult(new StatesError(ErrorNames.Timeout, null)));
        heartbeat = StartTimer(heartbeatSeconds, () => timedOut.TrySetResult(new StatesError(ErrorNames.HeartbeatTimeout, null)));
        using (heartbeat)
        {
            // A stopped execution (or its own timeout) cancels the wait: the Task is then aborted like any state in progress.
            var first = await Task.WhenAny(waiting.Outcome, timedOut.Task).WaitAsync(ct).ConfigureAwait(false);
            StatesError? failure = first == timedOut.Task ? await timedOut.Task.ConfigureAwait(false) : null;
            JsonNode? result = null;
            if (failure is null)
            {
                var outcome = await waiting.Outcome.ConfigureAwait(false);
                failure = outcome.Failure;
                result = outcome.Output;
            }
            if (failure is not null)
            {
                Record(lane, history.Failed(failure), ct);
                throw failure;
            }
            Record(lane, history.Succeeded(result), ct);
            return result;
        }
    }

    /// <summary>SendTaskHeartbeat: the heartbeat clock starts again (a heartbeat racing the Task's end changes nothing).</summary>
    private void RestartHeartbeat(ITimer? heartbeat, long? heartbeatSeconds)
    {
        if (heartbeat is null || heartbeatSeconds is not { } seconds) return;
        try
        {
            heartbeat.Change(Scaled(TimeSpan.FromSeconds(seconds)), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>A one-shot timer after <paramref name="seconds"/> (scaled); none when there is no limit or it is beyond a timer's reach.</summary>
    private ITimer? StartTimer(long? seconds, Action fire)
    {
        if (seconds is not { } limit) return null;
        var due = Scaled(TimeSpan.FromSeconds(limit));
        return due > LongestDelay ? null : Options.Time.CreateTimer(_ => fire(), null, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Answers the Task from the mock config. Timeout and heartbeat are only reported: mocks answer at once. A bare Lambda
    /// function ARN's mock returns the function's payload, which is the result as it is.
    /// </summary>
    private JsonNode? RunMockedTask(StateSpec state, JsonNode? parameters, long? timeoutSeconds, long? heartbeatSeconds, Lane lane, CancellationToken ct)
    {
        var invocations = LazyInitializer.EnsureInitialized(ref _invocations, () => new(StringComparer.Ordinal));
        var invocation = invocations.AddOrUpdate(state.Name, 0, (_, n) => n + 1);

        JsonNode? result = null;
        StatesError? failure = null;
        try { result = MockResponses.Invoke(Options.MockConfig, Context, state.Name, invocation); }
        catch (StatesError e) when (!ErrorNames.IsTerminal(e)) { failure = e; }

        var history = TaskHistory.For(state.Resource!, Region());
        // A result over the quota fails the call itself (TaskFailed, caught like any Task error), as AWS records it.
        if (failure is null && OverPayloadLimit(JsonValues.Serialize(result))) failure = StatesError.DataLimitExceeded(TaskHistory.ResultSource(state.Resource!), terminal: false);
        Record(lane, history.Scheduled(parameters, timeoutSeconds, heartbeatSeconds), ct);
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

    private void Record(Lane lane, HistoryEntry entry, CancellationToken ct) => Record(lane, entry.Type, entry.Details, ct);

    private string Region()
    {
        var parts = Context.StateMachineArn.Split(':');
        return parts.Length > 3 ? parts[3] : "";
    }
}
