using System;
using System.Threading;

namespace AwsStepFunctions.Core
{
    /// <summary>Start-UeStepFunction's request, already bound from parameters (not yet validated).</summary>
    public sealed class StartRequest
    {
        public string StateMachineArn { get; set; } = "";
        /// <summary>The JSON document as text (the cmdlet serialises objects first); null means "{}".</summary>
        public string? Input { get; set; }
        /// <summary>Base name; null or empty generates a unique one.</summary>
        public string? ExecutionName { get; set; }
        public int RunCount { get; set; } = 1;
        public bool Wait { get; set; }
        public WaitOptions WaitOptions { get; set; } = new WaitOptions();
    }

    /// <summary>Restart-UeStepFunction's request: redrive one execution, and with Wait, wait for its new end.</summary>
    public sealed class RedriveRequest
    {
        public string ExecutionArn { get; set; } = "";
        public bool Wait { get; set; }
        public WaitOptions WaitOptions { get; set; } = new WaitOptions();
    }

    public sealed class WaitOptions
    {
        /// <summary>Seconds between DescribeExecution calls (the seed's polling_interval, default 10).</summary>
        public double PollingIntervalSeconds { get; set; } = 10;
        /// <summary>Give up waiting after this many seconds; null waits until the execution ends.</summary>
        public double? TimeoutSeconds { get; set; }
        /// <summary>Stop (abort) the execution when the wait is cancelled.</summary>
        public bool StopOnCancel { get; set; }
        /// <summary>
        /// While waiting, transient failures (throttling, 5xx, resets, timeouts) are retried with backoff until the endpoint
        /// has been unreachable this long without a single successful poll; then the wait ends with exit 10.
        /// </summary>
        public double UnreachableTimeoutSeconds { get; set; } = 300;
        /// <summary>
        /// Ends the waiting part only, as cancellation does (WaitCancelled; StopOnCancel applies), while a start in flight
        /// still completes: the caller stops wanting outcomes without losing track of executions it started.
        /// </summary>
        public CancellationToken StopWaiting { get; set; }
    }

    /// <summary>Reported after every poll, for Write-Progress. Raised on the caller's thread only via Drain.</summary>
    public sealed class WaitProgress
    {
        public WaitProgress(string executionArn, string status, TimeSpan elapsed, int polls, string? lastTransientError)
        {
            ExecutionArn = executionArn;
            Status = status;
            Elapsed = elapsed;
            Polls = polls;
            LastTransientError = lastTransientError;
        }

        public string ExecutionArn { get; }
        public string Status { get; }
        public TimeSpan Elapsed { get; }
        public int Polls { get; }
        public string? LastTransientError { get; }
    }
}
