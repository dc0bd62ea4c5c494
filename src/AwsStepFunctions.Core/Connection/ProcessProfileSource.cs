using System;
using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Where a credential_process profile meets the rest of the connection: the SDK's profile reader (by -ProfileName, or
    /// AWS_PROFILE and [default] through the default chain), alone or as the source_profile of a role profile, answers its
    /// own ProcessAWSCredentials, which is replaced here by the module's ProcessCredentials.
    /// </summary>
    internal static class ProcessProfileSource
    {
        /// <summary>More source_profile hops than any real chain has: a cycle ends here.</summary>
        private const int MaxHops = 16;

        /// <summary>
        /// The module's process credentials in place of the SDK's; any other source unchanged. The SDK's object does not give
        /// the command back, so it is read from the same shared files: from <paramref name="profileName"/> (the profile the
        /// connection named) along its source_profile chain to the profile holding credential_process.
        /// </summary>
        public static AWSCredentials InPlaceOf(AWSCredentials source, string profileName, ICredentialProfileSource profiles, TimeSpan bound)
        {
            if (!(source is ProcessAWSCredentials sdk)) return source;
            // The SDK found a credential_process that this reading of the files does not: the SDK's own object is kept rather
            // than failing a profile that works (unbounded and with its refresh margin, as before).
            if (!(Leaf(profiles, profileName) is (string leafName, string command))) return source;
            sdk.Dispose();
            return new ProcessCredentials(leafName, command, bound);
        }

        /// <summary>The profile at the end of <paramref name="profileName"/>'s source_profile chain, and its credential_process.</summary>
        internal static (string Name, string Command)? Leaf(ICredentialProfileSource profiles, string profileName)
        {
            var name = profileName;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var hop = 0; hop < MaxHops && seen.Add(name); hop++)
            {
                if (!profiles.TryGetProfile(name, out var profile) || profile.Options == null) return null;
                var options = profile.Options;
                // A role profile (role_arn with source_profile): its credentials come from the source.
                if (!string.IsNullOrWhiteSpace(options.RoleArn) && !string.IsNullOrWhiteSpace(options.SourceProfile)
                    && !string.Equals(options.SourceProfile.Trim(), name, StringComparison.Ordinal))
                {
                    name = options.SourceProfile.Trim();
                    continue;
                }
                return string.IsNullOrWhiteSpace(options.CredentialProcess) ? null : (name, options.CredentialProcess.Trim());
            }
            return null;
        }
    }
}
