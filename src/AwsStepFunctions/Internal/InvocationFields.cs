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
            // A copy of the template's tree (every key, in order) costs a warm call less than inserting 17 keys one by one;
            // the fields left null in the template are not set again.
            var fields = new SortedDictionary<string, object?>(Template, StringComparer.Ordinal)
            {
                ["action"] = action,
                ["region"] = cmdlet.Region,
                ["role_based_access"] = !string.IsNullOrEmpty(cmdlet.RoleArn),
                ["use_proxy"] = useProxy,
                ["wait_for_success_or_failure"] = false,
            };
            if (credential != null) fields["credentials_user"] = fields["credentials_password"] = Mask;
            if (cmdlet.RoleArn != null) fields["role_arn"] = cmdlet.RoleArn;
            if (useProxy)
            {
                fields["proxy_type"] = ProxyTypeName(cmdlet.ProxyType);
                fields["proxy"] = ProxyText.Redact(string.Join(",", cmdlet.Proxy!));
            }
            if (proxyCredential != null) fields["proxy_credentials_user"] = fields["proxy_credentials_password"] = Mask;
            if (cmdlet.ProxyCaBundleFile != null) fields["proxy_ca_bundle_file"] = cmdlet.ProxyCaBundleFile;
            return fields;
        }

        /// <summary>Every connection field, null: the shape each call's fields are copied from. Never handed out.</summary>
        private static readonly SortedDictionary<string, object?> Template = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["action"] = null,
            ["credentials_user"] = null,
            ["credentials_password"] = null,
            ["region"] = null,
            ["role_based_access"] = null,
            ["role_arn"] = null,
            ["state_machine_arn"] = null,
            ["execution_name"] = null,
            ["input"] = null,
            ["use_proxy"] = null,
            ["wait_for_success_or_failure"] = null,
            ["polling_interval"] = null,
            ["proxy_type"] = null,
            ["proxy"] = null,
            ["proxy_credentials_user"] = null,
            ["proxy_credentials_password"] = null,
            ["proxy_ca_bundle_file"] = null,
        };

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
