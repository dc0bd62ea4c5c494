using System;
using System.IO;
using System.Linq;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    public class ConnectionSettingsTests
    {
        private static StepFunctionsFailure Fails(ConnectionSettings settings, string field)
        {
            var failure = Assert.Throws<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings));
            Assert.Equal(ExitCode.DataValidationError, failure.ExitCode);
            Assert.Equal(field, failure.Field);
            return failure;
        }

        private static ConnectionSettings Base() => TestConnections.Local("http://127.0.0.1:9");

        [Theory]
        [InlineData("127.0.0.1:3128")]
        [InlineData("socks5://127.0.0.1:1080")]
        [InlineData("http://127.0.0.1")]
        [InlineData("http://127.0.0.1:3128,http://127.0.0.1:3129")]
        [InlineData("http://127.0.0.1:3128/path")]
        [InlineData("http://a:1,https://b:2,http://c:3")]
        public void Proxy_list_format(string proxy)
        {
            var settings = Base();
            settings.Proxy = new[] { proxy };
            Assert.Equal("InvalidProxy", Fails(settings, "proxy").ErrorId);
        }

        [Theory]
        [InlineData("http://user:TopSecret1@127.0.0.1:3128")]
        [InlineData("http://user:Top@Secret1@127.0.0.1:3128")]
        [InlineData("user:TopSecret1@127.0.0.1:3128")]
        [InlineData("user:Top@Secret1@127.0.0.1:3128")]
        [InlineData("http://127.0.0.1:3128, https://user:TopSecret1@127.0.0.1:3129")]
        [InlineData("http://user:Top,Secret1@127.0.0.1:3128")]
        public void Proxy_url_with_credentials_is_rejected_without_echoing_the_password(string proxy)
        {
            var settings = Base();
            settings.Proxy = new[] { proxy };
            var failure = Fails(settings, "proxy");
            Assert.DoesNotContain("Secret1", failure.ToString());
            Assert.DoesNotContain("Secret1", failure.Detail ?? "");
        }

        [Theory]
        [InlineData("http://user:pw@proxy:3128", "http://****@proxy:3128")]
        [InlineData("http://user:p@ss@proxy:3128", "http://****@proxy:3128")]
        [InlineData("user:p@ss@proxy:3128", "****@proxy:3128")]
        [InlineData("http://proxy:3128,https://u:p@proxy:3129", "http://****@proxy:3129")]
        // A password may hold a comma or "://", so nothing before the entry's last '@' is shown (the first proxy's address
        // with it: hiding too much beats showing a password).
        [InlineData("http://proxy:3128, user:pw@proxy:3129", "http://****@proxy:3129")]
        [InlineData("http://bob:Sec,retPW@proxy:3128", "http://****@proxy:3128")]
        [InlineData("http://bob:Sec,retPW@proxy:3128,https://u:a,b@proxy:3129", "http://****@proxy:3129")]
        [InlineData("http://bob:Xk9w://Secret7@proxy:3128", "http://****@proxy:3128")]
        [InlineData("bob:x://Secret7@proxy:3128", "****@proxy:3128")]
        [InlineData("http://proxy:3128", "http://proxy:3128")]
        [InlineData("", "")]
        public void Proxy_text_hides_everything_before_the_last_at_sign_after_the_scheme(string entry, string shown)
            => Assert.Equal(shown, ProxyText.Redact(entry));

        [Fact]
        public void Proxy_text_of_any_length_is_hidden_in_one_pass()
        {
            // Never a hang: a rule that scanned from every comma to the end took 7 s for 16 KB of commas in a task's output;
            // a million would take hours.
            var entry = "http://u:" + new string(',', 1_000_000) + "@proxy:3128";
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal("http://****@proxy:3128", ProxyText.Redact(entry));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }

        [Theory]
        [InlineData("The proxy tunnel request to proxy 'http://puser:s3cret@127.0.0.1:3128/' failed with status code '502'.",
            "The proxy tunnel request to proxy 'http://****@127.0.0.1:3128/' failed with status code '502'.")]
        [InlineData("via https://u:p@ss:w@rd@proxy.corp:8443 and http://plain:3128", "via https://****@proxy.corp:8443 and http://plain:3128")]
        [InlineData("mail user@example.com, no URL", "mail user@example.com, no URL")]
        [InlineData("Connection refused (127.0.0.1:3128)", "Connection refused (127.0.0.1:3128)")]
        public void Any_text_loses_the_user_info_of_the_urls_in_it(string text, string shown)
            => Assert.Equal(shown, ProxyText.ScrubUrlCredentials(text));

        [Fact]
        public void A_failure_never_carries_a_urls_password_in_its_message_or_detail()
        {
            var failure = new StepFunctionsFailure(FailureKind.Connection, ExitCode.ProxyConnectionError, "ProxyConnectionError",
                "proxy 'http://a:b3cret@h:1/' failed") { Detail = "socks5://a:b3cret@h:1" };
            Assert.DoesNotContain("b3cret", failure.Message);
            Assert.DoesNotContain("b3cret", failure.Detail);
        }

        [Fact]
        public void Only_dotnet_framework_gets_a_connection_limit_set_above_its_default_of_two_per_host()
        {
            // The runtime text Windows PowerShell 5.1 reports; the branch cannot run here, so its choice is checked directly.
            Assert.Equal(ClientBuilder.FrameworkConnectionLimit, ClientBuilder.ConnectionLimitOn(".NET Framework 4.8.9290.0"));
            Assert.True(ClientBuilder.FrameworkConnectionLimit >= 64, "at least the cmdlets' largest -ThrottleLimit");
            Assert.Null(ClientBuilder.ConnectionLimitOn(System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription));
        }

        [Fact]
        public void HttpsWithCredentials_requires_user_and_password()
        {
            var settings = Base();
            settings.Proxy = new[] { "http://127.0.0.1:3128", "https://127.0.0.1:3129" };
            settings.ProxyKind = ProxyKind.HttpsWithCredentials;
            Fails(settings, "proxy_credentials_user");
            settings.ProxyUserName = "proxyuser";
            Fails(settings, "proxy_credentials_password");
        }

        [Fact]
        public void Ca_bundle_must_exist_and_be_pem()
        {
            var settings = Base();
            settings.Proxy = new[] { "https://127.0.0.1:3129" };
            settings.ProxyCaBundleFile = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".pem");
            Assert.Equal("CaBundleNotReadable", Fails(settings, "proxy_ca_bundle_file").ErrorId);
            File.WriteAllText(settings.ProxyCaBundleFile, "not a certificate");
            try
            {
                Assert.Equal("CaBundleNotPem", Fails(settings, "proxy_ca_bundle_file").ErrorId);
                File.WriteAllText(settings.ProxyCaBundleFile, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
                Assert.Equal("CaBundleNotPem", Fails(settings, "proxy_ca_bundle_file").ErrorId);
            }
            finally
            {
                File.Delete(settings.ProxyCaBundleFile);
            }
        }

        [Fact]
        public void Role_and_external_id_are_validated_before_any_client_exists()
        {
            var settings = Base();
            settings.RoleArn = "arn:aws:iam::123456789012:user/not-a-role";
            Fails(settings, "role_arn");
            settings.RoleArn = null;
            settings.ExternalId = "ext-id";
            Fails(settings, "role_arn");
        }

        [Fact]
        public void Bad_region_and_endpoint()
        {
            var settings = Base();
            settings.Region = "Mars";
            Fails(settings, "region");
            settings = Base();
            settings.EndpointUrl = "localhost:8083";
            Fails(settings, "endpoint_url");
        }

        [SkippableFact]
        public void Missing_region_is_an_immediate_validation_error()
        {
            MachineAwsConfiguration.SkipUnlessNoRegion();
            var settings = Base();
            settings.Region = null;
            var started = DateTime.UtcNow;
            var failure = Fails(settings, "region");
            Assert.Equal("MissingRegion", failure.ErrorId);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
        }

        [Fact]
        public void Equal_settings_share_one_client_and_different_secrets_do_not()
        {
            var a = StepFunctionsClients.Get(Base());
            var b = StepFunctionsClients.Get(Base());
            Assert.Same(a, b);
            var other = Base();
            other.SecretAccessKey = TestConnections.Secure("another-secret");
            Assert.NotSame(a, StepFunctionsClients.Get(other));
        }

        [Fact]
        public void A_proxy_ca_bundle_replaced_during_the_session_gets_a_client_that_trusts_the_new_one()
        {
            static string Pem(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => "-----BEGIN CERTIFICATE-----\n"
                + Convert.ToBase64String(certificate.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";
            var path = Path.Combine(Path.GetTempPath(), $"rotated-ca-{Guid.NewGuid():n}.pem");
            try
            {
                File.WriteAllText(path, Pem(TransportTests.MakeCaForTests("Before rotation").ca));
                var settings = Base();
                settings.Proxy = new[] { "http://127.0.0.1:3128" };
                settings.ProxyCaBundleFile = path;
                var before = StepFunctionsClients.Get(settings);
                Assert.Same(before, StepFunctionsClients.Get(settings));
                File.WriteAllText(path, Pem(TransportTests.MakeCaForTests("After rotation").ca) + Pem(TransportTests.MakeCaForTests("Spare").ca));
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
                Assert.NotSame(before, StepFunctionsClients.Get(settings));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void Clients_for_different_secrets_stay_apart_when_resolved_on_many_threads_at_once()
        {
            // The secret's hash is the cache key's only trace of it, and the hasher is reused per thread.
            var secrets = new[] { "secret-one", "secret-two", "secret-three" };
            var expected = secrets.Select(secret => StepFunctionsClients.Get(WithSecret(secret))).ToArray();
            Assert.Equal(3, expected.Distinct().Count());
            System.Threading.Tasks.Parallel.For(0, 600, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
                Assert.Same(expected[i % 3], StepFunctionsClients.Get(WithSecret(secrets[i % 3]))));

            ConnectionSettings WithSecret(string secret)
            {
                var settings = Base();
                settings.SecretAccessKey = TestConnections.Secure(secret);
                return settings;
            }
        }

        [Fact]
        public void Proxy_plan_picks_the_entry_for_the_kind_and_hides_credentials()
        {
            var settings = Base();
            settings.Proxy = new[] { "http://127.0.0.1:3128,https://127.0.0.1:3129" };
            settings.ProxyKind = ProxyKind.Http;
            Assert.Equal("http://127.0.0.1:3128", ProxyPlan.From(settings)!.DisplayUrl);
            settings.ProxyKind = ProxyKind.Https;
            Assert.Equal("https://127.0.0.1:3129", ProxyPlan.From(settings)!.DisplayUrl);
            settings.Proxy = new[] { "http://127.0.0.1:3128" };
            settings.ProxyKind = ProxyKind.HttpsWithCredentials;
            settings.ProxyUserName = "u";
            settings.ProxyPassword = TestConnections.Secure("p");
            var plan = ProxyPlan.From(settings)!;
            Assert.Equal("http://127.0.0.1:3128", plan.DisplayUrl);
            Assert.Equal("u", plan.Credentials!.UserName);
        }

        [Theory]
        // A local endpoint or an emulator serves STS too, and the parameter wins over the environment.
        [InlineData("http://127.0.0.1:8083", "https://sts.example.test", null, "http://127.0.0.1:8083")]
        [InlineData("http://127.0.0.1:8083", null, "https://all.example.test", "http://127.0.0.1:8083")]
        // A VPC endpoint of Step Functions serves Step Functions only: STS is AWS_ENDPOINT_URL_STS's, or the region's own.
        [InlineData("https://vpce-0abc-1234.states.us-east-1.vpce.amazonaws.com", "https://sts.example.test", null, "https://sts.example.test")]
        [InlineData("https://vpce-0abc-1234.states.us-east-1.vpce.amazonaws.com", null, null, null)]
        [InlineData("https://states.cn-north-1.amazonaws.com.cn", null, "https://all.example.test", "https://all.example.test")]
        [InlineData(null, null, "https://all.example.test", "https://all.example.test")]
        [InlineData(null, null, null, null)]
        public void AssumeRole_goes_to_an_EndpointUrl_that_is_not_AWSs_own_else_to_AWS_ENDPOINT_URL_STS(string? endpointUrl, string? stsVariable, string? allVariable, string? expected)
        {
            var environment = new System.Collections.Generic.Dictionary<string, string?> { ["AWS_ENDPOINT_URL_STS"] = stsVariable, ["AWS_ENDPOINT_URL"] = allVariable };
            Assert.Equal(expected, ClientBuilder.StsEndpointSetting(endpointUrl, name => environment.TryGetValue(name, out var value) ? value : null));
        }

        [Theory]
        [InlineData("AWS_CONFIG_FILE", false)]
        [InlineData("AWS_SHARED_CREDENTIALS_FILE", false)]
        [InlineData("AWS_ENDPOINT_URL_SSO", false)]
        [InlineData("AWS_ENDPOINT_URL_SSO_OIDC", false)]
        [InlineData("AWS_ENDPOINT_URL_STS", false)]
        // The SSO portal, SSO OIDC and web identity's STS fall back to it when their own variables are unset.
        [InlineData("AWS_ENDPOINT_URL", false)]
        [InlineData("AWS_ENDPOINT_URL", true)]
        [InlineData("AWS_CONFIG_FILE", true)]
        [InlineData("AWS_PROFILE", true)]
        [InlineData("AWS_ACCESS_KEY_ID", true)]
        [InlineData("AWS_WEB_IDENTITY_TOKEN_FILE", true)]
        [InlineData("AWS_ROLE_ARN", true)]
        [InlineData("AWS_ROLE_SESSION_NAME", true)]
        [InlineData("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", true)]
        [InlineData("AWS_CONTAINER_CREDENTIALS_FULL_URI", true)]
        public void A_variable_that_changes_where_credentials_come_from_changes_the_client_cache_key(string variable, bool defaultChain)
        {
            var environment = new System.Collections.Generic.Dictionary<string, string?>();
            string Key() => ClientBuilder.CredentialEnvironmentKey(name => environment.TryGetValue(name, out var value) ? value : null, defaultChain);
            var unset = Key();
            environment[variable] = "/one:place";
            var first = Key();
            environment[variable] = "/another:place";
            Assert.NotEqual(unset, first);
            Assert.NotEqual(first, Key());
        }

        [Fact]
        public void The_default_chains_own_variables_do_not_split_the_clients_of_a_named_profile()
        {
            var environment = new System.Collections.Generic.Dictionary<string, string?>();
            string Key() => ClientBuilder.CredentialEnvironmentKey(name => environment.TryGetValue(name, out var value) ? value : null, defaultChain: false);
            var before = Key();
            environment["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE";
            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/token";
            Assert.Equal(before, Key());
        }
    }
}
