using System;
using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions
{
    /// <summary>The current state of an execution, without waiting.</summary>
    [Cmdlet(VerbsCommon.Get, "UeStepFunctionResult")]
    [OutputType(typeof(ExtensionOutput))]
    public sealed class GetUeStepFunctionResultCommand : UeStepFunctionCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Internal.ExecutionArnTransformation]
        [ArgumentCompleter(typeof(Internal.ExecutionArnCompleter))]
        [ValidateNotNullOrEmpty]
        [Alias("Arn")]
        public string[] ExecutionArn { get; set; } = Array.Empty<string>();

        protected override string ActionName => "Get Execution Result";

        protected override void ProcessRecord()
        {
            ForEachExecution(ExecutionArn, (arn, invocation) =>
            {
                StepFunctionsService.ValidateGet(arn);
                UseRegionOf(arn, "execution_arn");
                var service = Service;
                // Inspecting an execution that failed is a successful inspection: the exit code tells the
                // state (23/24/25 once final), but no error is raised for it.
                RunCall((_, token) => service.GetAsync(arn, token), invocation,
                    result => WriteOutput(ExtensionOutput.FromResult(invocation, result, changed: false, waited: result.IsFinal)));
            });
        }
    }
}
