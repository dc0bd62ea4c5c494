using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions
{
    /// <summary>
    /// The runs of an execution's Distributed Map states (ListMapRuns, each run described): their status and how many items
    /// and child executions succeeded, failed or still run. A run's children are one pipe away: Get-UeStepFunctionExecution
    /// binds its MapRunArn.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "UeStepFunctionMapRun", SupportsPaging = true, DefaultParameterSetName = ExecutionSet)]
    [OutputType(typeof(MapRun))]
    public sealed class GetUeStepFunctionMapRunCommand : UeStepFunctionCmdletBase
    {
        private const string ExecutionSet = "Execution";
        private const string MapRunSet = "MapRun";

        /// <summary>
        /// The parent execution, whose Map Runs are listed; binds from the pipeline what every other cmdlet writes (the
        /// transformation reads its ExecutionArn). Not by property name: a Map Run piped in (it carries both ARNs) must bind
        /// -MapRunArn and be read again, not have its parent's runs listed.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ExecutionSet)]
        [Internal.ExecutionArnTransformation(LeaveMapRuns = true)]
        [ArgumentCompleter(typeof(Internal.ExecutionArnCompleter))]
        [ValidateNotNullOrEmpty]
        [Alias("Arn")]
        public string[] ExecutionArn { get; set; } = Array.Empty<string>();

        /// <summary>One Map Run, read again (DescribeMapRun): to follow a run's counts while it runs.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = MapRunSet)]
        [ArgumentCompleter(typeof(Internal.MapRunArnCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] MapRunArn { get; set; } = Array.Empty<string>();

        protected override string ActionName => "Get Map Runs";

        private bool ByExecution => ParameterSetName == ExecutionSet;

        /// <summary>The Map Run being read, for the invocation block of an error (the execution's is the base's).</summary>
        private string? _mapRun;

        protected override void ProcessRecord()
        {
            if (ByExecution)
            {
                // -First and -Skip count within each execution's runs.
                ForEachExecution(ExecutionArn, (arn, invocation) =>
                {
                    // An EXPRESS execution has no state to list Map Runs from: refused before any request, as Get and Wait do.
                    Validate.TrackedExecutionArn(arn, stopping: false);
                    UseRegionOf(arn, "execution_arn");
                    var service = Service;
                    WritePages((wanted, token, cancellation) => service.MapRunPageAsync(arn, wanted, token, cancellation), page => page.MapRuns,
                        page => page.NextToken, invocation, "Reading Map Runs", ExecutionName(arn), "Map Run(s)", arn, Internal.MapRunArnCompleter.Remember);
                });
                return;
            }
            foreach (var arn in MapRunArn)
            {
                _mapRun = arn;
                var invocation = BuildInvocation(null);
                try
                {
                    StepFunctionsService.ValidateMapRun(arn);
                    UseRegionOf(arn, "map_run_arn");
                    var service = Service;
                    RunCall((_, cancellation) => service.DescribeMapRunAsync(arn, cancellation), invocation, run =>
                    {
                        Internal.MapRunArnCompleter.Remember(run);
                        WriteObject(run);
                    }, inline: true);
                    FinishCalls();
                }
                catch (StepFunctionsFailure failure)
                {
                    ReportFailure(failure, invocation);
                }
            }
        }

        /// <summary>The execution's name, the ARN's last part (valid ARNs only reach here).</summary>
        private static string ExecutionName(string arn) => arn.Substring(arn.LastIndexOf(':') + 1);

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            base.AddInvocationFields(fields, executionArn);
            if (!ByExecution) fields["map_run_arn"] = _mapRun;
        }
    }
}
