using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>
    /// Writes each HTTP attempt to the RequestTrace scope, if any. It sits inside the retry handler, so every attempt of a
    /// retried call is its own pair of lines, and the gap between them is the back-off; the service's errors arrive here
    /// already unmarshalled (code, status, request id). Without a scope it is one AsyncLocal read and no async layer.
    /// </summary>
    internal sealed class RequestTraceHandler : PipelineHandler
    {
        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var sink = RequestTrace.Writer;
            return sink == null ? base.InvokeAsync<T>(executionContext) : TraceAsync<T>(executionContext, sink);
        }

        private async Task<T> TraceAsync<T>(IExecutionContext executionContext, RequestTrace.Sink sink)
            where T : AmazonWebServiceResponse, new()
        {
            var requestContext = executionContext.RequestContext;
            var request = requestContext.Request;
            var sfn = requestContext.OriginalRequest as SfnRequest;
            var prefix = string.Format(CultureInfo.InvariantCulture, "{0}{1} attempt {2}:",
                sfn?.Operation ?? requestContext.RequestName, ShortTarget(sfn?.Target), requestContext.Retries + 1);
            // The time of day: polls and retry back-offs show as gaps between the lines.
            sink.Progress(string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} ({3} bytes) at {4:HH:mm:ss.fff}",
                prefix, request.HttpMethod, AmazonServiceClient.ComposeUrl(request), request.Content?.Length ?? 0, DateTime.Now));
            var clock = Stopwatch.StartNew();
            try
            {
                var response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
                sink.Progress(string.Format(CultureInfo.InvariantCulture, "{0} HTTP {1} in {2:0.0} ms, request id {3}",
                    prefix, (int)response.HttpStatusCode, clock.Elapsed.TotalMilliseconds, response.ResponseMetadata?.RequestId ?? "(none)"));
                return response;
            }
            catch (AmazonServiceException error) when (error.StatusCode != 0)
            {
                sink.Write(string.Format(CultureInfo.InvariantCulture, "{0} HTTP {1} {2} in {3:0.0} ms, request id {4}: {5}",
                    prefix, (int)error.StatusCode, error.ErrorCode ?? error.GetType().Name, clock.Elapsed.TotalMilliseconds,
                    string.IsNullOrEmpty(error.RequestId) ? "(none)" : error.RequestId, ProxyText.ScrubUrlCredentials(error.Message)));
                throw;
            }
            catch (OperationCanceledException) when (requestContext.CancellationToken.IsCancellationRequested)
            {
                sink.Write(string.Format(CultureInfo.InvariantCulture, "{0} cancelled after {1:0.0} ms", prefix, clock.Elapsed.TotalMilliseconds));
                throw;
            }
            catch (Exception error) when (CredentialsUnavailableException.In(error))
            {
                // Nothing went out: the request is signed only once its credentials are had.
                var why = CredentialsUnavailableException.Find(error) is CredentialsUnavailableException noCredentials
                    ? $"Could not get credentials from {noCredentials.CredentialSource}: {FailureMapper.Causes(noCredentials.InnerException!)}"
                    : error.Message;
                sink.Write(string.Format(CultureInfo.InvariantCulture, "{0} not sent after {1:0.0} ms: {2}",
                    prefix, clock.Elapsed.TotalMilliseconds, ProxyText.ScrubUrlCredentials(FailureMapper.OneLine(why))));
                throw;
            }
            catch (Exception error)
            {
                // No answer (refused, reset, timed out, TLS): the innermost message names the cause.
                var cause = error;
                while (cause.InnerException != null) cause = cause.InnerException;
                sink.Write(string.Format(CultureInfo.InvariantCulture, "{0} no answer after {1:0.0} ms: {2}: {3}",
                    prefix, clock.Elapsed.TotalMilliseconds, cause.GetType().Name, ProxyText.ScrubUrlCredentials(cause.Message)));
                throw;
            }
        }

        /// <summary>" Machine:execution" or " Machine" from an ARN: enough to tell calls in flight together apart.</summary>
        private static string ShortTarget(string? arn)
        {
            if (string.IsNullOrEmpty(arn)) return "";
            // arn:partition:states:region:account:kind:rest
            var parts = arn!.Split(new[] { ':' }, 7);
            return parts.Length == 7 ? " " + parts[6] : " " + arn;
        }
    }
}
