using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    public sealed partial class StepFunctionsService
    {
        /// <summary>Checks an execution ARN for a history read before any request: well formed, and not EXPRESS.</summary>
        public static void ValidateHistory(string executionArn) => Validate.HistoricExecutionArn(executionArn);

        /// <summary>One page of an execution's events, oldest first (newest first with <paramref name="reverseOrder"/>).</summary>
        /// <param name="includeExecutionData">False leaves inputs, outputs and variables' values out: they may be large, or
        /// hold what the reader should not see.</param>
        public Task<HistoryPage> HistoryPageAsync(string executionArn, int maxResults, bool reverseOrder, bool includeExecutionData,
            string? nextToken, CancellationToken cancellationToken)
        {
            ValidateHistory(executionArn);
            Validate.PageSize(maxResults);
            return Client.GetExecutionHistoryAsync(executionArn, maxResults, reverseOrder, includeExecutionData, nextToken, cancellationToken);
        }
    }
}
