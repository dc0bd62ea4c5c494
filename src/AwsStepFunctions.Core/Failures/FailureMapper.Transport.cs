using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    // Failures below the service: the network, the proxy (exit 11) and TLS, and whether a request may have been sent.
    internal static partial class FailureMapper
    {
        /// <summary>
        /// For a public endpoint whose host did not resolve: when the SDK's list of regions lacks the region, a mistyped region
        /// is the likely cause, and the message says so. Not a validation error before the request: a region newer than this
        /// SDK must still work, so the list only explains a failure.
        /// </summary>
        internal static string UnknownRegionHint(string? region)
        {
            // Not EnumerableAllRegions: every region a client was made for joins that list, the mistyped one included. The
            // SDK names only the regions of its partition data; any other it calls "Unknown".
            if (region == null || Amazon.RegionEndpoint.GetBySystemName(region).DisplayName != "Unknown") return "";
            return $" The region '{region}' is not one the AWS SDK knows: check -Region, or the region in the ARN.";
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
                    $"Cannot reach the endpoint: {what} ({http?.Message ?? socket.Message})."
                    + (id == "DnsError" ? UnknownRegionHint(context.PublicEndpointRegion) : ""), target: target, inner: exception);
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
