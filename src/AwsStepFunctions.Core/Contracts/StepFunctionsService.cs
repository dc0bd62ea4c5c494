using System;
using System.Runtime.CompilerServices;
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
            // A blank name is no name (one is generated); a given one must fit with its "-RunCount" suffix.
            if (!string.IsNullOrWhiteSpace(request.ExecutionName)) Validate.ExecutionNameWithRunCount(request.ExecutionName!, request.RunCount);
            // Checked with or without Wait: a negative timeout or polling interval is a mistake in the call either way, and a
            // scheduler's task should hear of it on its first run, not on the day someone turns waiting on.
            Validate.WaitOptions(request.WaitOptions);
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
    }
}
