using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions
{
    /// <summary>
    /// Lists a state machine's executions, or a Distributed Map run's child executions, newest first (ListExecutions, page
    /// after page), as objects that pipe into Get-UeStepFunctionResult, Wait-UeStepFunction, Stop-UeStepFunction and
    /// Restart-UeStepFunction by their ExecutionArn.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "UeStepFunctionExecution", SupportsPaging = true, DefaultParameterSetName = MachineSet)]
    [OutputType(typeof(ExecutionSummary))]
    public sealed class GetUeStepFunctionExecutionCommand : UeStepFunctionCmdletBase
    {
        private const string MachineSet = "StateMachine";
        private const string MapRunSet = "MapRun";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = MachineSet)]
        [ArgumentCompleter(typeof(Internal.StateMachineArnCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] StateMachineArn { get; set; } = Array.Empty<string>();

        /// <summary>A Distributed Map run's ARN: its child executions instead of a machine's. Binds from the pipeline what
        /// Get-UeStepFunctionMapRun writes.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = MapRunSet)]
        [ArgumentCompleter(typeof(Internal.MapRunArnCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] MapRunArn { get; set; } = Array.Empty<string>();

        /// <summary>Only executions in this status (ListExecutions' statusFilter: one status per listing).</summary>
        /// <summary>
        /// Positional only after a machine ARN: with -MapRunArn a positional ARN must not bind here (it would be refused as
        /// a status, hiding that a machine and a Map Run were both given).
        /// </summary>
        [Parameter(Position = 1, ParameterSetName = MachineSet)]
        [Parameter(ParameterSetName = MapRunSet)]
        [ValidateSet("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE", IgnoreCase = true)]
        public string? Status { get; set; }

        /// <summary>Only executions that have been redriven, or only the others (ListExecutions' redriveFilter).</summary>
        [Parameter]
        [ValidateSet("REDRIVEN", "NOT_REDRIVEN", IgnoreCase = true)]
        public string? RedriveFilter { get; set; }

        /// <summary>Only executions with these names: plain names or wildcard patterns, in any case. A plain name that matches
        /// nothing is an error, once the whole list has been read; the listing stops as soon as every plain name is found.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Internal.ExecutionNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only executions started at this time or later. The list is newest first, so it is read no further back.</summary>
        [Parameter]
        [Internal.InstantTransformation]
        public DateTime? StartedAfter { get; set; }

        /// <summary>Only executions started before this time.</summary>
        [Parameter]
        [Internal.InstantTransformation]
        public DateTime? StartedBefore { get; set; }

        protected override string ActionName => "List Executions";

        /// <summary>The machine being listed, for the invocation block of an error.</summary>
        private string? _listing;

        private bool OfMapRun => ParameterSetName == MapRunSet;

        protected override void ProcessRecord()
        {
            // Several ARNs (-StateMachineArn $arns) are several listings, as if piped one by one; -First and -Skip count
            // within each.
            foreach (var arn in OfMapRun ? MapRunArn : StateMachineArn)
            {
                _listing = arn;
                var invocation = BuildInvocation(null);
                try
                {
                    if (OfMapRun) StepFunctionsService.ValidateMapRun(arn);
                    var status = OfMapRun ? Validate.ExecutionStatus(Status) : StepFunctionsService.ValidateList(arn, Status);
                    var redrive = StepFunctionsService.ValidateRedriveFilter(RedriveFilter);
                    Validate.StartedWindow(Instant(StartedAfter), Instant(StartedBefore));
                    UseRegionOf(arn, OfMapRun ? "map_run_arn" : "state_machine_arn");
                    List(arn, status, redrive, invocation);
                }
                catch (StepFunctionsFailure failure)
                {
                    ReportFailure(failure, invocation);
                }
            }
        }

        private void List(string arn, string? status, string? redrive, Invocation invocation)
        {
            var service = Service;
            var ofMapRun = OfMapRun;
            var filter = Internal.ExecutionListFilter.For(Name, Instant(StartedAfter), Instant(StartedBefore));
            var complete = WritePages((wanted, token, cancellation) => ofMapRun
                    ? service.MapRunExecutionsPageAsync(arn, status, wanted, token, cancellation, redrive)
                    : service.ListPageAsync(arn, status, wanted, token, cancellation, redrive),
                page => page.Executions, page => page.NextToken, invocation, "Listing executions", ListedName(arn), "execution(s)", arn,
                execution => Internal.ExecutionArnCompleter.Remember(execution.ExecutionArn, execution.Name, execution.Status),
                filter == null ? null : filter.Judge, filter?.Narrows ?? false);
            // As Get-Process does: a plain name that matches nothing is an error (a pattern is not). Only a list read to its end
            // can tell; one that -First cut short or a failed page ended cannot.
            if (filter == null || !complete) return;
            foreach (var name in filter.MissingNames)
                WriteFailure(new StepFunctionsFailure(FailureKind.Validation, ExitCode.DataValidationError, "ExecutionNotFound",
                    $"No execution named '{name}' is listed for {ListedName(arn)}{Conditions(status)}.", "name", name), invocation);
        }

        /// <summary>The listing's other conditions, for a not-found message: " (status FAILED; started at or after ...)".</summary>
        private string Conditions(string? status)
        {
            var parts = new List<string>();
            if (status != null) parts.Add("status " + status);
            if (RedriveFilter != null) parts.Add(RedriveFilter.ToUpperInvariant());
            if (StartedAfter != null) parts.Add($"started at or after {Instant(StartedAfter)!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z");
            if (StartedBefore != null) parts.Add($"started before {Instant(StartedBefore)!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z");
            return parts.Count == 0 ? "" : " (" + string.Join("; ", parts) + ")";
        }

        /// <summary>A time as given to PowerShell: one without a kind ([datetime]'2026-12-01') is local time, as Get-Date's is.</summary>
        private static DateTimeOffset? Instant(DateTime? time)
        {
            if (time == null) return null;
            // ToUniversalTime, not the DateTimeOffset constructor: it clamps [datetime]::MinValue instead of throwing east of UTC.
            var utc = time.Value.Kind == DateTimeKind.Utc ? time.Value : time.Value.ToUniversalTime();
            return new DateTimeOffset(utc, TimeSpan.Zero);
        }

        /// <summary>The machine's name, or the Map Run's machine/label (valid ARNs only reach here).</summary>
        private string ListedName(string arn)
        {
            if (!OfMapRun) return arn.Substring(arn.IndexOf(":stateMachine:", StringComparison.Ordinal) + ":stateMachine:".Length);
            var start = arn.IndexOf(":mapRun:", StringComparison.Ordinal) + ":mapRun:".Length;
            return arn.Substring(start, arn.LastIndexOf(':') - start);
        }

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            base.AddInvocationFields(fields, executionArn);
            fields[OfMapRun ? "map_run_arn" : "state_machine_arn"] = _listing;
            fields["status"] = Status;
            fields["redrive_filter"] = RedriveFilter;
            fields["name"] = Name == null ? null : string.Join(",", Name);
            fields["started_after"] = Instant(StartedAfter)?.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
            fields["started_before"] = Instant(StartedBefore)?.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
