using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsStepFunctions.Core;
using AwsStepFunctions.Internal;

namespace AwsStepFunctions
{
    /// <summary>Stops (aborts) a running execution.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "UeStepFunction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ExtensionOutput))]
    public sealed class StopUeStepFunctionCommand : UeStepFunctionCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Internal.ExecutionArnTransformation]
        [ArgumentCompleter(typeof(Internal.ExecutionArnCompleter))]
        [ValidateNotNullOrEmpty]
        [Alias("Arn")]
        public string[] ExecutionArn { get; set; } = Array.Empty<string>();

        [Parameter]
        public string? Error { get; set; }

        [Parameter]
        public string? Cause { get; set; }

        /// <summary>Stops without asking for confirmation (the cmdlet's impact is High); -WhatIf and an explicit -Confirm still apply.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override string ActionName => "Stop Execution";

        protected override void ProcessRecord()
        {
            ForEachExecution(ExecutionArn, (arn, invocation) =>
            {
                var (error, cause) = (Error, Cause);
                StepFunctionsService.ValidateStop(arn, error, cause);
                UseRegionOf(arn, "execution_arn");
                if (!Confirmed(arn)) return;
                var service = Service;
                // changed: this call stopped the execution. The exit code is that of its final state, 24 for ABORTED, as
                // Get-UeStepFunctionResult would report it.
                RunCall((_, token) => service.StopAsync(arn, error, cause, token), invocation,
                    outcome =>
                    {
                        // An execution that had already ended (stopped earlier included): nothing changed, and the user
                        // should hear it rather than read a success.
                        var result = outcome.Execution;
                        if (!outcome.StoppedNow) WarningLines.Write(this, $"Execution {arn} had already ended {result.Status}; nothing was stopped.");
                        WriteOutput(ExtensionOutput.FromResult(invocation, result, changed: outcome.StoppedNow, waited: false));
                    });
            });
        }

        /// <summary>
        /// ShouldProcess, unless -Force: then no prompt, the convention for a High-impact cmdlet, but a dry run (-WhatIf or
        /// $WhatIfPreference) stays one and an explicit -Confirm still asks.
        /// </summary>
        private bool Confirmed(string arn)
        {
            var bound = MyInvocation.BoundParameters;
            var whatIf = bound.TryGetValue("WhatIf", out var w) ? ((SwitchParameter)w).IsPresent : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            var confirmAsked = bound.TryGetValue("Confirm", out var c) && ((SwitchParameter)c).IsPresent;
            if (Force.IsPresent && !whatIf && !confirmAsked) return true;
            return ShouldProcessConnected(arn, "Stop execution");
        }

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            base.AddInvocationFields(fields, executionArn);
            fields["error"] = Error;
            fields["cause"] = Cause;
        }
    }
}
