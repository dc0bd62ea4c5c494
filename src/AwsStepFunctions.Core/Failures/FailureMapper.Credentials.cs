using System;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    // Failures to find or refresh credentials: which source failed, and what to do about it.
    internal static partial class FailureMapper
    {
        /// <summary>
        /// A credential source's failure. A credential_process that failed, a source the SDK could not load, anything not
        /// otherwise understood: the credentials are what is wrong (exit 2), and the message says where they were to come
        /// from. A connection failure keeps its code and is prefixed "Could not get credentials from" (the endpoint it names
        /// is STS or the portal); a proxy failure keeps its code and its own message, which must start as issue 4 requires.
        /// </summary>
        private static StepFunctionsFailure FromCredentialSource(CredentialsUnavailableException noCredentials, Exception cause,
            StepFunctionsFailure mapped, string? target, Exception exception)
        {
            var source = noCredentials.CredentialSource;
            // The Step Functions client's retry setting worded the 5xx; the credential source's own client retried it.
            if (mapped.Kind == FailureKind.Connection && ServerError(cause) is AmazonServiceException answer)
                mapped = new StepFunctionsFailure(mapped.Kind, mapped.ExitCode, mapped.ErrorId, CredentialServiceFailed(answer),
                    mapped.Field, mapped.Target, mapped.InnerException) { Detail = mapped.Detail };
            if (cause is SsoSignInNotRefreshedException notRefreshed)
                return SignInNotRefreshed(notRefreshed, source, mapped, target, exception);
            if (mapped.Kind == FailureKind.Unexpected || mapped.ErrorId == "NoCredentials")
                return new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "CredentialsUnavailable",
                    $"Could not get credentials from {source}: {OneLine(Causes(cause))}", field: "credentials_user", target: target, inner: exception);
            // The core's own failures are worded already.
            if (mapped.Kind == FailureKind.Connection && !(cause is StepFunctionsFailure))
                return new StepFunctionsFailure(mapped.Kind, mapped.ExitCode, mapped.ErrorId, $"Could not get credentials from {source}: {mapped.Message}",
                    mapped.Field, mapped.Target ?? target, exception) { Detail = mapped.Detail };
            return mapped;
        }

        /// <summary>
        /// An expired SSO sign-in whose refresh got no answer: what kept SSO OIDC from answering decides. A network problem, a
        /// proxy's or a throttle passes, so it keeps its code (a -Wait polls through it) and the message adds that the sign-in
        /// could not be refreshed; anything else is the sign-in's failure (exit 2, run aws sso login).
        /// </summary>
        private static StepFunctionsFailure SignInNotRefreshed(SsoSignInNotRefreshedException notRefreshed, string source,
            StepFunctionsFailure mapped, string? target, Exception exception)
        {
            switch (mapped.Kind)
            {
                case FailureKind.Proxy:
                    // Issue 4's prefix first, as for every proxy failure.
                    return new StepFunctionsFailure(mapped.Kind, mapped.ExitCode, mapped.ErrorId,
                        $"{mapped.Message.TrimEnd('.')}. {notRefreshed.Message}.", mapped.Field, mapped.Target ?? target, exception)
                    { Detail = mapped.Detail };
                case FailureKind.Connection:
                case FailureKind.Throttled:
                    return new StepFunctionsFailure(mapped.Kind, mapped.ExitCode, mapped.ErrorId,
                        $"Could not get credentials from {source}: {notRefreshed.Message}: {mapped.Message}", mapped.Field,
                        mapped.Target ?? target, exception) { Detail = mapped.Detail };
                default:
                    return notRefreshed.Expired;
            }
        }

        /// <summary>The first answer of HTTP 500 or above in an exception's chain.</summary>
        private static AmazonServiceException? ServerError(Exception exception)
        {
            for (var current = exception; current != null; current = current.InnerException)
                if (current is AmazonServiceException answer && (int)answer.StatusCode >= 500) return answer;
            return null;
        }

        /// <summary>
        /// A credential service's 5xx on its own terms: its client (ClientBuilder.ApplyCommon's standard retry mode) repeated
        /// the call, whatever the Step Functions client does.
        /// </summary>
        private static string CredentialServiceFailed(AmazonServiceException answer)
        {
            var said = !string.IsNullOrEmpty(answer.ErrorCode) && !answer.ErrorCode.StartsWith("Http", StringComparison.Ordinal)
                ? $": {answer.ErrorCode}: {answer.Message}" : ".";
            return $"{CredentialServiceName(answer)} answered HTTP {(int)answer.StatusCode} after its retries{said}";
        }

        /// <summary>Which credential service answered: each SDK client throws exceptions of its own namespace.</summary>
        private static string CredentialServiceName(AmazonServiceException answer)
        {
            var space = answer.GetType().Namespace ?? "";
            // SSOOIDC before SSO: one name begins the other.
            if (space.StartsWith("Amazon.SSOOIDC", StringComparison.Ordinal)) return "SSO OIDC";
            if (space.StartsWith("Amazon.SSO", StringComparison.Ordinal)) return "The IAM Identity Center (SSO) portal";
            if (space.StartsWith("Amazon.SecurityToken", StringComparison.Ordinal)) return "STS";
            return "The credential service";
        }
    }
}
