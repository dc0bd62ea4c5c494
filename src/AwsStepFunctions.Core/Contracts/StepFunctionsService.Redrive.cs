using System;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    /// <summary>Redriving an execution: RedriveExecution, made safe to repeat, and its new end awaited with -Wait.</summary>
    public sealed partial class StepFunctionsService
    {
        /// <summary>
        /// How long a read may still show an execution as it was before its redrive (DescribeExecution is eventually
        /// consistent): a wait does not take that read's FAILED for the redriven run's end, and the answer to a redrive
        /// without a wait is read until it shows the redrive.
        /// </summary>
        internal static readonly TimeSpan RedriveReadLag = TimeSpan.FromSeconds(10);

        /// <summary>
        /// How long a redrive whose every answer was lost may spend reading the execution back to tell whether it took effect: the
        /// SDK's attempts have already taken seconds, so a redrive the service processed shows at once.
        /// </summary>
        private static readonly TimeSpan LostRedriveLookup = TimeSpan.FromSeconds(3);

        public static void ValidateRedrive(RedriveRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            Validate.RedrivableExecutionArn(request.ExecutionArn);
            // Checked with or without Wait: a negative timeout or polling interval is a mistake in the call either way, and a
            // scheduler's task should hear of it on its first run, not on the day someone turns waiting on.
            Validate.WaitOptions(request.WaitOptions);
        }

        /// <summary>
        /// Redrives a FAILED, TIMED_OUT or ABORTED execution: it continues from the state that did not succeed, under the same
        /// ARN. One that is running or has succeeded is reported as it is, without a RedriveExecution: the state the caller
        /// asked for is already there (a scheduler's rerun of a redrive that went through finds it running, and with Wait
        /// waits for it), and nothing is redriven twice. The service decides the rest (its 14 days, a Map Run's children) and
        /// refuses with ExecutionNotRedrivable, exit 20, saying why.
        /// </summary>
        public async Task<RedriveOutcome> RedriveAsync(RedriveRequest request, IProgress<WaitProgress>? progress, CancellationToken cancellationToken)
        {
            ValidateRedrive(request);
            var executionArn = request.ExecutionArn;
            ExecutionResult? before = null;
            try
            {
                before = await Client.DescribeExecutionAsync(executionArn, cancellationToken).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure) when (failure.Kind == FailureKind.Authorization)
            {
                // A role that may redrive but not read executions: redrive without knowing, and let the service judge.
            }
            if (before != null && !EndedUnsuccessfully(before))
            {
                var current = request.Wait && !before.IsFinal
                    ? await WaitAfterRedriveAsync(request, progress, 0, before, cancellationToken).ConfigureAwait(false)
                    : before;
                return new RedriveOutcome(current, foundStatus: before.Status);
            }

            var expected = (before?.RedriveCount ?? 0) + 1;
            var redriven = await RedriveOnceAsync(executionArn, before, expected, cancellationToken).ConfigureAwait(false);
            var end = request.Wait
                ? await WaitAfterRedriveAsync(request, progress, expected, redriven, cancellationToken).ConfigureAwait(false)
                : redriven;
            return new RedriveOutcome(end, foundStatus: null);
        }

        /// <summary>What RedriveExecution continues: an execution that ended without succeeding.</summary>
        private static bool EndedUnsuccessfully(ExecutionResult execution)
            => execution.Status == "FAILED" || execution.Status == "TIMED_OUT" || execution.Status == "ABORTED";

        /// <summary>
        /// One RedriveExecution with a client token of its own, and the execution read back as the redrive left it. When every
        /// answer was lost (the SDK's repeats carry the same token, so they cannot redrive twice), the execution is read back to
        /// tell whether the redrive took effect: reported as redriven if it did, as the failure otherwise, saying what is known.
        /// </summary>
        private async Task<ExecutionResult> RedriveOnceAsync(string executionArn, ExecutionResult? before, int expected, CancellationToken cancellationToken)
        {
            var clientToken = Guid.NewGuid().ToString("N");
            DateTimeOffset redriveDate;
            try
            {
                redriveDate = await Client.RedriveExecutionAsync(executionArn, clientToken, cancellationToken).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure) when (failure.Kind == FailureKind.Cancelled)
            {
                throw new StepFunctionsFailure(FailureKind.Cancelled, ExitCode.Fail, "RedriveCancelled",
                    $"Cancelled while redriving; execution {executionArn} may have been redriven all the same (its redriveCount, shown by Get-UeStepFunctionResult, tells).",
                    target: executionArn, inner: failure) { Execution = before };
            }
            catch (StepFunctionsFailure lost) when (MayHaveStarted(lost) && before?.RedriveCount != null)
            {
                using var lookup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                lookup.CancelAfter(LostRedriveLookup);
                var read = await ReadRedrivenAsync(executionArn, expected, lookup.Token).ConfigureAwait(false);
                if (read != null) return read;
                throw new StepFunctionsFailure(lost.Kind, lost.ExitCode, lost.ErrorId,
                    $"{Sentence(lost.Message)} The redrive may have reached the service, and reading the execution back did not show it "
                    + "redriven: running the command again is safe (an execution that was redriven meanwhile is running or has ended, and is not redriven twice).",
                    lost.Field, executionArn, lost.InnerException) { Detail = lost.Detail, Execution = before };
            }
            using (var lag = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                lag.CancelAfter(RedriveReadLag);
                var read = await ReadRedrivenAsync(executionArn, expected, lag.Token).ConfigureAwait(false);
                if (read != null) return read;
            }
            if (cancellationToken.IsCancellationRequested)
                throw new StepFunctionsFailure(FailureKind.Cancelled, ExitCode.Fail, "OperationCancelled",
                    $"Cancelled after execution {executionArn} was redriven, before it could be read back.", target: executionArn)
                { ExecutionStarted = true };
            // The service said it redrove it, and no read showed it yet: what its answer means, from the execution as it was.
            return new ExecutionResult
            {
                ExecutionArn = executionArn,
                StateMachineArn = before?.StateMachineArn,
                StateMachineVersionArn = before?.StateMachineVersionArn,
                StateMachineAliasArn = before?.StateMachineAliasArn,
                Name = before?.Name,
                Status = "RUNNING",
                StartDate = before?.StartDate,
                Input = before?.Input,
                RedriveCount = before?.RedriveCount != null ? expected : (int?)null,
                RedriveDate = redriveDate,
            };
        }

        /// <summary>
        /// The execution once a read shows it redriven (<paramref name="expected"/> redrives, or running when the service does
        /// not count them); null when no read did before the token ended. Transient failures are asked again until then.
        /// </summary>
        private async Task<ExecutionResult?> ReadRedrivenAsync(string executionArn, int expected, CancellationToken cancellationToken)
        {
            var pause = TimeSpan.FromMilliseconds(100);
            while (true)
            {
                try
                {
                    var read = await Client.DescribeExecutionAsync(executionArn, cancellationToken).ConfigureAwait(false);
                    if (read.RedriveCount is int count ? count >= expected : !read.IsFinal) return read;
                }
                catch (StepFunctionsFailure failure) when (IsTransient(failure) && !cancellationToken.IsCancellationRequested)
                {
                }
                catch (Exception ex) when (ex is StepFunctionsFailure || ex is OperationCanceledException)
                {
                    return null;
                }
                try { await Task.Delay(pause, cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { return null; }
                if (pause < TimeSpan.FromSeconds(1)) pause = TimeSpan.FromTicks(pause.Ticks * 2);
            }
        }

        /// <summary>The wait after a redrive (or for an execution found running): a failure still names the execution.</summary>
        private async Task<ExecutionResult> WaitAfterRedriveAsync(RedriveRequest request, IProgress<WaitProgress>? progress, int minRedriveCount,
            ExecutionResult known, CancellationToken cancellationToken)
        {
            try
            {
                return await WaitCoreAsync(request.ExecutionArn, request.WaitOptions, progress, TimeSpan.Zero, cancellationToken, minRedriveCount)
                    .ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure)
            {
                failure.ExecutionStarted = minRedriveCount > 0;
                failure.Execution ??= known;
                throw;
            }
        }
    }
}
