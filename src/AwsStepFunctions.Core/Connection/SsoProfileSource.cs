using System;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSOOIDC;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Where an IAM Identity Center (SSO) profile meets the rest of the connection: the SDK's profile reader turns such a
    /// profile (by -ProfileName or AWS_PROFILE) into its own SSOAWSCredentials, which are replaced here by the module's
    /// SsoProfileCredentials, whose portal and OIDC clients follow the module's endpoint, proxy and trust settings.
    /// </summary>
    internal static class SsoProfileSource
    {
        /// <summary>
        /// The module's SSO credentials in place of the SDK's; any other source unchanged. The SDK's AWSSDK.SSO and
        /// AWSSDK.SSOOIDC types are touched only past the type test, in a method of their own, so they load only for an SSO
        /// profile.
        /// </summary>
        public static AWSCredentials InPlaceOf(AWSCredentials source, ConnectionSettings settings, ResolvedConnection resolved,
            Func<string?, HttpClientFactory?> factoryFor, ref string description)
            => source is SSOAWSCredentials sdk ? ForProfile(sdk, settings, resolved, factoryFor, ref description) : source;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static AWSCredentials ForProfile(SSOAWSCredentials sdk, ConnectionSettings settings, ResolvedConnection resolved,
            Func<string?, HttpClientFactory?> factoryFor, ref string description)
        {
            var profileName = NonEmpty(settings.ProfileName) ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_PROFILE")) ?? "default";
            var missing = sdk.AccountId == null || sdk.AccountId.Trim().Length == 0 ? "sso_account_id"
                : sdk.RoleName == null || sdk.RoleName.Trim().Length == 0 ? "sso_role_name"
                : sdk.StartUrl == null || sdk.StartUrl.Trim().Length == 0 ? "sso_start_url" : null;
            if (missing != null)
                throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "SsoProfileIncomplete",
                    $"profile '{profileName}' is an IAM Identity Center (SSO) profile without {missing} (in the profile or its sso-session section).",
                    field: "profile_name", target: profileName);
            Validate.RegionName(sdk.Region, "sso_region");
            var profile = new SsoProfile(profileName, sdk.Options?.SessionName, sdk.StartUrl!.Trim(), sdk.Region.Trim(), sdk.AccountId!.Trim(), sdk.RoleName!.Trim());

            // The portal and SSO OIDC carry the sign-in itself (a bearer token; a refresh token and the client secret, valid for
            // months): only where the environment names them, never -EndpointUrl.
            var portalUrl = ClientBuilder.NamedEndpoint("AWS_ENDPOINT_URL_SSO", ClientBuilder.Env);
            var portalConfig = new AmazonSSOConfig();
            Configure(portalConfig, profile, resolved, factoryFor(portalUrl), portalUrl);
            var oidcConfig = new AmazonSSOOIDCConfig();
            var oidcUrl = ClientBuilder.NamedEndpoint("AWS_ENDPOINT_URL_SSO_OIDC", ClientBuilder.Env);
            Configure(oidcConfig, profile, resolved, factoryFor(oidcUrl), oidcUrl);
            description += $" (IAM Identity Center: role {profile.RoleName} in account {profile.AccountId}, portal at "
                + (portalUrl ?? $"the public portal of {profile.SsoRegion}") + ")";
            return new SsoProfileCredentials(profile, SsoTokenCache.Directory(), portalConfig, oidcConfig);
        }

        /// <summary>The module's timeout, retries, proxy and trust (as for STS), in the Identity Center instance's region.</summary>
        private static void Configure(ClientConfig config, SsoProfile profile, ResolvedConnection resolved, HttpClientFactory? factory, string? endpointUrl)
        {
            ClientBuilder.ApplyCommon(config, resolved, factory, endpointUrl, resolved.RequestTimeout);
            if (endpointUrl == null) config.RegionEndpoint = RegionEndpoint.GetBySystemName(profile.SsoRegion);
            else config.AuthenticationRegion = profile.SsoRegion;
        }

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
