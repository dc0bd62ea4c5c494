using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSO.Model;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Credentials of an IAM Identity Center (SSO) profile: the sign-in `aws sso login` cached, exchanged at the portal's
    /// GetRoleCredentials for the profile's account and role, held until shortly before they expire. Never interactive: a
    /// missing, expired or refused sign-in is an authentication failure that says to run `aws sso login`.
    /// </summary>
    /// <remarks>
    /// Why not the SDK's SSOAWSCredentials (AWSSDK.Core 4.0.102.19): it builds its SSO and SSO OIDC clients itself from the
    /// region and an IWebProxy only (SSOServiceClientHelpers), so they cannot follow -EndpointUrl, a TLS proxy, -ProxyCaBundleFile
    /// or AWS_CA_BUNDLE (our HttpClientFactory); and its RefreshingAWSCredentials base has the one-minute expiry buffer that
    /// SessionCredentials explains. The two SDK clients here get the module's own settings (ClientBuilder.ApplyCommon).
    /// </remarks>
    internal sealed class SsoProfileCredentials : SessionCredentials
    {
        /// <summary>A cached token this close to its expiry is refreshed first, when it can be (the AWS CLI's window).</summary>
        internal static readonly TimeSpan TokenRefreshWindow = TimeSpan.FromMinutes(15);

        private readonly SsoProfile _profile;
        private readonly string _cachePath;
        private readonly Lazy<AmazonSSOClient> _portal;
        /// <summary>The portal states expiries by its own clock.</summary>
        private readonly IssuerClock _portalClock = new IssuerClock();
        private readonly Lazy<AmazonSSOOIDCClient> _oidc;
        private int _portalCalls;
        private int _tokenRefreshes;

        public SsoProfileCredentials(SsoProfile profile, string cacheDirectory, AmazonSSOConfig portalConfig, AmazonSSOOIDCConfig oidcConfig)
        {
            _profile = profile;
            _cachePath = Path.Combine(cacheDirectory, profile.CacheFileName);
            // Unsigned calls (the model's authtype none): the bearer token is the only credential.
            _portal = new Lazy<AmazonSSOClient>(() =>
            {
                var portal = new AmazonSSOClient(new AnonymousAWSCredentials(), portalConfig);
                _portalClock.Watch(portal);
                return portal;
            });
            _oidc = new Lazy<AmazonSSOOIDCClient>(() => new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), oidcConfig));
        }

        /// <summary>How many GetRoleCredentials calls succeeded (tests: one per credential lifetime).</summary>
        internal int PortalCalls => _portalCalls;

        /// <summary>How many times the cached sign-in was refreshed through SSO OIDC.</summary>
        internal int TokenRefreshes => _tokenRefreshes;

        protected override string Operation => "SSO GetRoleCredentials";

        protected override async Task<Session> NewSessionAsync()
        {
            var token = await SignInAsync().ConfigureAwait(false);
            var trace = RequestTrace.Writer;
            var where = _portal.Value.Config.ServiceURL?.TrimEnd('/') ?? "the public portal of " + _profile.SsoRegion;
            trace?.Progress($"SSO GetRoleCredentials for role {_profile.RoleName} in account {_profile.AccountId} at {where}, {DateTime.Now:HH:mm:ss.fff}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            GetRoleCredentialsResponse response;
            try
            {
                response = await _portal.Value.GetRoleCredentialsAsync(new GetRoleCredentialsRequest
                {
                    AccessToken = token,
                    AccountId = _profile.AccountId,
                    RoleName = _profile.RoleName,
                }, NeverCancelled).ConfigureAwait(false);
            }
            catch (AmazonSSOException refused) when (PortalRefusal(refused) is StepFunctionsFailure failure)
            {
                trace?.Write($"SSO GetRoleCredentials refused after {clock.Elapsed.TotalMilliseconds:0.0} ms: {refused.ErrorCode}");
                throw failure;
            }
            catch (Exception error) when (trace != null)
            {
                trace.Write($"SSO GetRoleCredentials failed after {clock.Elapsed.TotalMilliseconds:0.0} ms: {error.GetType().Name}: {ProxyText.ScrubUrlCredentials(error.Message)}");
                throw;
            }
            var issued = DateTime.UtcNow;
            var role = response?.RoleCredentials;
            if (role == null || string.IsNullOrEmpty(role.AccessKeyId) || string.IsNullOrEmpty(role.SecretAccessKey))
                throw Failure(ExitCode.AuthenticationError, FailureKind.Authentication, "SsoNoCredentials",
                    $"The IAM Identity Center (SSO) portal answered without credentials for role '{_profile.RoleName}' in account {_profile.AccountId} (profile '{_profile.ProfileName}').");
            var expiresUtc = role.Expiration is long ms ? _portalClock.ToLocal(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime) : issued.AddMinutes(15);
            var clocks = _portalClock.Describe();
            if (expiresUtc <= issued)
                throw Failure(ExitCode.AuthenticationError, FailureKind.Authentication, "SsoCredentialsExpired",
                    $"The IAM Identity Center (SSO) portal answered credentials that had already expired ({expiresUtc:o} by this machine's clock{(clocks == null ? "" : ", where " + clocks)}; now {issued:o}); check the clock.");
            Interlocked.Increment(ref _portalCalls);
            trace?.Progress($"SSO GetRoleCredentials answered in {clock.Elapsed.TotalMilliseconds:0.0} ms: credentials until {expiresUtc:HH:mm:ss} UTC"
                + (clocks == null ? "" : $" by this machine's clock ({clocks})"));
            return new Session(new ImmutableCredentials(role.AccessKeyId, role.SecretAccessKey, role.SessionToken), expiresUtc, issued);
        }

        /// <summary>
        /// The cached access token, refreshed through SSO OIDC first when it is close to expiry and refreshable (an sso_session
        /// profile whose cache holds a refresh token and a client registration). A token that still works is used when its
        /// refresh fails, as the AWS CLI does; an expired one that cannot be refreshed ends here.
        /// </summary>
        private async Task<string> SignInAsync()
        {
            var cached = SsoTokenCache.Read(_cachePath, _profile)
                ?? throw Failure(ExitCode.AuthenticationError, FailureKind.Authentication, "SsoNotSignedIn",
                    $"No IAM Identity Center (SSO) sign-in is cached for {_profile.SignIn} (no {_cachePath}): {_profile.LoginHint}.");
            var now = DateTime.UtcNow;
            if (cached.ExpiresAtUtc - now > TokenRefreshWindow) return cached.AccessToken;

            string? refreshProblem = null;
            Exception? refreshUnanswered = null;
            if (_profile.CanRefresh && cached.IsRefreshable(now))
            {
                var refreshed = await TryRefreshAsync(cached).ConfigureAwait(false);
                if (refreshed.Token != null) return refreshed.Token;
                refreshProblem = refreshed.Problem;
                refreshUnanswered = refreshed.Unanswered;
            }
            if (cached.ExpiresAtUtc > now) return cached.AccessToken;
            var expiredAt = $"The IAM Identity Center (SSO) sign-in of {_profile.SignIn} expired at {SsoTokenCache.FormatTime(cached.ExpiresAtUtc)}";
            var expired = Failure(ExitCode.AuthenticationError, FailureKind.Authentication, "SsoSignInExpired",
                expiredAt + (refreshProblem != null ? $" and could not be refreshed ({refreshProblem})" : "") + $": {_profile.LoginHint}.");
            // SSO OIDC did not refuse the refresh, it was not reached (or failed): a network problem passes, so FailureMapper
            // judges the cause as for any request, and a -Wait polls through it rather than ending with "run aws sso login".
            if (refreshUnanswered != null)
                throw new SsoSignInNotRefreshedException(expiredAt + " and could not be refreshed", expired, refreshUnanswered);
            throw expired;
        }

        /// <summary>
        /// The refreshed token; else why not (<c>Problem</c>, for the message), and the exception when SSO OIDC gave no answer
        /// of its own (<c>Unanswered</c>: unreachable, a proxy or a timeout in the way, a 5xx), which may pass.
        /// </summary>
        private async Task<(string? Token, string? Problem, Exception? Unanswered)> TryRefreshAsync(SsoCachedToken cached)
        {
            var trace = RequestTrace.Writer;
            trace?.Progress($"SSO OIDC CreateToken (refresh) for sso_session '{_profile.SessionName}' at {_oidc.Value.Config.ServiceURL?.TrimEnd('/') ?? "the public endpoint of " + _profile.SsoRegion}");
            CreateTokenResponse response;
            try
            {
                response = await _oidc.Value.CreateTokenAsync(new CreateTokenRequest
                {
                    ClientId = cached.ClientId,
                    ClientSecret = cached.ClientSecret,
                    GrantType = "refresh_token",
                    RefreshToken = cached.RefreshToken,
                }, NeverCancelled).ConfigureAwait(false);
            }
            // A 5xx is the service failing, not refusing: like a network problem, it passes.
            catch (AmazonServiceException refused) when (!string.IsNullOrEmpty(refused.ErrorCode) && (int)refused.StatusCode < 500)
            {
                // The service's code only: an OAuth error_description is free text, never needed to act on it.
                trace?.Write($"SSO OIDC CreateToken refused: {refused.ErrorCode}");
                return (null, $"SSO OIDC CreateToken: {refused.ErrorCode}", null);
            }
            catch (Exception unreachable) when (!(unreachable is OperationCanceledException))
            {
                // SSO OIDC unreachable or answering garbage: a sign-in that is still valid is used, as the AWS CLI does.
                trace?.Write($"SSO OIDC CreateToken failed: {unreachable.GetType().Name}: {ProxyText.ScrubUrlCredentials(unreachable.Message)}");
                return (null, $"SSO OIDC CreateToken: {unreachable.GetType().Name}", unreachable);
            }
            if (string.IsNullOrEmpty(response?.AccessToken)) return (null, "SSO OIDC CreateToken answered no access token", null);
            var expiresAt = DateTime.UtcNow.AddSeconds(response!.ExpiresIn ?? 3600);
            Interlocked.Increment(ref _tokenRefreshes);
            if (!SsoTokenCache.TryWrite(_cachePath, cached, response.AccessToken, expiresAt, response.RefreshToken, out var problem))
                trace?.Write($"SSO OIDC: the refreshed sign-in could not be saved to {_cachePath} ({problem}); it is used for this session only");
            else
                trace?.Progress($"SSO OIDC refreshed the sign-in until {expiresAt:HH:mm:ss} UTC and saved it to {_cachePath}");
            return (response.AccessToken, null, null);
        }

        /// <summary>The portal's refusals, in words that say what to do; null for anything else (FailureMapper's business).</summary>
        private StepFunctionsFailure? PortalRefusal(AmazonSSOException refused)
        {
            var why = $"{refused.ErrorCode}: {refused.Message}";
            switch (refused.ErrorCode)
            {
                case "UnauthorizedException":
                    return Failure(ExitCode.AuthenticationError, FailureKind.Authentication, "SsoSignInRefused",
                        $"The IAM Identity Center (SSO) portal refused the sign-in cached for {_profile.SignIn} ({why}): {_profile.LoginHint}.", refused);
                // AWS answers 403 ForbiddenException "No access" for an account or role the user is not assigned (not in the model).
                case "ForbiddenException":
                case "ResourceNotFoundException":
                    return Failure(ExitCode.AuthorizationError, FailureKind.Authorization, "SsoRoleNotAssigned",
                        $"The IAM Identity Center (SSO) portal gives the signed-in user no access to role '{_profile.RoleName}' in account {_profile.AccountId} ({why}): check sso_account_id and sso_role_name of profile '{_profile.ProfileName}'.", refused);
                default:
                    return null;
            }
        }

        private StepFunctionsFailure Failure(ExitCode code, FailureKind kind, string errorId, string message, Exception? inner = null)
            => new StepFunctionsFailure(kind, code, errorId, message, field: "profile_name", target: _profile.ProfileName, inner: inner);

        public override void Dispose()
        {
            if (_portal.IsValueCreated) _portal.Value.Dispose();
            if (_oidc.IsValueCreated) _oidc.Value.Dispose();
            base.Dispose();
        }
    }

    /// <summary>
    /// An expired sign-in whose refresh got no answer of SSO OIDC's own (unreachable, a proxy or a timeout in the way, a 5xx).
    /// FailureMapper maps the cause (the inner exception) as for any request, so a network problem keeps its transient exit
    /// code (10, 11) and the message still says the sign-in could not be refreshed; any other cause is <see cref="Expired"/>.
    /// </summary>
    internal sealed class SsoSignInNotRefreshedException : Exception
    {
        public SsoSignInNotRefreshedException(string message, StepFunctionsFailure expired, Exception cause)
            : base(message, cause)
        {
            Expired = expired;
        }

        /// <summary>The failure when the cause is not transient: exit 2, saying to run aws sso login.</summary>
        public StepFunctionsFailure Expired { get; }
    }
}
