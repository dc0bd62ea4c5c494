using System;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SSO;
using Amazon.SSOOIDC;
using AwsStepFunctions.Local;
using AwsStepFunctions.Local.Auth;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>
    /// The module's IAM Identity Center credentials against the local endpoint's portal and SSO OIDC: the cache file's name
    /// and formats, one portal call per credential lifetime, the refresh window, and the write-back.
    /// </summary>
    public sealed class SsoProfileCredentialsTests : IAsyncLifetime, IDisposable
    {
        private const string Token = "core-tests-access-token";
        private const string Refresh = "core-tests-refresh-token";
        private const string ClientId = "core-tests-client";
        private const string ClientSecret = "core-tests-client-secret";
        private readonly string _cache = Path.Combine(Path.GetTempPath(), "sso-core-" + Guid.NewGuid().ToString("N"));
        private LocalEndpointServer _server = null!;

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(_cache);
            var config = Path.Combine(_cache, "access.json");
            File.WriteAllText(config, $$"""
                { "ssoUsers": [ { "name": "bob", "accessTokens": ["{{Token}}"], "refreshTokens": ["{{Refresh}}"],
                    "assignments": [ { "accountId": "123456789012", "roleName": "Short", "actions": ["states:*"], "durationSeconds": 4 } ] } ],
                  "ssoClients": [ { "clientId": "{{ClientId}}", "clientSecret": "{{ClientSecret}}" } ] }
                """);
            _server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Access = AccessConfig.Load(config) }, CancellationToken.None);
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();

        public void Dispose()
        {
            if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
        }

        private static SsoProfile Profile(string? session = "corp") =>
            new SsoProfile("tests", session, "https://my-sso-portal.awsapps.com/start", "us-east-1", "123456789012", "Short");

        private SsoProfileCredentials Credentials(SsoProfile profile) => new SsoProfileCredentials(profile, _cache,
            new AmazonSSOConfig { ServiceURL = _server.Url.ToString(), MaxErrorRetry = 0 },
            new AmazonSSOOIDCConfig { ServiceURL = _server.Url.ToString(), MaxErrorRetry = 0 });

        private string WriteCache(SsoProfile profile, string token, TimeSpan validFor, string? refreshToken = null)
        {
            var entry = new JsonObject
            {
                ["startUrl"] = profile.StartUrl, ["region"] = "us-east-1", ["accessToken"] = token,
                ["expiresAt"] = SsoTokenCache.FormatTime(DateTime.UtcNow.Add(validFor)),
            };
            if (refreshToken != null)
            {
                entry["refreshToken"] = refreshToken;
                entry["clientId"] = ClientId;
                entry["clientSecret"] = ClientSecret;
                entry["registrationExpiresAt"] = SsoTokenCache.FormatTime(DateTime.UtcNow.AddDays(1));
            }
            var path = Path.Combine(_cache, profile.CacheFileName);
            File.WriteAllText(path, entry.ToJsonString());
            return path;
        }

        [Fact]
        public void The_cache_file_is_named_as_the_AWS_CLI_names_it()
        {
            // `printf %s corp | sha1sum`, and the same of the start URL for a legacy profile.
            Assert.Equal("ee0bfd2552fbd840c02cc48b6e823320543c450f.json", Profile("corp").CacheFileName);
            Assert.Equal("c7aaaf71fcc8777ae2475525ed049d39fe16c484.json", Profile(null).CacheFileName);
            Assert.True(Profile("corp").CanRefresh);
            Assert.False(Profile(null).CanRefresh);
        }

        [Theory]
        [InlineData("2024-05-01T12:00:00Z", "2024-05-01T12:00:00")]
        [InlineData("2024-05-01T12:00:00.250Z", "2024-05-01T12:00:00.25")]
        [InlineData("2024-05-01T12:00:00UTC", "2024-05-01T12:00:00")]
        [InlineData("2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00")]
        [InlineData("next tuesday", null)]
        [InlineData("", null)]
        public void ExpiresAt_is_read_in_the_formats_the_tools_write(string text, string? expectedUtc)
        {
            var parsed = SsoTokenCache.ParseTime(text);
            if (expectedUtc == null) Assert.Null(parsed);
            else Assert.Equal(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), parsed);
        }

        [Fact]
        public async Task The_portal_is_asked_once_per_credential_lifetime_and_again_before_expiry()
        {
            var profile = Profile();
            WriteCache(profile, Token, TimeSpan.FromHours(1));
            using var credentials = Credentials(profile);
            var first = await credentials.GetCredentialsAsync();
            Assert.StartsWith("ASIA", first.AccessKey);
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(first.AccessKey, (await credentials.GetCredentialsAsync()).AccessKey);
                Assert.Equal(first.AccessKey, credentials.GetCredentials().AccessKey);
            }
            Assert.Equal(1, credentials.PortalCalls);
            Assert.Equal(0, credentials.TokenRefreshes);

            // Four-second sessions refresh a quarter of their life before expiry.
            await Task.Delay(TimeSpan.FromSeconds(3.2));
            Assert.NotEqual(first.AccessKey, (await credentials.GetCredentialsAsync()).AccessKey);
            Assert.Equal(2, credentials.PortalCalls);
        }

        [Theory]
        [InlineData(-20)]
        [InlineData(20)]
        public async Task A_portal_whose_clock_is_off_by_20_minutes_has_its_expiry_read_by_its_own_clock(int minutes)
        {
            // A 4-second session stated by a clock 20 minutes off: before, one behind had "already expired" on arrival (every
            // call failed), one ahead seemed good for 20 more minutes (every renewal cost a refused request).
            var config = Path.Combine(_cache, "access.json");
            await using var portal = await LocalEndpointServer.StartAsync(new LocalEndpointOptions
            {
                Access = AccessConfig.Load(config), Time = new AwsStepFunctions.Local.Hosting.OffsetClock(TimeSpan.FromMinutes(minutes)),
            }, CancellationToken.None);
            var profile = Profile();
            WriteCache(profile, Token, TimeSpan.FromHours(1));
            using var credentials = new SsoProfileCredentials(profile, _cache,
                new AmazonSSOConfig { ServiceURL = portal.Url.ToString(), MaxErrorRetry = 0 },
                new AmazonSSOOIDCConfig { ServiceURL = portal.Url.ToString(), MaxErrorRetry = 0 });
            var before = DateTime.UtcNow;
            Assert.StartsWith("ASIA", (await credentials.GetCredentialsAsync()).AccessKey);
            // Four seconds from the call, less the second the Date header's resolution may hide.
            Assert.InRange(credentials.Expiration!.Value, before.AddSeconds(2), DateTime.UtcNow.AddSeconds(4));
        }

        [Fact]
        public async Task A_sign_in_inside_the_refresh_window_is_refreshed_and_saved_keeping_the_other_members()
        {
            var profile = Profile();
            var path = WriteCache(profile, "unknown-to-the-portal", TimeSpan.FromMinutes(10), Refresh);
            using var credentials = Credentials(profile);
            Assert.StartsWith("ASIA", (await credentials.GetCredentialsAsync()).AccessKey);
            Assert.Equal(1, credentials.TokenRefreshes);
            var saved = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            Assert.NotEqual("unknown-to-the-portal", saved["accessToken"]!.GetValue<string>());
            Assert.NotEqual(Refresh, saved["refreshToken"]!.GetValue<string>());
            Assert.True(SsoTokenCache.ParseTime(saved["expiresAt"]!.GetValue<string>()) > DateTime.UtcNow.AddMinutes(50));
            Assert.Equal(profile.StartUrl, saved["startUrl"]!.GetValue<string>());
            Assert.Equal(ClientSecret, saved["clientSecret"]!.GetValue<string>());
            Assert.Single(Directory.GetFiles(_cache, "*.json"), f => !f.EndsWith("access.json", StringComparison.Ordinal));
            Assert.Empty(Directory.GetFiles(_cache, "*.tmp"));
        }

        [Fact]
        public async Task A_sign_in_outside_the_window_is_not_refreshed_and_a_failed_refresh_keeps_a_valid_one()
        {
            var profile = Profile();
            WriteCache(profile, Token, SsoProfileCredentials.TokenRefreshWindow + TimeSpan.FromMinutes(5), Refresh);
            using (var credentials = Credentials(profile))
            {
                await credentials.GetCredentialsAsync();
                Assert.Equal(0, credentials.TokenRefreshes);
            }
            // Counted by the endpoint, not by the credentials: outside the window SSO OIDC is never asked.
            Assert.Equal(0, _server.Counters.Get("CreateToken"));
            Assert.Equal(1, _server.Counters.Get("GetRoleCredentials"));
            var path = WriteCache(profile, Token, TimeSpan.FromMinutes(5), "revoked-refresh-token");
            var before = File.ReadAllText(path);
            using (var credentials = Credentials(profile))
            {
                await credentials.GetCredentialsAsync();
                Assert.Equal(0, credentials.TokenRefreshes);
            }
            // Inside the window the refresh was tried (and refused), and the still-valid sign-in got the role's credentials.
            Assert.Equal(1, _server.Counters.Get("CreateToken"));
            Assert.Equal(2, _server.Counters.Get("GetRoleCredentials"));
            Assert.Equal(before, File.ReadAllText(path));
        }

        [Fact]
        public async Task A_legacy_profile_is_never_refreshed_and_its_expired_sign_in_is_exit_2()
        {
            var profile = Profile(null);
            WriteCache(profile, Token, TimeSpan.FromMinutes(-1), Refresh);
            using var credentials = Credentials(profile);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => credentials.GetCredentialsAsync());
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal("SsoSignInExpired", failure.ErrorId);
            Assert.Contains("run `aws sso login --profile tests`", failure.Message);
            Assert.Equal(0, credentials.TokenRefreshes);
            Assert.Equal(0, credentials.PortalCalls);
        }

        [Fact]
        public async Task A_damaged_cache_file_is_exit_2_without_quoting_the_file()
        {
            var profile = Profile();
            File.WriteAllText(Path.Combine(_cache, profile.CacheFileName), "{\"accessToken\": \"" + Token + "\", oops");
            using var credentials = Credentials(profile);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => credentials.GetCredentialsAsync());
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal("SsoTokenUnreadable", failure.ErrorId);
            Assert.DoesNotContain(Token, failure.ToString());
        }
    }
}
