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
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var word = (wordToComplete ?? "").Trim('\'', '"');
                var client = CompletionClient.For(commandName, fakeBoundParameters, word);
                using var timeout = new CancellationTokenSource(CompletionClient.Budget);
                if (QualifiedMachine(word) is string machineArn) return Qualifiers(client, machineArn, word, timeout.Token);
                var listing = client.ListStateMachinesAsync(timeout.Token);
                // Bounded by the token's budget: the completer runs on the pipeline thread and must return.
                if (!listing.Wait(CompletionClient.Budget + TimeSpan.FromMilliseconds(500))) return Array.Empty<CompletionResult>();
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
            if (!listing.Wait(CompletionClient.Budget + TimeSpan.FromMilliseconds(500))) return Array.Empty<CompletionResult>();
            return listing.GetAwaiter().GetResult()
                .Where(q => q.Arn.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .OrderBy(q => q.Kind == "alias" ? 0 : 1)
                .ThenByDescending(q => q.Kind == "version" && int.TryParse(q.Qualifier, out var number) ? number : 0)
                .ThenBy(q => q.Qualifier, StringComparer.OrdinalIgnoreCase)
                .Select(q => new CompletionResult(CompletionText.Quote(q.Arn), q.Qualifier, CompletionResultType.ParameterValue, $"{q.Kind} {q.Qualifier}"))
                .ToList();
        }
    }

    /// <summary>
    /// Completes Get-UeStepFunctionStateMachine -Name from ListStateMachines (the machines' names, wildcards honoured), with
    /// the connection parameters already typed, within the same budget as the ARN completer: never a hang or an error.
    /// </summary>
    public sealed class StateMachineNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var client = CompletionClient.For(commandName, fakeBoundParameters, "");
                using var timeout = new CancellationTokenSource(CompletionClient.Budget);
                var listing = client.ListStateMachinesAsync(timeout.Token);
                if (!listing.Wait(CompletionClient.Budget + TimeSpan.FromMilliseconds(500))) return Array.Empty<CompletionResult>();
                var matches = CompletionText.Matcher(wordToComplete);
                return listing.GetAwaiter().GetResult()
                    .Where(m => matches(m.Name))
                    .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
                    .Select(m => new CompletionResult(CompletionText.Quote(m.Name), m.Name, CompletionResultType.ParameterValue, $"{m.Name} ({m.Type})"))
                    .ToList();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                return Array.Empty<CompletionResult>();
            }
        }
    }
}
