using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>AssumeRole over real HTTP (recorded STS answers): one call per credential lifetime, never unsigned requests.</summary>
    public class AssumeRoleCredentialsTests
    {
        private const string ExArn = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:run-1";
        private const string RoleArn = "arn:aws:iam::123456789012:role/ShortLived";
        private static readonly Dictionary<string, string> Xml = new Dictionary<string, string> { ["Content-Type"] = "text/xml" };

        internal static Recorded AssumeRoleAnswer(string accessKeyId, TimeSpan lifetime)
        {
            var expiration = DateTime.UtcNow.Add(lifetime).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
            return new Recorded(200,
                "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials>"
                + $"<AccessKeyId>{accessKeyId}</AccessKeyId><SecretAccessKey>secret-{accessKeyId}</SecretAccessKey>"
                + $"<SessionToken>token-{accessKeyId}</SessionToken><Expiration>{expiration}</Expiration></Credentials>"
                + "<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/ShortLived/s</Arn></AssumedRoleUser>"
                + "</AssumeRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleResponse>", Xml);
        }

        private static Recorded StsError(int status, string code) => new Recorded(status,
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
            + $"<Code>{code}</Code><Message>not for you</Message></Error><RequestId>r-2</RequestId></ErrorResponse>", Xml);

        private static StsAssumeRoleCredentials CredentialsFor(RecordedServer server) => new StsAssumeRoleCredentials(
            new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            new AmazonSecurityTokenServiceConfig { ServiceURL = server.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 },
            RoleArn, "core-tests", null);

        private static string Describe => "{\"executionArn\":\"" + ExArn + "\",\"status\":\"RUNNING\",\"startDate\":1.5E9}";

        [Fact]
        public async Task Short_sessions_are_assumed_once_per_lifetime_and_refreshed_before_expiry()
        {
            // 3-second sessions: the SDK's own RefreshingAWSCredentials treated these as expired on arrival (1-minute buffer).
            using var server = new RecordedServer(AssumeRoleAnswer("ASIAFIRST", TimeSpan.FromSeconds(3)));
            using var credentials = CredentialsFor(server);
            var first = await credentials.GetCredentialsAsync();
            var issued = Stopwatch.StartNew();
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal("ASIAFIRST", (await credentials.GetCredentialsAsync()).AccessKey);
                Assert.Equal("ASIAFIRST", credentials.GetCredentials().AccessKey);
            }
            Assert.Equal(1, credentials.AssumeRoleCalls);
            Assert.Equal("token-ASIAFIRST", first.Token);

            // Past the refresh point (a quarter of the lifetime before expiry): a new session. Its answer is made after the
            // delay, so its own 3 seconds start when it is asked for (made before, a loaded machine's stall past 0.6 s let it
            // arrive expired).
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (TimeSpan.FromMilliseconds(2400) - issued.Elapsed).Ticks)));
            server.Enqueue(AssumeRoleAnswer("ASIASECOND", TimeSpan.FromSeconds(3)));
            Assert.Equal("ASIASECOND", (await credentials.GetCredentialsAsync()).AccessKey);
            Assert.Equal(2, credentials.AssumeRoleCalls);
            Assert.Equal(2, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Contains("Action=AssumeRole", r.Body));
        }

        [Fact]
        public void Refresh_margin_is_a_quarter_of_the_lifetime_at_most_five_minutes()
        {
            Assert.Equal(TimeSpan.FromMilliseconds(750), StsAssumeRoleCredentials.RefreshMargin(TimeSpan.FromSeconds(3)));
            Assert.Equal(TimeSpan.FromSeconds(15), StsAssumeRoleCredentials.RefreshMargin(TimeSpan.FromSeconds(60)));
            Assert.Equal(TimeSpan.FromMinutes(5), StsAssumeRoleCredentials.RefreshMargin(TimeSpan.FromHours(1)));
        }

        [Fact]
        public async Task Every_request_through_a_role_is_signed_with_a_session_key()
        {
            using var server = new RecordedServer(AssumeRoleAnswer("ASIAFIRST", TimeSpan.FromSeconds(4)), new Recorded(200, Describe), new Recorded(200, Describe));
            var settings = TestConnections.Local(server.Url);
            settings.RoleArn = RoleArn;
            settings.RoleSessionName = "core-tests-signing";
            var client = StepFunctionsClients.Get(settings);
            await client.DescribeExecutionAsync(ExArn, CancellationToken.None);
            var afterFirst = Stopwatch.StartNew();
            await client.DescribeExecutionAsync(ExArn, CancellationToken.None);
            // The session was issued before the first call returned: 3.1 s later it is inside its refresh margin (1 s of 4).
            server.Enqueue(AssumeRoleAnswer("ASIASECOND", TimeSpan.FromSeconds(4)), new Recorded(200, Describe));
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (TimeSpan.FromMilliseconds(3100) - afterFirst.Elapsed).Ticks)));
            await client.DescribeExecutionAsync(ExArn, CancellationToken.None);

            var seen = server.Requests.ToArray();
            Assert.Equal(new[] { "sts", "sfn", "sfn", "sts", "sfn" }, seen.Select(r => r.Body.Contains("Action=AssumeRole") ? "sts" : "sfn"));
            var sfn = seen.Where(r => !r.Body.Contains("Action=AssumeRole")).ToArray();
            Assert.Contains("Credential=ASIAFIRST/", sfn[0].Headers["Authorization"]);
            Assert.Contains("Credential=ASIAFIRST/", sfn[1].Headers["Authorization"]);
            Assert.Contains("Credential=ASIASECOND/", sfn[2].Headers["Authorization"]);
            Assert.Equal("token-ASIASECOND", sfn[2].Headers["X-Amz-Security-Token"]);
        }

        [Fact]
        public async Task A_failed_AssumeRole_raises_the_STS_failure_and_sends_nothing_unsigned()
        {
            using var server = new RecordedServer(StsError(403, "AccessDenied"));
            var settings = TestConnections.Local(server.Url);
            settings.RoleArn = RoleArn;
            settings.RoleSessionName = "core-tests-denied";
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.AuthorizationError, failure.ExitCode);
            Assert.Equal("AccessDenied", failure.ErrorId);
            Assert.All(server.Requests, r => Assert.Contains("Action=AssumeRole", r.Body));
        }

        [Fact]
        public async Task An_AssumeRole_answer_without_keys_is_an_authentication_failure_not_an_unsigned_request()
        {
            using var server = new RecordedServer(AssumeRoleAnswer("", TimeSpan.FromMinutes(15)));
            var settings = TestConnections.Local(server.Url);
            settings.RoleArn = RoleArn;
            settings.RoleSessionName = "core-tests-empty";
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => StepFunctionsClients.Get(settings).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal("AssumeRoleNoCredentials", failure.ErrorId);
            Assert.All(server.Requests, r => Assert.Contains("Action=AssumeRole", r.Body));
        }
    }
}
