using System;
using System.IO;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Web identity credentials (AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, or a profile's web_identity_token_file and
    /// role_arn) through the module's own STS client, so AssumeRoleWithWebIdentity follows -Proxy, the extra trust and
    /// -RequestTimeout like AssumeRole does (the SDK's own client went past a proxy the user named, for up to 15 minutes);
    /// where it goes is WebIdentitySource's choice. The refresh policy is SessionCredentials'.
    /// </summary>
    internal sealed class StsWebIdentityCredentials : StsSessionCredentials
    {
        private readonly AmazonSecurityTokenServiceClient _sts;
        private readonly string _tokenFile;
        private readonly string _roleArn;
        private readonly string _sessionName;

        public StsWebIdentityCredentials(AmazonSecurityTokenServiceConfig stsConfig, string tokenFile, string roleArn, string sessionName)
        {
            // The token is the proof: STS takes the call unsigned.
            _sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), stsConfig);
            IssuerClock.Watch(_sts);
            _tokenFile = tokenFile;
            _roleArn = roleArn;
            _sessionName = sessionName;
        }

        protected override string Operation => "AssumeRoleWithWebIdentity";

        protected override string RoleArn => _roleArn;

        protected override string CallDescription => $"AssumeRoleWithWebIdentity {_roleArn} (session {_sessionName}, token from {_tokenFile})";

        protected override async Task<Credentials?> CallStsAsync()
        {
            var request = new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = _roleArn, RoleSessionName = _sessionName, WebIdentityToken = ReadToken(), DurationSeconds = 3600,
            };
            var response = await _sts.AssumeRoleWithWebIdentityAsync(request, NeverCancelled).ConfigureAwait(false);
            return response?.Credentials;
        }

        /// <summary>Read again for every session: the issuer (EKS, a CI runner) rotates the file, and an old token expires.</summary>
        private string ReadToken()
        {
            string token;
            try
            {
                token = File.ReadAllText(_tokenFile).Trim();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                throw Unusable("WebIdentityTokenFileUnreadable", $"the web identity token file '{_tokenFile}' could not be read: {ex.Message}", ex);
            }
            if (token.Length == 0)
                throw Unusable("WebIdentityTokenFileEmpty", $"the web identity token file '{_tokenFile}' is empty.", null);
            return token;
        }

        private StepFunctionsFailure Unusable(string errorId, string message, Exception? inner)
            => new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, errorId,
                $"Cannot assume role {_roleArn} with a web identity: {message}", field: "web_identity_token_file", target: _tokenFile, inner: inner);

        public override void Dispose()
        {
            _sts.Dispose();
            base.Dispose();
        }
    }
}
