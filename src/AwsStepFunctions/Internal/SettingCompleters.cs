using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>Completes -Region from the SDK's region table; nothing is sent anywhere.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var word = (wordToComplete ?? "").Trim('\'', '"');
                return KnownNames.Regions()
                    .Where(r => r.Key.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    .Select(r => new CompletionResult(r.Key, r.Key, CompletionResultType.ParameterValue, $"{r.Key} ({r.Value})"))
                    .ToList();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                return Array.Empty<CompletionResult>();
            }
        }
    }

    /// <summary>Completes -ProfileName from the shared credentials and config files; nothing is sent anywhere.</summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var word = (wordToComplete ?? "").Trim('\'', '"');
                return KnownNames.Profiles()
                    .Where(p => p.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    .Select(p => new CompletionResult(Quote(p), p, CompletionResultType.ParameterValue, p))
                    .ToList();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // An unreadable file means no suggestions, never an error on the prompt.
                return Array.Empty<CompletionResult>();
            }
        }

        private static string Quote(string name) => name.IndexOfAny(new[] { ' ', '\'', '$', '`', ';', '#' }) >= 0 ? $"'{name.Replace("'", "''")}'" : name;
    }
}
