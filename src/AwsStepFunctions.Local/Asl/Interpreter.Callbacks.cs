using System;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Local.Asl;

// Tasks answered by SendTaskSuccess/SendTaskFailure: a .waitForTaskToken Task (here) and an activity Task
// (Interpreter.Activity.cs) share the wait for the answer and the TimeoutSeconds/HeartbeatSeconds clocks.
internal sealed partial class Interpreter
{
    /// <summary>
    /// A .waitForTaskToken Task waits for SendTaskSuccess or SendTaskFailure with its token, for at most TimeoutSeconds and
    /// HeartbeatSeconds between heartbeats (both scaled by --time-scale, like Wait states), and ends early when the
    /// execution is stopped. Nothing is called, so no TaskSubmitted is written (AWS fills it with the call's response).
    /// </summary>
    private async Task<JsonNode?> RunCallbackTaskAsync(TaskCallbacks callbacks, StateSpec state, TaskCall call, Lane lane, string token,
        CancellationToken ct)
    {
        var history = TaskHistory.For(state.Resource!, Region());
        using var clocks = new TaskClocks(this, call.TimeoutSeconds, call.HeartbeatSeconds);
        // Waiting before TaskScheduled shows the token: a caller who reads it there and answers at once finds the Task.
        using var waiting = callbacks.Wait(token, clocks.RestartHeartbeat);
        Record(lane, history.Scheduled(call), ct);
        Record(lane, history.Started(), ct);
        clocks.StartTimeout();
        clocks.StartHeartbeat();
        return await AwaitAnswerAsync(waiting, clocks, history, lane, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the answer to <paramref name="waiting"/> or for one of the clocks to run out, and records the outcome
    /// (Succeeded, Failed, or TimedOut for States.Timeout/States.HeartbeatTimeout). A stopped execution (or its own
    /// timeout) cancels the wait: the Task is then aborted like any state in progress.
    /// </summary>
    private async Task<JsonNode?> AwaitAnswerAsync(TaskCallbacks.Waiting waiting, TaskClocks clocks, TaskHistory history, Lane lane, CancellationToken ct)
    {
        var first = await Task.WhenAny(waiting.Outcome, clocks.Expired).WaitAsync(ct).ConfigureAwait(false);
        StatesError? failure = first == clocks.Expired ? await clocks.Expired.ConfigureAwait(false) : null;
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

    /// <summary>A one-shot timer after <paramref name="seconds"/> (scaled); none when there is no limit or it is beyond a timer's reach.</summary>
    private ITimer? StartTimer(long? seconds, Action fire)
    {
        if (seconds is not { } limit) return null;
        var due = Scaled(TimeSpan.FromSeconds(limit));
        return due > LongestDelay ? null : Options.Time.CreateTimer(_ => fire(), null, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// A waiting Task's TimeoutSeconds and HeartbeatSeconds, each started when its caller says (an activity's heartbeat
    /// only once a worker has the task); <see cref="Expired"/> completes with the error of the first to run out.
    /// </summary>
    private sealed class TaskClocks(Interpreter owner, long? timeoutSeconds, long? heartbeatSeconds) : IDisposable
    {
        private readonly object _gate = new();
        private readonly TaskCompletionSource<StatesError> _expired = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITimer? _timeout;
        private ITimer? _heartbeat;
        private bool _disposed;

        public Task<StatesError> Expired => _expired.Task;

        public void StartTimeout() => Keep(ref _timeout, owner.StartTimer(timeoutSeconds, () => Expire(ErrorNames.Timeout)));

        public void StartHeartbeat() => Keep(ref _heartbeat, owner.StartTimer(heartbeatSeconds, () => Expire(ErrorNames.HeartbeatTimeout)));

        /// <summary>SendTaskHeartbeat: the heartbeat clock starts again (one racing the Task's end changes nothing).</summary>
        public void RestartHeartbeat()
        {
            lock (_gate)
            {
                if (_disposed || _heartbeat is null || heartbeatSeconds is not { } seconds || _expired.Task.IsCompleted) return;
                _heartbeat.Change(owner.Scaled(TimeSpan.FromSeconds(seconds)), Timeout.InfiniteTimeSpan);
            }
        }

        private void Expire(string error) => _expired.TrySetResult(new StatesError(error, null));

        private void Keep(ref ITimer? field, ITimer? timer)
        {
            lock (_gate)
            {
                if (_disposed) timer?.Dispose();
                else field = timer;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _timeout?.Dispose();
                _heartbeat?.Dispose();
            }
        }
    }
}
