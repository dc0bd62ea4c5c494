using System;
using System.Security.Cryptography;
using System.Text;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// What an IAM Identity Center (SSO) profile in ~/.aws/config says: the sso_session (or, for a legacy profile, only the
    /// start URL), the region of the Identity Center instance, and the account and role to get credentials for.
    /// </summary>
    internal sealed class SsoProfile
    {
        public SsoProfile(string profileName, string? sessionName, string startUrl, string ssoRegion, string accountId, string roleName)
        {
            ProfileName = profileName;
            SessionName = string.IsNullOrEmpty(sessionName) ? null : sessionName;
            StartUrl = startUrl;
            SsoRegion = ssoRegion;
            AccountId = accountId;
            RoleName = roleName;
        }

        /// <summary>The profile given (-ProfileName or AWS_PROFILE): the SSO profile, or a role profile whose source it is.</summary>
        public string ProfileName { get; }
        /// <summary>The sso_session section's name; null for a legacy profile (sso_start_url in the profile itself).</summary>
        public string? SessionName { get; }
        public string StartUrl { get; }
        public string SsoRegion { get; }
        public string AccountId { get; }
        public string RoleName { get; }

        /// <summary>
        /// The cache file's name, as the AWS CLI and SDKs write it: the SHA-1 (lower-case hex) of the session name, or of the
        /// start URL for a legacy profile, plus ".json".
        /// </summary>
        public string CacheFileName
        {
            get
            {
                using var sha1 = SHA1.Create();
                var hash = sha1.ComputeHash(Encoding.UTF8.GetBytes(SessionName ?? StartUrl));
                var hex = new StringBuilder(hash.Length * 2);
                foreach (var b in hash) hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                return hex + ".json";
            }
        }

        /// <summary>Only an sso_session profile's token can be refreshed (botocore and the AWS CLI refresh no legacy token).</summary>
        public bool CanRefresh => SessionName != null;

        /// <summary>
        /// Whose sign-in it is, for messages. An sso_session's sign-in is the session's, shared by its profiles; naming only
        /// the profile given misled when that profile is a role profile whose source_profile is the SSO one.
        /// </summary>
        public string SignIn => SessionName != null ? $"sso-session '{SessionName}' (profile '{ProfileName}')" : $"profile '{ProfileName}'";

        /// <summary>
        /// What to tell the user when the sign-in is missing, expired or refused: a command that works as given. `aws sso
        /// login --profile` fails for a role profile (it has no SSO settings of its own); `--sso-session` does not.
        /// </summary>
        public string LoginHint => SessionName != null
            ? $"run `aws sso login --sso-session {SessionName}`, then try again"
            : $"run `aws sso login --profile {ProfileName}`, then try again";
    }
}
