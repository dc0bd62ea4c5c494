using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Completes -StateMachineArn from ListStateMachines, reaching Step Functions with the connection
    /// parameters already typed on the command line. Tab completion must never hang or print errors,
    /// so the call is bounded and any failure simply yields no completions.
    /// </summary>
    public sealed class StateMachineArnCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var word = (wordToComplete ?? "").Trim('\'', '"');
                var settings = SettingsFrom(WithRegionOf(word, WithSessionDefaults(commandName, fakeBoundParameters)));
                var client = StepFunctionsClients.Get(settings);
                using var timeout = new CancellationTokenSource(Budget);
                if (QualifiedMachine(word) is string machineArn) return Qualifiers(client, machineArn, word, timeout.Token);
                var listing = client.ListStateMachinesAsync(timeout.Token);
                // Bounded by the token's budget: the completer runs on the pipeline thread and must return.
                if (!listing.Wait(Budget + TimeSpan.FromMilliseconds(500))) return Array.Empty<CompletionResult>();
                return listing.GetAwaiter().GetResult()
                    .Where(m => m.StateMachineArn.StartsWith(word, StringComparison.OrdinalIgnoreCase)
                                || m.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
                    .Select(m => new CompletionResult(CompletionText.Quote(m.StateMachineArn), m.Name, CompletionResultType.ParameterValue,
                        $"{m.Name} ({m.Type})"))
                    .ToList();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // Completion is best effort by design: a wrong key or an unreachable endpoint means no suggestions.
                return Array.Empty<CompletionResult>();
            }
        }

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

        /// <summary>
        /// The machine's ARN when the word is that ARN followed by ':' (arn:aws:states:r:a:stateMachine:Name:...): then its
        /// versions and aliases are what is wanted.
        /// </summary>
        private static string? QualifiedMachine(string word)
        {
            var parts = word.Split(':');
            if (parts.Length != 8 || parts[0] != "arn" || parts[5] != "stateMachine" || parts[6].Length == 0) return null;
            return word.Substring(0, word.LastIndexOf(':'));
        }

        /// <summary>Aliases first (what a runbook usually starts), then versions newest first.</summary>
        private static IEnumerable<CompletionResult> Qualifiers(IStepFunctionsClient client, string machineArn, string word, CancellationToken token)
        {
            var listing = client.ListQualifiersAsync(machineArn, token);
            if (!listing.Wait(Budget + TimeSpan.FromMilliseconds(500))) return Array.Empty<CompletionResult>();
            return listing.GetAwaiter().GetResult()
                .Where(q => q.Arn.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .OrderBy(q => q.Kind == "alias" ? 0 : 1)
                .ThenByDescending(q => q.Kind == "version" && int.TryParse(q.Qualifier, out var number) ? number : 0)
                .ThenBy(q => q.Qualifier, StringComparer.OrdinalIgnoreCase)
                .Select(q => new CompletionResult(CompletionText.Quote(q.Arn), q.Qualifier, CompletionResultType.ParameterValue, $"{q.Kind} {q.Qualifier}"))
                .ToList();
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
