using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    // Waiting for an execution to end: the polling loop, its backoff through transient failures, and when it gives up.
    public sealed partial class StepFunctionsService
    {
        /// <summary>
        /// Poll DescribeExecution until a final status. Transient failures (throttling, 5xx, connection) are
        /// retried until a documented bound; cancellation returns at once (and stops the execution with StopOnCancel).
        /// </summary>
        public Task<ExecutionResult> WaitAsync(string executionArn, WaitOptions options, IProgress<WaitProgress>? progress, CancellationToken cancellationToken)
        {
            ValidateWait(executionArn, options);
            return WaitCoreAsync(executionArn, options, progress, TimeSpan.Zero, cancellationToken);
        }

        /// <summary>
        /// DescribeExecution is eventually consistent: right after our own StartExecution it may still answer
        /// ExecutionDoesNotExist, which is then retried for notFoundGrace instead of ending the wait.
        /// </summary>
        /// <param name="minRedriveCount">After a redrive: a final status read with fewer redrives than this is the execution
        /// before it (reads lag writes), not its end, for <see cref="RedriveReadLag"/>.</param>
        private async Task<ExecutionResult> WaitCoreAsync(string executionArn, WaitOptions options, IProgress<WaitProgress>? progress,
            TimeSpan notFoundGrace, CancellationToken cancellationToken, int minRedriveCount = 0)
        {
            // StopWaiting ends this wait exactly as cancellation does (WaitCancelled, StopOnCancel applies).
            using var either = options.StopWaiting.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, options.StopWaiting) : null;
            if (either != null) cancellationToken = either.Token;
            var clock = Stopwatch.StartNew();
            var interval = TimeSpan.FromSeconds(options.PollingIntervalSeconds);
            var timeout = options.TimeoutSeconds is double t ? TimeSpan.FromSeconds(t) : (TimeSpan?)null;
            var unreachable = TimeSpan.FromSeconds(options.UnreachableTimeoutSeconds);
            // When the current run of failed polls began (null while polls succeed).
            TimeSpan? failingSince = null;
            var polls = 0;
            var failuresInRow = 0;
            ExecutionResult? last = null;
            string? lastTransient = null;
            var random = new Random();
            // The timeout also ends a poll in flight: a slow or retried request (100 s each by default) must not carry the
            // wait far past it. CancelAfter takes at most ~49 days; longer timeouts are checked between polls only.
            using var deadline = timeout.HasValue && timeout.Value < MaxDeadlineTimer ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
            deadline?.CancelAfter(timeout!.Value);
            var pollToken = deadline?.Token ?? cancellationToken;
            // Invariant digits: the message is the task's status_description, read by schedulers whatever the machine's culture.
            string TimeoutText() => timeout!.Value.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            StepFunctionsFailure TimedOut() => new StepFunctionsFailure(FailureKind.Timeout, ExitCode.Fail, "WaitTimeout",
                last != null
                    ? $"Gave up waiting after {TimeoutText()} s; the execution is still {last.Status}: {executionArn}"
                    : $"Gave up waiting after {TimeoutText()} s; the execution's status is unknown (no poll succeeded): {executionArn}",
                target: executionArn) { Execution = last, Detail = "The execution was not stopped." };
            var sleptToDeadline = false;
            try
            {
                while (true)
                {
                    TimeSpan delay;
                    // The deadline came during the sleep: one more poll, so that "still RUNNING" is never said from a read made
                    // a polling interval ago (with the default 10 s interval, a 5 s timeout gave up on an execution that had
                    // ended in milliseconds). It has a bound of its own, the deadline's token having fired; any failure of it
                    // ends the wait as timed out, with the status last seen.
                    var atDeadline = sleptToDeadline || (timeout.HasValue && clock.Elapsed >= timeout.Value);
                    using var finalPoll = atDeadline ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
                    finalPoll?.CancelAfter(FinalPollBound);
                    var token = finalPoll?.Token ?? pollToken;
                    // The unreachable bound also ends a poll in flight: an endpoint that takes connections and never answers
                    // held one DescribeExecution for three request timeouts (5 min by default), whatever the bound said. Never
                    // sooner than MinPollBound, which leaves the SDK's own retries of errors that did get an answer (throttling
                    // backs off for well under a second) to end the poll and say what they were.
                    // Unreachable time counts from the first poll that failed, not from the last success: the polling interval
                    // slept since then (which may be longer than the bound) is no sign of an unreachable endpoint.
                    var pollStarted = clock.Elapsed;
                    var budget = unreachable - (pollStarted - (failingSince ?? pollStarted));
                    if (budget < MinPollBound) budget = MinPollBound;
                    using var pollBound = budget < MaxDeadlineTimer ? CancellationTokenSource.CreateLinkedTokenSource(token) : null;
                    pollBound?.CancelAfter(budget);
                    try
                    {
                        last = await Client.DescribeExecutionAsync(executionArn, pollBound?.Token ?? token).ConfigureAwait(false);
                        polls++;
                        failuresInRow = 0;
                        lastTransient = null;
                        failingSince = null;
                        progress?.Report(new WaitProgress(executionArn, last.Status, clock.Elapsed, polls, null));
                        if (last.IsFinal && !(last.RedriveCount < minRedriveCount && clock.Elapsed < RedriveReadLag)) return last;
                        if (atDeadline) throw TimedOut();
                        delay = interval;
                    }
                    catch (Exception ex) when (atDeadline && !cancellationToken.IsCancellationRequested && !(ex is StepFunctionsFailure { ErrorId: "WaitTimeout" }))
                    {
                        // The final read failed (or took too long): the status last seen is what there is to report.
                        throw TimedOut();
                    }
                    catch (StepFunctionsFailure failure) when (!pollToken.IsCancellationRequested
                        && (IsTransient(failure) || (failure.Kind == FailureKind.NotFound && last == null && clock.Elapsed < notFoundGrace)))
                    {
                        polls++;
                        failuresInRow++;
                        lastTransient = failure.ErrorId + ": " + failure.Message;
                        failingSince ??= pollStarted;
                        progress?.Report(new WaitProgress(executionArn, last?.Status ?? "UNKNOWN", clock.Elapsed, polls, lastTransient));
                        if (clock.Elapsed - failingSince.Value >= unreachable)
                            throw GaveUpAfterTransientFailures(executionArn, failure, unreachable, lastTransient!, last);
                        delay = Backoff(interval, failuresInRow, random);
                    }
                    catch (Exception ex) when (pollBound != null && pollBound.IsCancellationRequested && !pollToken.IsCancellationRequested && IsCancellation(ex))
                    {
                        var seconds = budget.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
                        var noAnswer = new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, "NoAnswer",
                            $"DescribeExecution got no answer within {seconds} s", target: executionArn);
                        throw GaveUpAfterTransientFailures(executionArn, noAnswer, unreachable,
                            lastTransient ?? noAnswer.ErrorId + ": " + noAnswer.Message, last);
                    }

                    if (timeout.HasValue)
                    {
                        // Wake at the deadline at the latest, for the final poll; the sleep is not cut by the deadline's token,
                        // which ends polls in flight only.
                        var remaining = timeout.Value - clock.Elapsed;
                        if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
                        // Marked, not measured again on waking: a timer may fire a little early, and a poll then started just
                        // before the deadline would be cut by it, with no final read.
                        if (delay >= remaining)
                        {
                            delay = remaining;
                            sleptToDeadline = true;
                        }
                    }
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (deadline != null && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested && IsCancellation(ex))
            {
                throw TimedOut();
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && IsCancellation(ex))
            {
                var after = options.StopOnCancel ? await TryStopAsync(executionArn, last).ConfigureAwait(false) : null;
                var stopped = after != null;
                last = after ?? last;
                throw new StepFunctionsFailure(FailureKind.Cancelled, ExitCode.Fail, "WaitCancelled",
                    stopped ? $"The wait was cancelled and execution {executionArn} was stopped."
                            : $"The wait was cancelled; execution {executionArn} was left {(options.StopOnCancel ? "as it was (stopping it failed)" : "running")}.",
                    target: executionArn, inner: ex) { Execution = last };
            }
        }

        /// <summary>
        /// The end of a wait whose polls kept failing for UnreachableTimeout: the proxy's own failure (11) as it was; throttling
        /// as throttling (1: the endpoint answered every poll, so "unreachable" would send the operator to the network);
        /// anything else as an unreachable endpoint (10).
        /// </summary>
        private static StepFunctionsFailure GaveUpAfterTransientFailures(string executionArn, StepFunctionsFailure failure, TimeSpan bound,
            string lastTransient, ExecutionResult? last)
        {
            var seconds = bound.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            var (kind, code, id, message) = failure.Kind switch
            {
                FailureKind.Proxy => (FailureKind.Proxy, ExitCode.ProxyConnectionError, failure.ErrorId, failure.Message),
                FailureKind.Throttled => (FailureKind.Throttled, ExitCode.Fail, "ThrottledTooLong",
                    $"Gave up waiting for {executionArn}: every DescribeExecution was throttled for {seconds} s (last error: {lastTransient})."),
                _ => (FailureKind.Connection, ExitCode.ConnectionError, "EndpointUnreachable",
                    $"Gave up waiting for {executionArn}: no successful DescribeExecution for {seconds} s (last error: {lastTransient})."),
            };
            return new StepFunctionsFailure(kind, code, id, message, target: executionArn, inner: failure)
            { Detail = failure.Detail ?? lastTransient, Execution = last };
        }

        /// <summary>The ways a cancelled call ends: the runtime's exception, or the client's mapped failure.</summary>
        private static bool IsCancellation(Exception ex)
            => ex is OperationCanceledException || (ex is StepFunctionsFailure failure && failure.Kind == FailureKind.Cancelled);

        /// <summary>Transient while waiting: the network, the proxy, throttling, 5xx. Never auth, validation or not-found.</summary>
        internal static bool IsTransient(StepFunctionsFailure failure)
            => (failure.Kind == FailureKind.Connection && failure.ErrorId != FailureMapper.NotAStepFunctionsEndpoint)
               || failure.Kind == FailureKind.Proxy || failure.Kind == FailureKind.Throttled;

        /// <summary>Exponential from the polling interval, capped at 30 s (or the interval if larger), with full jitter on the upper half.</summary>
        internal static TimeSpan Backoff(TimeSpan interval, int failuresInRow, Random random)
        {
            var cap = interval > MaxBackoff ? interval : MaxBackoff;
            var factor = Math.Pow(2, Math.Min(failuresInRow - 1, 16));
            var ticks = Math.Min(cap.Ticks, interval.Ticks * factor);
            return TimeSpan.FromTicks((long)(ticks * (0.5 + random.NextDouble() * 0.5)));
        }
    }
}
