using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// The client a completer that asks Step Functions calls (machine ARNs, execution names), reaching it with the connection
    /// parameters already typed on the command line and the session's $PSDefaultParameterValues, as the command itself will.
    /// Completion must never hang or print errors: callers bound their call by <see cref="Budget"/> and take any failure as
    /// no suggestions.
    /// </summary>
    internal static class CompletionClient
    {
        public static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

        /// <param name="arnTyped">An ARN typed so far, whose region is used when -Region is not given.</param>
        public static IStepFunctionsClient For(string commandName, IDictionary fakeBoundParameters, string arnTyped) =>
            StepFunctionsClients.Get(SettingsFrom(WithRegionOf(arnTyped, WithSessionDefaults(commandName, fakeBoundParameters))));

        /// <summary>
        /// The region an ARN typed so far names (arn:aws:states:us-east-1:...), unless -Region is given: the call itself takes its
        /// region from the ARN, so completing it must not need -Region or AWS_REGION either.
        /// </summary>
        private static IDictionary WithRegionOf(string word, IDictionary parameters)
        {
            var parts = word.Split(new[] { ':' }, 6);
            if (parts.Length < 5 || parts[0] != "arn" || parts[2] != "states" || parts[3].Length == 0) return parameters;
            if (parameters.Keys.Cast<object>().Any(k => string.Equals(k as string, nameof(UeStepFunctionCmdletBase.Region), StringComparison.OrdinalIgnoreCase)))
                return parameters;
            return new Hashtable(parameters, StringComparer.OrdinalIgnoreCase) { [nameof(UeStepFunctionCmdletBase.Region)] = parts[3] };
        }

        /// <summary>The parameters <see cref="SettingsFrom"/> reads, named from the cmdlets' base so a rename cannot part them.</summary>
        private static readonly string[] ConnectionParameters =
        {
            nameof(UeStepFunctionCmdletBase.Region), nameof(UeStepFunctionCmdletBase.Credential), nameof(UeStepFunctionCmdletBase.ProfileName),
            nameof(UeStepFunctionCmdletBase.RoleArn), nameof(UeStepFunctionCmdletBase.ExternalId), nameof(UeStepFunctionCmdletBase.RoleSessionName),
            nameof(UeStepFunctionCmdletBase.EndpointUrl), nameof(UeStepFunctionCmdletBase.Proxy), nameof(UeStepFunctionCmdletBase.ProxyType),
            nameof(UeStepFunctionCmdletBase.ProxyCredential), nameof(UeStepFunctionCmdletBase.ProxyCaBundleFile),
        };

        /// <summary>
        /// The parameters typed on the line, plus the connection values $PSDefaultParameterValues gives this command (an admin
        /// who set 'Start-UeStepFunction:EndpointUrl' or '*-UeStepFunction*:Region' once expects completion to use them too,
        /// as the call itself will). Typed values win; script-block defaults are not run.
        /// </summary>
        private static IDictionary WithSessionDefaults(string commandName, IDictionary typed)
        {
            IDictionary? defaults;
            try
            {
                // A nested pipeline on this runspace: completion runs inside one, where SessionStateProxy refuses calls.
                using var read = PowerShell.Create(RunspaceMode.CurrentRunspace).AddScript("$global:PSDefaultParameterValues");
                defaults = read.Invoke().FirstOrDefault()?.BaseObject as IDictionary;
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is RuntimeException)
            {
                // A host where the session cannot be read from here: complete from what is typed, as before.
                return typed;
            }
            if (defaults == null || defaults.Count == 0) return typed;
            // $PSDefaultParameterValues['Disabled'] = $true switches the defaults off for the calls, so for completion too.
            if (defaults.Contains("Disabled") && LanguagePrimitives.IsTrue(defaults["Disabled"])) return typed;
            var merged = new Hashtable(typed, StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in defaults)
            {
                var key = entry.Key as string;
                var colon = key?.LastIndexOf(':') ?? -1;
                if (colon <= 0) continue;
                var parameter = key!.Substring(colon + 1).Trim();
                if (!ConnectionParameters.Contains(parameter, StringComparer.OrdinalIgnoreCase) || merged.ContainsKey(parameter)) continue;
                if (!WildcardPattern.Get(key.Substring(0, colon).Trim(), WildcardOptions.IgnoreCase).IsMatch(commandName)) continue;
                var value = entry.Value is PSObject pso ? pso.BaseObject : entry.Value;
                if (value is ScriptBlock) continue;
                merged[ConnectionParameters.First(p => string.Equals(p, parameter, StringComparison.OrdinalIgnoreCase))] = value;
            }
            return merged;
        }

        private static ConnectionSettings SettingsFrom(IDictionary bound)
        {
            var credential = ConnectionSettingsFactory.NullIfEmpty(Get(bound, "Credential") as PSCredential);
            var proxyCredential = ConnectionSettingsFactory.NullIfEmpty(Get(bound, "ProxyCredential") as PSCredential);
            var proxy = Get(bound, "Proxy");
            var proxyType = Get(bound, "ProxyType");
            return new ConnectionSettings
            {
                // As the cmdlets take it: -Region US-EAST-1 is us-east-1 (SigV4's scope and the endpoint's host are lower case).
                Region = (Get(bound, "Region") as string)?.Trim().ToLowerInvariant(),
                AccessKeyId = credential?.UserName,
                SecretAccessKey = credential?.Password,
                ProfileName = Get(bound, "ProfileName") as string,
                RoleArn = Get(bound, "RoleArn") as string,
                ExternalId = Get(bound, "ExternalId") as string,
                RoleSessionName = Get(bound, "RoleSessionName") as string,
                EndpointUrl = Get(bound, "EndpointUrl") as string,
                Proxy = proxy is string one ? new[] { one } : (proxy as IEnumerable)?.Cast<object>().Select(o => o.ToString() ?? "").ToArray(),
                ProxyKind = proxyType == null ? ProxyKind.Http : (ProxyKind)Enum.Parse(typeof(ProxyKind), proxyType.ToString() ?? "Http", true),
                ProxyUserName = proxyCredential?.UserName,
                ProxyPassword = proxyCredential?.Password,
                ProxyCaBundleFile = Get(bound, "ProxyCaBundleFile") as string,
            };
        }

        private static object? Get(IDictionary bound, string name)
        {
            if (!bound.Contains(name)) return null;
            var value = bound[name];
            return value is PSObject pso ? pso.BaseObject : value;
        }
    }
}
