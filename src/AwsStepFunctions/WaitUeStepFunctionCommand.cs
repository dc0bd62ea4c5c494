using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsStepFunctions.Core;
using AwsStepFunctions.Internal;

namespace AwsStepFunctions
{
    /// <summary>Polls an execution until it is SUCCEEDED, FAILED, TIMED_OUT or ABORTED.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "UeStepFunction")]
    [OutputType(typeof(ExtensionOutput))]
    public sealed class WaitUeStepFunctionCommand : UeStepFunctionWaitingCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ExecutionArnTransformation]
        [ArgumentCompleter(typeof(ExecutionArnCompleter))]
        [ValidateNotNullOrEmpty]
        [Alias("Arn")]
        public string[] ExecutionArn { get; set; } = Array.Empty<string>();

        protected override string ActionName => "Wait For Execution";

        protected override void ProcessRecord()
        {
            ForEachExecution(ExecutionArn, (arn, invocation) =>
            {
                var options = BuildWaitOptions();
                StepFunctionsService.ValidateWait(arn, options);
                UseRegionOf(arn, "execution_arn");
                var service = Service;
                RunCall((p, token) => service.WaitAsync(arn, options, p, token), invocation,
                    result => WriteOutcome(ExtensionOutput.FromResult(invocation, result, changed: false, waited: true)),
                    NewWaitProgress("Wait-UeStepFunction"));
            });
        }

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            base.AddInvocationFields(fields, executionArn);
            fields["wait_for_success_or_failure"] = true;
            fields["polling_interval"] = PollingInterval;
        }
    }
}
