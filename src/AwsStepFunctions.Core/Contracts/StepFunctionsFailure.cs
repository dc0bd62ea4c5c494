using System;

namespace AwsStepFunctions.Core
{
    /// <summary>What kind of failure, independent of PowerShell; the cmdlets map it to an ErrorCategory.</summary>
    public enum FailureKind
    {
        Unexpected,
        Authentication,
        Authorization,
        Connection,
        Proxy,
        Validation,
        NotFound,
        Conflict,
        Throttled,
        Timeout,
        Cancelled,
    }

    /// <summary>
    /// The one exception the core throws for every failure it understands. The message is safe to show:
    /// it never contains a secret, and proxy URLs are shown without credentials.
    /// </summary>
    public sealed class StepFunctionsFailure : Exception
    {
        public StepFunctionsFailure(FailureKind kind, ExitCode exitCode, string errorId, string message,
            string? field = null, string? target = null, Exception? inner = null)
            // Messages quote exception texts, and .NET's name a proxy with its credentials: scrubbed here, once for all.
            : base(ProxyText.ScrubUrlCredentials(message), inner)
        {
            Kind = kind;
            ExitCode = exitCode;
            ErrorId = errorId;
            Field = field;
            Target = target;
        }

        public FailureKind Kind { get; }
        public ExitCode ExitCode { get; }
        /// <summary>Stable id, e.g. "InvalidStateMachineArn", "ExecutionDoesNotExist", "ProxyConnectionError".</summary>
        public string ErrorId { get; }
        /// <summary>The input field at fault (the seed's field name, e.g. "state_machine_arn"), if any.</summary>
        public string? Field { get; }
        /// <summary>The ARN or value the failure is about, if any (never a secret).</summary>
        public string? Target { get; }
        /// <summary>More detail than the (sometimes fixed) message, e.g. the proxy's status or the certificate problem. Never a secret.</summary>
        public string? Detail
        {
            get => _detail;
            set => _detail = value == null ? null : ProxyText.ScrubUrlCredentials(value);
        }

        private string? _detail;
        /// <summary>
        /// A start's failure that came after an attempt whose outcome is unknown (no answer, a 5xx): that attempt may have
        /// created the execution, so ExecutionAlreadyExists may name this call's own start. False for an ExecutionAlreadyExists
        /// answered to the first attempt: then the name was taken before this call.
        /// </summary>
        public bool AfterUnansweredAttempt { get; internal set; }

        /// <summary>
        /// The failure came while getting credentials (a profile's AssumeRole, a credential_process): nothing was sent to Step
        /// Functions, so an AccessDenied here is not a refusal of the Step Functions request.
        /// </summary>
        public bool FromCredentials { get; internal set; }

        /// <summary>True when this call had already started an execution before it failed (the output's "changed").</summary>
        public bool ExecutionStarted { get; set; }
        /// <summary>The execution as last seen, when the failure came after the start (wait timeout, unreachable, cancel).</summary>
        public ExecutionResult? Execution { get; set; }
    }
}
