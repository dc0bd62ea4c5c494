using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    // Starting an execution exactly once: the start, and when its answer is lost or cancelled, reading back what it did.
    public sealed partial class StepFunctionsService
    {
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
