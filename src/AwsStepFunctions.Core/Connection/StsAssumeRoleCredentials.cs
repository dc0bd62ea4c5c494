using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace AwsStepFunctions.Core
{
    /// <summary>AssumeRole credentials through the module's own STS client (see StsSessionCredentials for the refresh policy).</summary>
    internal sealed class StsAssumeRoleCredentials : StsSessionCredentials
    {
        private readonly AmazonSecurityTokenServiceClient _sts;
        private readonly string _roleArn;
        private readonly string _sessionName;
        private readonly string? _externalId;

        public StsAssumeRoleCredentials(AWSCredentials source, AmazonSecurityTokenServiceConfig stsConfig,
            string roleArn, string sessionName, string? externalId)
        {
            _sts = new ModuleStsClient(source, stsConfig);
            IssuerClock.Watch(_sts);
            _roleArn = roleArn;
            _sessionName = sessionName;
            _externalId = externalId;
        }

        /// <summary>How many AssumeRole calls succeeded (tests: one per credential lifetime).</summary>
        internal int AssumeRoleCalls => SessionsIssued;

        protected override string Operation => "AssumeRole";

        protected override string RoleArn => _roleArn;

        protected override string CallDescription => $"AssumeRole {_roleArn} (session {_sessionName})";

        protected override async Task<Credentials?> CallStsAsync()
        {
            var request = new AssumeRoleRequest { RoleArn = _roleArn, RoleSessionName = _sessionName, DurationSeconds = 3600 };
            if (_externalId != null) request.ExternalId = _externalId;
            var response = await _sts.AssumeRoleAsync(request, NeverCancelled).ConfigureAwait(false);
            return response?.Credentials;
        }

        public override void Dispose()
        {
            _sts.Dispose();
            base.Dispose();
        }
    }
}
