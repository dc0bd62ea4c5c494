using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// The warm-up's HTTP: requests are answered inside the process and never reach a socket. Where the runtime has
    /// SocketsHttpHandler (PowerShell 7), its connections are in-memory streams (ConnectCallback), so .NET's own HTTP/1.1
    /// writer, parser and connection pool warm up too; elsewhere a message handler answers directly.
    /// </summary>
    internal sealed class PrewarmHttpClientFactory : HttpClientFactory
    {
        public const string MachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Prewarm";
        public const string ExecutionArn = "arn:aws:states:us-east-1:123456789012:execution:Prewarm:prewarm";

        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
            => new HttpClient(InMemorySocketsHandler() ?? new AnsweringHandler());

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

        /// <summary>The body Step Functions would answer for the operation named in X-Amz-Target.</summary>
        public static string AnswerFor(string target) => target.EndsWith(".StartExecution", StringComparison.Ordinal)
            ? "{\"executionArn\":\"" + ExecutionArn + "\",\"startDate\":1.7E9}"
            : "{\"executionArn\":\"" + ExecutionArn + "\",\"stateMachineArn\":\"" + MachineArn + "\",\"name\":\"prewarm\","
              + "\"status\":\"SUCCEEDED\",\"startDate\":1.7E9,\"stopDate\":1.700000001E9,\"input\":\"{}\",\"output\":\"{}\"}";

        /// <summary>A SocketsHttpHandler whose every connection is an <see cref="AnsweringStream"/>; null where there is none.</summary>
        private static HttpMessageHandler? InMemorySocketsHandler()
        {
            var type = typeof(HttpClient).Assembly.GetType("System.Net.Http.SocketsHttpHandler", throwOnError: false);
            var connect = type?.GetProperty("ConnectCallback");
            var useProxy = type?.GetProperty("UseProxy");
            if (type == null || connect == null || useProxy == null) return null;
            var handler = (HttpMessageHandler)Activator.CreateInstance(type)!;
            useProxy.SetValue(handler, false);
            // The callback's first parameter is SocketsHttpConnectionContext, which netstandard cannot name: a method taking
            // object binds to it (delegate parameters are contravariant).
            var method = typeof(PrewarmHttpClientFactory).GetMethod(nameof(ConnectInMemory), BindingFlags.NonPublic | BindingFlags.Static)!;
            connect.SetValue(handler, Delegate.CreateDelegate(connect.PropertyType, method));
            return handler;
        }

        private static ValueTask<Stream> ConnectInMemory(object context, CancellationToken cancellationToken)
            => new ValueTask<Stream>(new AnsweringStream());

        private sealed class AnsweringHandler : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? string.Concat(values) : "";
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    RequestMessage = request,
                    Content = new StringContent(AnswerFor(target), Encoding.UTF8, "application/x-amz-json-1.0"),
                });
            }
        }

        /// <summary>
        /// One in-memory HTTP/1.1 connection: what is written is a request; the next read answers it. A read with no
        /// request waiting is the end of the stream (the pool then drops the connection).
        /// </summary>
        private sealed class AnsweringStream : Stream
        {
            private readonly MemoryStream _request = new MemoryStream();
            private byte[] _response = Array.Empty<byte>();
            private int _responseOffset;

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_responseOffset == _response.Length && !TakeRequest()) return 0;
                var n = Math.Min(count, _response.Length - _responseOffset);
                Buffer.BlockCopy(_response, _responseOffset, buffer, offset, n);
                _responseOffset += n;
                return n;
            }

            /// <summary>Turns a complete request (headers ended) into its response.</summary>
            private bool TakeRequest()
            {
                var text = Encoding.ASCII.GetString(_request.GetBuffer(), 0, (int)_request.Length);
                if (text.IndexOf("\r\n\r\n", StringComparison.Ordinal) < 0) return false;
                _request.SetLength(0);
                var target = "";
                foreach (var line in text.Split(new[] { "\r\n" }, StringSplitOptions.None))
                    if (line.StartsWith("X-Amz-Target:", StringComparison.OrdinalIgnoreCase)) target = line.Substring(13).Trim();
                var body = Encoding.UTF8.GetBytes(AnswerFor(target));
                var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: prewarm\r\n"
                    + "Content-Length: " + body.Length + "\r\n\r\n");
                _response = new byte[head.Length + body.Length];
                Buffer.BlockCopy(head, 0, _response, 0, head.Length);
                Buffer.BlockCopy(body, 0, _response, head.Length, body.Length);
                _responseOffset = 0;
                return true;
            }

            public override void Write(byte[] buffer, int offset, int count) => _request.Write(buffer, offset, count);

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
                => Task.FromResult(Read(buffer, offset, count));

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                Write(buffer, offset, count);
                return Task.CompletedTask;
            }

            public override void Flush()
            {
            }

            public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public override bool CanRead => true;
            public override bool CanWrite => true;
            public override bool CanSeek => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }
}
