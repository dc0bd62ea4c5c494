using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Completes a setting from names known on this machine (nothing is sent anywhere): those starting with what was typed,
    /// quoted where PowerShell needs it. A file that cannot be read means no suggestions, never an error on the prompt.
    /// </summary>
    public abstract class LocalNameCompleter : IArgumentCompleter
    {
        /// <summary>Each name with the tooltip to show for it.</summary>
        private protected abstract IEnumerable<KeyValuePair<string, string>> Names();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var matches = CompletionText.Matcher(wordToComplete);
                return Names()
                    .Where(n => matches(n.Key))
                    .Select(n => new CompletionResult(CompletionText.Quote(n.Key), n.Key, CompletionResultType.ParameterValue, n.Value))
                    .ToList();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                return Array.Empty<CompletionResult>();
            }
        }
    }

    /// <summary>-Region: the regions in the AWS SDK's partition table.</summary>
    public sealed class RegionCompleter : LocalNameCompleter
    {
        private protected override IEnumerable<KeyValuePair<string, string>> Names() =>
            KnownNames.Regions().Select(r => new KeyValuePair<string, string>(r.Key, $"{r.Key} ({r.Value})"));
    }

    /// <summary>-ProfileName: the profiles of the shared credentials and config files.</summary>
    public sealed class ProfileNameCompleter : LocalNameCompleter
    {
        private protected override IEnumerable<KeyValuePair<string, string>> Names() =>
            KnownNames.Profiles().Select(p => new KeyValuePair<string, string>(p, p));
    }

    /// <summary>Get-UeStepFunctionHistory -Type: the event types of the API model.</summary>
    public sealed class HistoryEventTypeCompleter : LocalNameCompleter
    {
        private protected override IEnumerable<KeyValuePair<string, string>> Names() =>
            HistoryEventTypes.Known.Select(t => new KeyValuePair<string, string>(t, t));
    }
}
