using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>Turns the core's poll reports into Write-Progress records (called on the pipeline thread only).</summary>
    internal sealed class WaitProgressWriter
    {
        private readonly Cmdlet _cmdlet;
        private readonly string _activity;
        private ProgressRecord? _record;

        public WaitProgressWriter(Cmdlet cmdlet, string activity)
        {
            _cmdlet = cmdlet;
            _activity = activity;
        }

        public void Write(WaitProgress report)
        {
            var status = $"{report.Status} after {report.Elapsed.TotalSeconds:0} s, {report.Polls} poll(s)";
            if (!string.IsNullOrEmpty(report.LastTransientError)) status += $"; retrying after: {report.LastTransientError}";
            _record ??= new ProgressRecord(1, _activity, status);
            _record.StatusDescription = status;
            _record.CurrentOperation = report.ExecutionArn;
            _cmdlet.WriteProgress(_record);
            _cmdlet.WriteVerbose($"{report.ExecutionArn}: {status}");
        }

        public void Complete()
        {
            if (_record == null) return;
            _record.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(_record);
        }
    }
}
