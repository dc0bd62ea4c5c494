using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// The module's use cases over one client: what each cmdlet does, without PowerShell.
    /// Every method validates its input before any call leaves the machine and throws StepFunctionsFailure.
    /// </summary>
    /// <remarks>
    /// Exit codes chosen here: a wait that reaches WaitOptions.TimeoutSeconds while the execution still runs ends with
    /// ExitCode.Fail (1, ErrorId "WaitTimeout", Kind Timeout, "FAIL: Gave up waiting after N s; the execution is still
    /// RUNNING: arn"): the endpoint answered every poll, so a connection error (10) would send the operator to the network;
    /// the execution did not fail either (so not 23-25). An endpoint unreachable for longer than
    /// WaitOptions.UnreachableTimeoutSeconds during a wait also ends with 10 (11 when the proxy was the problem).
    /// A cancelled wait ends with Kind Cancelled, exit 1.
    /// </remarks>
    public sealed partial class StepFunctionsService
    {
        /// <summary>How long StopOnCancel may spend stopping the execution after the caller cancelled.</summary>
        public static readonly TimeSpan StopOnCancelBound = TimeSpan.FromSeconds(3);

        /// <summary>The least time a stop after a cancelled start's read-back is given, however long the read-back took.</summary>
        private static readonly TimeSpan MinStopTime = TimeSpan.FromMilliseconds(500);
        /// <summary>
        /// An execution read back after a lost answer counts as this call's own start only if it started after this call did,
        /// less this much (the moment is carried onto the service's clock when its answer has a Date header: see ReadBack).
        /// An older execution with the same name and input is an earlier run (a rerun of a fast task comes seconds after it),
        /// and reporting it as started now would be a false success.
        /// </summary>
        private static readonly TimeSpan StartClockAllowance = TimeSpan.FromSeconds(1);
        /// <summary>Reads lag writes: a start's execution may be "not found" for a moment after the start was processed.</summary>
        private static readonly TimeSpan ReadBackNotFoundGrace = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan MaxDeadlineTimer = TimeSpan.FromDays(40);
        /// <summary>How long a poll in flight may always take before the unreachable bound ends it (see WaitCoreAsync).</summary>
        private static readonly TimeSpan MinPollBound = TimeSpan.FromSeconds(5);
        /// <summary>How long the one read made at a wait's deadline may take: a few round trips, so -Timeout is not stretched by much.</summary>
        private static readonly TimeSpan FinalPollBound = TimeSpan.FromSeconds(3);
        /// <summary>How long a start cancelled mid-request may spend finding out whether it created the execution anyway:
        /// within the cmdlet's grace after Ctrl+C (0.9 s).</summary>
        private static readonly TimeSpan CancelledStartLookup = TimeSpan.FromMilliseconds(600);
        private static readonly TimeSpan NotFoundGraceAfterStart = TimeSpan.FromSeconds(10);
        /// <summary>How long a start whose every answer was lost may spend reading back the execution it may have created.</summary>
        private static readonly TimeSpan LostStartLookup = TimeSpan.FromSeconds(10);
        private readonly StateMachineTypes _types;

        /// <summary>How long a start cancelled mid-request may spend reading back its execution (tests that check what the
        /// read-back finds, not how fast a loaded machine answers, give it longer).</summary>
        internal TimeSpan CancelledStartLookupBound { get; set; } = CancelledStartLookup;

        /// <summary>How long a start whose every answer was lost may spend reading back its execution (tests of a read-back
        /// that never succeeds give it less).</summary>
        internal TimeSpan LostStartLookupBound { get; set; } = LostStartLookup;

        public StepFunctionsService(IStepFunctionsClient client)
        {
            Client = client;
            _types = new StateMachineTypes(client);
        }

        public IStepFunctionsClient Client { get; }

        /// <summary>Where, as whom and through what the client connects, for -Verbose; null for a client that cannot say.</summary>
        public string? ConnectionDescription => (Client as Sdk.SdkStepFunctionsClient)?.Description;

        // The checks each operation makes before any request. Public so that a caller can make them before it even builds a
        // client: bad input is then a validation error (20) whatever the credentials, and no credential chain (instance
        // metadata included) is consulted for a call that cannot be made.

        public static void ValidateStart(StartRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            Validate.StateMachineArn(request.StateMachineArn);
            Validate.Input(request.Input);
            Validate.RunCount(request.RunCount);
            if (!string.IsNullOrEmpty(request.ExecutionName)) Validate.ExecutionName(request.ExecutionName);
            if (request.Wait) Validate.WaitOptions(request.WaitOptions);
        }

        public static void ValidateGet(string executionArn) => Validate.TrackedExecutionArn(executionArn, stopping: false);

        public static void ValidateWait(string executionArn, WaitOptions options)
        {
            Validate.TrackedExecutionArn(executionArn, stopping: false);
            Validate.WaitOptions(options);
        }

        public static void ValidateStop(string executionArn, string? error, string? cause)
        {
            Validate.TrackedExecutionArn(executionArn, stopping: true);
            Validate.StopReason(error, cause);
        }

        /// <summary>
        /// Validate, build the name (ExecutionNames.Build), start; with Wait, EXPRESS machines go through
        /// StartSyncExecution and STANDARD ones are polled (WaitAsync).
        /// </summary>
        public async Task<ExecutionResult> StartAsync(StartRequest request, IProgress<WaitProgress>? progress, CancellationToken cancellationToken)
        {
            ValidateStart(request);
            var name = ExecutionNames.Build(request.ExecutionName, request.RunCount);
            var input = request.Input ?? "{}";

            var type = request.Wait ? await _types.TypeUnlessDeniedAsync(request.StateMachineArn, cancellationToken).ConfigureAwait(false) : null;
            if (type == "EXPRESS")
                return await Client.StartSyncExecutionAsync(request.StateMachineArn, name, input, cancellationToken).ConfigureAwait(false);

            var started = await StartStandardAsync(request.StateMachineArn, name, input, request.Wait && request.WaitOptions.StopOnCancel,
                cancellationToken).ConfigureAwait(false);
            if (!request.Wait) return started;
            if (Validate.IsExpressExecutionArn(started.ExecutionArn)) throw ExpressStartedUnwaitable(started, typeDenied: type == null);
            try
            {
                return await WaitCoreAsync(started.ExecutionArn, request.WaitOptions, progress, NotFoundGraceAfterStart, cancellationToken).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure)
            {
                failure.ExecutionStarted = true;
                failure.Execution ??= started;
                throw;
            }
        }

        /// <summary>
        /// A -Wait start went through StartExecution, and the machine was EXPRESS after all (its execution ARN says so): its type
        /// could not be read, or the machine was recreated as EXPRESS since its type was read as STANDARD (trusted for
        /// StateMachineTypes.DefaultLifetime). It runs, but Step Functions keeps no state to poll. Said at once, with the execution.
        /// </summary>
        private static StepFunctionsFailure ExpressStartedUnwaitable(ExecutionResult started, bool typeDenied)
        {
            const string Unwaitable = "and Step Functions keeps no state of an EXPRESS execution to wait for. It runs on its own (its history is in the machine's CloudWatch Logs).";
            return typeDenied
                ? new StepFunctionsFailure(FailureKind.Authorization, ExitCode.AuthorizationError, "ExpressTypeNotReadable",
                    $"Started EXPRESS execution {started.ExecutionArn}, but cannot wait for it: reading the state machine's type was denied "
                    + $"(states:DescribeStateMachine), so it was started with StartExecution, {Unwaitable} Grant states:DescribeStateMachine "
                    + "so that -Wait runs an EXPRESS machine with StartSyncExecution and reports its result.",
                    target: started.ExecutionArn) { ExecutionStarted = true, Execution = started }
                : new StepFunctionsFailure(FailureKind.Unexpected, ExitCode.Fail, "MachineTypeChanged",
                    $"Started EXPRESS execution {started.ExecutionArn}, but cannot wait for it: the state machine was STANDARD when this "
                    + $"connection read its type (in the last {StateMachineTypes.DefaultLifetime.TotalMinutes:0} minutes) and has been recreated "
                    + $"as EXPRESS since, so it was started with StartExecution, {Unwaitable} The next -Wait reads the type again after that time.",
                    target: started.ExecutionArn) { ExecutionStarted = true, Execution = started };
        }

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

        public Task<ExecutionResult> GetAsync(string executionArn, CancellationToken cancellationToken)
        {
            ValidateGet(executionArn);
            return Client.DescribeExecutionAsync(executionArn, cancellationToken);
        }

        /// <summary>
        /// Stops a running execution. The service answers a stop of one that has already ended with the date it ended, so
        /// only its state before the call tells whether this call stopped it: an execution stopped earlier would otherwise
        /// read as stopped now. One that has ended is reported as it is, without a StopExecution.
        /// </summary>
        public async Task<StopOutcome> StopAsync(string executionArn, string? error, string? cause, CancellationToken cancellationToken)
        {
            ValidateStop(executionArn, error, cause);
            ExecutionResult? before = null;
            try
            {
                before = await Client.DescribeExecutionAsync(executionArn, cancellationToken).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure) when (failure.Kind == FailureKind.Authorization)
            {
                // A role that may stop but not read executions: stop without knowing, as before the first read existed.
            }
            if (before is { IsFinal: true }) return new StopOutcome(before, stoppedNow: false);
            await Client.StopExecutionAsync(executionArn, error, cause, cancellationToken).ConfigureAwait(false);
            var after = await Client.DescribeExecutionAsync(executionArn, cancellationToken).ConfigureAwait(false);
            // It may have ended on its own between the two reads: then this call stopped nothing.
            return new StopOutcome(after, stoppedNow: after.Status == "ABORTED");
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

        /// <summary>
        /// Stops the execution a cancelled call was about; null when the stop failed. Otherwise its state after the stop (read
        /// within the same bound), so a report that says "stopped" does not show the RUNNING of the last poll; if that read
        /// fails, the known state marked as the stop left it.
        /// </summary>
        private async Task<ExecutionResult?> TryStopAsync(string executionArn, ExecutionResult? known, TimeSpan? within = null,
            StrongBox<bool>? notFound = null)
        {
            using var bound = new CancellationTokenSource(within ?? StopOnCancelBound);
            DateTimeOffset stopDate;
            try
            {
                stopDate = await Client.StopExecutionAsync(executionArn, "Cancelled", "The task waiting for this execution was cancelled.", bound.Token).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure)
            {
                if (notFound != null) notFound.Value = failure.Kind == FailureKind.NotFound;
                return null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            try
            {
                return await Client.DescribeExecutionAsync(executionArn, bound.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StepFunctionsFailure || ex is OperationCanceledException)
            {
                var marked = known ?? new ExecutionResult { ExecutionArn = executionArn };
                if (!marked.IsFinal)
                {
                    marked.Status = "ABORTED";
                    marked.StopDate = stopDate;
                }
                return marked;
            }
        }

        /// <summary>
        /// StartExecution, made safe against a lost response: the SDK's retry repeats the same name and input, which the
        /// service answers idempotently while the execution runs. If the first attempt's execution has already closed, the
        /// retry gets ExecutionAlreadyExists: then the would-be execution is described, and when it has our input and started
        /// after this call began, it is ours and is reported instead of an error. EXPRESS machines (started here without
        /// -Wait) have no such idempotency: their start is never repeated after a lost answer (SfnRetryPolicy).
        /// </summary>
        private async Task<ExecutionResult> StartStandardAsync(string stateMachineArn, string name, string input, bool stopOnCancel,
            CancellationToken cancellationToken)
        {
            var call = new CallClock();
            // A start whose answer is lost is repeated only for a STANDARD machine. The type is not read before the start (one
            // more request, and a permission a start-only policy may not grant): only when an answer is lost and the SDK
            // would repeat the request.
            Func<Task<MachineTypeLookup>>? lookUpType = _types.Known(stateMachineArn) == "STANDARD" ? null : () => _types.TryGetAsync(stateMachineArn, cancellationToken);
            try
            {
                return await Client.StartExecutionAsync(stateMachineArn, name, input, lookUpType, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception cancelled) when (cancellationToken.IsCancellationRequested && IsCancellation(cancelled))
            {
                throw await CancelledStartAsync(stateMachineArn, name, input, call, stopOnCancel, cancelled).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure conflict) when (conflict.Kind == FailureKind.Conflict && conflict.AfterUnansweredAttempt)
            {
                // Only a repeat can meet its own execution: an ExecutionAlreadyExists answered to the first attempt is someone
                // else's run (a rerun with the same name, even seconds after the last one), and is reported as such.
                var read = await ReadBackBoundedAsync(stateMachineArn, name, call, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                    throw await CancelledStartAsync(stateMachineArn, name, input, call, stopOnCancel, conflict).ConfigureAwait(false);
                if (read != null && read.IsOwnStart(input, call)) return read.Execution;
                if (read != null) throw AboutExisting(conflict, stateMachineArn, name);
                throw AboutExisting(conflict, stateMachineArn, name,
                    $"{Sentence(conflict.Message)} An earlier attempt of this call went unanswered, so that execution may be this call's own start (it could not be read back to tell).");
            }
            catch (StepFunctionsFailure conflict) when (conflict.Kind == FailureKind.Conflict)
            {
                throw AboutExisting(conflict, stateMachineArn, name);
            }
            catch (StepFunctionsFailure lost) when (MayHaveStarted(lost) && !cancellationToken.IsCancellationRequested
                                                    && _types.Known(stateMachineArn) != "EXPRESS")
            {
                // Every answer was lost, but an attempt may have been processed: the execution would exist under the name sent.
                // (An EXPRESS execution cannot be read back: DescribeExecution does not know them.)
                // Found (with this call's input, started since), it is this call's start and is reported as one; otherwise
                // the error names the execution to look for, so that nobody starts it again blindly.
                var notFound = new StrongBox<bool>();
                var read = await ReadBackBoundedAsync(stateMachineArn, name, call, cancellationToken, notFound).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                    throw await CancelledStartAsync(stateMachineArn, name, input, call, stopOnCancel, lost).ConfigureAwait(false);
                if (read != null && read.IsOwnStart(input, call))
                {
                    RequestTrace.Writer?.Write($"StartExecution {name}: no answer reached this call, but the execution exists with this call's input: reported as started.");
                    return read.Execution;
                }
                var message = read != null
                    ? $"{Sentence(lost.Message)} An execution named {name} exists, but it is not this call's: it started before this call"
                      + (SameJson(read.Execution.Input, input) ? "" : " or with another input")
                      + $" ({read.Execution.StartDate?.ToString("yyyy-MM-dd HH:mm:ss.fff zzz", System.Globalization.CultureInfo.InvariantCulture) ?? "start unknown"}), so this call started nothing under that name."
                    : lost.Message.IndexOf("may have started", StringComparison.Ordinal) >= 0 ? lost.Message
                    : notFound.Value
                    ? $"{Sentence(lost.Message)} The request may have reached the service: an execution named {name} may have started, but it was not found when read back for {ReadBackNotFoundGrace.TotalSeconds:0} s."
                    : $"{Sentence(lost.Message)} The request may have reached the service: an execution named {name} may have started (it could not be read back to tell).";
                // Not found: the target is the execution to look for (and the one a retry under the same name would meet).
                var target = read == null ? ExecutionArnFor(Validate.WithoutTestCase(stateMachineArn), name) : lost.Target;
                throw new StepFunctionsFailure(lost.Kind, lost.ExitCode, lost.ErrorId, message, lost.Field, target, lost.InnerException)
                { Detail = lost.Detail, AfterUnansweredAttempt = lost.AfterUnansweredAttempt };
            }
        }

        /// <summary>
        /// ExecutionAlreadyExists is about the execution that holds the name (the one the service's message names), not the
        /// state machine the request was about: that is its target, for the error's category line and $Error's TargetName.
        /// </summary>
        private static StepFunctionsFailure AboutExisting(StepFunctionsFailure conflict, string stateMachineArn, string name, string? message = null)
            => new StepFunctionsFailure(conflict.Kind, conflict.ExitCode, conflict.ErrorId, message ?? conflict.Message, conflict.Field,
                ExecutionArnFor(Validate.WithoutTestCase(stateMachineArn), name), conflict.InnerException)
            { Detail = conflict.Detail, AfterUnansweredAttempt = conflict.AfterUnansweredAttempt };

        /// <summary>
        /// Cancelled while starting (or while reading back a start): the service may have created the execution all the same.
        /// Find out briefly (the caller's token is already cancelled, so a bound of its own), so that it is reported with the
        /// failure, and stopped with StopOnCancel, instead of running on unknown to anyone. Whatever the read-back finds, the
        /// failure names the execution the start would have made (its Target), so that $Error says what to look for.
        /// </summary>
        private async Task<StepFunctionsFailure> CancelledStartAsync(string stateMachineArn, string name, string input, CallClock call,
            bool stopOnCancel, Exception cause)
        {
            var wouldBe = ExecutionArnFor(Validate.WithoutTestCase(stateMachineArn), name);
            StepFunctionsFailure StartCancelled(string message, ExecutionResult? execution = null)
                => new StepFunctionsFailure(FailureKind.Cancelled, ExitCode.Fail, "StartCancelled", "Cancelled while starting; " + message,
                    target: execution?.ExecutionArn ?? wouldBe, inner: cause) { Execution = execution, ExecutionStarted = execution != null };
            // With -StopOnCancel the read-back and the stop share one bound (the cmdlet's grace allows for it): the read-back
            // gets half, so that a stop is still sent when the read-back cannot tell.
            var bound = stopOnCancel ? StopOnCancelBound : CancelledStartLookupBound;
            var clock = Stopwatch.StartNew();
            TimeSpan Left() => bound - clock.Elapsed > MinStopTime ? bound - clock.Elapsed : MinStopTime;
            var notFound = new StrongBox<bool>();
            ReadBack? read;
            using (var lookup = new CancellationTokenSource(stopOnCancel ? TimeSpan.FromTicks(bound.Ticks / 2) : bound))
                read = await ReadBackAsync(stateMachineArn, name, call, lookup.Token, TimeSpan.Zero, notFound).ConfigureAwait(false);
            if (read != null && read.IsOwnStart(input, call))
            {
                var after = stopOnCancel ? await TryStopAsync(read.Execution.ExecutionArn, read.Execution, Left()).ConfigureAwait(false) : null;
                return StartCancelled($"execution {read.Execution.ExecutionArn} had already started and was {(after != null ? "stopped" : "left running")}.",
                    after ?? read.Execution);
            }
            if (read != null)
                return StartCancelled($"the execution named {name} is not this call's (another input, or an earlier start), so this call started nothing.");
            // Not found is what the service knew then: a request still on its way may yet be processed.
            if (notFound.Value)
                return StartCancelled($"no execution {wouldBe} was found when read back: the start had not taken effect then (a request still on its way could yet).");
            // Unknown: the service did not answer in time. With -StopOnCancel a stop of the would-be execution, in the time left,
            // settles it when it did start (a stop of one that does not exist fails); otherwise the record names it.
            var stopFoundNothing = new StrongBox<bool>();
            var stopped = stopOnCancel ? await TryStopAsync(wouldBe, null, Left(), stopFoundNothing).ConfigureAwait(false) : null;
            if (stopped != null) return StartCancelled($"execution {wouldBe} could not be read back, but it had started: it was stopped.", stopped);
            if (stopFoundNothing.Value)
                return StartCancelled($"execution {wouldBe} could not be read back, and a stop found no such execution: the start had not taken effect then (a request still on its way could yet).");
            return StartCancelled($"execution {wouldBe} may have started (it could not be read back to tell){(stopOnCancel ? ", and it could not be stopped." : ".")}");
        }

        /// <summary>A message as a sentence, so that more can follow it.</summary>
        private static string Sentence(string message) => message.TrimEnd().EndsWith(".", StringComparison.Ordinal) ? message : message.TrimEnd() + ".";

        /// <summary>
        /// A failure after which the start may have been processed: an earlier attempt went unanswered (then throttling or a
        /// refused connection may have ended the call), or the last one did: no answer, or a 5xx, from something that was
        /// Step Functions. Not a connection that never opened (nothing was sent), nor TLS or a non-Step Functions answer.
        /// </summary>
        private static bool MayHaveStarted(StepFunctionsFailure failure)
            => failure.Kind != FailureKind.Cancelled
               && (failure.AfterUnansweredAttempt // an earlier attempt's outcome is unknown, whatever ended the call
                   || (failure.Kind == FailureKind.Connection
                       && failure.ErrorId != FailureMapper.NotAStepFunctionsEndpoint && failure.ErrorId != "TlsError"
                       && !FailureMapper.NeverSent(failure)));

        /// <summary>When a start call began: on this machine's clock, and as a stopwatch to carry that moment onto the service's.</summary>
        private sealed class CallClock
        {
            public DateTimeOffset Began { get; } = DateTimeOffset.UtcNow;
            public Stopwatch Since { get; } = Stopwatch.StartNew();
        }

        /// <summary>An execution read back by name, and when the start call began on the service's clock, if its answer said.</summary>
        private sealed class ReadBack
        {
            public ReadBack(ExecutionResult execution, DateTimeOffset? callBeganOnServiceClock)
            {
                Execution = execution;
                CallBeganOnServiceClock = callBeganOnServiceClock;
            }

            public ExecutionResult Execution { get; }
            public DateTimeOffset? CallBeganOnServiceClock { get; }

            /// <summary>
            /// Our input, and started after this call began: this call's own start, not an earlier run with the same name. The
            /// moment is taken on the service's clock when its answer had a Date header (whole seconds, so a second more is
            /// allowed), so a machine whose clock drifts neither hides its own start nor adopts a run seconds older.
            /// </summary>
            public bool IsOwnStart(string input, CallClock call)
            {
                var began = CallBeganOnServiceClock ?? call.Began;
                var allowance = CallBeganOnServiceClock != null ? StartClockAllowance + TimeSpan.FromSeconds(1) : StartClockAllowance;
                return Execution.StartDate.HasValue && Execution.StartDate.Value >= began - allowance && SameJson(Execution.Input, input);
            }
        }

        /// <summary>The would-be execution, read back within LostStartLookup and the caller's token, not-found asked again for a moment.</summary>
        private async Task<ReadBack?> ReadBackBoundedAsync(string stateMachineArn, string name, CallClock call, CancellationToken cancellationToken,
            StrongBox<bool>? notFound = null)
        {
            using var lookup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lookup.CancelAfter(LostStartLookupBound);
            return await ReadBackAsync(stateMachineArn, name, call, lookup.Token, ReadBackNotFoundGrace, notFound).ConfigureAwait(false);
        }

        /// <summary>The execution a start named <paramref name="name"/> would have made, whoever made it; null when it does not
        /// exist (still, after <paramref name="notFoundGrace"/>) or cannot be read before the lookup ends (transient failures
        /// are asked again until then). <paramref name="notFound"/> says which: the service answered that it does not exist.</summary>
        private async Task<ReadBack?> ReadBackAsync(string stateMachineArn, string name, CallClock call, CancellationToken cancellationToken,
            TimeSpan notFoundGrace, StrongBox<bool>? notFound = null)
        {
            var executionArn = ExecutionArnFor(Validate.WithoutTestCase(stateMachineArn), name);
            var clock = Stopwatch.StartNew();
            var transientInRow = 0;
            while (true)
            {
                try
                {
                    if (Client is Sdk.SdkStepFunctionsClient sdk)
                    {
                        var read = await sdk.DescribeExecutionWithDateAsync(executionArn, cancellationToken).ConfigureAwait(false);
                        // The service's clock at its answer, less the time since the call began: the call's start on that clock.
                        return new ReadBack(read.Execution, read.ServiceDate - call.Since.Elapsed);
                    }
                    return new ReadBack(await Client.DescribeExecutionAsync(executionArn, cancellationToken).ConfigureAwait(false), null);
                }
                catch (StepFunctionsFailure missing) when (missing.Kind == FailureKind.NotFound && clock.Elapsed < notFoundGrace)
                {
                    try { await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false); }
                    catch (OperationCanceledException) { return null; }
                }
                catch (StepFunctionsFailure passing) when (IsTransient(passing) && !cancellationToken.IsCancellationRequested)
                {
                    // The network or the service failing for a moment (the SDK's own attempts spent) says nothing about the
                    // execution: ask again until the lookup's bound, since "could not tell" leaves the caller to guess whether
                    // a retry of its own would start a second execution.
                    transientInRow++;
                    var pause = TimeSpan.FromMilliseconds(Math.Min(2000, 250 * Math.Pow(2, transientInRow - 1)));
                    try { await Task.Delay(pause, cancellationToken).ConfigureAwait(false); }
                    catch (OperationCanceledException) { return null; }
                }
                catch (Exception ex) when (ex is StepFunctionsFailure || ex is OperationCanceledException)
                {
                    if (notFound != null) notFound.Value = ex is StepFunctionsFailure { Kind: FailureKind.NotFound };
                    return null;
                }
            }
        }

        /// <summary>arn:p:states:r:a:stateMachine:sm[:qualifier] -> arn:p:states:r:a:execution:sm:name.</summary>
        internal static string ExecutionArnFor(string stateMachineArn, string name)
        {
            var parts = stateMachineArn.Split(':');
            return string.Join(":", parts[0], parts[1], parts[2], parts[3], parts[4], "execution", parts[6], name);
        }

        internal static bool SameJson(string? left, string? right)
        {
            if (left == null || right == null) return left == right;
            if (left == right) return true;
            try
            {
                using var a = JsonDocument.Parse(left);
                using var b = JsonDocument.Parse(right);
                return JsonSerializer.Serialize(a.RootElement) == JsonSerializer.Serialize(b.RootElement);
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
