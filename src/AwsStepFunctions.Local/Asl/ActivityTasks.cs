using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Local.Asl;

/// <summary>What GetActivityTask hands a worker: the token to answer with and the Task's input (JSON text).</summary>
public sealed record ActivityAssignment(string TaskToken, string Input);

/// <summary>
/// The activity tasks scheduled and not yet taken, and the workers polling for them, per activity ARN, across every
/// execution of one endpoint. A task waits in FIFO order until one worker takes it (exactly once: the hand-over happens
/// under one lock), its execution withdraws it (TimeoutSeconds, a stop), or the endpoint closes.
/// </summary>
public sealed class ActivityTasks(Func<string, bool> activityExists)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedList<Scheduled>> _scheduled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<Scheduled>>> _pollers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();

    /// <summary>Whether an activity of that ARN exists now (the server's store answers).</summary>
    public bool Exists(string activityArn) => activityExists(activityArn);

    /// <summary>
    /// Schedules a task: the first worker polling <paramref name="activityArn"/> takes it, and <paramref name="start"/> runs
    /// on that worker's request before it is answered (it records ActivityStarted and returns the token, or null when the
    /// execution has ended meanwhile). Dispose the result when the Task ends, however it ends.
    /// </summary>
    internal Scheduled Schedule(string activityArn, string input, Func<string?, string?> start)
    {
        var task = new Scheduled(this, activityArn, input, start);
        lock (_gate)
        {
            // A worker already waiting takes it at once, the one that has waited longest first.
            if (_pollers.TryGetValue(activityArn, out var pollers))
            {
                while (pollers.First is { } first)
                {
                    pollers.RemoveFirst();
                    task.Claimed = true;
                    if (first.Value.TrySetResult(task)) return task;
                    task.Claimed = false;
                }
            }
            if (!_scheduled.TryGetValue(activityArn, out var queue)) _scheduled[activityArn] = queue = new();
            task.Node = queue.AddLast(task);
        }
        return task;
    }

    /// <summary>
    /// GetActivityTask's long poll: the oldest task scheduled for the activity, or the first one scheduled within
    /// <paramref name="wait"/> (wall-clock time); null when none came, the caller went away or the endpoint is closing.
    /// </summary>
    public async Task<ActivityAssignment?> PollAsync(string activityArn, string? workerName, TimeSpan wait, CancellationToken cancel)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, _closing.Token);
        linked.CancelAfter(wait);
        while (await TakeAsync(activityArn, linked.Token).ConfigureAwait(false) is { } task)
        {
            // Null: the execution ended between the hand-over and now; the task is gone, so keep polling.
            if (task.Start(workerName) is { } token) return new ActivityAssignment(token, task.Input);
        }
        return null;
    }

    /// <summary>Ends every poll at once (the endpoint is shutting down): each answers as a poll that found nothing.</summary>
    public void Close() => _closing.Cancel();

    private async Task<Scheduled?> TakeAsync(string activityArn, CancellationToken cancel)
    {
        var waiter = new TaskCompletionSource<Scheduled>(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<TaskCompletionSource<Scheduled>> node;
        lock (_gate)
        {
            if (cancel.IsCancellationRequested) return null;
            if (_scheduled.TryGetValue(activityArn, out var queue) && queue.First is { } oldest)
            {
                queue.RemoveFirst();
                if (queue.Count == 0) _scheduled.Remove(activityArn);
                oldest.Value.Claimed = true;
                return oldest.Value;
            }
            if (!_pollers.TryGetValue(activityArn, out var pollers)) _pollers[activityArn] = pollers = new();
            node = pollers.AddLast(waiter);
        }
        using (cancel.Register(() => Abandon(activityArn, node)))
        {
            try
            {
                return await waiter.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>A poll that ends without a task leaves the line, unless a task was handed to it in the same instant (it keeps that one).</summary>
    private void Abandon(string activityArn, LinkedListNode<TaskCompletionSource<Scheduled>> node)
    {
        lock (_gate)
        {
            if (node.Value.Task.IsCompleted) return;
            if (node.List is not null) node.List.Remove(node);
            node.Value.TrySetCanceled();
        }
    }

    /// <summary>One scheduled activity task, from ActivityScheduled until its Task ends.</summary>
    internal sealed class Scheduled(ActivityTasks owner, string activityArn, string input, Func<string?, string?> start) : IDisposable
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Input => input;

        /// <summary>Set (under the owner's lock) once a worker took the task or its Task withdrew it: nobody else can have it.</summary>
        public bool Claimed { get; set; }

        public LinkedListNode<Scheduled>? Node { get; set; }

        /// <summary>Completes once the worker's ActivityStarted is recorded.</summary>
        public Task Started => _started.Task;

        public string? Start(string? workerName)
        {
            var token = start(workerName);
            if (token is not null) _started.TrySetResult();
            return token;
        }

        /// <summary>Takes the task back unless a worker has it: true when no worker will ever get it.</summary>
        public bool Withdraw()
        {
            lock (owner._gate)
            {
                if (Claimed) return false;
                if (Node?.List is { } queue)
                {
                    queue.Remove(Node);
                    if (queue.Count == 0) owner._scheduled.Remove(activityArn);
                }
                Claimed = true;
                return true;
            }
        }

        public void Dispose() => Withdraw();
    }
}
