using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Runs a cmdlet's async core calls and hands everything they report back to the calling (pipeline) thread,
    /// because PowerShell forbids Write* from any other thread. One call at a time by default; with -ThrottleLimit,
    /// pipeline input keeps up to that many calls in flight, and each call's outcome is written as it completes.
    /// </summary>
    internal sealed class CallPump
    {
        /// <summary>After Ctrl+C, how long the pipeline thread still waits for the calls to wind down: they end within
        /// milliseconds once cancelled, so this only bounds a call that does not. Keeps Ctrl+C well within a second.</summary>
        public static readonly TimeSpan DefaultCancelGrace = TimeSpan.FromMilliseconds(900);

        private readonly TimeSpan _cancelGrace;
        private readonly Action? _onFirstFailure;

        /// <summary>A safety net only: every event that matters (a call ends, a progress report, Ctrl+C) wakes the pump
        /// at once, so a long wait costs one wake-up per second here.</summary>
        private static readonly TimeSpan PollSlice = TimeSpan.FromSeconds(1);

        private readonly CancellationToken _token;

        /// <summary>
        /// One event for every reason to wake up. Its own spin count is 0 because <see cref="SpinUntilWoken"/> spins first, the
        /// same way on every runtime. It holds no kernel handle and is never disposed: a late completion may still set it
        /// after the cmdlet returned.
        /// </summary>
        private readonly ManualResetEventSlim _wake = new ManualResetEventSlim(false, 0);

        /// <summary>
        /// How many times the pipeline thread looks again before it blocks: a few busy spins, then yields of its time slice,
        /// about as long as a warm call's answer takes to be read on loopback.
        /// </summary>
        private const int SpinsBeforeBlocking = 40;

        private readonly List<PendingCall> _pending = new List<PendingCall>();

        /// <param name="cancelGrace">How long calls may still run after Ctrl+C (see <see cref="DefaultCancelGrace"/>).</param>
        /// <param name="onFirstFailure">Called once, when writing an outcome first throws (-ErrorAction Stop, or a downstream
        /// Select-Object -First that has had enough): the calls still in flight are drained after that, so whatever they
        /// would wait for next (an execution's end) should be given up.</param>
        public CallPump(CancellationToken token, TimeSpan cancelGrace, Action? onFirstFailure = null)
        {
            _token = token;
            _cancelGrace = cancelGrace;
            _onFirstFailure = onFirstFailure;
        }

        /// <summary>
        /// Starts the work now. One call at a time, it runs on this thread until its first real wait (the request is on the
        /// wire by then), so a call costs no thread-pool hop; the core and the SDK await with ConfigureAwait(false), so nothing
        /// comes back to this thread while it is blocked, and a host that installed a SynchronizationContext still gets the
        /// hop. With <paramref name="concurrent"/> the work starts on the thread pool instead: marshalling and signing then
        /// run in parallel with this thread binding the next input (a third more starts per second with 8 in flight).
        /// </summary>
        /// <param name="onAbandoned">Called on this thread for a call still in flight when the pipeline stopped and the grace
        /// ran out: its outcome will never be known here, so the caller records what it does know.</param>
        public void Start<T>(Func<IProgress<WaitProgress>, CancellationToken, Task<T>> work, Action<WaitProgress>? onProgress, Action<Task<T>> onCompleted,
            bool concurrent = false, Action<string>? onTrace = null, bool traceFailuresOnly = false, Action? onAbandoned = null)
        {
            var call = new PendingCall<T>(_wake, onProgress, onCompleted, onTrace, onAbandoned);
            Task<T> task;
            // The trace scope flows into the work's awaits (and into Task.Run), and ends here for this thread.
            using (onTrace == null ? null : RequestTrace.Begin(call.ReportTrace, traceFailuresOnly))
            {
                if (SynchronizationContext.Current == null && !concurrent)
                {
                    // An argument check that throws before the first await must surface like any other failure of the work.
                    try { task = work(call, _token); }
                    catch (Exception ex) { task = Task.FromException<T>(ex); }
                }
                else
                    task = Task.Run(() => work(call, _token));
            }
            call.Attach(task);
            _pending.Add(call);
        }

        /// <summary>Whether calls are still in flight (or completed but not yet written).</summary>
        public bool HasPending => _pending.Count > 0;

        /// <summary>
        /// Replays progress and completions here until at most <paramref name="maxPending"/> calls are still in flight.
        /// Every call that has completed by then is written now, even when fewer calls are in flight: with -ThrottleLimit, an
        /// outcome (an error under -ErrorAction Stop above all) must not wait for the next input record, which would start
        /// more executions first. If a completion throws (-ErrorAction Stop, Ctrl+C), the calls already in flight are still
        /// waited for and written, so no started execution goes unreported; then the first exception is rethrown.
        /// </summary>
        public void DrainTo(int maxPending)
        {
            CancellationTokenRegistration? onCancel = null;
            DateTime? cancelledAt = null;
            Exception? first = null;
            try
            {
                while (true)
                {
                    // Reset before looking, so an event that lands after the checks below still ends the wait.
                    _wake.Reset();
                    for (var i = 0; i < _pending.Count; i++)
                    {
                        var call = _pending[i];
                        if (!call.ReplayProgress(ref first)) continue;
                        _pending.RemoveAt(i--);
                        try { call.Complete(); }
                        catch (Exception ex)
                        {
                            if (first == null) _onFirstFailure?.Invoke();
                            first ??= ex;
                        }
                    }
                    if (_pending.Count == 0 || (first == null && _pending.Count <= maxPending)) break;

                    onCancel ??= _token.Register(() => _wake.Set());
                    var timeout = PollSlice;
                    if (_token.IsCancellationRequested)
                    {
                        cancelledAt ??= DateTime.UtcNow;
                        var graceLeft = _cancelGrace - (DateTime.UtcNow - cancelledAt.Value);
                        if (graceLeft <= TimeSpan.Zero)
                        {
                            AbandonPending();
                            throw new PipelineStoppedException();
                        }
                        // Wake when the grace ends even if the work never does.
                        if (graceLeft < timeout) timeout = graceLeft;
                    }
                    if (!SpinUntilWoken()) _wake.Wait(timeout);
                }
            }
            finally
            {
                onCancel?.Dispose();
            }
            if (first != null) throw Rethrowable(first);
        }

        /// <summary>
        /// Looks for a wake-up for a moment before blocking on it, as Task.Wait does. A warm call's answer usually comes within
        /// that moment, and a thread that blocked is woken through the kernel: on a 2-core VM, in rounds interleaved in one
        /// session, blocking at once made warm Start- and Get- calls 2 to 20 % slower (median of rounds, five sessions) and
        /// cost 3 to 13 % more CPU. The yields give the core away to any thread that is ready, the one reading the answer
        /// included, so concurrent calls lose nothing (-ThrottleLimit 8 was no slower); a wait that lasts (a poll of -Wait)
        /// costs one such moment per wake-up. Thread.Yield, not SpinWait.SpinOnce, past the first spins: SpinOnce sleeps
        /// from its 20th time on, a whole timer tick on Windows (up to 15 ms).
        /// </summary>
        /// <returns>Whether the event was set.</returns>
        private bool SpinUntilWoken()
        {
            var spinner = new SpinWait();
            for (var i = 0; i < SpinsBeforeBlocking; i++)
            {
                if (_wake.IsSet) return true;
                if (spinner.NextSpinWillYield) Thread.Yield();
                else spinner.SpinOnce();
            }
            return _wake.IsSet;
        }

        /// <summary>The calls that did not end within the grace: each says so through its own callback, then is let go.</summary>
        private void AbandonPending()
        {
            foreach (var call in _pending)
            {
                try { call.Abandon(); }
                catch (Exception) { /* a record that cannot be made must not hide the others */ }
            }
            _pending.Clear();
        }

        /// <summary>The result of a completed call, or the exception that ends the cmdlet for it.</summary>
        public static T Unwrap<T>(Task<T> task, CancellationToken token)
        {
            if (task.IsCanceled && token.IsCancellationRequested) throw new PipelineStoppedException();
            if (task.IsFaulted && task.Exception?.InnerException is OperationCanceledException && token.IsCancellationRequested)
                throw new PipelineStoppedException();
            // The task has completed: GetResult does not block, and rethrows the original exception.
            return task.GetAwaiter().GetResult();
        }

        private static Exception Rethrowable(Exception ex)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex).Throw();
            return ex;
        }

        private abstract class PendingCall
        {
            /// <summary>Replays the call's queued progress; true once the call has completed (its last reports replayed).</summary>
            public abstract bool ReplayProgress(ref Exception? first);

            public abstract void Complete();

            public abstract void Abandon();
        }

        /// <summary>What a call reports while it runs: a poll's progress or a line of its wire trace (-Debug, -Verbose).</summary>
        private readonly struct Report
        {
            public Report(WaitProgress? progress, string? traceLine)
            {
                Progress = progress;
                TraceLine = traceLine;
            }

            public WaitProgress? Progress { get; }
            public string? TraceLine { get; }
        }

        /// <summary>A call in flight: its report queue (filled on worker threads) and what to do with its outcome.</summary>
        private sealed class PendingCall<T> : PendingCall, IProgress<WaitProgress>
        {
            private readonly ManualResetEventSlim _wake;
            private readonly Action<WaitProgress>? _onProgress;
            private readonly Action<Task<T>> _onCompleted;
            private readonly Action<string>? _onTrace;
            private readonly Action? _onAbandoned;
            /// <summary>Created by the first report: most calls (a start, a get) never report progress, and an empty
            /// queue still allocates a segment.</summary>
            private ConcurrentQueue<Report>? _reports;
            private Task<T>? _task;

            public PendingCall(ManualResetEventSlim wake, Action<WaitProgress>? onProgress, Action<Task<T>> onCompleted, Action<string>? onTrace,
                Action? onAbandoned)
            {
                _wake = wake;
                _onProgress = onProgress;
                _onCompleted = onCompleted;
                _onTrace = onTrace;
                _onAbandoned = onAbandoned;
            }

            public void Attach(Task<T> task)
            {
                _task = task;
                task.ContinueWith((_, state) => ((ManualResetEventSlim)state!).Set(), _wake, CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            /// <summary>Never calls back on the worker thread (unlike Progress&lt;T&gt;, which needs a SynchronizationContext).</summary>
            public void Report(WaitProgress value) => Enqueue(new Report(value, null));

            public void ReportTrace(string line) => Enqueue(new Report(null, line));

            private void Enqueue(Report report)
            {
                var reports = Volatile.Read(ref _reports);
                if (reports == null)
                {
                    Interlocked.CompareExchange(ref _reports, new ConcurrentQueue<Report>(), null);
                    reports = _reports;
                }
                reports!.Enqueue(report);
                _wake.Set();
            }

            public override bool ReplayProgress(ref Exception? first)
            {
                // Read completion first: reports queued before the task completed are then all in the queue.
                var completed = _task!.IsCompleted;
                var reports = Volatile.Read(ref _reports);
                while (reports != null && reports.TryDequeue(out var report))
                {
                    // Once something failed, progress is no longer worth writing; the outcome still is.
                    if (first != null) continue;
                    try
                    {
                        if (report.Progress != null) _onProgress?.Invoke(report.Progress);
                        else _onTrace?.Invoke(report.TraceLine!);
                    }
                    catch (Exception ex) { first = ex; }
                }
                return completed;
            }

            public override void Complete() => _onCompleted(_task!);

            public override void Abandon() => _onAbandoned?.Invoke();
        }
    }
}
