using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using AwsStepFunctions.Core.Sdk;

namespace AwsStepFunctions.Core
{
    // Who the client calls as: the keys given, a profile, or the SDK's default chain (bounded), then the role to assume.
    internal static partial class ClientBuilder
    {
        private static AWSCredentials ResolveCredentials(ConnectionSettings settings, ResolvedConnection resolved, HttpClientFactory? factory,
            out string description)
        {
            // Resolve reads AWS_CA_BUNDLE only when Step Functions or the proxy uses TLS. A credential call can use TLS when they
            // do not (an http:// emulator for Step Functions, with STS or the SSO portal at AWS or behind a TLS-inspecting
            // proxy): such a call gets the bundle then, read on first need, so it trusts what every other TLS request trusts.
            HttpClientFactory? credentialsFactory = null;
            HttpClientFactory? FactoryFor(string? url)
            {
                var awsCaBundle = factory == null && (url == null || url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
                    ? Env("AWS_CA_BUNDLE") : null;
                if (awsCaBundle == null) return factory;
                return credentialsFactory ??= new TrustingHttpClientFactory(resolved.Proxy,
                    new BundleTrust(CaBundle.Load(awsCaBundle, "AWS_CA_BUNDLE", out _)));
            }

            AmazonSecurityTokenServiceConfig? stsConfig = null;
            AmazonSecurityTokenServiceConfig StsConfig()
            {
                if (stsConfig == null)
                {
                    stsConfig = new AmazonSecurityTokenServiceConfig();
                    ApplyCommon(stsConfig, resolved, FactoryFor(resolved.StsEndpointUrl), resolved.StsEndpointUrl, resolved.RequestTimeout);
                }
                return stsConfig;
            }
            AWSCredentials Assume(AWSCredentials from, string roleArn, string sessionName, string? externalId)
                => new StsAssumeRoleCredentials(from, StsConfig(), roleArn, sessionName, externalId);

            // AssumeRoleWithWebIdentity is unsigned and carries the token itself, which can be exchanged for the role's
            // credentials: never to -EndpointUrl.
            var tokenStsUrl = NamedEndpoint("AWS_ENDPOINT_URL_STS", Env);
            AmazonSecurityTokenServiceConfig TokenStsConfig()
            {
                var config = new AmazonSecurityTokenServiceConfig();
                ApplyCommon(config, resolved, FactoryFor(tokenStsUrl), tokenStsUrl, resolved.RequestTimeout);
                return config;
            }

            // As long as a Step Functions call's three attempts may take: CredentialsSource gives up then, and a
            // credential_process is killed then.
            var credentialsBound = TimeSpan.FromTicks(resolved.RequestTimeout.Ticks * 3);
            CredentialProfileStoreChain? profiles = null;
            // The profile the SDK read: the one named, else the default chain's.
            var profileName = !string.IsNullOrEmpty(settings.ProfileName) ? settings.ProfileName! : Env("AWS_PROFILE") ?? "default";

            // An SSO profile, web identity or a credential_process, alone or as the source of a role profile, gets the
            // module's own credentials.
            var sourceShown = "";
            AWSCredentials OwnSource(AWSCredentials leaf) => leaf is AssumeRoleWithWebIdentityCredentials
                ? WebIdentitySource.InPlaceOf(leaf, TokenStsConfig, tokenStsUrl, resolved.Region, ref sourceShown)
                : leaf is ProcessAWSCredentials
                    ? ProcessProfileSource.InPlaceOf(leaf, profileName, profiles ??= SharedProfiles(), credentialsBound)
                    : SsoProfileSource.InPlaceOf(leaf, settings, resolved, FactoryFor, ref sourceShown);

            AWSCredentials source;
            string profileRoles = "";
            if (!string.IsNullOrEmpty(settings.AccessKeyId))
            {
                source = new BasicAWSCredentials(settings.AccessKeyId, SecureText.Reveal(settings.SecretAccessKey!));
                description = "the access key given (-Credential)";
            }
            else if (!string.IsNullOrEmpty(settings.ProfileName))
            {
                description = $"profile '{settings.ProfileName}'";
                bool found;
                try
                {
                    profiles = SharedProfiles();
                    found = profiles.TryGetAWSCredentials(settings.ProfileName, out source);
                }
                catch (Exception ex) when (!(ex is StepFunctionsFailure))
                {
                    // The SDK builds some sources at once (SSO loads its clients here): a failure is still the profile's.
                    throw new CredentialsUnavailableException(description, ex);
                }
                if (!found)
                    throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "ProfileNotFound",
                        $"profile_name '{settings.ProfileName}' names no profile with credentials in the shared AWS credentials or config files.",
                        field: "profile_name");
                source = ProfileRoles.ThroughOwnSts(source, settings.ProfileName!, Assume, OwnSource, out profileRoles);
            }
            else
            {
                source = DefaultChain(resolved);
                description = "the SDK's default chain: " + ChainSourceName(source);
                source = ProfileRoles.ThroughOwnSts(source, Env("AWS_PROFILE") ?? "default", Assume, OwnSource, out profileRoles);
            }
            description += sourceShown;
            var stsShown = resolved.StsEndpointUrl != null ? $" at {resolved.StsEndpointUrl}" : "";
            if (profileRoles.Length > 0) description += $" (AssumeRole {profileRoles}{stsShown})";

            if (settings.RoleArn != null)
            {
                var sessionName = settings.RoleSessionName ?? "ue-aws-stepfunctions-" + DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
                source = Assume(source, settings.RoleArn, sessionName, settings.ExternalId);
            }
            return new CredentialsSource(source, description + (settings.RoleArn == null ? "" : $", then AssumeRole {settings.RoleArn}"),
                credentialsBound);
        }

        /// <summary>
        /// Which link of the default chain answered. A profile's credentials come back as whatever the profile holds (basic,
        /// session, assume-role, SSO, process), so anything not from another link is the profile.
        /// </summary>
        private static string ChainSourceName(AWSCredentials found)
        {
            var type = found.GetType().Name;
            if (type.StartsWith("EnvironmentVariables", StringComparison.Ordinal)) return "environment variables (AWS_ACCESS_KEY_ID)";
            if (type.IndexOf("WebIdentity", StringComparison.Ordinal) >= 0) return "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
            if (type.IndexOf("Container", StringComparison.Ordinal) >= 0) return "container credentials";
            if (type.IndexOf("InstanceProfile", StringComparison.Ordinal) >= 0) return "EC2 instance metadata";
            return $"profile '{Env("AWS_PROFILE") ?? "default"}' in the shared files";
        }

        /// <summary>
        /// A chain that found nothing while web identity is configured in the environment: the SDK's web identity source refuses
        /// an AWS_ROLE_SESSION_NAME that STS would refuse, and the chain then reports only a clipped "The value must match...".
        /// Said here as the bad input it is (exit 20), naming the variable and the rule.
        /// </summary>
        private static void RefuseWebIdentitySessionName()
        {
            if (string.IsNullOrWhiteSpace(Env("AWS_WEB_IDENTITY_TOKEN_FILE"))) return;
            var name = Env("AWS_ROLE_SESSION_NAME");
            if (!string.IsNullOrEmpty(name)) Validate.RoleSessionName(name, "AWS_ROLE_SESSION_NAME");
        }

        /// <summary>
        /// The SDK's default chain (environment, AWS_PROFILE and shared files, web identity, container, instance metadata),
        /// bounded: off EC2 the metadata probe must not hold a task for long, so a silent chain ends with exit 2.
        /// </summary>
        private static AWSCredentials DefaultChain(ResolvedConnection resolved)
        {
            var probeConfig = new SfnClientConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(resolved.Region) };
            using var bound = new CancellationTokenSource(DefaultChainBound);
            var resolver = new DefaultAWSCredentialsIdentityResolver();
            var task = Task.Run(() => resolver.ResolveIdentityAsync(probeConfig, bound.Token), bound.Token);
            try
            {
                if (task.Wait(DefaultChainBound + TimeSpan.FromSeconds(1)) && task.Result is AWSCredentials found)
                    return found;
            }
            catch (AggregateException ex)
            {
                RefuseWebIdentitySessionName();
                throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "NoCredentials",
                    "No AWS credentials were found: give credentials_user and credentials_password, or profile_name, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE. ("
                    + FailureMapper.OneLine((ex.InnerException ?? ex).Message) + ")", field: "credentials_user", inner: ex.InnerException ?? ex);
            }
            throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "NoCredentials",
                $"No AWS credentials were found within {DefaultChainBound.TotalSeconds} seconds (environment, shared files, container and instance metadata were tried).",
                field: "credentials_user");
        }
    }
}
