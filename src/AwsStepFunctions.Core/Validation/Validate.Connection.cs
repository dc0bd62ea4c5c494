using System;

namespace AwsStepFunctions.Core
{
    // How the service is reached: the region (and an ARN's), the endpoint URL, explicit keys, the role to assume.
    public static partial class Validate
    {
        public static void RoleArn(string? arn, string field = "role_arn")
        {
            if (string.IsNullOrWhiteSpace(arn))
                throw Fail(field, "InvalidRoleArn", $"{field} must not be empty when role based access is used.");
            if (arn!.Length > 2048 || !RoleArnPattern.IsMatch(arn))
                throw Fail(field, "InvalidRoleArn",
                    $"{field} '{arn}' must be an IAM role ARN: arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:role/<optional path/><name of 1-64 characters>.", arn);
        }

        public static void RoleSessionName(string? name, string field = "role_session_name")
        {
            if (name == null) return;
            if (!SessionNamePattern.IsMatch(name))
                throw Fail(field, "InvalidRoleSessionName",
                    $"{field} '{Printable(name)}' must be 2-64 characters of letters, digits and + = , . @ - _.");
        }

        public static void ExternalId(string? externalId, string field = "external_id")
        {
            if (externalId == null) return;
            if (!ExternalIdPattern.IsMatch(externalId))
                throw Fail(field, "InvalidExternalId",
                    $"{field} must be 2-1224 characters of letters, digits and + = , . @ : / - _.");
        }

        /// <summary>
        /// The region a Step Functions ARN names (arn:partition:states:REGION:...), null for anything else. Read by position,
        /// not by pattern: a call's ARN has been validated already, and this runs on every call.
        /// </summary>
        public static string? RegionOfArn(string? arn)
        {
            if (arn is null || !arn.StartsWith("arn:", StringComparison.Ordinal)) return null;
            var service = arn.IndexOf(':', 4) + 1;
            if (service <= 0 || string.CompareOrdinal(arn, service, "states:", 0, 7) != 0) return null;
            var start = service + 7;
            var end = arn.IndexOf(':', start);
            return end > start ? arn.Substring(start, end - start) : null;
        }

        /// <summary>
        /// A call about <paramref name="arn"/> must go to the ARN's own region: Step Functions serves a state machine and its
        /// executions nowhere else, and the service's answer from another region (no such machine, or an invalid ARN) does
        /// not say why. <paramref name="source"/> says where <paramref name="region"/> came from.
        /// </summary>
        public static void ArnInRegion(string arn, string region, string source, string field)
        {
            var own = RegionOfArn(arn);
            if (own is null || string.Equals(own, region, StringComparison.Ordinal)) return;
            // A region that is no region name at all is that, not a mismatch (checked only here: the same name as the ARN's is
            // one, and a call per record pays nothing for it).
            RegionName(region);
            throw Fail(field, "RegionMismatch",
                $"{field} '{arn}' is in region '{own}', but this call goes to '{region}' ({source}): Step Functions serves a state machine "
                + "and its executions only in their own region. Leave out -Region to use the ARN's.", arn);
        }

        /// <summary>Whether <paramref name="region"/> has the shape of a region name (us-east-1), as RegionName requires.</summary>
        internal static bool IsRegionName(string region) => RegionPattern.IsMatch(region);

        public static void RegionName(string? region, string field = "region")
        {
            if (string.IsNullOrWhiteSpace(region))
                throw Fail(field, "MissingRegion",
                    $"{field} is required: pass -Region, or set AWS_REGION or AWS_DEFAULT_REGION, or a 'region' in the AWS profile.");
            if (!RegionPattern.IsMatch(region!))
                throw Fail(field, "InvalidRegion", $"{field} '{Printable(region!)}' must look like 'us-east-1' (lower-case letters, dashes and a number).", region);
        }

        public static Uri EndpointUrl(string? url, string field = "endpoint_url")
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
                throw Fail(field, "InvalidEndpointUrl", $"{field} '{Printable(url ?? "")}' must be an absolute http:// or https:// URL.", url);
            if (uri.UserInfo.Length > 0)
                throw Fail(field, "InvalidEndpointUrl", $"{field} must not carry user information.");
            // A query would be signed as part of every request and answered as a signature mismatch (exit 2), which sends
            // people to rotate keys; a fragment is never sent. Neither belongs in a service endpoint.
            if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
                throw Fail(field, "InvalidEndpointUrl",
                    $"{field} '{Printable(url!)}' must not carry a {(uri.Query.Length > 0 ? "query (?...)" : "fragment (#...)")}: give the scheme, host, port and path only.", url);
            return uri;
        }

        /// <summary>Explicit credentials: both parts or neither; the key id is shown in messages, the secret never.</summary>
        public static void Credentials(string? accessKeyId, System.Security.SecureString? secret)
        {
            var hasKey = !string.IsNullOrEmpty(accessKeyId);
            var hasSecret = secret != null && secret.Length > 0;
            if (!hasKey && secret != null)
                throw Fail("credentials_user", "InvalidCredentials", "credentials_user (the access key id) must not be empty when a secret access key is given.");
            if (hasKey && !hasSecret)
                throw Fail("credentials_password", "InvalidCredentials", "credentials_password (the secret access key) must not be empty when an access key id is given.");
            if (hasKey && (accessKeyId!.Length > 128 || FirstForbidden(accessKeyId) != null))
                throw Fail("credentials_user", "InvalidCredentials", "credentials_user (the access key id) must be at most 128 characters without whitespace or punctuation.");
        }
    }
}
