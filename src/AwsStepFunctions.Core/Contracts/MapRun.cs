using System;
using System.Collections.Generic;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// A Distributed Map's run (DescribeMapRun): how far it got, item by item and child execution by child execution. Its
    /// MapRunArn binds to Get-UeStepFunctionExecution -MapRunArn (the children), its ExecutionArn to the cmdlets that take
    /// the parent execution.
    /// </summary>
    public sealed class MapRun
    {
        public string MapRunArn { get; set; } = "";
        /// <summary>The execution whose Map state started the run (the parent).</summary>
        public string ExecutionArn { get; set; } = "";
        /// <summary>The Map state's Label (a UUID the service chose when the state has none): the ARN's part after the machine's name.</summary>
        public string Label { get; set; } = "";
        /// <summary>RUNNING, SUCCEEDED, FAILED or ABORTED.</summary>
        public string Status { get; set; } = "";
        public DateTimeOffset? StartDate { get; set; }
        public DateTimeOffset? StopDate { get; set; }
        /// <summary>How many children may run at once (0: as many as the service allows).</summary>
        public int MaxConcurrency { get; set; }
        /// <summary>The share of failed items the run tolerates before it fails, in percent.</summary>
        public double ToleratedFailurePercentage { get; set; }
        /// <summary>How many failed items the run tolerates before it fails.</summary>
        public long ToleratedFailureCount { get; set; }
        /// <summary>The items, by how their processing went (a child may process a batch of several items).</summary>
        public MapRunCounts ItemCounts { get; set; } = new MapRunCounts();
        /// <summary>The child executions, by status.</summary>
        public MapRunCounts ExecutionCounts { get; set; } = new MapRunCounts();
        /// <summary>How many times the run was redriven with its parent (0 when never).</summary>
        public int RedriveCount { get; set; }
        public DateTimeOffset? RedriveDate { get; set; }

        /// <summary>The ARN: what a string parameter receives when the object is passed as one.</summary>
        public override string ToString() => MapRunArn;

        /// <summary>The label of a Map Run ARN (arn:...:mapRun:machine/label:id); empty when it has none.</summary>
        internal static string LabelOf(string mapRunArn)
        {
            var last = mapRunArn.LastIndexOf(':');
            var slash = last > 0 ? mapRunArn.LastIndexOf('/', last - 1) : -1;
            return slash < 0 ? "" : mapRunArn.Substring(slash + 1, last - slash - 1);
        }
    }

    /// <summary>A Map Run's items or child executions, counted by status (DescribeMapRun's itemCounts and executionCounts).</summary>
    public sealed class MapRunCounts
    {
        public long Pending { get; set; }
        public long Running { get; set; }
        public long Succeeded { get; set; }
        public long Failed { get; set; }
        public long TimedOut { get; set; }
        public long Aborted { get; set; }
        public long Total { get; set; }
        /// <summary>Those whose results were written to the Map's ResultWriter destination.</summary>
        public long ResultsWritten { get; set; }
        /// <summary>Failed ones that a redrive would not run again.</summary>
        public long FailuresNotRedrivable { get; set; }
        /// <summary>Failed ones waiting for the parent's redrive to run them again.</summary>
        public long PendingRedrive { get; set; }

        /// <summary>"97/100 succeeded, 3 failed": what a table cell or a log line can hold. Statuses with none are left out.</summary>
        public override string ToString()
        {
            var parts = new List<string> { $"{Succeeded}/{Total} succeeded" };
            if (Failed > 0) parts.Add($"{Failed} failed");
            if (TimedOut > 0) parts.Add($"{TimedOut} timed out");
            if (Aborted > 0) parts.Add($"{Aborted} aborted");
            if (Running > 0) parts.Add($"{Running} running");
            if (Pending > 0) parts.Add($"{Pending} pending");
            return string.Join(", ", parts);
        }
    }

    /// <summary>What UpdateMapRun changes in a running Map Run; a setting left null stays as it is.</summary>
    public sealed class MapRunSettings
    {
        /// <summary>How many children may run at once (0: as many as the service allows).</summary>
        public int? MaxConcurrency { get; set; }
        /// <summary>The share of failed items, 0 to 100 percent, the run tolerates before it fails.</summary>
        public double? ToleratedFailurePercentage { get; set; }
        /// <summary>How many failed items the run tolerates before it fails.</summary>
        public long? ToleratedFailureCount { get; set; }

        /// <summary>"MaxConcurrency 10, ToleratedFailureCount 5": the settings given, for -WhatIf and -Verbose.</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            if (MaxConcurrency is { } concurrency) parts.Add($"MaxConcurrency {concurrency}");
            if (ToleratedFailurePercentage is { } percentage) parts.Add($"ToleratedFailurePercentage {percentage.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            if (ToleratedFailureCount is { } count) parts.Add($"ToleratedFailureCount {count}");
            return string.Join(", ", parts);
        }
    }

    /// <summary>One page of an execution's Map Runs, each described, and the token of the next page (null after the last).</summary>
    public sealed class MapRunPage
    {
        public MapRunPage(IReadOnlyList<MapRun> mapRuns, string? nextToken)
        {
            MapRuns = mapRuns;
            NextToken = nextToken;
        }

        public IReadOnlyList<MapRun> MapRuns { get; }
        public string? NextToken { get; }
    }

    /// <summary>One page of ARNs (ListMapRuns: the Map Runs an execution started), and the token of the next page.</summary>
    public sealed class ArnPage
    {
        public ArnPage(IReadOnlyList<string> arns, string? nextToken)
        {
            Arns = arns;
            NextToken = nextToken;
        }

        public IReadOnlyList<string> Arns { get; }
        public string? NextToken { get; }
    }
}
