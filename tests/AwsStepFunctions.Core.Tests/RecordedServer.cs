using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>A canned HTTP response, as recorded from AWS.</summary>
    internal sealed record Recorded(int Status, string Body, IDictionary<string, string>? Headers = null, int DelayMs = 0);

    internal sealed record SeenRequest(string Method, string Host, IDictionary<string, string> Headers, string Body, string RawUrl);

    /// <summary>
    /// A real HTTP server on 127.0.0.1 that answers with recorded AWS responses in order (the last one repeats)
    /// and records every request it receives, so tests see exactly what went over the wire.
    /// </summary>
    internal sealed class RecordedServer : IDisposable
    {
        private readonly HttpListener _listener;
        private readonly ConcurrentQueue<Recorded> _responses = new ConcurrentQueue<Recorded>();
        private Recorded? _last;
        public ConcurrentQueue<SeenRequest> Requests { get; } = new ConcurrentQueue<SeenRequest>();

        public RecordedServer(params Recorded[] responses)
        {
            foreach (var r in responses) _responses.Enqueue(r);
            for (var attempt = 1; ; attempt++)
            {
                Port = FreePort();
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
                try
                {
                    listener.Start();
                    _listener = listener;
                    break;
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    // Something else bound the port between FreePort's probe and here: take another (a listener that failed
                    // to start is closed for good).
                    listener.Close();
                }
            }
            _ = Task.Run(LoopAsync);
        }

        public int Port { get; }
        public string Url => $"http://127.0.0.1:{Port}";

        public void Enqueue(params Recorded[] responses)
        {
            foreach (var r in responses) _responses.Enqueue(r);
        }

        /// <summary>Every port handed out in this process: never handed out twice (see <see cref="FreePort"/>).</summary>
        private static readonly ConcurrentDictionary<int, bool> HandedOut = new ConcurrentDictionary<int, bool>();

        /// <summary>
        /// A port nothing listens on, never one this process was given before: clients are cached by endpoint URL, so a
        /// test whose server got an earlier test's port would reuse that test's client and what it cached (state machine
        /// types), and miss the requests its recorded answers expect.
        /// </summary>
        public static int FreePort()
        {
            while (true)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                var port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                if (HandedOut.TryAdd(port, true)) return port;
            }
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (string key in context.Request.Headers.Keys) headers[key] = context.Request.Headers[key]!;
                Requests.Enqueue(new SeenRequest(context.Request.HttpMethod, context.Request.Headers["Host"] ?? "", headers, body,
                    context.Request.RawUrl ?? "/"));
                var response = _responses.TryDequeue(out var next) ? (_last = next) : _last ?? new Recorded(500, "{}");
                context.Response.StatusCode = response.Status;
                context.Response.ContentType = response.Headers != null && response.Headers.TryGetValue("Content-Type", out var type) ? type : "application/x-amz-json-1.0";
                context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                if (response.Headers != null)
                    foreach (var h in response.Headers)
                        if (h.Key != "Content-Type") context.Response.Headers[h.Key] = h.Value;
                // A slow service: this answer comes after a while (the client may have given up by then), while the requests
                // that follow are answered at once, in order, as a real service would.
                if (response.DelayMs > 0) _ = AnswerLaterAsync(context, response);
                else await AnswerAsync(context, response);
            }
        }

        private static async Task AnswerLaterAsync(HttpListenerContext context, Recorded response)
        {
            await Task.Delay(response.DelayMs);
            try
            {
                await AnswerAsync(context, response);
            }
            catch (Exception)
            {
                // The client gave up and closed the connection, or the server was disposed meanwhile.
            }
        }

        private static async Task AnswerAsync(HttpListenerContext context, Recorded response)
        {
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }

        public void Dispose()
        {
            _listener.Stop();
            try
            {
                _listener.Close();
            }
            // .NET's managed HttpListener looks the port's endpoint up again while closing, binding it anew when Stop has
            // already released it: if another test's server took the port meanwhile, that bind fails (seen once in CI).
            // The listener is stopped either way; the test's own assertions are what count.
            catch (HttpListenerException)
            {
            }
        }
    }

    internal static class TestConnections
    {
        public static System.Security.SecureString Secure(string text)
        {
            var secure = new System.Security.SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        public const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

        public static ConnectionSettings Local(string url, string? region = "us-east-1") => new ConnectionSettings
        {
            Region = region,
            EndpointUrl = url,
            AccessKeyId = "AKIDEXAMPLE",
            SecretAccessKey = Secure(ExampleSecret),
            RequestTimeoutSeconds = 5,
        };
    }
}
