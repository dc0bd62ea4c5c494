using System;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>
    /// Who gets the blame, over real sockets: a request timeout names itself, a slow endpoint behind a working tinyproxy is
    /// the endpoint's fault (10), a TLS proxy with an untrusted certificate is the proxy's (11) and says why.
    /// </summary>
    public class TransportBlameTests
    {
        private const string ExArn = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:run-1";

        [Theory]
        [InlineData(SocketError.TimedOut)]
        [InlineData(SocketError.HostUnreachable)]
        public void Behind_a_proxy_a_socket_error_while_the_request_was_on_the_wire_is_not_the_proxy_unreachable(SocketError error)
        {
            // Under an IOException the socket error came while reading or writing an open connection: the request may have
            // been forwarded, so it is no proxy failure (exit 11 means nothing was forwarded, and no "may have started").
            var midTransfer = new System.Net.Http.HttpRequestException("Error while copying content to a stream.",
                new System.IO.IOException("Unable to read data from the transport connection.", new SocketException((int)error)));
            var context = new FailureContext("http://127.0.0.1:3128", null);

            var failure = FailureMapper.Map(midTransfer, context);

            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.NotEqual(FailureKind.Proxy, failure.Kind);
            Assert.False(FailureMapper.NeverSent(failure));
            // While the connection to the proxy was being opened, it is the proxy's.
            var connecting = FailureMapper.Map(new System.Net.Http.HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)), context);
            Assert.Equal(FailureKind.Proxy, connecting.Kind);
            Assert.True(FailureMapper.NeverSent(connecting));
        }

        [Fact]
        public async Task A_request_timeout_says_it_timed_out_after_the_configured_seconds()
        {
            using var silent = new SilentServer();
            var settings = TestConnections.Local(silent.Url);
            settings.RequestTimeoutSeconds = 1;
            var clock = Stopwatch.StartNew();
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Equal("RequestTimeout", failure.ErrorId);
            Assert.Contains("timed out after 1 s", failure.Message);
            Assert.DoesNotContain("canceled", failure.Message, StringComparison.OrdinalIgnoreCase);
            Assert.True(silent.Requests > 1, $"{silent.Requests} attempts: the SDK should have retried");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
        }

        [Fact]
        public async Task A_slow_endpoint_behind_a_working_proxy_is_a_connection_error_not_the_proxy()
        {
            Assert.True(TinyProxy.Installed, "tinyproxy must be installed (.ci/run installs it)");
            using var proxy = await TinyProxy.StartAsync();
            using var silent = new SilentServer();
            var settings = TestConnections.Local(silent.Url);
            settings.RequestTimeoutSeconds = 1;
            settings.Proxy = new[] { proxy.Url };
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Equal("RequestTimeout", failure.ErrorId);
            Assert.True(silent.Requests > 0, "the request must have gone through the proxy to the endpoint");
            Assert.Contains($"127.0.0.1:{silent.Port}", proxy.Log);
        }

        [Fact]
        public async Task A_refused_connection_to_the_proxy_is_exit_11_with_the_reason()
        {
            var port = RecordedServer.FreePort();
            var settings = TestConnections.Local("http://127.0.0.1:9");
            settings.Proxy = new[] { $"http://127.0.0.1:{port}" };
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.ProxyConnectionError, failure.ExitCode);
            Assert.StartsWith($"ProxyConnectionError: Failed to connect to proxy URL http://127.0.0.1:{port}: the proxy could not be reached", failure.Message);
        }

        [Fact]
        public async Task A_proxy_whose_name_does_not_resolve_could_not_be_reached_even_when_its_name_says_proxy()
        {
            // .NET's message quotes the host: a proxy named proxy.<something> once read as one that "refused the request".
            var settings = TestConnections.Local("http://127.0.0.1:9");
            settings.Proxy = new[] { "http://proxy.nowhere.invalid:3128" };
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.ProxyConnectionError, failure.ExitCode);
            Assert.StartsWith("ProxyConnectionError: Failed to connect to proxy URL http://proxy.nowhere.invalid:3128: the proxy could not be reached", failure.Message);
        }

        [Fact]
        public async Task An_https_proxy_with_an_untrusted_certificate_is_exit_11_naming_the_certificate_problem()
        {
            var (_, leaf) = TransportTests.MakeCaForTests("Untrusted Proxy");
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var handshakes = 0;
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    TcpClient client;
                    try { client = await listener.AcceptTcpClientAsync(); }
                    catch (Exception) { return; }
                    using (client)
                    using (var tls = new SslStream(client.GetStream()))
                    {
                        Interlocked.Increment(ref handshakes);
                        try { await tls.AuthenticateAsServerAsync(leaf); }
                        catch (Exception) { /* the client refuses our certificate: the point of the test */ }
                    }
                }
            });
            try
            {
                var settings = TestConnections.Local("https://states.us-east-1.amazonaws.com");
                settings.Proxy = new[] { $"https://127.0.0.1:{port}" };
                settings.ProxyKind = ProxyKind.Https;
                var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
                Assert.Equal(ExitCode.ProxyConnectionError, failure.ExitCode);
                Assert.StartsWith($"ProxyConnectionError: Failed to connect to proxy URL https://127.0.0.1:{port}: the proxy's TLS certificate is not trusted (", failure.Message);
                Assert.Contains("-ProxyCaBundleFile", failure.Message);
                Assert.True(handshakes > 0);
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public void The_environment_proxy_is_shown_without_credentials_and_NO_PROXY_style_bypass_is_honoured()
        {
            var endpoint = new Uri("https://states.us-east-1.amazonaws.com");
            var proxy = new WebProxy(new Uri("http://user:Secret1@10.0.0.5:3128"));
            Assert.Equal("http://10.0.0.5:3128", ProxyPlan.ProxyFor(proxy, endpoint));
            var bypassing = new WebProxy(new Uri("http://10.0.0.5:3128"), false, new[] { @"states\.us-east-1\.amazonaws\.com" });
            Assert.Null(ProxyPlan.ProxyFor(bypassing, endpoint));
        }
    }
}
