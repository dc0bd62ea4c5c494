using System;
using System.ComponentModel;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>Turns the core's poll reports into Write-Progress records (called on the pipeline thread only).</summary>
    internal sealed class WaitProgressWriter
    {
        private readonly PSCmdlet _cmdlet;
        private readonly string _activity;
        private readonly int _activityId;
        private readonly TimeSpan? _timeout;
        private ProgressRecord? _record;
        /// <summary>The host failed to draw a progress record once: no more are sent to it.</summary>
        private bool _hostCannotShowProgress;

        /// <param name="timeout">-Timeout when given: the bar then shows how much of it has passed. Without it, how long an
        /// execution runs is unknown, and the bar shows no percentage.</param>
        public WaitProgressWriter(PSCmdlet cmdlet, string activity, int activityId, TimeSpan? timeout = null)
        {
            _cmdlet = cmdlet;
            _activity = activity;
            _activityId = activityId;
            _timeout = timeout;
        }

        public void Write(WaitProgress report)
        {
            var status = $"{report.Status} after {report.Elapsed.TotalSeconds:0} s, {report.Polls} poll(s)";
            if (!string.IsNullOrEmpty(report.LastTransientError)) status += $"; retrying after: {report.LastTransientError}";
            // A new record per report: hosts that keep the progress stream (jobs, runspaces, remoting) hold references,
            // and a record changed after it was written would rewrite that history.
            // The execution's name in the title: with -ThrottleLimit several bars are shown at once.
            var name = report.ExecutionArn.Substring(report.ExecutionArn.LastIndexOf(':') + 1);
            _record = new ProgressRecord(_activityId, $"{_activity}: {name}", status) { CurrentOperation = report.ExecutionArn };
            if (_timeout is TimeSpan timeout && timeout > TimeSpan.Zero)
            {
                var left = timeout - report.Elapsed;
                // 99 at most: the bar reads "done" only when the wait is.
                _record.PercentComplete = (int)Math.Min(99, Math.Max(0, report.Elapsed.Ticks * 100 / timeout.Ticks));
                _record.SecondsRemaining = (int)Math.Max(0, Math.Ceiling(left.TotalSeconds));
            }
            WriteToHost(_record);
            VerboseLines.Write(_cmdlet, $"{report.ExecutionArn}: {status}");
        }

        /// <summary>A progress record of any other long call (a listing's pages): "activity: title", and its status.</summary>
        public void Write(string title, string status, string? currentOperation = null)
        {
            _record = new ProgressRecord(_activityId, $"{_activity}: {title}", status) { CurrentOperation = currentOperation };
            WriteToHost(_record);
        }

        public void Complete()
        {
            if (_record == null) return;
            WriteToHost(new ProgressRecord(_activityId, _record.Activity, _record.StatusDescription)
            {
                CurrentOperation = _record.CurrentOperation,
                RecordType = ProgressRecordType.Completed,
            });
        }

        /// <summary>
        /// A host that cannot draw progress (powershell.exe without a usable console answers "The handle is invalid") must
        /// not turn a wait that succeeded into a failure with no result: progress is dropped from then on, the wait goes on.
        /// What the user asked to stop on still stops: Ctrl+C, a stopping pipeline, $ProgressPreference = 'Stop'.
        /// </summary>
        private void WriteToHost(ProgressRecord record)
        {
            if (_hostCannotShowProgress) return;
            try
            {
                _cmdlet.WriteProgress(record);
            }
            catch (Exception e) when (e is HostException || e is IOException || e is Win32Exception)
            {
                _hostCannotShowProgress = true;
                VerboseLines.Write(_cmdlet, $"Progress is no longer shown: the host could not draw it ({e.GetType().Name}: {e.Message}).");
            }
        }
    }
}
