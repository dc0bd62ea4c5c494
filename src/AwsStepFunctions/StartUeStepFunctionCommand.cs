using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsStepFunctions.Core;
using AwsStepFunctions.Internal;

namespace AwsStepFunctions
{
    /// <summary>Starts an execution of a state machine; with -Wait, waits for its final state.</summary>
    [Cmdlet(VerbsLifecycle.Start, "UeStepFunction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ExtensionOutput))]
    public sealed class StartUeStepFunctionCommand : UeStepFunctionWaitingCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StateMachineArnCompleter))]
        [ValidateNotNullOrEmpty]
        [Alias("Arn")]
        public string[] StateMachineArn { get; set; } = Array.Empty<string>();

        /// <summary>A JSON string, or any object (serialised with ConvertTo-Json).</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public object? Input { get; set; }

        /// <summary>
        /// No alias Name: an alias binds by property name too, and the listings people pipe in (the AWS CLI's and AWS.Tools'
        /// state machines and executions) carry a Name that is the machine's, or an execution's already taken.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? ExecutionName { get; set; }

        /// <summary>By property name too: a batch file's RunCount column is a rerun's count, not a column to ignore.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int RunCount { get; set; } = 1;

        [Parameter]
        public SwitchParameter Wait { get; set; }

        protected override string ActionName => "Start Asynchronous Execution";

        private string? _inputJson;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            WarnOfWaitParametersWithoutWait(Wait.IsPresent, "started");
        }

        /// <summary>The state machine of the start being set up (AddInvocationFields reads it).</summary>
        private string _currentArn = "";

        protected override void ProcessRecord()
        {
            // Several ARNs (-StateMachineArn $a, $b) are several starts, as if piped one by one, with the same input and name.
            foreach (var arn in StateMachineArn) StartOne(arn);
        }

        private void StartOne(string stateMachineArn)
        {
            _currentArn = stateMachineArn;
            _inputJson = null;
            Invocation? invocation = null;
            try
            {
                _inputJson = InputJson.From(this, Input);
                invocation = BuildInvocation(null);
                var request = new StartRequest
                {
                    StateMachineArn = stateMachineArn,
                    Input = _inputJson,
                    ExecutionName = ExecutionName,
                    RunCount = RunCount,
                    Wait = Wait.IsPresent,
                    WaitOptions = BuildWaitOptions(),
                };
                // Bad input is a validation error (20) before any client, credential chain or request exists, and
                // before -WhatIf or -Confirm speak of an operation that could not run.
                StepFunctionsService.ValidateStart(request);
                UseRegionOf(stateMachineArn, "state_machine_arn");
                if (!ShouldProcessConnected(stateMachineArn, "Start execution")) return;
                var service = Service;
                var waited = Wait.IsPresent;
                VerboseLines.Write(this, $"Starting an execution of {stateMachineArn}{(waited ? " and waiting for it" : "")}.");
                RunCall((p, token) => service.StartAsync(request, p, token), invocation,
                    result =>
                    {
                        var first = result.ExecutionArn == null || _started.Add(result.ExecutionArn);
                        WriteOutcome(ExtensionOutput.FromResult(invocation, result, changed: first, waited: waited));
                        // After the outcome: a warning refused by a stopping pipeline must not take the outcome with it.
                        if (!first) WarnOfRepeatedStart(result);
                    },
                    NewWaitProgress("Start-UeStepFunction"));
            }
            catch (StepFunctionsFailure failure)
            {
                // -Input refused before the invocation (which shows the input) was built: it is built here, without it.
                ReportFailure(failure, invocation ?? BuildInvocation(null));
            }
        }

        /// <summary>The executions this call has reported started (their outcomes are written on the pipeline thread).</summary>
        private readonly HashSet<string> _started = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>
        /// Two records with the same machine, -ExecutionName, -RunCount and input name one execution: Step Functions answers
        /// the second start with the first's ARN while it runs. That answer changed nothing, so its output says changed=false,
        /// and a warning names the execution, since the records were probably meant to start two.
        /// </summary>
        private void WarnOfRepeatedStart(ExecutionResult result)
            => WarningLines.Write(this, $"Execution {result.Name ?? result.ExecutionArn} was already started by this call (the same state machine, name and input): Step Functions started it once, and this record changed nothing.");

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            fields["state_machine_arn"] = _currentArn;
            fields["execution_name"] = ExecutionName;
            fields["input"] = _inputJson;
            fields["wait_for_success_or_failure"] = Wait.IsPresent;
            fields["polling_interval"] = PollingInterval;
        }
    }
}
