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
    /// Completes -ExecutionArn from the executions this session has started or looked at, most recent first: the ARNs an
    /// admin would otherwise copy from the last output. Nothing is fetched, so completion is instant and cannot fail. With
    /// nothing remembered (or nothing matching), PowerShell falls back to its own completion.
    /// </summary>
    public sealed class ExecutionArnCompleter : IArgumentCompleter
    {
        /// <summary>Enough for an afternoon at the prompt; a loop of thousands keeps only its latest.</summary>
        internal const int Capacity = 100;

        private static readonly LinkedList<Seen> Recent = new LinkedList<Seen>();
        private static readonly Dictionary<string, LinkedListNode<Seen>> ByArn = new Dictionary<string, LinkedListNode<Seen>>(StringComparer.Ordinal);
        private static readonly object Gate = new object();

        private sealed class Seen
        {
            public Seen(string arn, string? name, string? status)
            {
                Arn = arn;
                Name = name ?? arn.Substring(arn.LastIndexOf(':') + 1);
                Status = status;
            }

            public readonly string Arn;
            public readonly string Name;
            public readonly string? Status;
        }

        /// <summary>Called for every execution a cmdlet writes out (all runspaces of the process share the list); O(1), as it
        /// runs on every warm call.</summary>
        internal static void Remember(string? executionArn, string? name, string? status)
        {
            // EXPRESS executions cannot be read, waited for or stopped: offering them to those cmdlets would only lead to a refusal.
            if (string.IsNullOrEmpty(executionArn) || Validate.IsExpressExecutionArn(executionArn!)) return;
            var seen = new Seen(executionArn!, name, status);
            lock (Gate)
            {
                if (ByArn.TryGetValue(seen.Arn, out var old)) Recent.Remove(old);
                ByArn[seen.Arn] = Recent.AddFirst(seen);
                if (Recent.Count <= Capacity) return;
                ByArn.Remove(Recent.Last!.Value.Arn);
                Recent.RemoveLast();
            }
        }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            List<Seen> matches;
            lock (Gate)
                matches = Recent.Where(e => e.Arn.StartsWith(word, StringComparison.OrdinalIgnoreCase)
                                            || e.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase)).ToList();
            return matches.Select(e => new CompletionResult(CompletionText.Quote(e.Arn), $"{e.Name} ({e.Status})", CompletionResultType.ParameterValue, e.Arn));
        }
    }
}
