using System.Collections.Generic;
using System.Linq;
using Amazon;
using Amazon.Runtime.CredentialManagement;

namespace AwsStepFunctions.Core
{
    /// <summary>Names a user may mean, known without asking AWS: for tab completion of -Region and -ProfileName.</summary>
    public static class KnownNames
    {
        /// <summary>Every region in the SDK's partition table (system name, display name), in name order.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Regions() =>
            RegionEndpoint.EnumerableAllRegions
                // Not the SDK's pseudo-regions (us-east-1-regional, aws-global...): Step Functions has no endpoint there, and
                // -Region refuses them.
                .Where(r => Validate.IsRegionName(r.SystemName))
                .Select(r => new KeyValuePair<string, string>(r.SystemName, r.DisplayName))
                .OrderBy(r => r.Key, System.StringComparer.Ordinal)
                .ToList();

        /// <summary>The profiles in the shared credentials and config files (where the AWS_* variables say now).</summary>
        public static IReadOnlyList<string> Profiles()
        {
            Sdk.SdkSettings.FollowSharedFileVariables();
            return new CredentialProfileStoreChain().ListProfiles().Select(p => p.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToList();
        }
    }
}
