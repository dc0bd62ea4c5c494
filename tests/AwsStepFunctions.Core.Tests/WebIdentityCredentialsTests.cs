using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Amazon.SecurityToken;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>The module's AssumeRoleWithWebIdentity over real HTTP (recorded STS answers).</summary>
    public class WebIdentityCredentialsTests : IDisposable
    {
        private const string RoleArn = "arn:aws:iam::123456789012:role/WebRunner";
        private static readonly Dictionary<string, string> Xml = new Dictionary<string, string> { ["Content-Type"] = "text/xml" };
        private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), "web-identity-" + Guid.NewGuid().ToString("N"));

        public void Dispose() => File.Delete(_tokenFile);

        private static Recorded Answer(string accessKeyId, TimeSpan lifetime)
        {
            var expiration = DateTime.UtcNow.Add(lifetime).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
            return new Recorded(200,
                "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult><Credentials>"
                + $"<AccessKeyId>{accessKeyId}</AccessKeyId><SecretAccessKey>secret-{accessKeyId}</SecretAccessKey>"
                + $"<SessionToken>token-{accessKeyId}</SessionToken><Expiration>{expiration}</Expiration></Credentials>"
                + "<SubjectFromWebIdentityToken>sub</SubjectFromWebIdentityToken>"
                + "<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/WebRunner/s</Arn></AssumedRoleUser>"
                + "<Provider>oidc.local</Provider><Audience>sts.amazonaws.com</Audience>"
                + "</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>", Xml);
        }

        private StsWebIdentityCredentials CredentialsFor(RecordedServer server) => new StsWebIdentityCredentials(
            new AmazonSecurityTokenServiceConfig { ServiceURL = server.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 },
            _tokenFile, RoleArn, "core-web");

        [Fact]
        public async Task The_token_file_is_read_again_for_each_session_and_the_call_is_unsigned()
        {
            File.WriteAllText(_tokenFile, "first-rotated-token\n");
            using var server = new RecordedServer(Answer("ASIAFIRST", TimeSpan.FromSeconds(3)));
            using var credentials = CredentialsFor(server);
            var issued = Stopwatch.StartNew();
            Assert.Equal("ASIAFIRST", (await credentials.GetCredentialsAsync()).AccessKey);
            Assert.Equal("ASIAFIRST", credentials.GetCredentials().AccessKey);

            File.WriteAllText(_tokenFile, "second-rotated-token");
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (TimeSpan.FromMilliseconds(2400) - issued.Elapsed).Ticks)));
            server.Enqueue(Answer("ASIASECOND", TimeSpan.FromSeconds(3)));
            var second = await credentials.GetCredentialsAsync();
            Assert.Equal("ASIASECOND", second.AccessKey);
            Assert.Equal("token-ASIASECOND", second.Token);

            var seen = server.Requests.ToArray();
            Assert.Equal(2, seen.Length);
            Assert.Contains("Action=AssumeRoleWithWebIdentity", seen[0].Body);
            Assert.Contains("WebIdentityToken=first-rotated-token&", seen[0].Body + "&");
            Assert.Contains("WebIdentityToken=second-rotated-token", seen[1].Body);
            Assert.Contains("RoleSessionName=core-web", seen[1].Body);
            Assert.All(seen, r => Assert.False(r.Headers.ContainsKey("Authorization"), "AssumeRoleWithWebIdentity must go unsigned"));
        }

        [Fact]
        public async Task The_debug_trace_names_the_role_and_file_but_never_the_token()
        {
            File.WriteAllText(_tokenFile, "secret-web-token-value");
            using var server = new RecordedServer(Answer("ASIAFIRST", TimeSpan.FromMinutes(15)));
            using var credentials = CredentialsFor(server);
            var trace = new List<string>();
            using (RequestTrace.Begin(line => { lock (trace) trace.Add(line); }))
                await credentials.GetCredentialsAsync();
            Assert.Contains(trace, line => line.Contains("AssumeRoleWithWebIdentity " + RoleArn) && line.Contains(_tokenFile));
            Assert.DoesNotContain(trace, line => line.Contains("secret-web-token-value"));
        }

        [Theory]
        [InlineData(false, "WebIdentityTokenFileUnreadable")]
        [InlineData(true, "WebIdentityTokenFileEmpty")]
        public async Task A_missing_or_empty_token_file_is_exit_2_naming_the_file_and_nothing_is_sent(bool exists, string errorId)
        {
            if (exists) File.WriteAllText(_tokenFile, "  \n");
            using var server = new RecordedServer(Answer("ASIAFIRST", TimeSpan.FromMinutes(15)));
            using var credentials = CredentialsFor(server);
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => credentials.GetCredentialsAsync());
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal(errorId, failure.ErrorId);
            Assert.Contains(_tokenFile, failure.Message);
            Assert.Empty(server.Requests);
        }
    }
}
