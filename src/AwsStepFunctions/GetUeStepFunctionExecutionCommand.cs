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
        [Parameter(Position = 1)]
        [ValidateSet("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE", IgnoreCase = true)]
        public string? Status { get; set; }

        /// <summary>Only executions that have been redriven, or only the others (ListExecutions' redriveFilter).</summary>
        [Parameter]
        [ValidateSet("REDRIVEN", "NOT_REDRIVEN", IgnoreCase = true)]
        public string? RedriveFilter { get; set; }

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
            WritePages((wanted, token, cancellation) => ofMapRun
                    ? service.MapRunExecutionsPageAsync(arn, status, wanted, token, cancellation, redrive)
                    : service.ListPageAsync(arn, status, wanted, token, cancellation, redrive),
                page => page.Executions, page => page.NextToken, invocation, "Listing executions", ListedName(arn), "execution(s)", arn,
                execution => Internal.ExecutionArnCompleter.Remember(execution.ExecutionArn, execution.Name, execution.Status));
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
        }
    }
}
