using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>A real tinyproxy on a free loopback port, in the foreground, killed on Dispose.</summary>
    internal sealed class TinyProxy : IDisposable
    {
        private readonly Process _process;
        private readonly string _directory;

        private TinyProxy(Process process, string directory, int port)
        {
            _process = process;
            _directory = directory;
            Port = port;
        }

        public int Port { get; }
        public string Url => $"http://127.0.0.1:{Port}";
        public string Log => File.Exists(Path.Combine(_directory, "proxy.log")) ? File.ReadAllText(Path.Combine(_directory, "proxy.log")) : "";

        public static bool Installed => File.Exists("/usr/bin/tinyproxy");

        public static async Task<TinyProxy> StartAsync()
        {
            var directory = Path.Combine(Path.GetTempPath(), "core-tinyproxy-" + Guid.NewGuid().ToString("n").Substring(0, 8));
            Directory.CreateDirectory(directory);
            var port = RecordedServer.FreePort();
            var config = Path.Combine(directory, "proxy.conf");
            File.WriteAllLines(config, new[]
            {
                $"Port {port}", "Listen 127.0.0.1", "Timeout 60", $"LogFile \"{Path.Combine(directory, "proxy.log")}\"", "LogLevel Info",
                "MaxClients 20", "Allow 127.0.0.1", "DisableViaHeader Yes",
            });
            var process = Process.Start(new ProcessStartInfo("/usr/bin/tinyproxy", $"-d -c \"{config}\"")
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var proxy = new TinyProxy(process, directory, port);
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync("127.0.0.1", port);
                    return proxy;
                }
                catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
                {
                    await Task.Delay(50);
                }
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(true);
            _process.WaitForExit(5000);
            _process.Dispose();
            try { Directory.Delete(_directory, true); }
            catch (IOException) { /* a log still open by a dying process: the temp folder is cleaned later */ }
        }
    }

    /// <summary>
    /// An HTTP endpoint that accepts connections, reads the request and never answers (a hung service), or with
    /// hangUp drops the connection in the middle of the answer (processed, response lost).
    /// </summary>
    internal sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        private int _requests;

        public SilentServer(bool hangUp = false)
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    TcpClient client;
                    try { client = await _listener.AcceptTcpClientAsync(); }
                    catch (Exception) { return; }
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            try
                            {
                                var stream = client.GetStream();
                                var head = await TransportTests.ReadRequestHeadAsync(stream);
                                if (head.Length == 0) return;
                                System.Threading.Interlocked.Increment(ref _requests);
                                Heads.Enqueue(head);
                                if (hangUp)
                                {
                                    // The whole request arrives (so it was processed), the answer starts, then the connection drops.
                                    // A partial answer, because HttpClient itself resends when a connection closes before any byte.
                                    await ReadBodyAsync(stream, head);
                                    var partial = System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 500\r\n\r\n{\"executionArn\"");
                                    await stream.WriteAsync(partial.AsMemory());
                                    await stream.FlushAsync();
                                    // Let the client read those bytes before the close: a close racing them looks like "no answer at all".
                                    await Task.Delay(200);
                                    return;
                                }
                                // Hold the connection until the client gives up (it closes; the read returns 0).
                                var buffer = new byte[1024];
                                while (await stream.ReadAsync(buffer.AsMemory()) > 0) { }
                            }
                            catch (IOException) { /* the client hung up: expected */ }
                        }
                    });
                }
            });
        }

        private static async Task ReadBodyAsync(System.Net.Sockets.NetworkStream stream, string head)
        {
            var match = System.Text.RegularExpressions.Regex.Match(head, @"(?im)^Content-Length:\s*(\d+)");
            var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var remaining = (match.Success ? int.Parse(match.Groups[1].Value) : 0) - (end >= 0 ? head.Length - end - 4 : 0);
            var buffer = new byte[4096];
            while (remaining > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)));
                if (read == 0) return;
                remaining -= read;
            }
        }

        public int Port => ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;
        public string Url => $"http://127.0.0.1:{Port}";
        public int Requests => System.Threading.Volatile.Read(ref _requests);
        public System.Collections.Concurrent.ConcurrentQueue<string> Heads { get; } = new System.Collections.Concurrent.ConcurrentQueue<string>();

        public void Dispose() => _listener.Stop();
    }
}
