using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    public class NamingTests
    {
        [Fact]
        public void No_base_generates_a_unique_dated_name_with_the_run_count()
        {
            var a = ExecutionNames.Build(null, 1, new DateTime(2023, 8, 15, 13, 27, 58, DateTimeKind.Utc));
            var b = ExecutionNames.Build("", 1, new DateTime(2023, 8, 15, 13, 27, 58, DateTimeKind.Utc));
            Assert.Matches("^ue-20230815T132758-[0-9a-f]{16}-1$", a);
            Assert.NotEqual(a, b);
            Validate.ExecutionName(a);
        }

        [Fact]
        public void Generated_names_of_one_second_do_not_collide_at_the_rate_of_many_parallel_callers()
        {
            // Equal names with equal input are one execution to the service. 200,000 names in one second: with 32 random bits
            // a collision is 99 % likely (birthday bound), with 64 bits about 1e-9.
            var second = new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc);
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 200_000; i++)
                Assert.True(names.Add(ExecutionNames.Build(null, 1, second)), $"name {i} repeated an earlier one");
        }

        [Fact]
        public void Suffix_is_always_appended()
            => Assert.Equal("nightly-load-3", ExecutionNames.Build("nightly-load", 3));

        [Fact]
        public void A_base_that_cannot_keep_its_suffix_within_80_is_refused_not_cut()
        {
            Assert.Equal(new string('x', 74) + "-12345", ExecutionNames.Build(new string('x', 74), 12345));
            var refused = Assert.Throws<StepFunctionsFailure>(() => ExecutionNames.Build(new string('x', 75), 12345));
            Assert.Equal("execution_name", refused.Field);
            Assert.Equal(20, (int)refused.ExitCode);
            Assert.Equal("execution_name is 75 characters; with the suffix '-12345' (run_count 12345) it may have at most 74, so that the execution name stays within 80.",
                refused.Message);
        }

        [Fact]
        public void A_blank_base_is_no_base()
            => Assert.Matches("^ue-[0-9]{8}T[0-9]{6}-[0-9a-f]{16}-2$", ExecutionNames.Build("   ", 2));

        [Fact]
        public void Illegal_base_and_run_count_are_validation_errors()
        {
            Assert.Equal("execution_name", Assert.Throws<StepFunctionsFailure>(() => ExecutionNames.Build("bad name", 1)).Field);
            Assert.Equal("run_count", Assert.Throws<StepFunctionsFailure>(() => ExecutionNames.Build("ok", 0)).Field);
        }
    }

    public class OutputTests
    {
        /// <summary>Sample data only: the module builds the real fields (masking is tested against the built module).</summary>
        private static Invocation SampleInvocation() => new Invocation
        {
            version = "1.0.0",
            fields = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["action"] = "Start Asynchronous Execution",
                ["credentials_user"] = "****",
                ["credentials_password"] = "****",
                ["region"] = "eu-west-1",
                ["state_machine_arn"] = "arn:aws:states:eu-west-1:123456789012:stateMachine:M",
                ["input"] = "{\"a\":1}",
                ["wait_for_success_or_failure"] = true,
            },
        };

        [Fact]
        public void Dates_use_the_seed_format_with_microseconds_and_offset()
        {
            var value = new DateTimeOffset(2023, 8, 15, 13, 27, 58, 977, TimeSpan.Zero);
            var text = OutputJson.FormatDate(value);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.977000[+-]\d{2}:\d{2}$", text);
            Assert.Equal(value, DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        }

        [Theory]
        [InlineData("SUCCEEDED", 0, "SUCCESS: Step Function is in SUCCEEDED state.")]
        [InlineData("FAILED", 23, "FAILED: Step Function is in FAILED state.")]
        [InlineData("ABORTED", 24, "FAILED: Step Function is in ABORTED state.")]
        [InlineData("TIMED_OUT", 25, "FAILED: Step Function is in TIMED_OUT state.")]
        public void Final_states_map_to_exit_codes(string status, int exit, string description)
        {
            var output = ExtensionOutput.FromResult(SampleInvocation(), new ExecutionResult { ExecutionArn = "x", Status = status }, true, true);
            Assert.Equal(exit, output.exit_code);
            Assert.Equal(description, output.status_description);
            Assert.True(output.changed);
        }

        [Fact]
        public void Started_without_wait_is_success()
        {
            var output = ExtensionOutput.FromResult(SampleInvocation(), new ExecutionResult { ExecutionArn = "x", Name = "n-1", Status = "RUNNING" }, true, false);
            Assert.Equal(0, output.exit_code);
            Assert.StartsWith("SUCCESS: ", output.status_description);
        }

        [Theory]
        [InlineData(ExitCode.Fail, "FAIL: ")]
        [InlineData(ExitCode.AuthenticationError, "AUTHENTICATION_ERROR: ")]
        [InlineData(ExitCode.AuthorizationError, "AUTHORIZATION_ERROR: ")]
        [InlineData(ExitCode.ConnectionError, "CONNECTION_ERROR: ")]
        [InlineData(ExitCode.ProxyConnectionError, "CONNECTION_ERROR: ")]
        [InlineData(ExitCode.DataValidationError, "DATA_VALIDATION_ERROR: ")]
        public void Failures_get_their_prefix(ExitCode code, string prefix)
        {
            var output = ExtensionOutput.FromFailure(SampleInvocation(), new StepFunctionsFailure(FailureKind.Unexpected, code, "Id", "what happened"));
            Assert.Equal((int)code, output.exit_code);
            Assert.Equal(prefix + "what happened", output.status_description);
            Assert.False(output.changed);
            Assert.Null(output.result);
        }

        [Fact]
        public void Json_has_seed_members_and_camelCase_result()
        {
            var result = new ExecutionResult
            {
                ExecutionArn = "arn:aws:states:eu-west-1:123456789012:execution:M:n-1",
                StateMachineArn = "arn:aws:states:eu-west-1:123456789012:stateMachine:M",
                Name = "n-1",
                Status = "FAILED",
                StartDate = DateTimeOffset.FromUnixTimeMilliseconds(1686509515191),
                StopDate = DateTimeOffset.FromUnixTimeMilliseconds(1686509516205),
                OutputIncluded = true,
                Error = "States.TaskFailed",
                Cause = "boom <&>",
            };
            using var doc = JsonDocument.Parse(ExtensionOutput.FromResult(SampleInvocation(), result, true, true).ToJson());
            var root = doc.RootElement;
            Assert.Equal(23, root.GetProperty("exit_code").GetInt32());
            Assert.True(root.GetProperty("changed").GetBoolean());
            Assert.Equal("ue-aws-stepfunctions", root.GetProperty("invocation").GetProperty("extension").GetString());
            Assert.Equal("****", root.GetProperty("invocation").GetProperty("fields").GetProperty("credentials_password").GetString());
            var r = root.GetProperty("result");
            Assert.Equal("n-1", r.GetProperty("name").GetString());
            Assert.Equal("States.TaskFailed", r.GetProperty("error").GetString());
            Assert.Equal("boom <&>", r.GetProperty("cause").GetString());
            Assert.True(r.GetProperty("outputDetails").GetProperty("included").GetBoolean());
            Assert.Matches(@"^2023-06-1\d \d{2}:\d{2}:\d{2}\.191000[+-]\d{2}:\d{2}$", r.GetProperty("startDate").GetString());
            Assert.False(r.TryGetProperty("output", out _));
        }
    }

    public class FailureMapTests
    {
        [Fact]
        public void Proxy_failures_use_the_exact_message_without_credentials()
        {
            var context = new FailureContext("http://127.0.0.1:3128", null);
            var failure = FailureMapper.Map(new System.Net.Http.HttpRequestException("Connection refused (127.0.0.1:3128)",
                new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)), context);
            Assert.Equal(ExitCode.ProxyConnectionError, failure.ExitCode);
            Assert.StartsWith("ProxyConnectionError: Failed to connect to proxy URL http://127.0.0.1:3128: the proxy could not be reached", failure.Message);
        }

        [Fact]
        public void Proxy_407_tunnel_failure_is_exit_11()
        {
            var context = new FailureContext("http://127.0.0.1:3128", null);
            var failure = FailureMapper.Map(new System.Net.Http.HttpRequestException("The proxy tunnel request to proxy 'http://127.0.0.1:3128/' failed with status code '407'."), context);
            Assert.Equal(ExitCode.ProxyConnectionError, failure.ExitCode);
            Assert.Contains("407", failure.Detail);
        }

        [Fact]
        public void Tls_failures_name_the_certificate_problem()
        {
            var context = new FailureContext(null, () => "certificate 'CN=localhost' is not trusted: UntrustedRoot");
            var failure = FailureMapper.Map(new System.Net.Http.HttpRequestException("SSL failed",
                new System.Security.Authentication.AuthenticationException("The remote certificate is invalid")), context);
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Contains("UntrustedRoot", failure.Message);
        }

        [Fact]
        public void Dns_failure_is_a_connection_error()
        {
            var failure = FailureMapper.Map(new System.Net.Http.HttpRequestException("Name or service not known",
                new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound)), FailureContext.None);
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Equal("DnsError", failure.ErrorId);
        }

        [Theory]
        [InlineData("us-eest-1", true)] // a typo: the SDK knows no such region
        [InlineData("us-east-1", false)] // a known region whose host did not resolve: the network's business, no hint
        [InlineData(null, false)] // a custom endpoint: its host is the user's, not the region's
        public void Dns_failure_at_a_public_endpoint_names_a_region_the_SDK_does_not_know(string? region, bool hinted)
        {
            // As in the module: the client was made for that region first, which adds it to the SDK's list of regions.
            if (region != null) _ = Amazon.RegionEndpoint.GetBySystemName(region);
            var context = new FailureContext(null, null, publicEndpointRegion: region);
            var failure = FailureMapper.Map(new System.Net.Http.HttpRequestException("Name or service not known",
                new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound)), context);
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Equal(hinted, failure.Message.Contains("is not one the AWS SDK knows"));
            if (hinted) Assert.EndsWith("The region 'us-eest-1' is not one the AWS SDK knows: check -Region, or the region in the ARN.", failure.Message);
            // The context travels to the module's other clients (StartSyncExecution's, the unrepeated start's).
            Assert.Equal(region, context.For(TimeSpan.FromSeconds(330), sdkRetries: false).PublicEndpointRegion);
            Assert.Equal(region, context.WithoutRetries().PublicEndpointRegion);
        }

        [Theory]
        [InlineData("ExpiredTokenException", ExitCode.AuthenticationError)]
        [InlineData("InvalidClientTokenId", ExitCode.AuthenticationError)]
        [InlineData("SignatureDoesNotMatch", ExitCode.AuthenticationError)]
        [InlineData("IncompleteSignatureException", ExitCode.AuthenticationError)]
        [InlineData("AccessDenied", ExitCode.AuthorizationError)]
        [InlineData("InvalidName", ExitCode.DataValidationError)]
        [InlineData("InvalidExecutionInput", ExitCode.DataValidationError)]
        // A key that is disabled or pending deletion is neither a permission (3) nor the input (20): the message says which state.
        [InlineData("KmsInvalidStateException", ExitCode.Fail)]
        [InlineData("ValidationError", ExitCode.DataValidationError)]
        [InlineData("SomethingNew", ExitCode.Fail)]
        public void Service_codes_map_to_the_table(string code, ExitCode exit)
        {
            var exception = new Amazon.Runtime.AmazonServiceException("m", Amazon.Runtime.ErrorType.Sender, code, "rid", System.Net.HttpStatusCode.BadRequest);
            Assert.Equal(exit, FailureMapper.Map(exception, FailureContext.None).ExitCode);
        }

        [Theory]
        [InlineData("ExecutionLimitExceeded", "Refused for a limit of the account or key: ExecutionLimitExceeded: m")]
        [InlineData("ThrottlingException", "Throttled beyond the retry budget: ThrottlingException: m")]
        public void Limit_refusals_the_sdk_does_not_retry_do_not_claim_a_retry_budget(string code, string message)
        {
            var exception = new Amazon.Runtime.AmazonServiceException("m", Amazon.Runtime.ErrorType.Sender, code, "rid", System.Net.HttpStatusCode.BadRequest);
            Assert.EndsWith(message, FailureMapper.Map(exception, FailureContext.None).Message);
        }

        [Fact]
        public void Missing_credentials_are_exit_2()
            => Assert.Equal(ExitCode.AuthenticationError, FailureMapper.Map(new Amazon.Runtime.AmazonClientException("Failed to resolve AWS credentials."), FailureContext.None).ExitCode);

        [Fact]
        public void Caller_cancellation_is_cancelled_not_timeout()
        {
            using var cts = new System.Threading.CancellationTokenSource();
            cts.Cancel();
            Assert.Equal(FailureKind.Cancelled, FailureMapper.Map(new OperationCanceledException(), FailureContext.None, null, cts.Token).Kind);
            Assert.Equal(ExitCode.ConnectionError, FailureMapper.Map(new System.Threading.Tasks.TaskCanceledException("timeout"), FailureContext.None).ExitCode);
        }
    }

    public class EndpointTests
    {
        [Theory]
        [InlineData("us-east-1", false, false, "https://states.us-east-1.amazonaws.com")]
        [InlineData("cn-north-1", false, false, "https://states.cn-north-1.amazonaws.com.cn")]
        [InlineData("us-gov-east-1", false, false, "https://states.us-gov-east-1.amazonaws.com")]
        [InlineData("us-east-1", true, false, "https://states-fips.us-east-1.amazonaws.com")]
        [InlineData("us-gov-west-1", true, false, "https://states.us-gov-west-1.amazonaws.com")]
        [InlineData("us-east-1", false, true, "https://states.us-east-1.api.aws")]
        [InlineData("us-east-1", true, true, "https://states-fips.us-east-1.api.aws")]
        public void Endpoint_rules(string region, bool fips, bool dualStack, string url)
        {
            var parameters = new Sdk.SfnEndpointParameters { Region = region, UseFIPS = fips, UseDualStack = dualStack };
            Assert.Equal(url, new Sdk.SfnEndpointProvider().ResolveEndpoint(parameters).URL);
        }

        [Fact]
        public void Custom_endpoint_wins_and_refuses_fips()
        {
            var provider = new Sdk.SfnEndpointProvider();
            Assert.Equal("http://127.0.0.1:8083", provider.ResolveEndpoint(new Sdk.SfnEndpointParameters { Region = "us-east-1", Endpoint = "http://127.0.0.1:8083" }).URL);
            Assert.Throws<Amazon.Runtime.AmazonClientException>(() => provider.ResolveEndpoint(new Sdk.SfnEndpointParameters { Region = "us-east-1", Endpoint = "http://x", UseFIPS = true }));
        }
    }
}
