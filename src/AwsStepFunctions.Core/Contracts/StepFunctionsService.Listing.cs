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

        /// <summary>Checks a listing's redrive filter before any request; returns it as the service spells it.</summary>
        public static string? ValidateRedriveFilter(string? redriveFilter) => Validate.RedriveFilter(redriveFilter);

        /// <summary>
        /// One page of a machine's executions (a version's or alias's: those started through it), newest first. A "#TestCase"
        /// suffix is dropped: it selects a mocked test case when an execution starts, and names nothing to list.
        /// </summary>
        /// <param name="redriveFilter">REDRIVEN or NOT_REDRIVEN (any case): only executions that have been redriven, or only the
        /// others; null for both.</param>
        public async Task<ExecutionPage> ListPageAsync(string stateMachineArn, string? status, int maxResults, string? nextToken,
            CancellationToken cancellationToken, string? redriveFilter = null)
        {
            var statusFilter = ValidateList(stateMachineArn, status);
            var redrive = ValidateRedriveFilter(redriveFilter);
            Validate.PageSize(maxResults);
            var machine = Validate.WithoutTestCase(stateMachineArn);
            try
            {
                return await Client.ListExecutionsAsync(machine, statusFilter, redrive, maxResults, nextToken, cancellationToken).ConfigureAwait(false);
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
