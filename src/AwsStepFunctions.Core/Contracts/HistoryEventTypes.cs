using System.Collections.Generic;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// The event types the Step Functions API model names (HistoryEventType): what -Type completes from, and what a plain type
    /// given is checked against (with a warning only: the service may record a type added after this list).
    /// </summary>
    public static class HistoryEventTypes
    {
        public static IReadOnlyList<string> Known { get; } = new[]
        {
            "ActivityFailed", "ActivityScheduleFailed", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "ActivityTimedOut",
            "ChoiceStateEntered", "ChoiceStateExited",
            "EvaluationFailed",
            "ExecutionAborted", "ExecutionFailed", "ExecutionRedriven", "ExecutionStarted", "ExecutionSucceeded", "ExecutionTimedOut",
            "FailStateEntered",
            "LambdaFunctionFailed", "LambdaFunctionScheduleFailed", "LambdaFunctionScheduled", "LambdaFunctionStartFailed",
            "LambdaFunctionStarted", "LambdaFunctionSucceeded", "LambdaFunctionTimedOut",
            "MapIterationAborted", "MapIterationFailed", "MapIterationStarted", "MapIterationSucceeded",
            "MapRunAborted", "MapRunFailed", "MapRunRedriven", "MapRunStarted", "MapRunSucceeded",
            "MapStateAborted", "MapStateEntered", "MapStateExited", "MapStateFailed", "MapStateStarted", "MapStateSucceeded",
            "ParallelStateAborted", "ParallelStateEntered", "ParallelStateExited", "ParallelStateFailed", "ParallelStateStarted",
            "ParallelStateSucceeded",
            "PassStateEntered", "PassStateExited",
            "SucceedStateEntered", "SucceedStateExited",
            "TaskFailed", "TaskScheduled", "TaskStartFailed", "TaskStarted", "TaskStateAborted", "TaskStateEntered", "TaskStateExited",
            "TaskSubmitFailed", "TaskSubmitted", "TaskSucceeded", "TaskTimedOut",
            "WaitStateAborted", "WaitStateEntered", "WaitStateExited",
        };
    }
}
