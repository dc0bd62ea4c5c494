using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SecurityToken;
using AwsStepFunctions.Local;
using AwsStepFunctions.Local.Auth;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>The module's AssumeRoleWithWebIdentity against the local endpoint's STS, over real HTTP.</summary>
    public sealed class WebIdentityCredentialsTests : IAsyncLifetime, IDisposable
    {
        private const string RoleArn = "arn:aws:iam::123456789012:role/WebRunner";
        private const string FirstToken = "first-rotated-token";
        private const string SecondToken = "second-rotated-token";
        private const string ExpiredToken = "expired-rotated-token";
        private readonly string _work = Path.Combine(Path.GetTempPath(), "web-identity-" + Guid.NewGuid().ToString("N"));
        private string TokenFile => Path.Combine(_work, "token");
        private LocalEndpointServer _server = null!;

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(_work);
            var config = Path.Combine(_work, "access.json");
            // Short sessions, so a test sees the refresh (a quarter of the life before expiry) within seconds.
            File.WriteAllText(config, $$"""
                { "roles": [ { "roleArn": "{{RoleArn}}", "actions": ["states:*"], "durationSeconds": 32,
                               "webIdentityTokens": ["{{FirstToken}}", "{{SecondToken}}", "secret-web-token-value"] } ],
                  "expiredWebIdentityTokens": ["{{ExpiredToken}}"] }
                """);
            _server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Access = AccessConfig.Load(config) }, CancellationToken.None);
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();

        public void Dispose()
        {
            if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
        }

        private StsWebIdentityCredentials Credentials() => new StsWebIdentityCredentials(
            new AmazonSecurityTokenServiceConfig { ServiceURL = _server.Url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 },
            TokenFile, RoleArn, "core-web");

        /// <summary>
        /// Waits until the current session is due for its refresh and may still be kept. A 32 s session (31-32 s: STS's expiry
        /// is in whole seconds) is refreshed from 7.75-8 s before its expiry and kept, while a refresh fails, until 3.875-4 s
        /// before it (SessionCredentials' margins, a quarter and an eighth of its life): 6 s before is about 2 s from either
        /// edge. With 16 s sessions the margin was 1 s, and a CI host that paused the test for a second overshot it.
        /// </summary>
        private static Task UntilRefreshIsDue(StsWebIdentityCredentials credentials) => UntilBeforeExpiry(credentials, 6);

        private static Task UntilBeforeExpiry(StsWebIdentityCredentials credentials, double seconds)
            => Task.Delay(TimeSpan.FromTicks(Math.Max(0, (credentials.Expiration!.Value - TimeSpan.FromSeconds(seconds) - DateTime.UtcNow).Ticks)));

        [Fact]
        public async Task The_token_file_is_read_again_for_each_session_a_refusal_waits_for_the_expiry_and_the_call_is_unsigned()
        {
            File.WriteAllText(TokenFile, FirstToken + "\n");
            using var credentials = Credentials();
            var first = await credentials.GetCredentialsAsync();
            Assert.Equal(first.AccessKey, credentials.GetCredentials().AccessKey);

            // The issuer replaced the token: the next session is asked with the new one.
            File.WriteAllText(TokenFile, SecondToken);
            await UntilRefreshIsDue(credentials);
            var second = await credentials.GetCredentialsAsync();
            Assert.NotEqual(first.AccessKey, second.AccessKey);
            Assert.False(string.IsNullOrEmpty(second.Token));

            // A token the provider let expire is what STS is then shown (only a re-read file can give that answer). The
            // refusal does not end the session that still lives: it is used until shortly before it expires...
            File.WriteAllText(TokenFile, ExpiredToken);
            await UntilRefreshIsDue(credentials);
            Assert.Equal(second.AccessKey, (await credentials.GetCredentialsAsync()).AccessKey);
            Assert.Equal(3, _server.Counters.Get("AssumeRoleWithWebIdentity"));
            // ...and then the refusal is the caller's.
            await UntilBeforeExpiry(credentials, 0.5);
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => credentials.GetCredentialsAsync());
            Assert.Contains("ExpiredToken", refused.ToString());

            Assert.Equal(4, _server.Counters.Get("AssumeRoleWithWebIdentity"));
            var calls = _server.Requests.Recent().Where(r => r.Operation == "AssumeRoleWithWebIdentity").ToArray();
            Assert.Equal(4, calls.Length);
            Assert.All(calls, r => Assert.Null(r.AccessKeyId));
        }

        [Fact]
        public async Task The_debug_trace_names_the_role_and_file_but_never_the_token()
        {
            File.WriteAllText(TokenFile, "secret-web-token-value");
            using var credentials = Credentials();
            var trace = new System.Collections.Generic.List<string>();
            using (RequestTrace.Begin(line => { lock (trace) trace.Add(line); }))
                await credentials.GetCredentialsAsync();
            Assert.Contains(trace, line => line.Contains("AssumeRoleWithWebIdentity " + RoleArn) && line.Contains(TokenFile));
            Assert.DoesNotContain(trace, line => line.Contains("secret-web-token-value"));
            Assert.Equal(1, _server.Counters.Get("AssumeRoleWithWebIdentity"));
        }

        [Theory]
        [InlineData(false, "WebIdentityTokenFileUnreadable")]
        [InlineData(true, "WebIdentityTokenFileEmpty")]
        public async Task A_missing_or_empty_token_file_is_exit_2_naming_the_file_and_nothing_is_sent(bool exists, string errorId)
        {
            if (exists) File.WriteAllText(TokenFile, "  \n");
            using var credentials = Credentials();
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => credentials.GetCredentialsAsync());
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal(errorId, failure.ErrorId);
            Assert.Contains(TokenFile, failure.Message);
            Assert.Equal(0, _server.Counters.Get("AssumeRoleWithWebIdentity"));
        }
    }
}
