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
        /// <param name="lookUpType">Null when the machine is known to be STANDARD. Otherwise the request's answer being lost (a
        /// 5xx, a timeout, a dropped connection) does not repeat it until this finds the machine STANDARD (where a repeated
        /// name and input start nothing new); EXPRESS starts are not idempotent. Returns the type, or why it could not be read.</param>
        Task<ExecutionResult> StartExecutionAsync(string stateMachineArn, string name, string? input, Func<Task<MachineTypeLookup>>? lookUpType,
            CancellationToken cancellationToken);
        Task<ExecutionResult> StartSyncExecutionAsync(string stateMachineArn, string name, string? input, CancellationToken cancellationToken);
        Task<ExecutionResult> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken);
        Task<DateTimeOffset> StopExecutionAsync(string executionArn, string? error, string? cause, CancellationToken cancellationToken);
        /// <summary>RedriveExecution: the execution continues from where it failed; returns the redrive's date.</summary>
        /// <param name="clientToken">1 to 64 characters, the same for every attempt of one redrive (its idempotency).</param>
        Task<DateTimeOffset> RedriveExecutionAsync(string executionArn, string clientToken, CancellationToken cancellationToken);
        Task<StateMachineSummary> DescribeStateMachineAsync(string stateMachineArn, CancellationToken cancellationToken);
        Task<IReadOnlyList<StateMachineSummary>> ListStateMachinesAsync(CancellationToken cancellationToken);
        /// <summary>One page of the executions of a machine (or those started through a version or alias), newest first; with
        /// <paramref name="ofMapRun"/>, of a Map Run (its child executions).</summary>
        /// <param name="listedArn">The state machine's ARN, or the Map Run's with <paramref name="ofMapRun"/>.</param>
        /// <param name="statusFilter">Only executions in this status; null for all.</param>
        /// <param name="redriveFilter">REDRIVEN or NOT_REDRIVEN; null for both.</param>
        /// <param name="maxResults">1 to 1000: how many the page may hold.</param>
        /// <param name="nextToken">The previous page's token; null for the first page.</param>
        Task<ExecutionPage> ListExecutionsAsync(string listedArn, string? statusFilter, string? redriveFilter, int maxResults, string? nextToken,
            CancellationToken cancellationToken, bool ofMapRun = false);
        /// <summary>One page of an execution's history (a STANDARD execution's: the service keeps none for EXPRESS ones).</summary>
        /// <param name="maxResults">1 to 1000: how many events the page may hold.</param>
        /// <param name="reverseOrder">Newest first instead of oldest first.</param>
        /// <param name="includeExecutionData">False leaves inputs, outputs and variables' values out of the events.</param>
        /// <param name="nextToken">The previous page's token; null for the first page.</param>
        Task<HistoryPage> GetExecutionHistoryAsync(string executionArn, int maxResults, bool reverseOrder, bool includeExecutionData, string? nextToken,
            CancellationToken cancellationToken);
        /// <summary>One page of the Map Runs an execution's Distributed Map states started (ListMapRuns).</summary>
        /// <param name="maxResults">1 to 1000: how many the page may hold.</param>
        /// <param name="nextToken">The previous page's token; null for the first page.</param>
        Task<ArnPage> ListMapRunsAsync(string executionArn, int maxResults, string? nextToken, CancellationToken cancellationToken);
        /// <summary>A Map Run's state and counts (DescribeMapRun).</summary>
        Task<MapRun> DescribeMapRunAsync(string mapRunArn, CancellationToken cancellationToken);
        /// <summary>UpdateMapRun: changes the settings given (null: unchanged) of a running Map Run.</summary>
        Task UpdateMapRunAsync(string mapRunArn, MapRunSettings settings, CancellationToken cancellationToken);
        /// <summary>The machine's aliases, then its versions newest first (one page of each: for completion).</summary>
        Task<IReadOnlyList<StateMachineQualifier>> ListQualifiersAsync(string stateMachineArn, CancellationToken cancellationToken);
    }
}
