using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsStepFunctions.Core;
using AwsStepFunctions.Internal;

namespace AwsStepFunctions
{
    /// <summary>
    /// Redrives a FAILED, TIMED_OUT or ABORTED execution (RedriveExecution): it continues from the state that did not
    /// succeed, under the same ARN; with -Wait, waits for its new end. Restart, as AWS.Tools names the same operation
    /// (Restart-SFNExecution).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "UeStepFunction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ExtensionOutput))]
    public sealed class RestartUeStepFunctionCommand : UeStepFunctionWaitingCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ExecutionArnTransformation]
        [ArgumentCompleter(typeof(ExecutionArnCompleter))]
        [ValidateNotNullOrEmpty]
        [Alias("Arn")]
        public string[] ExecutionArn { get; set; } = Array.Empty<string>();

        [Parameter]
        public SwitchParameter Wait { get; set; }

        protected override string ActionName => "Redrive Execution";

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            WarnOfWaitParametersWithoutWait(Wait.IsPresent, "redriven");
        }

        protected override void ProcessRecord()
        {
            ForEachExecution(ExecutionArn, (arn, invocation) =>
            {
                var request = new RedriveRequest { ExecutionArn = arn, Wait = Wait.IsPresent, WaitOptions = BuildWaitOptions() };
                StepFunctionsService.ValidateRedrive(request);
                UseRegionOf(arn, "execution_arn");
                if (!ShouldProcessConnected(arn, "Redrive execution")) return;
                var service = Service;
                var waited = Wait.IsPresent;
                RunCall((p, token) => service.RedriveAsync(request, p, token), invocation,
                    outcome =>
                    {
                        var result = outcome.Execution;
                        WriteOutcome(ExtensionOutput.FromResult(invocation, result, changed: outcome.RedrivenNow, waited: waited, changedAs: "redriven"));
                        // After the outcome, as Start-UeStepFunction warns: a refused warning must not take the outcome with it.
                        if (outcome.FoundStatus is string found)
                            WarningLines.Write(this, $"Execution {arn} was {found}: nothing to redrive, so it was not redriven{(waited && found != "SUCCEEDED" ? "; it was waited for" : "")}.");
                    },
                    NewWaitProgress("Restart-UeStepFunction"));
            });
        }

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            base.AddInvocationFields(fields, executionArn);
            fields["wait_for_success_or_failure"] = Wait.IsPresent;
            fields["polling_interval"] = PollingInterval;
        }
    }
}
