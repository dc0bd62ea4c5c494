using System;
using System.Collections.Generic;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// An execution as ListExecutions reports it: who and where, not what (no input, output, error or cause; the execution's
    /// own DescribeExecution has those). Its ExecutionArn binds to -ExecutionArn of the other cmdlets.
    /// </summary>
    public sealed class ExecutionSummary
    {
        public string ExecutionArn { get; set; } = "";
        public string Name { get; set; } = "";
        /// <summary>RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE.</summary>
        public string Status { get; set; } = "";
        public DateTimeOffset? StartDate { get; set; }
        public DateTimeOffset? StopDate { get; set; }
        /// <summary>The state machine itself.</summary>
        public string StateMachineArn { get; set; } = "";
        /// <summary>The version that ran, when the start named a version or an alias.</summary>
        public string? StateMachineVersionArn { get; set; }
        /// <summary>The alias the start went through, if any.</summary>
        public string? StateMachineAliasArn { get; set; }
        /// <summary>How many times it was redriven (0 when never).</summary>
        public int RedriveCount { get; set; }
        public DateTimeOffset? RedriveDate { get; set; }
        /// <summary>The Map Run that started this child execution; listed only with -MapRunArn.</summary>
        public string? MapRunArn { get; set; }
        /// <summary>How many of the Map Run's items this child processed (more than 1 when items are batched); listed only with
        /// -MapRunArn.</summary>
        public int? ItemCount { get; set; }

        /// <summary>The ARN: what a string parameter receives when the object is passed as one.</summary>
        public override string ToString() => ExecutionArn;
    }

    /// <summary>One page of ListExecutions: newest first, and the token of the next page (null after the last).</summary>
    public sealed class ExecutionPage
    {
        public ExecutionPage(IReadOnlyList<ExecutionSummary> executions, string? nextToken)
        {
            Executions = executions;
            NextToken = nextToken;
        }

        public IReadOnlyList<ExecutionSummary> Executions { get; }
        public string? NextToken { get; }
    }
}
