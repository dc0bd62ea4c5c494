using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Awaits an async core call from a cmdlet: the work's continuations run on the thread pool, progress
    /// reports are queued and replayed on the calling (pipeline) thread, because PowerShell forbids Write*
    /// from any other thread.
    /// </summary>
    internal static class PipelinePump
    {
        /// <summary>After Ctrl+C, how long the pipeline thread still waits for the core to wind down
        /// (-StopOnCancel sends StopExecution in that time). Keeps Ctrl+C well within a second locally.</summary>
        private static readonly TimeSpan CancelGrace = TimeSpan.FromMilliseconds(900);

        /// <summary>A safety net only: every event that matters (the work ends, a progress report, Ctrl+C) wakes the pump at
        /// once, so a long wait costs one wake-up per second here, not twenty.</summary>
        private static readonly TimeSpan PollSlice = TimeSpan.FromSeconds(1);

        public static T Run<T>(Func<IProgress<WaitProgress>, CancellationToken, Task<T>> work, Action<WaitProgress>? onProgress, CancellationToken token)
        {
            // One user-mode event for every reason to wake up. A ManualResetEventSlim waits by spinning briefly and then on a
            // monitor: a sub-millisecond call never allocates a kernel event (Task.AsyncWaitHandle did, on every call) and
            // the pipeline thread resumes without a round trip through the kernel. It is not disposed: it holds no handle,
            // and a late progress report or completion may still set it after a cancelled cmdlet has returned.
            var wake = new ManualResetEventSlim(false);
            var queue = new ConcurrentQueue<WaitProgress>();
            var progress = new QueueProgress(queue, wake);
            // The work starts on this thread and leaves it at its first real wait (the request is on the wire by then):
            // a hop through Task.Run would cost every call a thread-pool dispatch. The core and the SDK await with
            // ConfigureAwait(false), so nothing comes back to this blocked thread. A host that installed a
            // SynchronizationContext on the pipeline thread still gets the hop, so no stray continuation can deadlock.
            Task<T> task;
            if (SynchronizationContext.Current == null)
            {
                // An argument check that throws before the first await must surface like any other failure of the work.
                try { task = work(progress, token); }
                catch (Exception ex) { task = Task.FromException<T>(ex); }
            }
            else
                task = Task.Run(() => work(progress, token));
            task.ContinueWith(_ => wake.Set(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            using var onCancel = token.Register(() => wake.Set());
            DateTime? cancelledAt = null;

            while (true)
            {
                // Reset before looking, so an event that lands after the checks below still ends the wait.
                wake.Reset();
                while (queue.TryDequeue(out var item)) onProgress?.Invoke(item);
                if (task.IsCompleted) break;
                var timeout = PollSlice;
                if (token.IsCancellationRequested)
                {
                    cancelledAt ??= DateTime.UtcNow;
                    var graceLeft = CancelGrace - (DateTime.UtcNow - cancelledAt.Value);
                    if (graceLeft <= TimeSpan.Zero) throw new PipelineStoppedException();
                    // Wake when the grace ends even if the work never does.
                    if (graceLeft < timeout) timeout = graceLeft;
                }
                wake.Wait(timeout);
            }

            if (task.IsCanceled && token.IsCancellationRequested) throw new PipelineStoppedException();
            if (task.IsFaulted && task.Exception?.InnerException is OperationCanceledException && token.IsCancellationRequested)
                throw new PipelineStoppedException();
            // The task has completed: GetResult does not block, and rethrows the original exception.
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Never calls back on the worker thread (unlike Progress&lt;T&gt;, which needs a SynchronizationContext).</summary>
        private sealed class QueueProgress : IProgress<WaitProgress>
        {
            private readonly ConcurrentQueue<WaitProgress> _queue;
            private readonly ManualResetEventSlim _wake;

            public QueueProgress(ConcurrentQueue<WaitProgress> queue, ManualResetEventSlim wake)
            {
                _queue = queue;
                _wake = wake;
            }

            public void Report(WaitProgress value)
            {
                // A report that arrives after the cmdlet gave up is queued and never read: harmless, the queue dies with it.
                _queue.Enqueue(value);
                _wake.Set();
            }
        }
    }
}
