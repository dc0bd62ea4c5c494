using System;
using System.Collections;
using System.Management.Automation;

namespace AwsStepFunctions.UniversalTask
{
    /// <summary>
    /// The task's last step, which UeStepFunctionTask.ps1 calls from its finally as one method call: the report (the outcome,
    /// or what a cancel left behind), its lines on stderr and JSON on stdout, and, run as its process, the exit with the
    /// report's code. One call because PowerShell honours a stop between commands and statements, not inside a .NET method:
    /// a stop still being delivered when the finally began (Ctrl+C, or SIGTERM taken as Ctrl+C, on a loaded machine) cut a
    /// report written with commands short, and pwsh -File whose script was stopped exits 0 with nothing on stdout: a
    /// cancelled task looked like a success (seen 2 times in 37 under load, 2026-12-01; none in 50 since).
    /// </summary>
    public static class TaskEnd
    {
        /// <param name="outcome">The task's outcome; null when the task was cancelled before it had one.</param>
        /// <param name="boundFields">The script's $PSBoundParameters (for a cancel's report).</param>
        /// <param name="errors">$Error: a cancelled start left its record there.</param>
        /// <param name="errorBeforeRun">$Error's newest record before the task ran; anything newer is this run's.</param>
        /// <param name="importFailure">Why the module's import failed, if it did.</param>
        /// <param name="runsAsProcess">The process ends with the task (pwsh -File): it exits here with the report's code.</param>
        /// <returns>The report, for a script called with &amp;; a cancel's JSON is already on stdout then.</returns>
        public static TaskOutcome Finish(object? outcome, IDictionary boundFields, IList? errors, object? errorBeforeRun, object? importFailure,
            bool runsAsProcess)
        {
            if (outcome is PSObject wrapped) outcome = wrapped.BaseObject;
            var cancelled = outcome is not TaskOutcome;
            var report = outcome as TaskOutcome ?? InvokeUeStepFunctionTaskCommand.ReportCancelled(boundFields, errors, errorBeforeRun, importFailure);
            // Warnings (verbose and debug lines with -Verbose or -Debug), then a failure's description: stdout is the JSON's.
            foreach (var line in report.Messages) Console.Error.WriteLine(line);
            if (runsAsProcess || cancelled)
            {
                // Straight to stdout: the pipeline may be stopping, and a fresh PowerShell's first output through Out-Default
                // costs ~18 ms.
                Console.Out.WriteLine(report.Json);
                Console.Out.Flush();
            }
            // The process's exit code is the report's, even if a stop arrives now: pwsh -File whose pipeline was stopped exits 0.
            if (runsAsProcess) Environment.Exit(report.ExitCode);
            return report;
        }
    }
}
