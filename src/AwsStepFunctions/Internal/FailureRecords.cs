using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// The one place where failures become ErrorRecords. The record's TargetObject is the failed
    /// ExtensionOutput (exit code, status_description, invocation, result), so scripts and the
    /// Universal task wrapper get the same facts an interactive user sees.
    /// </summary>
    internal static class FailureRecords
    {
        public static ErrorRecord FromFailure(StepFunctionsFailure failure, Invocation invocation)
        {
            var output = ExtensionOutput.FromFailure(invocation, failure);
            var record = new ErrorRecord(new UeStepFunctionException(failure, ParameterWording.For(failure.Message)), failure.ErrorId,
                CategoryFor(failure.Kind), output);
            // The category line would otherwise show the output's text (its ToString is the status_description when no
            // execution is known): what the failure is about reads better there, the value at fault or else its parameter.
            var about = failure.Target ?? (failure.Field == null ? null : ParameterWording.For(failure.Field));
            if (!string.IsNullOrEmpty(about)) record.CategoryInfo.TargetName = about;
            return record;
        }

        /// <summary>An execution that ended in FAILED (23), ABORTED (24) or TIMED_OUT (25).</summary>
        public static ErrorRecord FromFinalStatus(ExtensionOutput output)
        {
            var code = (ExitCode)output.exit_code;
            string errorId;
            ErrorCategory category;
            switch (code)
            {
                case ExitCode.ExecutionAborted:
                    errorId = "ExecutionAborted";
                    category = ErrorCategory.OperationStopped;
                    break;
                case ExitCode.ExecutionTimedOut:
                    errorId = "ExecutionTimedOut";
                    category = ErrorCategory.OperationTimeout;
                    break;
                default:
                    errorId = "ExecutionFailed";
                    category = ErrorCategory.InvalidResult;
                    break;
            }
            // The output keeps the seed's exact status_description; the error's message also says which execution and why,
            // which is what a person reading the error needs first.
            var result = output.result;
            var message = output.status_description;
            if (result != null)
            {
                message += " Execution: " + result.ExecutionArn + ".";
                if (!string.IsNullOrEmpty(result.Error)) message += " Error: " + result.Error + ".";
                if (!string.IsNullOrEmpty(result.Cause)) message += " Cause: " + result.Cause;
            }
            var failure = new StepFunctionsFailure(FailureKind.Unexpected, code, errorId, message, target: result?.ExecutionArn);
            return new ErrorRecord(new UeStepFunctionException(failure), errorId, category, output);
        }

        /// <summary>
        /// A result the pipeline ended before (Ctrl+C, or Select-Object -First, a break or an error in a later command): it goes
        /// into $Error, so the execution it names is still reported somewhere.
        /// </summary>
        public static ErrorRecord NotWritten(ExtensionOutput output)
        {
            var message = "The pipeline ended before this result could be written (Ctrl+C, or a later command stopped it: "
                + "Select-Object -First, a break, an error): " + output.status_description;
            if (output.result != null) message += " Execution: " + output.result.ExecutionArn + ".";
            var failure = new StepFunctionsFailure(FailureKind.Cancelled, (ExitCode)output.exit_code, "ResultNotWritten", message,
                target: output.result?.ExecutionArn);
            var record = new ErrorRecord(new UeStepFunctionException(failure), "ResultNotWritten", ErrorCategory.OperationStopped, output);
            if (output.result != null) record.CategoryInfo.TargetName = output.result.ExecutionArn;
            return record;
        }

        public static ErrorCategory CategoryFor(FailureKind kind)
        {
            switch (kind)
            {
                case FailureKind.Authentication: return ErrorCategory.AuthenticationError;
                case FailureKind.Authorization: return ErrorCategory.PermissionDenied;
                case FailureKind.NotFound: return ErrorCategory.ObjectNotFound;
                case FailureKind.Throttled: return ErrorCategory.LimitsExceeded;
                case FailureKind.Validation: return ErrorCategory.InvalidArgument;
                case FailureKind.Connection:
                case FailureKind.Proxy: return ErrorCategory.ConnectionError;
                case FailureKind.Timeout: return ErrorCategory.OperationTimeout;
                case FailureKind.Conflict: return ErrorCategory.ResourceExists;
                case FailureKind.Cancelled: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
