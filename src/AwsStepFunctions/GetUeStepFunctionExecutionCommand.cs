using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions
{
    /// <summary>
    /// Lists a state machine's executions, newest first (ListExecutions, page after page), as objects that pipe into
    /// Get-UeStepFunctionResult, Wait-UeStepFunction, Stop-UeStepFunction and Restart-UeStepFunction by their ExecutionArn.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "UeStepFunctionExecution", SupportsPaging = true)]
    [OutputType(typeof(ExecutionSummary))]
    public sealed class GetUeStepFunctionExecutionCommand : UeStepFunctionCmdletBase
    {
        /// <summary>The most one ListExecutions page holds.</summary>
        private const int LargestPage = 1000;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Internal.StateMachineArnCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] StateMachineArn { get; set; } = Array.Empty<string>();

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

        protected override void ProcessRecord()
        {
            // Several ARNs (-StateMachineArn $arns) are several listings, as if piped one by one; -First and -Skip count
            // within each.
            foreach (var arn in StateMachineArn)
            {
                _listing = arn;
                var invocation = BuildInvocation(null);
                try
                {
                    var status = StepFunctionsService.ValidateList(arn, Status);
                    var redrive = StepFunctionsService.ValidateRedriveFilter(RedriveFilter);
                    UseRegionOf(arn, "state_machine_arn");
                    List(arn, status, redrive, invocation);
                }
                catch (StepFunctionsFailure failure)
                {
                    ReportFailure(failure, invocation);
                }
            }
        }

        /// <summary>
        /// Page after page until -First executions after -Skip are written or the list ends; with -IncludeTotalCount to
        /// its end, to count them all. A page asks for no more than is still wanted, so -First 5 is one request for 5.
        /// </summary>
        private void List(string arn, string? status, string? redrive, Invocation invocation)
        {
            var service = Service;
            var paging = PagingParameters;
            ulong seen = 0, written = 0;
            string? nextToken = null;
            var pages = 0;
            var progress = NewProgress("Listing executions");
            do
            {
                var wanted = paging.IncludeTotalCount ? LargestPage : PageSizeFor(paging.Skip > seen ? paging.Skip - seen : 0, paging.First - written);
                if (wanted == 0) break;
                var token = nextToken;
                ExecutionPage? page = null;
                RunCall((_, cancellation) => service.ListPageAsync(arn, status, wanted, token, cancellation, redrive), invocation, listed => page = listed,
                    inline: true);
                FinishCalls();
                // A failed page was written as an error: nothing more of this machine.
                if (page == null) break;
                pages++;
                foreach (var execution in page.Executions)
                {
                    if (++seen <= paging.Skip || written >= paging.First) continue;
                    written++;
                    Internal.ExecutionArnCompleter.Remember(execution.ExecutionArn, execution.Name, execution.Status);
                    WriteObject(execution);
                }
                nextToken = page.NextToken;
                if (nextToken != null)
                    progress.Write(MachineName(arn), $"{seen:N0} execution(s) so far, {pages} page(s)", arn);
            }
            while (nextToken != null);
            // Closes the bar if a later page drew one; nothing otherwise.
            progress.Complete();
            if (paging.IncludeTotalCount) WriteObject(paging.NewTotalCount(seen, 1.0));
        }

        /// <summary>How many to ask for: those still to skip and still wanted, at most a full page (no overflow at First's
        /// default, UInt64.MaxValue).</summary>
        internal static int PageSizeFor(ulong toSkip, ulong stillWanted)
        {
            if (stillWanted == 0) return 0;
            if (toSkip >= LargestPage || stillWanted >= LargestPage) return LargestPage;
            return (int)Math.Min(LargestPage, toSkip + stillWanted);
        }

        private static string MachineName(string arn) => arn.Substring(arn.IndexOf(":stateMachine:", StringComparison.Ordinal) + ":stateMachine:".Length);

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            base.AddInvocationFields(fields, executionArn);
            fields["state_machine_arn"] = _listing;
            fields["status"] = Status;
            fields["redrive_filter"] = RedriveFilter;
        }
    }
}
