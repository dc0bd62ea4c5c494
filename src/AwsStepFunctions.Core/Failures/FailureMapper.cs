using System;
using System.Collections.Generic;
using System.Threading;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// The one place where exceptions become StepFunctionsFailure with the exit-code table of the module issue.
    /// Messages are built from service codes and messages and exception texts that never carry secrets
    /// (the SDK does not echo keys; proxy URLs are shown without user info).
    /// </summary>
    internal static partial class FailureMapper
    {
        private static readonly HashSet<string> AuthenticationCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "UnrecognizedClientException", "UnrecognizedClient", "InvalidSignatureException", "InvalidSignature",
            "MissingAuthenticationTokenException", "MissingAuthenticationToken", "IncompleteSignatureException",
            "IncompleteSignature", "ExpiredTokenException", "ExpiredToken", "InvalidClientTokenId",
            "SignatureDoesNotMatch", "RequestExpired", "AuthFailure",
            // STS's answers to a web identity token (AssumeRoleWithWebIdentity) that is invalid or whose claims are refused.
            "InvalidIdentityToken", "IDPRejectedClaim",
        };

        /// <summary>The service's answer to a session token past its expiry (Step Functions' code, then STS's).</summary>
        internal static bool IsExpiredToken(string? code) => code == "ExpiredTokenException" || code == "ExpiredToken";

        private static readonly HashSet<string> AuthorizationCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "AccessDenied", "AccessDeniedException", "KmsAccessDeniedException", "UnauthorizedOperation",
            "RegionDisabledException",
        };

        private static readonly HashSet<string> ValidationCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "InvalidArn", "InvalidName", "InvalidExecutionInput", "ValidationException", "InvalidToken",
            "InvalidParameterValue", "MissingParameter", "MalformedPolicyDocument", "SerializationException",
            "StateMachineDeleting", "StateMachineTypeNotSupported", "ExecutionNotRedrivable", "InvalidDefinition",
            // STS's own code for a parameter that breaks its rules (a role session name, an external id).
            "ValidationError",
        };

        private static readonly HashSet<string> NotFoundCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "StateMachineDoesNotExist", "ExecutionDoesNotExist", "ResourceNotFound", "ResourceNotFoundException",
        };

        private static readonly HashSet<string> ThrottlingCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
            "KmsThrottlingException", "ProvisionedThroughputExceededException", "SlowDown", "RequestThrottled",
            "RequestThrottledException", "ExecutionLimitExceeded",
        };

        /// <summary>Throttling-like refusals the SDK does not retry (not in its throttling codes): the message must not claim
        /// a retry budget was spent.</summary>
        private static readonly HashSet<string> NotRetriedLimitCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "ExecutionLimitExceeded", "KmsThrottlingException",
        };

        /// <summary>Something else answered at the endpoint's address: a connection failure that waiting will not mend.</summary>
        internal const string NotAStepFunctionsEndpoint = "NotAStepFunctionsEndpoint";

        public static StepFunctionsFailure Map(Exception exception, FailureContext context, string? target = null,
            CancellationToken callerToken = default)
        {
            var failure = MapAny(exception, context, target, callerToken);
            // STS's refusal of a profile's role is still exit 3, but it is not a refusal of the Step Functions request.
            if (failure.Kind != FailureKind.Cancelled && CredentialsUnavailableException.In(exception)) failure.FromCredentials = true;
            return failure;
        }

        private static StepFunctionsFailure MapAny(Exception exception, FailureContext context, string? target, CancellationToken callerToken)
        {
            if (exception is StepFunctionsFailure known) return known;

            if (exception is OperationCanceledException && callerToken.IsCancellationRequested)
                return new StepFunctionsFailure(FailureKind.Cancelled, ExitCode.Fail, "OperationCancelled",
                    "The operation was cancelled.", target: target, inner: exception);

            // A failure while getting credentials is judged by its cause: a proxy's 407, an STS 5xx or timeout are what they are
            // for any request (exit 11, 10, and transient while waiting), and the message says it was the credentials.
            if (CredentialsUnavailableException.Find(exception) is CredentialsUnavailableException noCredentials && noCredentials.InnerException is Exception cause)
                return FromCredentialSource(noCredentials, cause, MapAny(cause, context, target, callerToken), target, exception);

            if (exception is AmazonServiceException proxied && context.ProxyDisplayUrl != null
                && ((int)proxied.StatusCode == 407 || ((int)proxied.StatusCode == 401 && IsBareHttpError(proxied))))
                return ProxyFailure(context, $"the proxy answered {(int)proxied.StatusCode} (check the proxy credentials)", target, exception);

            for (var current = exception; current != null; current = current.InnerException)
                if (current is AmazonServiceException service && !string.IsNullOrEmpty(service.ErrorCode) && !service.ErrorCode.StartsWith("Http", StringComparison.Ordinal))
                    return FromServiceError(service, context, target);

            var network = FromTransport(exception, context, target);
            if (network != null) return network;

            if (exception is AmazonServiceException status && (int)status.StatusCode >= 500)
                return new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, "ServiceUnavailable",
                    $"The service answered HTTP {(int)status.StatusCode}{(context.SdkRetries ? " and kept failing after the SDK's retries" : " (not retried)")}.", target: target, inner: exception);

            // A bare 429 or 408 (no AWS error code: a gateway or proxy in between answered) is the same transient condition as
            // the service's own throttling or a timeout, so a wait keeps polling instead of ending as "unexpected".
            if (exception is AmazonServiceException tooMany && (int)tooMany.StatusCode == 429)
                return new StepFunctionsFailure(FailureKind.Throttled, ExitCode.Fail, "TooManyRequests",
                    $"The endpoint answered HTTP 429 (too many requests){context.AfterRetries}.", target: target, inner: exception);
            if (exception is AmazonServiceException slow && (int)slow.StatusCode == 408)
                return new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, "RequestTimeout",
                    $"The endpoint answered HTTP 408 (request timeout){context.AfterRetries}.", target: target, inner: exception);

            // Any other HTTP error without an AWS error code: something that is not Step Functions answered (a web server or a
            // gateway at a wrong -EndpointUrl, a path that does not exist). The endpoint is the problem, not the request.
            if (exception is AmazonServiceException bare && IsBareHttpError(bare) && (int)bare.StatusCode >= 300)
                return new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, NotAStepFunctionsEndpoint,
                    $"The endpoint answered HTTP {(int)bare.StatusCode} without an AWS error: it does not answer as Step Functions does (check -EndpointUrl, AWS_ENDPOINT_URL_SFN and any proxy in between).",
                    target: target, inner: exception);

            if (exception is AmazonClientException client && LooksLikeMissingCredentials(client.Message))
                return new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "NoCredentials",
                    "No AWS credentials were found: give credentials_user and credentials_password, or profile_name, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE. (" + client.Message + ")",
                    field: "credentials_user", target: target, inner: exception);

            return new StepFunctionsFailure(FailureKind.Unexpected, ExitCode.Fail, "UnexpectedError",
                $"Unexpected error ({exception.GetType().Name}): {exception.Message}", target: target, inner: exception);
        }

        /// <summary>An exception's message and its causes' where they add something.</summary>
        internal static string Causes(Exception exception)
        {
            var text = new System.Text.StringBuilder();
            for (var current = exception; current != null; current = current.InnerException)
            {
                var message = current.Message.Trim();
                if (message.Length == 0 || text.ToString().IndexOf(message, StringComparison.Ordinal) >= 0) continue;
                if (text.Length > 0) text.Append(text[text.Length - 1] == '.' ? " " : ": ");
                text.Append(message);
            }
            return text.ToString();
        }

        /// <summary>
        /// One line of at most 300 characters: the SDK lists every source it tried over several lines, a credential_process's
        /// error output is quoted in what the SDK says, and the message is a status line in the task's JSON, stored and
        /// shown widely.
        /// </summary>
        internal static string OneLine(string text)
        {
            // Control characters too: a process's error output may hold terminal escapes, which would act on the console
            // that shows the error (colours, a cleared screen) and have no place in the task's JSON.
            var flat = System.Text.RegularExpressions.Regex.Replace(text, @"[\s\p{Cc}]+", " ").Trim();
            return flat.Length <= 300 ? flat : flat.Substring(0, 297) + "...";
        }

        internal static bool LooksLikeMissingCredentials(string message)
            => message.IndexOf("credential", StringComparison.OrdinalIgnoreCase) >= 0
               && (message.IndexOf("resolve", StringComparison.OrdinalIgnoreCase) >= 0
                   || message.IndexOf("unable", StringComparison.OrdinalIgnoreCase) >= 0
                   || message.IndexOf("no ", StringComparison.OrdinalIgnoreCase) >= 0
                   || message.IndexOf("failed", StringComparison.OrdinalIgnoreCase) >= 0);

        private static StepFunctionsFailure FromServiceError(AmazonServiceException service, FailureContext context, string? target)
        {
            var code = service.ErrorCode;
            var text = $"{code}: {service.Message}";
            if (AuthenticationCodes.Contains(code))
                return new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, code, text, target: target, inner: service);
            if (AuthorizationCodes.Contains(code))
                return new StepFunctionsFailure(FailureKind.Authorization, ExitCode.AuthorizationError, code, text, target: target, inner: service);
            if (NotFoundCodes.Contains(code))
                return new StepFunctionsFailure(FailureKind.NotFound, ExitCode.DataValidationError, code, text, target: target, inner: service);
            if (string.Equals(code, "ExecutionAlreadyExists", StringComparison.OrdinalIgnoreCase))
                return new StepFunctionsFailure(FailureKind.Conflict, ExitCode.DataValidationError, code, text, field: "execution_name", target: target, inner: service);
            if (ValidationCodes.Contains(code))
                return new StepFunctionsFailure(FailureKind.Validation, ExitCode.DataValidationError, code, text, target: target, inner: service);
            if (ThrottlingCodes.Contains(code))
                return new StepFunctionsFailure(FailureKind.Throttled, ExitCode.Fail, code,
                    (NotRetriedLimitCodes.Contains(code) ? "Refused for a limit of the account or key" : "Throttled beyond the retry budget")
                    + $": {text}", target: target, inner: service);
            if ((int)service.StatusCode >= 500)
                return new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, code,
                    (context.SdkRetries ? $"The service kept failing after the SDK's retries (HTTP {(int)service.StatusCode})"
                        : $"The service answered HTTP {(int)service.StatusCode} (not retried)") + $": {text}", target: target, inner: service);
            return new StepFunctionsFailure(FailureKind.Unexpected, ExitCode.Fail, code, text, target: target, inner: service);
        }
    }
}
