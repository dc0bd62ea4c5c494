using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    public sealed partial class StepFunctionsService
    {
        /// <summary>Checks a listing's machine and status before any request; returns the status as the service spells it.</summary>
        public static string? ValidateList(string stateMachineArn, string? status)
        {
            Validate.StateMachineArn(stateMachineArn);
            return Validate.ExecutionStatus(status);
        }

        /// <summary>
        /// One page of a machine's executions (a version's or alias's: those started through it), newest first. A "#TestCase"
        /// suffix is dropped: it selects a mocked test case when an execution starts, and names nothing to list.
        /// </summary>
        public async Task<ExecutionPage> ListPageAsync(string stateMachineArn, string? status, int maxResults, string? nextToken,
            CancellationToken cancellationToken)
        {
            var statusFilter = ValidateList(stateMachineArn, status);
            Validate.PageSize(maxResults);
            var machine = Validate.WithoutTestCase(stateMachineArn);
            try
            {
                return await Client.ListExecutionsAsync(machine, statusFilter, maxResults, nextToken, cancellationToken).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure) when (failure.ErrorId == "StateMachineTypeNotSupported")
            {
                // The service's words ("not supported by this type of state machine") leave the operator guessing which type.
                throw new StepFunctionsFailure(FailureKind.Validation, ExitCode.DataValidationError, "ExpressExecutionsNotListed",
                    $"state_machine_arn '{machine}' is an EXPRESS state machine: Step Functions keeps no list of its executions "
                    + "(ListExecutions does not support EXPRESS machines); their history is in the machine's CloudWatch Logs.",
                    "state_machine_arn", machine, failure);
            }
        }
    }
}
