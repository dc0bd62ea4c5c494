using System;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>One awsJson1_0 call: the operation name and its JSON body, already written.</summary>
    internal sealed class SfnRequest : AmazonWebServiceRequest
    {
        public SfnRequest(string operation, byte[] body, string? hostPrefix = null)
        {
            Operation = operation;
            Body = body;
            HostPrefix = hostPrefix;
        }

        public string Operation { get; }
        public byte[] Body { get; }
        public string? HostPrefix { get; }

        /// <summary>What the request is about (an ARN), for the wire trace: calls in flight together are told apart by it.</summary>
        public string? Target { get; set; }

        /// <summary>
        /// Whether the SDK may repeat this request after a failure that leaves it unknown whether the service acted on it
        /// (a 5xx, a timeout, a dropped connection). False for a StartExecution whose state machine may be EXPRESS: its starts
        /// are not idempotent, so a repeat could run the workflow twice (see SfnRetryPolicy).
        /// </summary>
        public bool Repeatable { get; set; } = true;

        /// <summary>
        /// For a request that is not repeatable: reads the state machine's type when the SDK would repeat it (the policy's
        /// budget allows a retry and the failure is one it retries). STANDARD makes it repeatable from then on.
        /// </summary>
        public Func<Task<MachineTypeLookup>>? LookUpType { get; set; }

        /// <summary>
        /// Set when the SDK repeated this request after an attempt whose outcome is unknown (a 5xx, a timeout, a dropped
        /// connection): that attempt may have been processed, so a later ExecutionAlreadyExists may be this very call's start.
        /// </summary>
        public bool RepeatedAfterUnknownOutcome { get; set; }

        /// <summary>Whether LookUpType ran, and what it found.</summary>
        public bool TypeLookedUp { get; set; }
        public MachineTypeLookup? TypeFound { get; set; }

        /// <summary>
        /// Only what JSON itself requires is escaped. The default encoder also writes quotes, &lt; &gt; &amp; + and every
        /// non-ASCII character as \uXXXX (for HTML, irrelevant here): an execution input of 256 KiB, itself JSON full of
        /// quotes, became a body of over 1 MiB.
        /// </summary>
        internal static readonly JsonWriterOptions BodyOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary>Writes a flat JSON object body with the writer callback (property order as written).</summary>
        public static SfnRequest Create(string operation, Action<Utf8JsonWriter> writeMembers, string? hostPrefix = null)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, BodyOptions))
            {
                writer.WriteStartObject();
                writeMembers(writer);
                writer.WriteEndObject();
            }
            return new SfnRequest(operation, stream.ToArray(), hostPrefix);
        }
    }

    /// <summary>Turns an SfnRequest into the SDK's DefaultRequest the way generated awsJson1_0 marshallers do.</summary>
    internal sealed class SfnRequestMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        public static readonly SfnRequestMarshaller Instance = new SfnRequestMarshaller();

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var sfn = (SfnRequest)input;
            IRequest request = new DefaultRequest(sfn, "Amazon.StepFunctions");
            request.Headers["X-Amz-Target"] = "AWSStepFunctions." + sfn.Operation;
            request.Headers["Content-Type"] = "application/x-amz-json-1.0";
            request.Headers["x-amz-api-version"] = "2016-11-23";
            request.HttpMethod = "POST";
            request.ResourcePath = "/";
            request.Content = sfn.Body;
            if (sfn.HostPrefix != null)
                ((DefaultRequest)request).HostPrefix = sfn.HostPrefix;
            return request;
        }
    }

    /// <summary>A successful response: the whole JSON body, parsed once (bodies here are small).</summary>
    internal sealed class SfnResponse : AmazonWebServiceResponse
    {
        public SfnResponse()
        {
        }

        public SfnResponse(JsonElement body, string? dateHeader = null)
        {
            Body = body;
            _dateHeader = dateHeader;
        }

        private readonly string? _dateHeader;

        /// <summary>Default (Undefined kind) when the service sent an empty body.</summary>
        public JsonElement Body { get; }

        /// <summary>The answer's Date header: the service's clock, to the second (null when absent or unreadable). Parsed only
        /// when asked (a start's read-back), not on every call.</summary>
        public DateTimeOffset? ServiceDate => HttpDateHeader.Parse(_dateHeader);
    }

    /// <summary>A Step Functions (or common AWS JSON) error with its code as the service reported it.</summary>
    internal sealed class SfnServiceException : AmazonServiceException
    {
        public SfnServiceException(string message, Exception? inner, ErrorType type, string code, string? requestId, HttpStatusCode status)
            : base(message, inner, type, code, requestId, status)
        {
        }
    }

    internal sealed class SfnResponseUnmarshaller : JsonResponseUnmarshaller
    {
        public static readonly SfnResponseUnmarshaller Instance = new SfnResponseUnmarshaller();

        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
        {
            var bytes = ReadAll(context);
            var date = context.ResponseData?.GetHeaderValue("Date");
            if (bytes.Length == 0)
                return new SfnResponse(default, date);
            using var document = JsonDocument.Parse(bytes);
            return new SfnResponse(document.RootElement.Clone(), date);
        }

        public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            var bytes = ReadAll(context);
            var error = SfnErrorParser.Parse(bytes, context.ResponseData?.GetHeaderValue("x-amzn-ErrorType"), (int)statusCode);
            var requestId = context.ResponseData?.GetHeaderValue("x-amzn-RequestId");
            var type = (int)statusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender;
            return new SfnServiceException(error.Message, innerException, type, error.Code, requestId, statusCode);
        }

        private static byte[] ReadAll(JsonUnmarshallerContext context)
        {
            using var copy = new MemoryStream();
            context.Stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    /// <summary>The awsJson error shape: __type (or code) after the last '#', cut at ':'; else x-amzn-ErrorType.</summary>
    internal static class SfnErrorParser
    {
        internal readonly struct ParsedError
        {
            public ParsedError(string code, string message)
            {
                Code = code;
                Message = message;
            }

            public string Code { get; }
            public string Message { get; }
        }

        public static ParsedError Parse(byte[] body, string? errorTypeHeader, int statusCode)
        {
            string? code = null;
            string? message = null;
            string? reason = null;
            if (body.Length > 0)
            {
                try
                {
                    using var document = JsonDocument.Parse(body);
                    if (document.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in document.RootElement.EnumerateObject())
                        {
                            if (property.Value.ValueKind != JsonValueKind.String) continue;
                            var name = property.Name;
                            if (name == "__type" || (code == null && string.Equals(name, "code", StringComparison.OrdinalIgnoreCase)))
                                code = property.Value.GetString();
                            else if (string.Equals(name, "message", StringComparison.OrdinalIgnoreCase) || name == "errorMessage")
                                message = property.Value.GetString();
                            else if (name == "reason")
                                reason = property.Value.GetString();
                        }
                    }
                }
                catch (JsonException)
                {
                    // Not JSON (a proxy's or load balancer's HTML page): the header or the status must speak.
                }
            }
            code = Sanitize(code) ?? Sanitize(errorTypeHeader) ?? ("Http" + statusCode);
            if (string.IsNullOrEmpty(message))
                message = body.Length > 0 && body.Length < 512 && code.StartsWith("Http", StringComparison.Ordinal)
                    ? Encoding.UTF8.GetString(body).Trim()
                    : code;
            // The model's ValidationException says why in a member of its own (CANNOT_UPDATE_COMPLETED_MAP_RUN...): a script
            // matching the message, and a reader of the task's output, see it only if the message carries it.
            if (!string.IsNullOrEmpty(reason) && message!.IndexOf(reason!, StringComparison.Ordinal) < 0) message += $" (reason: {reason})";
            return new ParsedError(code, message!);
        }

        private static string? Sanitize(string? raw)
        {
            if (string.IsNullOrWhiteSpace(raw)) return null;
            var value = raw!;
            var hash = value.LastIndexOf('#');
            if (hash >= 0) value = value.Substring(hash + 1);
            var colon = value.IndexOf(':');
            if (colon >= 0) value = value.Substring(0, colon);
            value = value.Trim();
            return value.Length == 0 ? null : value;
        }
    }
}
