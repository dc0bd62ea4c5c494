using System;
using AwsStepFunctions.Core;

namespace AwsStepFunctions
{
    /// <summary>
    /// The exception of every error record the cmdlets write, so scripts can catch them by type:
    /// <c>catch [AwsStepFunctions.UeStepFunctionException] { $_.Exception.ExitCode }</c>. It lives in the cmdlet assembly,
    /// which PowerShell's type lookup reaches on its own; the core's types sit in the module's load context, where only the
    /// few published as type accelerators (Internal/CoreTypeNames) can be named.
    /// </summary>
    public sealed class UeStepFunctionException : Exception
    {
        internal UeStepFunctionException(StepFunctionsFailure failure)
            : this(failure, failure.Message)
        {
        }

        /// <param name="message">The failure's message as the cmdlets word it (parameter names for the task's field names).</param>
        internal UeStepFunctionException(StepFunctionsFailure failure, string message)
            : base(message, failure)
        {
            ErrorId = failure.ErrorId;
            ExitCode = (int)failure.ExitCode;
            Field = failure.Field;
            Target = failure.Target;
        }

        /// <summary>The stable error id, as in FullyQualifiedErrorId (InvalidStateMachineArn, ExecutionFailed...).</summary>
        public string ErrorId { get; }

        /// <summary>The Universal task's exit code for this failure (the output's exit_code).</summary>
        public int ExitCode { get; }

        /// <summary>The input field at fault, under the task's field name (state_machine_arn, input...), if one is.</summary>
        public string? Field { get; }

        /// <summary>What the failure is about: an ARN, a URL, a file.</summary>
        public string? Target { get; }
    }
}
