using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace AwsStepFunctions.Local.Asl;

/// <summary>How SendTaskSuccess/SendTaskFailure answered a waiting Task: its output, or an error and cause.</summary>
internal sealed record CallbackOutcome(JsonNode? Output, StatesError? Failure);

/// <summary>What SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat found for a token.</summary>
public enum CallbackAnswer
{
    /// <summary>A Task was waiting for this token: it has been told.</summary>
    Delivered,
    /// <summary>The token is not one this endpoint hands out.</summary>
    InvalidToken,
    /// <summary>A token of the right form that no Task ever waited for.</summary>
    TaskDoesNotExist,
    /// <summary>The Task that waited for it has ended (answered, timed out, stopped).</summary>
    TaskTimedOut,
}

/// <summary>
/// The .waitForTaskToken Tasks waiting for a callback, across every execution of one endpoint: the engine registers a
/// Task's token while it waits, and SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat reach it here. Tokens of Tasks that
/// have ended are remembered, so a late or repeated callback is told the task has timed out, as the service answers.
/// </summary>
public sealed class TaskCallbacks
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Waiting> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);

    /// <summary>Registers a Task waiting for <paramref name="token"/>; dispose the result when the Task ends, however it ends.</summary>
    internal Waiting Wait(string token, Action onHeartbeat)
    {
        var waiting = new Waiting(this, token, onHeartbeat);
        lock (_gate)
        {
            _ended.Remove(token);
            _waiting[token] = waiting;
        }
        return waiting;
    }

    public CallbackAnswer Succeed(string token, JsonNode? output) =>
        Deliver(token, ends: true, w => w.Complete(new CallbackOutcome(output, null)));

    public CallbackAnswer Fail(string token, string? error, string? cause) =>
        Deliver(token, ends: true, w => w.Complete(new CallbackOutcome(null, new StatesError(error ?? "", cause))));

    /// <summary>Resets the waiting Task's heartbeat clock; writes no history event, as the API reference says.</summary>
    public CallbackAnswer Heartbeat(string token) => Deliver(token, ends: false, w => w.Heartbeat());

    private CallbackAnswer Deliver(string token, bool ends, Action<Waiting> action)
    {
        if (!TaskTokens.IsWellFormed(token)) return CallbackAnswer.InvalidToken;
        Waiting? waiting;
        lock (_gate)
        {
            if (!_waiting.TryGetValue(token, out waiting))
                return _ended.Contains(token) ? CallbackAnswer.TaskTimedOut : CallbackAnswer.TaskDoesNotExist;
            // An answer ends the wait at once: a second one for the same token finds it ended.
            if (ends) End(token, waiting);
        }
        action(waiting);
        return CallbackAnswer.Delivered;
    }

    private void End(string token, Waiting waiting)
    {
        if (_waiting.TryGetValue(token, out var current) && current == waiting) _waiting.Remove(token);
        _ended.Add(token);
    }

    /// <summary>One Task's wait: completes with the callback's outcome; the engine adds its own timeouts around it.</summary>
    internal sealed class Waiting(TaskCallbacks owner, string token, Action onHeartbeat) : IDisposable
    {
        private readonly TaskCompletionSource<CallbackOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<CallbackOutcome> Outcome => _outcome.Task;

        /// <summary>Passes a heartbeat on, unless the wait has already ended (a timeout racing the call).</summary>
        public void Heartbeat()
        {
            if (!_outcome.Task.IsCompleted) onHeartbeat();
        }

        public void Complete(CallbackOutcome outcome) => _outcome.TrySetResult(outcome);

        public void Dispose()
        {
            lock (owner._gate) owner.End(token, this);
        }
    }
}
