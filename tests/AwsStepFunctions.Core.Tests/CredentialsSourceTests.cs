using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Amazon.Runtime;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>Failures to get credentials are told apart from Step Functions' answers; profile roles go through our STS client.</summary>
    public class CredentialsSourceTests
    {
        private sealed class Failing : AWSCredentials
        {
            private readonly Exception _error;
            public Failing(Exception error) => _error = error;
            public override ImmutableCredentials GetCredentials() => throw _error;
            public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromException<ImmutableCredentials>(_error);
        }

        [Fact]
        public async Task A_credential_process_that_fails_is_an_authentication_error_naming_the_source_and_nothing_was_sent()
        {
            var process = new ProcessAWSCredentialException("Command returned non-zero exit value 3 with the error - token expired\n");
            var credentials = new CredentialsSource(new Failing(process), "profile 'ops'", Bound);

            var error = await Assert.ThrowsAsync<CredentialsUnavailableException>(() => credentials.GetCredentialsAsync());
            Assert.Throws<CredentialsUnavailableException>(() => credentials.GetCredentials());
            var failure = FailureMapper.Map(new AmazonClientException("signing failed", error), FailureContext.None);

            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal("CredentialsUnavailable", failure.ErrorId);
            Assert.Equal("Could not get credentials from profile 'ops': Command returned non-zero exit value 3 with the error - token expired", failure.Message);
            Assert.True(failure.FromCredentials);
            Assert.True(FailureMapper.NeverSent(error));
        }

        [Fact]
        public async Task An_STS_refusal_while_getting_credentials_stays_exit_3_but_is_marked_as_not_Step_Functions_own()
        {
            var refused = new AmazonServiceException("User: u is not authorized to perform: sts:AssumeRole", ErrorType.Sender, "AccessDenied", "r-1", System.Net.HttpStatusCode.Forbidden);
            var credentials = new CredentialsSource(new Failing(refused), "profile 'ops'", Bound);

            var error = await Assert.ThrowsAsync<CredentialsUnavailableException>(() => credentials.GetCredentialsAsync());
            var failure = FailureMapper.Map(error, FailureContext.None);

            Assert.Equal(FailureKind.Authorization, failure.Kind);
            Assert.Equal(ExitCode.AuthorizationError, failure.ExitCode);
            Assert.True(failure.FromCredentials);
            // The same refusal answered by Step Functions is its own.
            Assert.False(FailureMapper.Map(refused, FailureContext.None).FromCredentials);
        }

        [Fact]
        public async Task Cancellation_and_the_cores_own_failures_pass_through_and_cached_credentials_are_returned_as_they_are()
        {
            var cancelled = new CredentialsSource(new Failing(new OperationCanceledException()), "x", Bound);
            await Assert.ThrowsAsync<OperationCanceledException>(() => cancelled.GetCredentialsAsync());

            var own = new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "AssumeRoleNoCredentials", "no keys");
            var thrown = await Assert.ThrowsAsync<StepFunctionsFailure>(() => new CredentialsSource(new Failing(own), "x", Bound).GetCredentialsAsync());
            Assert.Same(own, thrown);
            Assert.True(thrown.FromCredentials);

            var basic = new BasicAWSCredentials("AKIDEXAMPLE", "secret");
            var keys = await new CredentialsSource(basic, "x", Bound).GetCredentialsAsync();
            Assert.Equal("AKIDEXAMPLE", keys.AccessKey);
        }

        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

        private sealed class Silent : AWSCredentials
        {
            public readonly TaskCompletionSource<ImmutableCredentials> Answer = new TaskCompletionSource<ImmutableCredentials>();
            public override ImmutableCredentials GetCredentials() => Answer.Task.GetAwaiter().GetResult();
            public override Task<ImmutableCredentials> GetCredentialsAsync() => Answer.Task;
        }

        [Fact]
        public async Task A_source_that_never_answers_is_given_up_at_the_bound_as_exit_10_and_nothing_was_sent()
        {
            var silent = new Silent();
            var credentials = new CredentialsSource(silent, "profile 'hangs'", TimeSpan.FromMilliseconds(300));
            var clock = System.Diagnostics.Stopwatch.StartNew();

            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => credentials.GetCredentialsAsync());

            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
            // A timeout, as for any request: exit 10, which a wait takes as transient.
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Equal(FailureKind.Connection, failure.Kind);
            Assert.Equal("CredentialsTimeout", failure.ErrorId);
            Assert.Equal("Could not get credentials from profile 'hangs' within 0.3 s (three times request_timeout): the credential source did not answer.", failure.Message);
            Assert.True(failure.FromCredentials);
            Assert.True(FailureMapper.NeverSent(new AmazonClientException("signing failed", failure)));
            // A late failure of the abandoned source is observed, not left to crash the process's finalizer thread.
            silent.Answer.SetException(new InvalidOperationException("late"));
        }

        [Fact]
        public async Task A_source_that_answers_within_the_bound_is_used()
        {
            var silent = new Silent();
            var credentials = new CredentialsSource(silent, "profile 'slow'", TimeSpan.FromSeconds(30));
            var pending = credentials.GetCredentialsAsync();
            Assert.False(pending.IsCompleted);
            silent.Answer.SetResult(new ImmutableCredentials("AKIDLATE", "secret", null));
            Assert.Equal("AKIDLATE", (await pending).AccessKey);
        }

        [Fact]
        public void A_credential_process_whose_error_output_is_long_is_quoted_at_most_300_characters()
        {
            var process = new ProcessAWSCredentialException("Command returned non-zero exit value 1 with the error - " + new string('x', 1000));
            var failure = FailureMapper.Map(new CredentialsUnavailableException("profile 'ops'", process), FailureContext.None);
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal(300 + "Could not get credentials from profile 'ops': ".Length, failure.Message.Length);
            Assert.EndsWith("...", failure.Message);
        }

        [Theory]
        [InlineData("InvalidIdentityToken")]
        [InlineData("IDPRejectedClaim")]
        public void STSs_refusals_of_a_web_identity_token_are_authentication_errors(string code)
        {
            var refused = new AmazonServiceException("Couldn't retrieve verification key from your identity provider", ErrorType.Sender, code, "r-1", System.Net.HttpStatusCode.BadRequest);
            var failure = FailureMapper.Map(new CredentialsUnavailableException("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", refused), FailureContext.None);
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.True(failure.FromCredentials);
        }

        [Fact]
        public void A_bare_HTTP_error_while_getting_credentials_keeps_its_exit_code_and_says_it_was_the_credentials()
        {
            var gateway = new AmazonServiceException("Exception of type 'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.",
                ErrorType.Unknown, null, null, System.Net.HttpStatusCode.BadGateway);
            var failure = FailureMapper.Map(new CredentialsUnavailableException("profile 'ops' (AssumeRole arn:aws:iam::123456789012:role/Runner)", gateway), FailureContext.None);

            Assert.Equal(FailureKind.Connection, failure.Kind);
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            // Worded on the credential client's terms (it retried), not the Step Functions client's.
            Assert.Equal("Could not get credentials from profile 'ops' (AssumeRole arn:aws:iam::123456789012:role/Runner): The credential service answered HTTP 502 after its retries.", failure.Message);
            Assert.True(failure.FromCredentials);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void An_STS_5xx_while_getting_credentials_says_STS_retried_whatever_the_Step_Functions_client_does(bool sdkRetries)
        {
            var sts = new Amazon.SecurityToken.AmazonSecurityTokenServiceException("The request processing has failed because of an unknown error.",
                ErrorType.Receiver, "InternalFailure", "r-1", System.Net.HttpStatusCode.InternalServerError);
            var context = new FailureContext(null, null, TimeSpan.FromSeconds(10), sdkRetries);
            var failure = FailureMapper.Map(new CredentialsUnavailableException("profile 'ops'", sts), context);

            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Equal("Could not get credentials from profile 'ops': STS answered HTTP 500 after its retries: InternalFailure: The request processing has failed because of an unknown error.", failure.Message);
        }

        [Fact]
        public void An_expired_SSO_sign_in_whose_refresh_failed_for_no_network_reason_stays_exit_2()
        {
            var expired = new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "SsoSignInExpired",
                "The IAM Identity Center (SSO) sign-in of sso-session 'corp' expired at 2024-01-01T00:00:00Z and could not be refreshed (SSO OIDC CreateToken: InvalidOperationException): run aws sso login.");
            var notRefreshed = new SsoSignInNotRefreshedException("The IAM Identity Center (SSO) sign-in of sso-session 'corp' expired at 2024-01-01T00:00:00Z and could not be refreshed",
                expired, new InvalidOperationException("garbage"));
            var failure = FailureMapper.Map(new CredentialsUnavailableException("profile 'sso'", notRefreshed), new FailureContext("http://127.0.0.1:3128", null));

            Assert.Same(expired, failure);
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
        }

        [Fact]
        public void A_proxys_407_while_getting_credentials_is_a_proxy_failure_exit_11()
        {
            var proxy = new AmazonServiceException("Proxy Authentication Required", ErrorType.Unknown, null, null, System.Net.HttpStatusCode.ProxyAuthenticationRequired);
            var context = new FailureContext("http://127.0.0.1:3128", null);
            var failure = FailureMapper.Map(new CredentialsUnavailableException("profile 'ops'", proxy), context);

            Assert.Equal(ExitCode.ProxyConnectionError, failure.ExitCode);
            Assert.StartsWith("ProxyConnectionError: Failed to connect to proxy URL http://127.0.0.1:3128", failure.Message);
        }

        [Fact]
        public void A_missing_assembly_behind_a_credential_source_is_no_network_failure()
        {
            var missing = new InvalidOperationException("Assembly AWSSDK.SSOOIDC could not be found or loaded.",
                new System.IO.FileNotFoundException("Could not load file or assembly 'AWSSDK.SSOOIDC'."));
            var failure = FailureMapper.Map(new CredentialsUnavailableException("profile 'sso'", missing), FailureContext.None);

            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal("Could not get credentials from profile 'sso': Assembly AWSSDK.SSOOIDC could not be found or loaded. Could not load file or assembly 'AWSSDK.SSOOIDC'.", failure.Message);
        }

        [Fact]
        public void Every_role_of_a_profile_chain_is_assumed_through_our_client_innermost_first()
        {
            var keys = new BasicAWSCredentials("AKIDEXAMPLE", "secret");
            var inner = new AssumeRoleAWSCredentials(keys, "arn:aws:iam::123456789012:role/First", "s1", new AssumeRoleAWSCredentialsOptions { ExternalId = "ext-1" });
            var outer = new AssumeRoleAWSCredentials(inner, "arn:aws:iam::123456789012:role/Second", "s2");
            var calls = new List<string>();
            AWSCredentials Assume(AWSCredentials from, string role, string session, string? externalId)
            {
                calls.Add($"{role}|{session}|{externalId}|{(from is BasicAWSCredentials ? "keys" : from is AssumeRoleAWSCredentials ? "sdk" : "ours")}");
                return new SessionAWSCredentials("ASIA" + calls.Count, "secret", "token");
            }

            var result = ProfileRoles.ThroughOwnSts(outer, "chained", Assume, leaf => leaf, out var roles);

            Assert.Equal(new[]
            {
                "arn:aws:iam::123456789012:role/First|s1|ext-1|keys",
                "arn:aws:iam::123456789012:role/Second|s2||ours",
            }, calls);
            Assert.Equal("ASIA2", result.GetCredentials().AccessKey);
            Assert.Equal("arn:aws:iam::123456789012:role/First, then arn:aws:iam::123456789012:role/Second", roles);
            Assert.Same(keys, ProfileRoles.ThroughOwnSts(keys, "plain", Assume, leaf => leaf, out var none));
            Assert.Equal("", none);
        }

        [Fact]
        public void A_role_profile_with_mfa_serial_is_refused_before_anything_is_sent()
        {
            var keys = new BasicAWSCredentials("AKIDEXAMPLE", "secret");
            var role = new AssumeRoleAWSCredentials(keys, "arn:aws:iam::123456789012:role/Admin", "s",
                new AssumeRoleAWSCredentialsOptions { MfaSerialNumber = "arn:aws:iam::123456789012:mfa/me" });
            var called = false;

            var failure = Assert.Throws<StepFunctionsFailure>(() => ProfileRoles.ThroughOwnSts(role, "admin", (_, _, _, _) => { called = true; return keys; }, leaf => leaf, out _));

            Assert.False(called);
            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal("profile_name", failure.Field);
            Assert.StartsWith("profile 'admin' assumes role arn:aws:iam::123456789012:role/Admin with an MFA code (mfa_serial arn:aws:iam::123456789012:mfa/me)", failure.Message);
        }
    }
}
