using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>Connection parameters -> ConnectionSettings. Secrets stay SecureString end to end.</summary>
    internal static class ConnectionSettingsFactory
    {
        public static ConnectionSettings From(UeStepFunctionCmdletBase cmdlet)
        {
            var credential = NullIfEmpty(cmdlet.Credential);
            var proxyCredential = NullIfEmpty(cmdlet.ProxyCredential);
            return new ConnectionSettings
            {
                // -Region, else the region the ARN names (a machine is served only there), else the environment's.
                Region = cmdlet.Region ?? cmdlet.ArnRegion,
                AccessKeyId = credential?.UserName,
                SecretAccessKey = credential?.Password,
                ProfileName = cmdlet.ProfileName,
                RoleArn = cmdlet.RoleArn,
                ExternalId = cmdlet.ExternalId,
                RoleSessionName = cmdlet.RoleSessionName,
                EndpointUrl = cmdlet.EndpointUrl,
                Proxy = cmdlet.Proxy,
                ProxyKind = cmdlet.ProxyType,
                ProxyUserName = proxyCredential?.UserName,
                ProxyPassword = proxyCredential?.Password,
                ProxyCaBundleFile = ProviderPaths.FileSystemPath(cmdlet.SessionState.Path, cmdlet.ProxyCaBundleFile),
                // Bound means given: the core validates the value instead of silently ignoring zero.
                RequestTimeoutSeconds = cmdlet.MyInvocation.BoundParameters.ContainsKey(nameof(cmdlet.RequestTimeout)) ? cmdlet.RequestTimeout : (double?)null,
            };
        }

        /// <summary>[Credential()] turns $null into PSCredential.Empty; both mean "not given".</summary>
        public static PSCredential? NullIfEmpty(PSCredential? credential)
            => credential == null || credential == PSCredential.Empty || string.IsNullOrEmpty(credential.UserName) ? null : credential;
    }
}
