using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using AwsStepFunctions.Local;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Control;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>
    /// AssumeRole over real HTTP against the local endpoint's STS (which issues real expiring session keys and checks every
    /// signature): one call per credential lifetime, never unsigned requests. One answer the real STS never gives (a session
    /// without keys) comes from a recorded server.
    /// </summary>
    public sealed class AssumeRoleCredentialsTests : IAsyncLifetime, IDisposable
    {
        private const string ExArn = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:run-1";
        private const string RoleArn = "arn:aws:iam::123456789012:role/ShortLived";
        private const string UserKeyId = "AKIACORETESTS0000001";
        private const string ThirtyTwoSecondRoleArn = "arn:aws:iam::123456789012:role/ThirtyTwoSeconds";
        private const string UntrustingRoleArn = "arn:aws:iam::123456789012:role/NotForCoreTests";
        private const string ChainSourceRoleArn = "arn:aws:iam::123456789012:role/ChainSource";
        private const string ChainTargetRoleArn = "arn:aws:iam::123456789012:role/ChainTarget";
        private static readonly Dictionary<string, string> Xml = new Dictionary<string, string> { ["Content-Type"] = "text/xml" };
        private readonly string _work = Path.Combine(Path.GetTempPath(), "assume-role-" + Guid.NewGuid().ToString("N"));
        private LocalEndpointServer _server = null!;

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(_work);
            var config = Path.Combine(_work, "access.json");
            // Four-second sessions (STS's expiry is in whole seconds: a life of 3-4 s), so a test sees a refresh within seconds.
            File.WriteAllText(config, $$"""
                { "defaultUser": false,
                  "users": [ { "name": "core-tests", "accessKeyId": "{{UserKeyId}}", "secretAccessKey": "{{TestConnections.ExampleSecret}}",
                               "actions": ["sts:AssumeRole"] } ],
                  "roles": [ { "roleArn": "{{RoleArn}}", "actions": ["states:*"], "durationSeconds": 4 },
                             { "roleArn": "{{ThirtyTwoSecondRoleArn}}", "actions": ["states:*"], "durationSeconds": 32 },
                             { "roleArn": "{{UntrustingRoleArn}}", "actions": ["states:*"], "trustedPrincipals": ["someone-else"] },
                             { "roleArn": "{{ChainSourceRoleArn}}", "actions": ["sts:AssumeRole"], "durationSeconds": 4 },
                             { "roleArn": "{{ChainTargetRoleArn}}", "actions": ["states:*"], "durationSeconds": 16 } ] }
                """);
            var definitions = Directory.CreateDirectory(Path.Combine(_work, "definitions")).FullName;
            File.WriteAllText(Path.Combine(definitions, "Quick.express.asl.json"),
                """{ "StartAt": "Done", "States": { "Done": { "Type": "Pass", "Result": { "ok": true }, "End": true } } }""");
            _server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Access = AccessConfig.Load(config), DefinitionsDirectory = definitions },
                CancellationToken.None);
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();

        public void Dispose()
        {
            if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
        }

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

        private StsAssumeRoleCredentials Credentials(string roleArn = RoleArn) => Credentials(
            new BasicAWSCredentials(UserKeyId, TestConnections.ExampleSecret), roleArn, new AmazonSecurityTokenServiceConfig { MaxErrorRetry = 0 });

        private StsAssumeRoleCredentials Credentials(AWSCredentials source, string roleArn, AmazonSecurityTokenServiceConfig config)
        {
            config.ServiceURL = _server.Url.ToString();
            config.AuthenticationRegion = "us-east-1";
            config.ResignRetries = true;
            return new StsAssumeRoleCredentials(source, config, roleArn, "core-tests", null);
        }

        private ConnectionSettings ThroughRole(string roleArn, string sessionName)
        {
            var settings = TestConnections.Local(_server.Url.ToString());
            settings.AccessKeyId = UserKeyId;
            settings.RoleArn = roleArn;
            settings.RoleSessionName = sessionName;
            return settings;
        }

        /// <summary>Waits until <paramref name="seconds"/> before the current session's expiry (inside its refresh margin).</summary>
        private static Task UntilBeforeExpiry(AWSCredentials credentials, double seconds)
            => Task.Delay(TimeSpan.FromTicks(Math.Max(0, (credentials.Expiration!.Value - TimeSpan.FromSeconds(seconds) - DateTime.UtcNow).Ticks)));

        [Fact]
        public async Task Short_sessions_are_assumed_once_per_lifetime_and_refreshed_before_expiry()
        {
            // Sessions of seconds: the SDK's own RefreshingAWSCredentials treated such sessions as expired on arrival (1-minute buffer).
            using var credentials = Credentials();
            var first = await credentials.GetCredentialsAsync();
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(first.AccessKey, (await credentials.GetCredentialsAsync()).AccessKey);
                Assert.Equal(first.AccessKey, credentials.GetCredentials().AccessKey);
            }
            Assert.Equal(1, credentials.AssumeRoleCalls);
            Assert.Equal(1, _server.Counters.Get("AssumeRole"));
            Assert.StartsWith("ASIA", first.AccessKey);
            Assert.False(string.IsNullOrEmpty(first.Token));

            // Inside the refresh margin (a quarter of the life before expiry, 0.75-1 s here), still before the expiry: a new session.
            await UntilBeforeExpiry(credentials, 0.6);
            var second = await credentials.GetCredentialsAsync();
            Assert.NotEqual(first.AccessKey, second.AccessKey);
            Assert.NotEqual(first.Token, second.Token);
            Assert.Equal(2, credentials.AssumeRoleCalls);
            Assert.Equal(2, _server.Counters.Get("AssumeRole"));
        }

        [Fact]
        public async Task A_slow_refresh_holds_calls_up_only_briefly_while_the_session_may_still_be_used()
        {
            // Sessions of 31-32 s: refreshed 7.75-8 s before their expiry, kept after a failed or slow refresh until 3.875-4 s
            // before. 6.5 s before is 1.25 s from one edge and 1.5 s from the other: a CI host that loses the CPU for a second
            // (16 s sessions left 0.6 s, and a paused run woke past the keep point) still lands between them.
            using var credentials = Credentials(ThirtyTwoSecondRoleArn);
            var first = await credentials.GetCredentialsAsync();
            await UntilBeforeExpiry(credentials, 6.5);
            // STS answers the refresh after 3 s.
            _server.Faults.Add(new FaultRule("AssumeRole", FaultKind.Delay, 1, 3000));
            var starterWait = System.Diagnostics.Stopwatch.StartNew();
            var starter = credentials.GetCredentialsAsync();
            await Task.Delay(200);
            // A caller that finds the refresh in progress does not wait for it.
            var otherWait = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(first.AccessKey, (await credentials.GetCredentialsAsync()).AccessKey);
            otherWait.Stop();
            // The caller that started it waits a second at most, then goes on with the living session.
            Assert.Equal(first.AccessKey, (await starter).AccessKey);
            starterWait.Stop();
            // Below the ~800 ms it would wait if it shared the starter's 1 s grace; the starter's bound stays below STS's 3 s answer.
            Assert.True(otherWait.Elapsed < TimeSpan.FromMilliseconds(700), $"the other caller waited {otherWait.ElapsedMilliseconds} ms");
            Assert.InRange(starterWait.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(2900));
            Assert.Equal(2, _server.Counters.Get("AssumeRole"));

            // Past the keep point calls wait for the refresh, which has answered with the new session by then or soon after.
            await UntilBeforeExpiry(credentials, 2.5);
            var renewed = await credentials.GetCredentialsAsync();
            Assert.NotEqual(first.AccessKey, renewed.AccessKey);
            Assert.Equal(2, credentials.AssumeRoleCalls);
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
            var client = StepFunctionsClients.Get(ThroughRole(RoleArn, "core-tests-signing"));
            await client.ListStateMachinesAsync(CancellationToken.None);
            var afterFirst = DateTime.UtcNow;
            await client.ListStateMachinesAsync(CancellationToken.None);
            // The first session was issued before the first call returned and lives 3-4 s, refreshed 0.75-1 s before its end:
            // 3.3 s after that return it is due.
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (afterFirst.AddMilliseconds(3300) - DateTime.UtcNow).Ticks)));
            await client.ListStateMachinesAsync(CancellationToken.None);

            // The endpoint verified each signature, the session token included: a call signed with anything else was refused.
            var seen = _server.Requests.Recent();
            Assert.Equal(new[] { "AssumeRole", "ListStateMachines", "ListStateMachines", "AssumeRole", "ListStateMachines" }, seen.Select(r => r.Operation));
            Assert.All(seen, r => Assert.Equal(200, r.StatusCode));
            Assert.All(seen.Where(r => r.Operation == "AssumeRole"), r => Assert.Equal(UserKeyId, r.AccessKeyId));
            var sfn = seen.Where(r => r.Operation != "AssumeRole").ToArray();
            Assert.All(sfn, r => Assert.StartsWith("ASIA", r.AccessKeyId));
            Assert.All(sfn, r => Assert.Equal("arn:aws:sts::123456789012:assumed-role/ShortLived/core-tests-signing", r.PrincipalArn));
            Assert.Equal(sfn[0].AccessKeyId, sfn[1].AccessKeyId);
            Assert.NotEqual(sfn[1].AccessKeyId, sfn[2].AccessKeyId);
        }

        [Fact]
        public async Task A_retry_is_signed_again_with_a_refreshed_session_not_with_its_first_attempts_expired_one()
        {
            var settings = ThroughRole(RoleArn, "core-tests-retry");
            settings.RequestTimeoutSeconds = 1;
            var client = StepFunctionsClients.Get(settings);
            await client.ListStateMachinesAsync(CancellationToken.None);
            var firstKey = _server.Requests.Recent().Last().AccessKeyId;
            var afterFirst = DateTime.UtcNow;
            // Two attempts held past the 1-s request timeout: the third goes out at least 2 s after the second call began,
            // 3.2 s or more after the session was issued, when it is due for its refresh (life 3-4 s, refreshed 0.75-1 s early).
            _server.Faults.Add(new FaultRule("ListStateMachines", FaultKind.Delay, 2, 2500));
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (afterFirst.AddMilliseconds(1200) - DateTime.UtcNow).Ticks)));
            await client.ListStateMachinesAsync(CancellationToken.None);

            var answered = _server.Requests.Recent().Where(r => r.Operation == "ListStateMachines" && r.StatusCode == 200).ToArray();
            Assert.Equal(2, answered.Length);
            // At least one refresh (STS's own calls share the 1-s timeout: on a loaded machine one may be repeated).
            Assert.True(_server.Counters.Get("AssumeRole") >= 2);
            // Signed with its first attempt's session, the retry carried a key due for refresh (or expired: ExpiredToken).
            Assert.NotEqual(firstKey, answered[1].AccessKeyId);
            Assert.StartsWith("ASIA", answered[1].AccessKeyId);
        }

        /// <summary>
        /// A client through the 3-4 s role with a session just issued, whose next <paramref name="operation"/> is signed half a
        /// second later, well before the refresh point (0.75-1 s before the expiry), and held 4.5 s on its way (as a slow network
        /// or a clock behind STS's would): it reaches the service after the expiry.
        /// </summary>
        private async Task<IStepFunctionsClient> ClientWhoseNextCallArrivesLate(string sessionName, string operation)
        {
            var settings = ThroughRole(RoleArn, sessionName);
            settings.RequestTimeoutSeconds = 30;
            var client = StepFunctionsClients.Get(settings);
            await client.ListStateMachinesAsync(CancellationToken.None);
            var afterFirst = DateTime.UtcNow;
            _server.Faults.Add(new FaultRule(operation, FaultKind.Delay, 1, 4500));
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (afterFirst.AddMilliseconds(500) - DateTime.UtcNow).Ticks)));
            return client;
        }

        [Fact]
        public async Task A_request_that_arrives_after_its_session_expired_is_signed_again_with_a_new_session()
        {
            var client = await ClientWhoseNextCallArrivesLate("core-tests-late", "ListStateMachines");
            await client.ListStateMachinesAsync(CancellationToken.None);

            var seen = _server.Requests.Recent();
            Assert.Equal(new[] { "AssumeRole", "ListStateMachines", "ListStateMachines", "AssumeRole", "ListStateMachines" }, seen.Select(r => r.Operation));
            Assert.Equal("ExpiredTokenException", seen[2].ErrorCode);
            Assert.Equal(200, seen[4].StatusCode);
            Assert.NotEqual(seen[1].AccessKeyId, seen[4].AccessKeyId);
        }

        [Fact]
        public async Task An_express_start_that_arrives_after_its_session_expired_is_repeated_once_with_a_new_session()
        {
            var client = await ClientWhoseNextCallArrivesLate("core-tests-late-sync", "StartSyncExecution");
            var result = await client.StartSyncExecutionAsync("arn:aws:states:us-east-1:123456789012:stateMachine:Quick", "late-sync", "{}", CancellationToken.None);

            Assert.Equal("SUCCEEDED", result.Status);
            var starts = _server.Requests.Recent().Where(r => r.Operation == "StartSyncExecution").ToArray();
            Assert.Equal(2, starts.Length);
            Assert.Equal("ExpiredTokenException", starts[0].ErrorCode);
            Assert.Equal(200, starts[1].StatusCode);
        }

        [Fact]
        public async Task A_role_chains_AssumeRole_that_arrives_after_its_source_session_expired_is_signed_again_with_a_new_one()
        {
            // The chain's inner role lives 3-4 s; the outer role's next AssumeRole is signed with it half a second after it was
            // issued and held 4.5 s on its way: STS refuses it as expired, and the repeat carries a new inner session.
            using var inner = Credentials(ChainSourceRoleArn);
            using var outer = Credentials(inner, ChainTargetRoleArn, new AmazonSecurityTokenServiceConfig());
            var first = await outer.GetCredentialsAsync();
            var innerIssued = DateTime.UtcNow;
            outer.ExpireCurrent();
            _server.Faults.Add(new FaultRule("AssumeRole", FaultKind.Delay, 1, 4500));
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (innerIssued.AddMilliseconds(500) - DateTime.UtcNow).Ticks)));

            var renewed = await outer.GetCredentialsAsync();

            Assert.NotEqual(first.AccessKey, renewed.AccessKey);
            var assumed = _server.Requests.Recent().Where(r => r.Operation == "AssumeRole").ToArray();
            Assert.Equal(new[] { 200, 200, 400, 200, 200 }, assumed.Select(r => r.StatusCode));
            Assert.Equal("ExpiredToken", assumed[2].ErrorCode);
            // The refused request and its repeat were the outer role's, signed with two inner sessions.
            Assert.NotEqual(assumed[2].AccessKeyId, assumed[4].AccessKeyId);
            Assert.Equal(UserKeyId, assumed[3].AccessKeyId);
            Assert.Equal(2, inner.AssumeRoleCalls);
        }

        [Fact]
        public async Task A_failed_AssumeRole_raises_the_STS_failure_and_sends_nothing_unsigned()
        {
            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(
                () => StepFunctionsClients.Get(ThroughRole(UntrustingRoleArn, "core-tests-denied")).DescribeExecutionAsync(ExArn, CancellationToken.None));
            Assert.Equal(ExitCode.AuthorizationError, failure.ExitCode);
            Assert.Equal("AccessDenied", failure.ErrorId);
            var seen = _server.Requests.Recent();
            Assert.NotEmpty(seen);
            Assert.All(seen, r => Assert.Equal("AssumeRole", r.Operation));
            Assert.Equal(0, _server.Counters.Get("DescribeExecution"));
        }

        [Fact]
        public async Task An_AssumeRole_answer_without_keys_is_an_authentication_failure_not_an_unsigned_request()
        {
            // The real STS never answers so: a recorded server.
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
