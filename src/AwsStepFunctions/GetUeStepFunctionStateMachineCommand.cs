using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions
{
    /// <summary>
    /// The state machines of the account in a region (ListStateMachines), by name: what the other cmdlets' -StateMachineArn
    /// takes, from the pipeline by property name.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "UeStepFunctionStateMachine")]
    [OutputType(typeof(StateMachineSummary))]
    public sealed class GetUeStepFunctionStateMachineCommand : UeStepFunctionCmdletBase
    {
        /// <summary>Names or wildcard patterns (any case), as Get-Process takes them; without it, every machine.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Internal.StateMachineNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only STANDARD or only EXPRESS machines.</summary>
        [Parameter]
        [ValidateSet("STANDARD", "EXPRESS", IgnoreCase = true)]
        public string? Type { get; set; }

        protected override string ActionName => "List State Machines";

        protected override void EndProcessing()
        {
            var invocation = BuildInvocation(null);
            try
            {
                var type = StepFunctionsService.ValidateMachineType(Type);
                var service = Service;
                RunCall((_, token) => service.ListStateMachinesAsync(type, token), invocation, machines => WriteMatches(machines, invocation));
            }
            catch (StepFunctionsFailure failure)
            {
                ReportFailure(failure, invocation);
            }
            base.EndProcessing();
        }

        private void WriteMatches(IReadOnlyList<StateMachineSummary> machines, Invocation invocation)
        {
            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var machine in machines)
            {
                if (patterns.Any(p => p.IsMatch(machine.Name))) WriteObject(machine);
            }
            // As Get-Process does: a name without wildcards that matches nothing is an error; a pattern that matches nothing is not.
            foreach (var name in Name ?? Array.Empty<string>())
            {
                if (WildcardPattern.ContainsWildcardCharacters(name)) continue;
                if (machines.Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))) continue;
                var failure = new StepFunctionsFailure(FailureKind.Validation, ExitCode.DataValidationError, "StateMachineNotFound",
                    $"No state machine named '{name}'{(Type != null ? $" of type {Type.ToUpperInvariant()}" : "")} in {RegionShown}.", "name", name);
                // Through the base's path: a pipeline that stopped taking output records it in $Error instead.
                WriteFailure(failure, invocation);
            }
        }

        /// <summary>The region the listing went to, for a message.</summary>
        private string RegionShown => Region != null ? $"region {Region}" : "the connection's region (AWS_REGION, or the profile's)";

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            base.AddInvocationFields(fields, executionArn);
            fields["name"] = Name == null ? null : string.Join(",", Name);
            fields["type"] = Type;
        }
    }
}
