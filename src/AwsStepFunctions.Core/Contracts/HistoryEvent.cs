using System;
using System.Collections.Generic;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// One event of an execution's history (GetExecutionHistory): what Step Functions recorded, in the order it did. The
    /// members every kind of event may carry are lifted out of its details; the details themselves stay whole in Details.
    /// </summary>
    public sealed class HistoryEvent
    {
        /// <summary>The execution the event belongs to: what Get-UeStepFunctionResult and the others bind to from the pipeline.</summary>
        public string ExecutionArn { get; set; } = "";
        /// <summary>1 for ExecutionStarted, then one more for each event.</summary>
        public long Id { get; set; }
        /// <summary>The event this one follows from (0 for ExecutionStarted): a Parallel or Map state's branches each chain
        /// back to it on their own.</summary>
        public long PreviousEventId { get; set; }
        public DateTimeOffset Timestamp { get; set; }
        /// <summary>ExecutionStarted, TaskStateEntered, TaskFailed, ExecutionFailed...: the service's own names.</summary>
        public string Type { get; set; } = "";
        /// <summary>The state entered or exited: only the *StateEntered and *StateExited events name it.</summary>
        public string? StateName { get; set; }
        public string? Error { get; set; }
        public string? Cause { get; set; }
        /// <summary>The input an execution or state was given (left out with -ExcludeExecutionData).</summary>
        public string? Input { get; set; }
        /// <summary>The output of an execution, state or task (left out with -ExcludeExecutionData).</summary>
        public string? Output { get; set; }
        /// <summary>The task's resource (a Lambda function's ARN, an integration such as arn:aws:states:::sqs:sendMessage).</summary>
        public string? Resource { get; set; }
        /// <summary>The event's whole details object as compact JSON text (its members as the service sent them), for what
        /// the members above leave out; null for the events that have none.</summary>
        public string? Details { get; set; }

        public override string ToString() => $"{Id} {Type}";
    }

    /// <summary>One page of GetExecutionHistory, and the token of the next page (null after the last).</summary>
    public sealed class HistoryPage
    {
        public HistoryPage(IReadOnlyList<HistoryEvent> events, string? nextToken)
        {
            Events = events;
            NextToken = nextToken;
        }

        public IReadOnlyList<HistoryEvent> Events { get; }
        public string? NextToken { get; }
    }
}
