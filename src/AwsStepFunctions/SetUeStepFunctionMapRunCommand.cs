using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions
{
    /// <summary>
    /// Changes a running Distributed Map run (UpdateMapRun): how many children run at once, and how many failed items it
    /// tolerates. What an operator reaches for when a run floods a downstream system, or fails on a few bad records.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "UeStepFunctionMapRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(MapRun))]
    public sealed class SetUeStepFunctionMapRunCommand : UeStepFunctionCmdletBase
    {
        /// <summary>
        /// Binds ARN strings, and from the pipeline what Get-UeStepFunctionMapRun writes. A missing one is let through binding
        /// (an execution no Distributed Map started has a null MapRunArn), so the refusal can say why (exit 20).
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Internal.MapRunArnCompleter))]
        [AllowNull, AllowEmptyString]
        public string?[]? MapRunArn { get; set; } = Array.Empty<string>();

        /// <summary>How many children may run at once; 0 lets as many run as the service allows.</summary>
        [Parameter]
        public int? MaxConcurrency { get; set; }

        /// <summary>The share of failed items, 0 to 100 percent, the run tolerates before it fails.</summary>
        [Parameter]
        public double? ToleratedFailurePercentage { get; set; }

        /// <summary>How many failed items the run tolerates before it fails.</summary>
        [Parameter]
        public long? ToleratedFailureCount { get; set; }

        /// <summary>Writes each Map Run as it is after the change (read again with DescribeMapRun).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override string ActionName => "Update Map Run";

        /// <summary>The Map Run being changed, for the invocation block of an error.</summary>
        private string? _mapRun;

        /// <summary>
        /// The Map Runs this command has changed (or, under -WhatIf, would have): a run's child executions piped in all carry
        /// its MapRunArn, and the same settings sent again for each would change nothing more.
        /// </summary>
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.Ordinal);

        private MapRunSettings Settings => new MapRunSettings
        {
            MaxConcurrency = MaxConcurrency,
            ToleratedFailurePercentage = ToleratedFailurePercentage,
            ToleratedFailureCount = ToleratedFailureCount,
        };

        protected override void ProcessRecord()
        {
            var settings = Settings;
            foreach (var given in MapRunArn ?? new string?[] { null })
            {
                _mapRun = given;
                var invocation = BuildInvocation(null);
                try
                {
                    // Before -WhatIf: a dry run of a change that would be refused says so.
                    StepFunctionsService.ValidateMapRunUpdate(given, settings);
                    var arn = given!;
                    UseRegionOf(arn, "map_run_arn");
                    if (!_done.Add(arn))
                    {
                        Internal.VerboseLines.Write(this, $"Map Run {arn} was given again: it already has these settings from this command.");
                        continue;
                    }
                    if (!ShouldProcessConnected(arn, $"Update Map Run ({settings})")) continue;
                    var service = Service;
                    var passThru = PassThru.IsPresent;
                    RunCall(async (_, cancellation) =>
                        {
                            await service.UpdateMapRunAsync(arn, settings, cancellation).ConfigureAwait(false);
                            return passThru ? await service.DescribeMapRunAsync(arn, cancellation).ConfigureAwait(false) : null;
                        }, invocation, run =>
                        {
                            Internal.VerboseLines.Write(this, $"Map Run {arn} updated: {settings}.");
                            if (run == null) return;
                            Internal.MapRunArnCompleter.Remember(run);
                            WriteObject(run);
                        });
                }
                catch (StepFunctionsFailure failure)
                {
                    ReportFailure(failure, invocation);
                }
            }
        }

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            base.AddInvocationFields(fields, executionArn);
            fields["map_run_arn"] = _mapRun;
            fields["max_concurrency"] = MaxConcurrency;
            fields["tolerated_failure_percentage"] = ToleratedFailurePercentage;
            fields["tolerated_failure_count"] = ToleratedFailureCount;
        }
    }
}
