using System;
using System.Collections.Generic;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// The seed's invocation.fields, from the bound parameters. Credentials are never copied: a given
    /// credential shows as "****", a missing one as null, so the output says what was used and no more.
    /// </summary>
    internal static class InvocationFields
    {
        public const string Mask = "****";

        public static IDictionary<string, object?> ForConnection(UeStepFunctionCmdletBase cmdlet, string action)
        {
            var credential = ConnectionSettingsFactory.NullIfEmpty(cmdlet.Credential);
            var proxyCredential = ConnectionSettingsFactory.NullIfEmpty(cmdlet.ProxyCredential);
            var useProxy = cmdlet.Proxy != null && cmdlet.Proxy.Length > 0;
            return new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["action"] = action,
                ["credentials_user"] = credential == null ? null : Mask,
                ["credentials_password"] = credential == null ? null : Mask,
                ["region"] = cmdlet.Region,
                ["role_based_access"] = !string.IsNullOrEmpty(cmdlet.RoleArn),
                ["role_arn"] = cmdlet.RoleArn,
                ["state_machine_arn"] = null,
                ["execution_name"] = null,
                ["input"] = null,
                ["use_proxy"] = useProxy,
                ["wait_for_success_or_failure"] = false,
                ["polling_interval"] = null,
                ["proxy_type"] = useProxy ? ProxyTypeName(cmdlet.ProxyType) : null,
                ["proxy"] = useProxy ? ProxyText.Redact(string.Join(",", cmdlet.Proxy!)) : null,
                ["proxy_credentials_user"] = proxyCredential == null ? null : Mask,
                ["proxy_credentials_password"] = proxyCredential == null ? null : Mask,
                ["proxy_ca_bundle_file"] = cmdlet.ProxyCaBundleFile,
            };
        }

        /// <summary>The seed's spelling of the proxy type choices.</summary>
        public static string ProxyTypeName(ProxyKind kind)
        {
            switch (kind)
            {
                case ProxyKind.Https: return "https";
                case ProxyKind.HttpsWithCredentials: return "https with credentials";
                default: return "http";
            }
        }
    }
}
