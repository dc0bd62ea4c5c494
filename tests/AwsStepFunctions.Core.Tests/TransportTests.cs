using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>Proxy and TLS behaviour over real sockets: a refusing proxy, a 407 proxy, a TLS endpoint with a private CA.</summary>
    public class TransportTests
    {
        private const string ExArn = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:run-1";

        /// <summary>Answers every connection with one canned HTTP response (a proxy demanding credentials, here).</summary>
        private static (TcpListener listener, Task loop) CannedTcp(string response)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var loop = Task.Run(async () =>
            {
                while (true)
                {
                    TcpClient client;
                    try { client = await listener.AcceptTcpClientAsync(); }
                    catch (Exception) { return; }
                    using (client)
                    {
                        var stream = client.GetStream();
                        await ReadRequestHeadAsync(stream);
                        var bytes = Encoding.ASCII.GetBytes(response);
                        await stream.WriteAsync(bytes, 0, bytes.Length);
                    }
                }
            });
            return (listener, loop);
        }

        /// <summary>
        /// Reads until the blank line that ends an HTTP request head (or the peer closes): one ReadAsync may return any
        /// part of it, and answering before the whole head arrived would race the client.
        /// </summary>
        internal static async Task<string> ReadRequestHeadAsync(Stream stream)
        {
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (head.Length < 65536)
            {
                var read = await stream.ReadAsync(buffer.AsMemory());
                if (read == 0) break;
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                if (head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal)) break;
            }
            return head.ToString();
        }

        [Fact]
        public async Task Proxy_that_is_down_is_exit_11_with_the_exact_message()
        {
            var settings = TestConnections.Local("http://127.0.0.1:9");
            var port = RecordedServer.FreePort();
            settings.Proxy = new[] { $"http://127.0.0.1:{port}" };
            settings.ProxyUserName = "user";
            settings.ProxyPassword = TestConnections.Secure("ProxyPass1");
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.ProxyConnectionError, failure.ExitCode);
            Assert.StartsWith($"ProxyConnectionError: Failed to connect to proxy URL http://127.0.0.1:{port}: ", failure.Message);
            Assert.DoesNotContain("ProxyPass1", failure.ToString());
        }

        [Fact]
        public async Task Proxy_answering_407_is_exit_11()
        {
            var (listener, _) = CannedTcp("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            try
            {
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                // An https:// endpoint makes the client CONNECT through the proxy, as with real AWS.
                var settings = TestConnections.Local("https://states.us-east-1.amazonaws.com");
                settings.Proxy = new[] { $"http://127.0.0.1:{port}" };
                var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
                Assert.Equal(ExitCode.ProxyConnectionError, failure.ExitCode);
                Assert.StartsWith($"ProxyConnectionError: Failed to connect to proxy URL http://127.0.0.1:{port}: ", failure.Message);
                Assert.Contains("407", failure.Message);
            }
            finally
            {
                listener.Stop();
            }
        }

        internal static (X509Certificate2 ca, X509Certificate2 leaf) MakeCaForTests(string name) => MakeCa(name);

        private static (X509Certificate2 ca, X509Certificate2 leaf) MakeCa(string name)
        {
            // ECDSA keys: generating them is instant, unlike RSA on two busy cores.
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest($"CN={name} Test CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            leafRequest.CertificateExtensions.Add(san.Build());
            leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            var serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            using var signed = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
            var leaf = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(leafKey).Export(X509ContentType.Pfx), null);
            return (ca, leaf);
        }

        [Fact]
        public void Bundle_trust_accepts_only_chains_rooted_in_the_bundle()
        {
            var (ca, leaf) = MakeCa("Good");
            var (otherCa, _) = MakeCa("Other");
            Assert.True(new BundleTrust(new[] { ca }).Validate(leaf, SslPolicyErrors.RemoteCertificateChainErrors));
            var wrong = new BundleTrust(new[] { otherCa });
            Assert.False(wrong.Validate(leaf, SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.Contains("CN=127.0.0.1", wrong.LastProblem);
            // A name mismatch is never forgiven, whatever the bundle says.
            Assert.False(new BundleTrust(new[] { ca }).Validate(leaf, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors));
        }

        [Fact]
        public async Task Tls_endpoint_with_private_ca_works_only_when_trusted()
        {
            var (ca, leaf) = MakeCa("Endpoint");
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serve = Task.Run(async () =>
            {
                while (true)
                {
                    TcpClient client;
                    try { client = await listener.AcceptTcpClientAsync(); }
                    catch (Exception) { return; }
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        using (var tls = new SslStream(client.GetStream()))
                        {
                            try
                            {
                                await tls.AuthenticateAsServerAsync(leaf);
                                await ReadRequestHeadAsync(tls);
                                var body = "{\"executionArn\":\"" + ExArn + "\",\"status\":\"RUNNING\",\"startDate\":1.5E9}";
                                var bytes = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
                                await tls.WriteAsync(bytes, 0, bytes.Length);
                            }
                            catch (Exception)
                            {
                                // The untrusting client hangs up during the handshake: that is the point of the test.
                            }
                        }
                    });
                }
            });
            try
            {
                var trusted = new TrustingHttpClientFactory(null, new BundleTrust(new[] { ca }));
                var config = new Sdk.SfnClientConfig { ServiceURL = $"https://127.0.0.1:{port}" };
                using var good = trusted.CreateHttpClient(config);
                var answer = await good.PostAsync($"https://127.0.0.1:{port}/", new System.Net.Http.StringContent("{}"));
                Assert.Contains("RUNNING", await answer.Content.ReadAsStringAsync());

                var otherTrust = new BundleTrust(new[] { MakeCa("Other").ca });
                using var bad = new TrustingHttpClientFactory(null, otherTrust).CreateHttpClient(config);
                var exception = await Assert.ThrowsAnyAsync<System.Net.Http.HttpRequestException>(() => bad.PostAsync($"https://127.0.0.1:{port}/", new System.Net.Http.StringContent("{}")));
                Assert.IsAssignableFrom<System.Security.Authentication.AuthenticationException>(exception.InnerException);
                // What the failure message is built from (tests/Reliability.Tls.Tests.ps1 checks the message and exit code 10
                // end to end, through the module).
                Assert.Contains("CN=127.0.0.1", otherTrust.LastProblem);
            }
            finally
            {
                listener.Stop();
            }
        }

        [SkippableFact]
        public void No_credentials_anywhere_fails_fast_with_exit_2()
        {
            MachineAwsConfiguration.SkipUnlessNoCredentials();
            var settings = new ConnectionSettings { Region = "us-east-1", EndpointUrl = "http://127.0.0.1:9" };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var failure = Assert.Throws<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings));
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.True(clock.Elapsed < ClientBuilder.DefaultChainBound + TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
        }
    }
}
