using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsStepFunctions.Core;
using AwsStepFunctions.Internal;

namespace AwsStepFunctions
{
    /// <summary>
    /// The parameters of a wait, shared by Start-UeStepFunction (-Wait) and Wait-UeStepFunction, and the one
    /// place they become the core's WaitOptions.
    /// </summary>
    public abstract class UeStepFunctionWaitingCmdletBase : UeStepFunctionCmdletBase
    {
        [Parameter]
        public double PollingInterval { get; set; } = 10;

        [Parameter]
        public double Timeout { get; set; }

        [Parameter]
        public SwitchParameter StopOnCancel { get; set; }

        /// <summary>How long the endpoint may stay unreachable during a wait before it ends with exit code 10.</summary>
        [Parameter]
        public double UnreachableTimeout { get; set; } = 300;

        /// <summary>With -StopOnCancel, Ctrl+C waits for StopExecution (bounded by the core): a stop cut short by the usual
        /// grace would leave the execution running while the user believes it stopped.</summary>
        private protected override TimeSpan CancelGrace => StopOnCancel.IsPresent
            ? StepFunctionsService.StopOnCancelBound + TimeSpan.FromMilliseconds(500)
            : base.CancelGrace;

        /// <summary>
        /// SIGTERM is taken as Ctrl+C (TerminationSignal) while this cmdlet starts or waits: a start in flight is as much worth
        /// reporting as a wait, since the execution may exist by then (a task cancelled during its start died with exit 143 and
        /// no JSON, its execution unnamed).
        /// </summary>
        protected override void BeginProcessing()
        {
            TakeTerminationAsCancel();
            base.BeginProcessing();
        }

        /// <summary>
        /// The wait's safeguards mean nothing without -Wait: saying so once beats a -Timeout or -StopOnCancel silently not
        /// enforced. -PollingInterval alone is harmless (a scheduler may send one for every run) and passes without a word. Values
        /// out of range are not ignored: they are refused, as with -Wait.
        /// </summary>
        /// <param name="done">What the cmdlet does instead of waiting ("started", "redriven").</param>
        private protected void WarnOfWaitParametersWithoutWait(bool wait, string done)
        {
            if (wait) return;
            // A value out of range is refused with each record (the values are checked with or without -Wait): "ignored"
            // would contradict that error.
            try { Validate.WaitOptions(BuildWaitOptions()); }
            catch (StepFunctionsFailure) { return; }
            var bound = MyInvocation.BoundParameters;
            var ignored = new List<string>();
            foreach (var name in new[] { nameof(Timeout), nameof(UnreachableTimeout) })
                if (bound.ContainsKey(name)) ignored.Add("-" + name);
            if (StopOnCancel.IsPresent) ignored.Add("-" + nameof(StopOnCancel));
            if (ignored.Count == 0) return;
            WarningLines.Write(this, $"{string.Join(", ", ignored)} {(ignored.Count == 1 ? "applies" : "apply")} only with -Wait: ignored, the execution is {done} and not waited for.");
        }

        /// <summary>A progress bar for a wait, with how much of -Timeout has passed when it was given.</summary>
        private protected WaitProgressWriter NewWaitProgress(string activity)
            => NewProgress(activity, MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) && Timeout > 0 && Timeout < TimeSpan.MaxValue.TotalSeconds
                ? TimeSpan.FromSeconds(Timeout) : (TimeSpan?)null);

        private protected WaitOptions BuildWaitOptions() => new WaitOptions
        {
            PollingIntervalSeconds = PollingInterval,
            // Bound means given: zero or a negative value is the core's validation error, not "no timeout".
            TimeoutSeconds = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : (double?)null,
            StopOnCancel = StopOnCancel.IsPresent,
            UnreachableTimeoutSeconds = UnreachableTimeout,
            StopWaiting = StopWaitingToken,
        };
    }
}
