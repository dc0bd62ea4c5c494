using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// The narrow seam over Step Functions. The implementation sits on AWSSDK.Core's pipeline; the official
    /// AWSSDK.StepFunctions client can replace it where it is available. All failures are StepFunctionsFailure.
    /// </summary>
    public interface IStepFunctionsClient
    {
        Task<ExecutionResult> StartExecutionAsync(string stateMachineArn, string name, string? input, CancellationToken cancellationToken);
        Task<ExecutionResult> StartSyncExecutionAsync(string stateMachineArn, string name, string? input, CancellationToken cancellationToken);
        Task<ExecutionResult> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken);
        Task<DateTimeOffset> StopExecutionAsync(string executionArn, string? error, string? cause, CancellationToken cancellationToken);
        Task<StateMachineSummary> DescribeStateMachineAsync(string stateMachineArn, CancellationToken cancellationToken);
        Task<IReadOnlyList<StateMachineSummary>> ListStateMachinesAsync(CancellationToken cancellationToken);
    }
}
