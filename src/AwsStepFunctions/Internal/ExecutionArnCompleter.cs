using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Completes -ExecutionArn from the executions this session has started or looked at, most recent first. With nothing
    /// remembered (or nothing matching), PowerShell falls back to its own completion.
    /// </summary>
    public sealed class ExecutionArnCompleter : IArgumentCompleter
    {
        /// <summary>Enough for an afternoon at the prompt; a loop of thousands keeps only its latest.</summary>
        internal const int Capacity = 100;

        private static readonly RecentArns Recent = new RecentArns(Capacity);

        /// <summary>Called for every execution a cmdlet writes out.</summary>
        internal static void Remember(string? executionArn, string? name, string? status)
        {
            // EXPRESS executions cannot be read, waited for or stopped: offering them to those cmdlets would only lead to a refusal.
            if (string.IsNullOrEmpty(executionArn) || Validate.IsExpressExecutionArn(executionArn!)) return;
            Recent.Remember(executionArn!, name ?? executionArn!.Substring(executionArn.LastIndexOf(':') + 1), status);
        }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) => Recent.Complete(wordToComplete);
    }

    /// <summary>Completes -MapRunArn from the Map Runs this session has read, most recent first, shown by their label.</summary>
    public sealed class MapRunArnCompleter : IArgumentCompleter
    {
        private static readonly RecentArns Recent = new RecentArns(ExecutionArnCompleter.Capacity);

        /// <summary>Called for every Map Run a cmdlet writes out.</summary>
        internal static void Remember(MapRun run) => Recent.Remember(run.MapRunArn, run.Label, run.Status);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) => Recent.Complete(wordToComplete);
    }
}
