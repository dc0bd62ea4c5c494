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
    /// Completes Get-UeStepFunctionExecution -Name from the newest executions of the machine (or Map Run) typed on the line,
    /// in the -Status typed, newest first: one ListExecutions page of <see cref="PageSize"/>, bounded like every completer
    /// that asks the service. Nothing typed to list, or any failure, means no suggestions.
    /// </summary>
    public sealed class ExecutionNameCompleter : IArgumentCompleter
    {
        /// <summary>What one Tab may cost: the newest runs are the ones asked about.</summary>
        internal const int PageSize = 100;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var word = (wordToComplete ?? "").Trim('\'', '"');
                var ofMapRun = First(fakeBoundParameters, "MapRunArn") != null;
                var listed = First(fakeBoundParameters, ofMapRun ? "MapRunArn" : "StateMachineArn");
                if (listed == null) return Array.Empty<CompletionResult>();
                var status = First(fakeBoundParameters, "Status");
                // The listing's own checks, before any client is built: an ARN still being typed costs no credential lookup.
                if (ofMapRun) StepFunctionsService.ValidateMapRun(listed);
                else StepFunctionsService.ValidateList(listed, status);
                var service = new StepFunctionsService(CompletionClient.For(commandName, fakeBoundParameters, listed));
                using var timeout = new CancellationTokenSource(CompletionClient.Budget);
                var page = ofMapRun
                    ? service.MapRunExecutionsPageAsync(listed, status, PageSize, null, timeout.Token)
                    : service.ListPageAsync(listed, status, PageSize, null, timeout.Token);
                // Bounded by the token's budget: the completer runs on the pipeline thread and must return.
                if (!page.Wait(CompletionClient.Budget + TimeSpan.FromMilliseconds(500))) return Array.Empty<CompletionResult>();
                return page.GetAwaiter().GetResult().Executions
                    .Where(e => e.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    .Select(e => new CompletionResult(CompletionText.Quote(e.Name), e.Name, CompletionResultType.ParameterValue,
                        $"{e.Name} ({e.Status}, started {e.StartDate?.ToLocalTime():yyyy-MM-dd HH:mm:ss})"))
                    .ToList();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // Completion is best effort by design: an ARN not yet whole, a wrong key or an unreachable endpoint mean no suggestions.
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>A parameter typed on the line as text: the first of several, an object's string form (its ARN).</summary>
        private static string? First(IDictionary bound, string name)
        {
            if (!bound.Contains(name)) return null;
            var value = bound[name] is PSObject pso ? pso.BaseObject : bound[name];
            if (value is IEnumerable many && !(value is string)) value = many.Cast<object?>().FirstOrDefault();
            if (value is PSObject inner) value = inner.BaseObject;
            var text = value?.ToString();
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }
    }
}
