using System;
using System.Globalization;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>What the mapper needs to know about the connection a failure happened on.</summary>
    internal sealed class FailureContext
    {
        public static readonly FailureContext None = new FailureContext(null, null);

        public FailureContext(string? proxyDisplayUrl, Func<string?>? lastCertificateProblem, TimeSpan? requestTimeout = null, bool sdkRetries = true)
        {
            ProxyDisplayUrl = proxyDisplayUrl;
            LastCertificateProblem = lastCertificateProblem;
            RequestTimeout = requestTimeout;
            SdkRetries = sdkRetries;
        }

        /// <summary>
        /// The proxy the endpoint is reached through, without credentials: the explicit one, or the one HTTPS_PROXY /
        /// HTTP_PROXY give for the endpoint (NO_PROXY honoured); null when requests go direct.
        /// </summary>
        public string? ProxyDisplayUrl { get; }

        /// <summary>What our certificate validation last rejected (when a custom CA bundle is in play).</summary>
        public Func<string?>? LastCertificateProblem { get; }

        /// <summary>How long one attempt may take (the SDK client's Timeout), for the timeout message.</summary>
        public TimeSpan? RequestTimeout { get; }

        /// <summary>False for the StartSyncExecution client, which never retries: messages must not claim retries.</summary>
        public bool SdkRetries { get; }

        /// <summary>The same connection seen through another SDK client (StartSyncExecution's: its own timeout, no retries).</summary>
        public FailureContext For(TimeSpan timeout, bool sdkRetries) => new FailureContext(ProxyDisplayUrl, LastCertificateProblem, timeout, sdkRetries);

        /// <summary>The same client's failures for a request it did not repeat (a StartExecution that may be EXPRESS).</summary>
        public FailureContext WithoutRetries() => new FailureContext(ProxyDisplayUrl, LastCertificateProblem, RequestTimeout, sdkRetries: false);

        /// <summary>How the message ends: what the SDK did before giving up.</summary>
        internal string AfterRetries => SdkRetries ? " after the SDK's retries" : " (not retried)";
    }

    /// <summary>
    /// The one place where exceptions become StepFunctionsFailure with the exit-code table of the module issue.
    /// Messages are built from service codes and messages and exception texts that never carry secrets
    /// (the SDK does not echo keys; proxy URLs are shown without user info).
    /// </summary>
    internal static class FailureMapper
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

        /// <summary>
        /// Transport failures. With a proxy in the path (explicit or from the environment), only failures to reach,
        /// authenticate with or tunnel through the proxy are exit 11: a refused/unreachable TCP connect (the TCP connection
        /// always goes to the proxy), a proxy status (407, a refused CONNECT), a failed TLS handshake with an https://
        /// proxy. Everything after the forward or tunnel is up (a slow or resetting endpoint, a timeout) is exit 10.
        /// </summary>
        private static StepFunctionsFailure? FromTransport(Exception exception, FailureContext context, string? target)
        {
            AuthenticationException? tls = null;
            SocketException? socket = null;
            HttpRequestException? http = null;
            WebException? web = null;
            Exception? timeout = null;
            IOException? io = null;
            var socketMidTransfer = false;
            for (var current = exception; current != null; current = current.InnerException)
            {
                switch (current)
                {
                    case AuthenticationException a: tls ??= a; break;
                    case SocketException s:
                        // Under an IOException it came while reading or writing an open connection, not while opening one.
                        if (socket == null) socketMidTransfer = io != null;
                        socket ??= s;
                        break;
                    case HttpRequestException h: http ??= h; break;
                    case WebException w: web ??= w; break;
                    case TimeoutException t: timeout ??= t; break;
                    case OperationCanceledException c: timeout ??= c; break;
                    // A missing file or assembly (a credential source the SDK could not load) is no network failure.
                    case IOException i when !(i is FileNotFoundException || i is FileLoadException || i is DirectoryNotFoundException): io ??= i; break;
                }
            }

            // The caller did not cancel (Map checked), so an aborted socket operation is the SDK's request timeout firing.
            var aborted = socket != null && (socket.SocketErrorCode == SocketError.OperationAborted || socket.SocketErrorCode == SocketError.Interrupted);
            var connectFailure = (socket != null && !socketMidTransfer && IsConnectPhase(socket.SocketErrorCode))
                || web?.Status == WebExceptionStatus.ConnectFailure || web?.Status == WebExceptionStatus.NameResolutionFailure
                || (timeout != null && timeout.Message.IndexOf("ConnectTimeout", StringComparison.OrdinalIgnoreCase) >= 0);

            if (context.ProxyDisplayUrl != null)
            {
                if (tls != null && IsProxyTls(context))
                    return ProxyFailure(context, DescribeProxyTls(tls, context), target, exception);
                // Reaching the proxy first: .NET's messages quote the proxy's host, and a proxy is often named proxy.something,
                // so an unresolvable or closed proxy read as one that "refused the request".
                if (connectFailure || web?.Status == WebExceptionStatus.ProxyNameResolutionFailure)
                    return ProxyFailure(context, "the proxy could not be reached: " + (socket?.Message ?? web?.Message ?? timeout!.Message), target, exception);
                if (http?.Message.IndexOf("proxy", StringComparison.OrdinalIgnoreCase) >= 0)
                    return ProxyFailure(context, "the proxy refused the request: " + http.Message, target, exception);
            }

            if (tls != null)
                return new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, "TlsError",
                    "TLS handshake with the endpoint failed: " + DescribeTls(tls, context), target: target, inner: exception);

            if (socket != null && !aborted)
            {
                var (id, what) = socket.SocketErrorCode switch
                {
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => ("DnsError", "the endpoint's host name could not be resolved"),
                    SocketError.ConnectionRefused => ("ConnectionRefused", "the endpoint refused the connection"),
                    SocketError.TimedOut => ("ConnectTimeout", "connecting to the endpoint timed out"),
                    SocketError.ConnectionReset => ("ConnectionReset", "the endpoint reset the connection"),
                    _ => ("ConnectionError", "the endpoint could not be reached"),
                };
                return new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, id,
                    $"Cannot reach the endpoint: {what} ({http?.Message ?? socket.Message}).", target: target, inner: exception);
            }

            if (timeout != null || aborted)
            {
                var limit = context.RequestTimeout is TimeSpan t ? $" after {t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : "";
                return new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, "RequestTimeout",
                    $"The request to the endpoint timed out{limit} (request_timeout)" + (context.SdkRetries ? "; it was retried and every attempt timed out." : "; it was not retried."),
                    target: target, inner: exception) { Detail = (timeout ?? socket!).Message };
            }

            if (http != null || web != null || io != null)
                return new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, "ConnectionError",
                    "Cannot reach the endpoint: " + (http?.Message ?? web?.Message ?? io!.Message), target: target, inner: exception);

            return null;
        }

        /// <summary>Whether the request failed while its connection was being opened, so no byte of it reached anyone.</summary>
        internal static bool NeverSent(Exception exception)
        {
            // Credentials are had before the request is signed, so one without them was never sent.
            if (CredentialsUnavailableException.In(exception)) return true;
            for (var current = exception; current != null; current = current.InnerException)
            {
                // The proxy turned the request away (407 for its credentials, a CONNECT it refused or could not open): it
                // forwards nothing before the tunnel is up or the client has authenticated. A bare 401 through a proxy is
                // not judged here: without the context it cannot be told from a service's own.
                if (current is AmazonServiceException proxy && (int)proxy.StatusCode == 407) return true;
                if (current is HttpRequestException http && IsProxyTunnelFailure(http)) return true;
                // A TLS handshake that failed (with the proxy or the endpoint) came before any byte of the request.
                if (current is AuthenticationException) return true;
                // A socket error under an IOException came while reading or writing an open connection (.NET wraps transfer
                // failures so; a failed connect is not): a timeout or an unreachable host there may follow a sent request.
                if (current is IOException) return false;
                if (current is SocketException socket && IsConnectPhase(socket.SocketErrorCode)) return true;
                if (current is WebException web && (web.Status == WebExceptionStatus.ConnectFailure || web.Status == WebExceptionStatus.NameResolutionFailure))
                    return true;
            }
            return false;
        }

        /// <summary>HttpRequestException.HttpRequestError (.NET 8 and later; netstandard2.0 cannot name it).</summary>
        private static readonly System.Reflection.PropertyInfo? HttpRequestErrorProperty = typeof(HttpRequestException).GetProperty("HttpRequestError");

        /// <summary>
        /// A CONNECT the proxy answered with an error: .NET 8 and later say so in HttpRequestError; older runtimes only in the
        /// message, whose English text is the only form they have (.NET Framework answers a WebException instead).
        /// </summary>
        private static bool IsProxyTunnelFailure(HttpRequestException http)
        {
            if (HttpRequestErrorProperty != null)
                return HttpRequestErrorProperty.GetValue(http)?.ToString() == "ProxyTunnelError";
            return http.Message.IndexOf("proxy tunnel", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        /// <summary>Socket errors that happen while opening the TCP connection, before any byte of the request is sent.</summary>
        private static bool IsConnectPhase(SocketError error) => error switch
        {
            SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain
                or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown
                or SocketError.AddressNotAvailable or SocketError.TimedOut => true,
            _ => false,
        };

        /// <summary>The required message, the exact prefix first, then why (never credentials: the URL has none).</summary>
        private static StepFunctionsFailure ProxyFailure(FailureContext context, string reason, string? target, Exception exception)
            => new StepFunctionsFailure(FailureKind.Proxy, ExitCode.ProxyConnectionError, "ProxyConnectionError",
                "ProxyConnectionError: Failed to connect to proxy URL " + context.ProxyDisplayUrl + ": " + reason, target: target, inner: exception)
            { Detail = reason };

        /// <summary>An HTTP error without an AWS error code: a proxy's or load balancer's own page, not the service.</summary>
        private static bool IsBareHttpError(AmazonServiceException exception)
            => string.IsNullOrEmpty(exception.ErrorCode) || exception.ErrorCode.StartsWith("Http", StringComparison.Ordinal);

        private static string DescribeProxyTls(AuthenticationException tls, FailureContext context)
        {
            var recorded = context.LastCertificateProblem?.Invoke();
            var text = recorded ?? tls.Message;
            if (recorded == null && text.IndexOf("certificate", StringComparison.OrdinalIgnoreCase) < 0)
                return $"the TLS handshake with the proxy failed ({text})";
            return $"the proxy's TLS certificate is not trusted ({text}); pass -ProxyCaBundleFile (proxy_ca_bundle_file) with the CA that issued it";
        }

        private static bool IsProxyTls(FailureContext context)
            => context.ProxyDisplayUrl!.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

        private static string DescribeTls(AuthenticationException tls, FailureContext context)
        {
            var recorded = context.LastCertificateProblem?.Invoke();
            return recorded ?? tls.Message;
        }
    }
}
