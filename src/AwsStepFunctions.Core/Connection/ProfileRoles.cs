using System;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// A profile with role_arn (and source_profile or credential_source) comes back from the SDK as its own
    /// AssumeRoleAWSCredentials, whose STS client is built inside the SDK: it ignored -Proxy (the AssumeRole went direct,
    /// past a proxy the user named), -EndpointUrl, -ProxyCaBundleFile and -RequestTimeout, and it carries the SDK's fixed
    /// one-minute expiry buffer (see StsAssumeRoleCredentials). Each role of such a profile, and of the profiles it names
    /// as its source, is assumed instead through the module's own STS client, which follows all of them.
    /// </summary>
    internal static class ProfileRoles
    {
        /// <summary>Assumes a role with the given source credentials, session name and external id.</summary>
        internal delegate AWSCredentials AssumeRole(AWSCredentials source, string roleArn, string sessionName, string? externalId);

        /// <summary>
        /// The SDK's credentials for a profile, with every role in them assumed through <paramref name="assume"/>, and the
        /// source at the end of the chain (keys, a credential_process, SSO, web identity) passed through <paramref name="ownSource"/>.
        /// <paramref name="roles"/> lists the roles, innermost first.
        /// </summary>
        public static AWSCredentials ThroughOwnSts(AWSCredentials fromSdk, string profileName, AssumeRole assume,
            Func<AWSCredentials, AWSCredentials> ownSource, out string roles)
        {
            roles = "";
            if (!(fromSdk is AssumeRoleAWSCredentials role)) return ownSource(fromSdk);
            var serial = role.Options?.MfaSerialNumber;
            if (!string.IsNullOrEmpty(serial))
                throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "MfaCodeRequired",
                    $"profile '{profileName}' assumes role {role.RoleArn} with an MFA code (mfa_serial {serial}), and this module does not "
                    + "prompt for one. Use a profile without mfa_serial, or pass session credentials (for example from aws sts get-session-token) "
                    + "with -Credential or the AWS_* environment variables.", field: "profile_name", target: role.RoleArn);
            // The SDK leaves the source empty when source_profile names no profile; STS's client would then quietly sign
            // with the default chain's identity.
            if (role.SourceCredentials == null)
                throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "ProfileSourceNotFound",
                    $"profile '{profileName}' assumes role {role.RoleArn} with credentials from a source_profile or credential_source "
                    + "that gives none (a profile that does not exist or has no credentials).", field: "profile_name", target: role.RoleArn);
            var source = ThroughOwnSts(role.SourceCredentials, profileName, assume, ownSource, out var inner);
            roles = inner.Length == 0 ? role.RoleArn : inner + ", then " + role.RoleArn;
            return assume(source, role.RoleArn, role.RoleSessionName, role.Options?.ExternalId);
        }
    }
}
