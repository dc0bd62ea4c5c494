using System;

namespace AwsStepFunctions.Core
{
    // What the listings take: status and redrive filters, a time window, a machine type, a page size; a Map Run's settings.
    public static partial class Validate
    {
        /// <summary>The statuses ListExecutions filters by, as the service spells them.</summary>
        private static readonly string[] ExecutionStatuses = { "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE" };

        /// <summary>A status to list by, in any case (running is RUNNING); null or empty lists every status.</summary>
        public static string? ExecutionStatus(string? status, string field = "status")
            => OneOf(status, ExecutionStatuses, field, "InvalidStatusFilter");

        private static readonly string[] RedriveFilters = { "REDRIVEN", "NOT_REDRIVEN" };

        /// <summary>Whether to list redriven executions or the others, in any case; null or empty lists both.</summary>
        public static string? RedriveFilter(string? filter, string field = "redrive_filter")
            => OneOf(filter, RedriveFilters, field, "InvalidRedriveFilter");

        /// <summary>
        /// A window of start times to list (from <paramref name="startedAfter"/>, inclusive, to <paramref name="startedBefore"/>,
        /// exclusive): one that holds no instant at all is a mistake worth naming, not an empty list.
        /// </summary>
        public static void StartedWindow(DateTimeOffset? startedAfter, DateTimeOffset? startedBefore)
        {
            if (startedAfter is { } after && startedBefore is { } before && after >= before)
                throw Fail("started_after", "InvalidStartedWindow",
                    $"started_after ({after.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z) must be earlier than started_before ({before.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z): "
                    + "no execution can have started in between.");
        }

        private static readonly string[] MachineTypes = { "STANDARD", "EXPRESS" };

        /// <summary>A state machine type in any case; null or empty means both.</summary>
        public static string? MachineType(string? type, string field = "type")
            => OneOf(type, MachineTypes, field, "InvalidStateMachineType");

        /// <summary>A value of a service enum given in any case, as the service spells it; null or empty stays null.</summary>
        private static string? OneOf(string? value, string[] allowed, string field, string errorId)
        {
            if (string.IsNullOrEmpty(value)) return null;
            var upper = value!.Trim().ToUpperInvariant();
            if (Array.IndexOf(allowed, upper) < 0)
                throw Fail(field, errorId, $"{field} '{Printable(value)}' must be one of {string.Join(", ", allowed)}.", value);
            return upper;
        }

        /// <summary>How many items one page of ListExecutions or GetExecutionHistory may hold: the service's own bounds.</summary>
        public static void PageSize(int maxResults, string field = "max_results")
        {
            if (maxResults < 1 || maxResults > 1000)
                throw Fail(field, "InvalidPageSize", $"{field} must be from 1 to 1000 (got {maxResults}).");
        }

        /// <summary>
        /// An UpdateMapRun's settings: at least one (the model makes each optional, and a request with none changes nothing),
        /// each within the model's bounds.
        /// </summary>
        public static void MapRunSettings(MapRunSettings settings)
        {
            if (settings.MaxConcurrency is null && settings.ToleratedFailurePercentage is null && settings.ToleratedFailureCount is null)
                throw Fail("max_concurrency", "NoMapRunSetting",
                    "Give at least one of max_concurrency, tolerated_failure_percentage or tolerated_failure_count: the Map Run's settings to change.");
            if (settings.MaxConcurrency < 0)
                throw Fail("max_concurrency", "InvalidMaxConcurrency",
                    $"max_concurrency must be 0 or more (got {settings.MaxConcurrency}); 0 lets as many children run at once as the service allows.");
            if (settings.ToleratedFailurePercentage is { } percentage && !(percentage >= 0 && percentage <= 100))
                throw Fail("tolerated_failure_percentage", "InvalidToleratedFailurePercentage",
                    $"tolerated_failure_percentage must be from 0 to 100 (got {percentage.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
            if (settings.ToleratedFailureCount < 0)
                throw Fail("tolerated_failure_count", "InvalidToleratedFailureCount",
                    $"tolerated_failure_count must be 0 or more (got {settings.ToleratedFailureCount}).");
        }
    }
}
