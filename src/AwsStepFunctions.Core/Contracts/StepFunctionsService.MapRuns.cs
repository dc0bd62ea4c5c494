using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    public sealed partial class StepFunctionsService
    {
        /// <summary>How many Map Runs of a page are described at once: a few round trips' worth, well inside the service's
        /// request rate for DescribeMapRun.</summary>
        private const int DescribedAtOnce = 8;

        /// <summary>Checks a Map Run ARN before any request.</summary>
        public static void ValidateMapRun(string? mapRunArn) => Validate.MapRunArn(mapRunArn);

        /// <summary>
        /// One page of the Map Runs an execution's Distributed Map states started, each described (ListMapRuns gives only
        /// their ARNs and dates; the status and counts, what a reader wants, take a DescribeMapRun each). The page's runs are
        /// described at once: a Map state in a loop starts a run per iteration.
        /// </summary>
        public async Task<MapRunPage> MapRunPageAsync(string executionArn, int maxResults, string? nextToken, CancellationToken cancellationToken)
        {
            Validate.ExecutionArn(executionArn);
            Validate.PageSize(maxResults);
            var page = await Client.ListMapRunsAsync(executionArn, maxResults, nextToken, cancellationToken).ConfigureAwait(false);
            var runs = new List<MapRun>(page.Arns.Count);
            for (var first = 0; first < page.Arns.Count; first += DescribedAtOnce)
            {
                var batch = new Task<MapRun>[Math.Min(DescribedAtOnce, page.Arns.Count - first)];
                for (var i = 0; i < batch.Length; i++) batch[i] = Client.DescribeMapRunAsync(page.Arns[first + i], cancellationToken);
                // Every request of the batch ends before the page does (none is left running unobserved); the first failure in
                // the listing's order is the page's.
                runs.AddRange(await Task.WhenAll(batch).ConfigureAwait(false));
            }
            return new MapRunPage(runs, page.NextToken);
        }

        /// <summary>One page of a Map Run's child executions, newest first (ListExecutions with mapRunArn).</summary>
        public Task<ExecutionPage> MapRunExecutionsPageAsync(string mapRunArn, string? status, int maxResults, string? nextToken,
            CancellationToken cancellationToken, string? redriveFilter = null)
        {
            ValidateMapRun(mapRunArn);
            var statusFilter = Validate.ExecutionStatus(status);
            var redrive = ValidateRedriveFilter(redriveFilter);
            Validate.PageSize(maxResults);
            return Client.ListExecutionsAsync(mapRunArn, statusFilter, redrive, maxResults, nextToken, cancellationToken, ofMapRun: true);
        }

        /// <summary>Checks a Map Run update before any request: the ARN, and the settings (at least one, each within the
        /// service's bounds).</summary>
        public static void ValidateMapRunUpdate(string? mapRunArn, MapRunSettings settings)
        {
            ValidateMapRun(mapRunArn);
            Validate.MapRunSettings(settings);
        }

        /// <summary>Changes the settings given of a running Map Run (UpdateMapRun). One that has ended is refused by the service.</summary>
        public Task UpdateMapRunAsync(string mapRunArn, MapRunSettings settings, CancellationToken cancellationToken)
        {
            ValidateMapRunUpdate(mapRunArn, settings);
            return Client.UpdateMapRunAsync(mapRunArn, settings, cancellationToken);
        }

        /// <summary>A Map Run's state and counts.</summary>
        public Task<MapRun> DescribeMapRunAsync(string mapRunArn, CancellationToken cancellationToken)
        {
            ValidateMapRun(mapRunArn);
            return Client.DescribeMapRunAsync(mapRunArn, cancellationToken);
        }
    }
}
