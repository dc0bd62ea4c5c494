using System;
using Amazon.Runtime;
using Amazon.SecurityToken;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Where web identity meets the rest of the connection: the SDK's default chain (AWS_WEB_IDENTITY_TOKEN_FILE,
    /// AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME) and its profile reader (role_arn with web_identity_token_file) both answer the
    /// SDK's own AssumeRoleWithWebIdentityCredentials, whose STS client is built inside the SDK; it is replaced here by the
    /// module's StsWebIdentityCredentials, whose STS client follows the module's proxy, trust and timeout. It goes to
    /// AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL) or the public STS, never to -EndpointUrl: the call carries the token.
    /// </summary>
    internal static class WebIdentitySource
    {
        /// <summary>The module's web identity credentials in place of the SDK's; any other source unchanged.</summary>
        public static AWSCredentials InPlaceOf(AWSCredentials source, Func<AmazonSecurityTokenServiceConfig> stsConfig,
            string? stsUrl, string region, ref string description)
        {
            if (!(source is AssumeRoleWithWebIdentityCredentials sdk)) return source;
            var tokenFile = sdk.WebIdentityTokenFile?.Trim() ?? "";
            if (tokenFile.Length == 0)
                throw new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "WebIdentityTokenFileMissing",
                    "Web identity credentials name no token file (AWS_WEB_IDENTITY_TOKEN_FILE or web_identity_token_file).",
                    field: "web_identity_token_file");
            var roleArn = sdk.RoleArn?.Trim() ?? "";
            Validate.RoleArn(roleArn);
            // AWS_ROLE_SESSION_NAME or role_session_name; when neither is set, AWSSDK.Core 4 makes up a GUID (older ones may not).
            var sessionName = string.IsNullOrWhiteSpace(sdk.RoleSessionName)
                ? "ue-aws-stepfunctions-" + DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : sdk.RoleSessionName.Trim();
            description += $" (AssumeRoleWithWebIdentity {roleArn} with the token in {tokenFile}, at "
                + (stsUrl ?? $"the public STS of {region}") + ")";
            return new StsWebIdentityCredentials(stsConfig(), tokenFile, roleArn, sessionName);
        }
    }
}
