using System;

namespace AwsStepFunctions.Core
{
    /// <summary>An execution as DescribeExecution / StartSyncExecution report it (the Extension Output's "result").</summary>
    /// <summary>A redrive's result: the execution after it (after the wait, with one), and whether this call redrove it.</summary>
    public sealed class RedriveOutcome
    {
        public RedriveOutcome(ExecutionResult execution, string? foundStatus)
        {
            Execution = execution;
            FoundStatus = foundStatus;
        }

        public ExecutionResult Execution { get; }
        /// <summary>Null when this call redrove the execution; else the status that left nothing to redrive (RUNNING, SUCCEEDED...).</summary>
        public string? FoundStatus { get; }
        public bool RedrivenNow => FoundStatus == null;
    }

    /// <summary>A stop's result: the execution after it, and whether this call is what stopped it.</summary>
    public sealed class StopOutcome
    {
        public StopOutcome(ExecutionResult execution, bool stoppedNow)
        {
            Execution = execution;
            StoppedNow = stoppedNow;
        }

        public ExecutionResult Execution { get; }
        public bool StoppedNow { get; }
    }

    public sealed class ExecutionResult
    {
        public string ExecutionArn { get; set; } = "";
        /// <summary>The state machine itself, never a version or alias of it.</summary>
        public string? StateMachineArn { get; set; }
        /// <summary>The version that ran, when the start named a version or an alias (and, for an alias, once described).</summary>
        public string? StateMachineVersionArn { get; set; }
        /// <summary>The alias the start went through, if any.</summary>
        public string? StateMachineAliasArn { get; set; }
        public string? Name { get; set; }
        /// <summary>RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE.</summary>
        public string Status { get; set; } = "";
        public DateTimeOffset? StartDate { get; set; }
        public DateTimeOffset? StopDate { get; set; }
        public string? Input { get; set; }
        public string? Output { get; set; }
        /// <summary>outputDetails.included, when the service reported it.</summary>
        public bool? OutputIncluded { get; set; }
        public string? Error { get; set; }
        public string? Cause { get; set; }
        /// <summary>How often the execution has been redriven (0 when never; null when the answer did not say).</summary>
        public int? RedriveCount { get; set; }
        /// <summary>When it was last redriven.</summary>
        public DateTimeOffset? RedriveDate { get; set; }
        /// <summary>REDRIVABLE, NOT_REDRIVABLE or REDRIVABLE_BY_MAP_RUN, when the service said.</summary>
        public string? RedriveStatus { get; set; }
        /// <summary>Why it cannot be redriven, when it cannot.</summary>
        public string? RedriveStatusReason { get; set; }

        public bool IsFinal => Status == "SUCCEEDED" || Status == "FAILED" || Status == "TIMED_OUT" || Status == "ABORTED";
    }

    /// <summary>A state machine's type as a start found it when its answer was lost: the type, or why it could not be read.</summary>
    public sealed class MachineTypeLookup
    {
        public MachineTypeLookup(string? type, string? problem)
        {
            Type = type;
            Problem = problem;
        }

        /// <summary>STANDARD or EXPRESS; null when it could not be read.</summary>
        public string? Type { get; }
        /// <summary>Why it could not be read (a permission, no answer in time), for the start's error message.</summary>
        public string? Problem { get; }
    }

    /// <summary>A state machine as ListStateMachines names it (DescribeStateMachine's answer is read into the same shape).</summary>
    public sealed class StateMachineSummary
    {
        public string StateMachineArn { get; set; } = "";
        public string Name { get; set; } = "";
        /// <summary>STANDARD or EXPRESS.</summary>
        public string Type { get; set; } = "";
        public DateTimeOffset CreationDate { get; set; }

        /// <summary>The ARN: what a string parameter receives when the object is passed as one.</summary>
        public override string ToString() => StateMachineArn;
    }

    /// <summary>A published version (:3) or an alias (:prod) of a state machine, as the list operations name it.</summary>
    public sealed class StateMachineQualifier
    {
        public string Arn { get; set; } = "";
        /// <summary>"version" or "alias".</summary>
        public string Kind { get; set; } = "";
        /// <summary>What follows the machine's name in the ARN: "3", "prod".</summary>
        public string Qualifier { get; set; } = "";
        public DateTimeOffset CreationDate { get; set; }
    }
}
