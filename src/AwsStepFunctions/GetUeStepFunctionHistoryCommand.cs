using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsStepFunctions.Core;
using AwsStepFunctions.Internal;

namespace AwsStepFunctions
{
    /// <summary>
    /// An execution's history (GetExecutionHistory, page after page): every event Step Functions recorded, oldest first, as
    /// objects. What a failed run went through, state by state, without the console.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "UeStepFunctionHistory", SupportsPaging = true)]
    [OutputType(typeof(HistoryEvent))]
    public sealed class GetUeStepFunctionHistoryCommand : UeStepFunctionCmdletBase
    {
        /// <summary>Binds from the pipeline what every other cmdlet of the module writes (their output, a listing's
        /// executions) as well as ARN strings.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Internal.ExecutionArnTransformation]
        [ArgumentCompleter(typeof(Internal.ExecutionArnCompleter))]
        [ValidateNotNullOrEmpty]
        [Alias("Arn")]
        public string[] ExecutionArn { get; set; } = Array.Empty<string>();

        /// <summary>Newest first: with -First, the last events of a run (how it ended) in one short request.</summary>
        [Parameter]
        public SwitchParameter Reverse { get; set; }

        /// <summary>Leaves inputs, outputs and variables' values out of the events (GetExecutionHistory's
        /// includeExecutionData false): they may be large, or hold what should not reach a log.</summary>
        [Parameter]
        public SwitchParameter ExcludeExecutionData { get; set; }

        /// <summary>Only events of these types: names or wildcard patterns (*Failed), in any case. GetExecutionHistory has no such
        /// filter: the whole history is read, and -First and -Skip count the events that match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Internal.HistoryEventTypeCompleter))]
        public string[]? Type { get; set; }

        protected override string ActionName => "Get Execution History";

        private WildcardPattern[]? _types;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Type == null) return;
            _types = Type.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToArray();
            // A misspelt type would list nothing, silently; a type the service added after this module's list must still work.
            foreach (var type in Type.Where(t => !WildcardPattern.ContainsWildcardCharacters(t)
                && !HistoryEventTypes.Known.Contains(t, StringComparer.OrdinalIgnoreCase)))
                WarningLines.Write(this, $"-Type '{type}' is no event type of the Step Functions API this module knows (such as TaskFailed or "
                    + "ExecutionFailed; Tab completes them): events of that type are listed only if the service records any.");
        }

        protected override void ProcessRecord()
        {
            var types = _types;
            Func<HistoryEvent, ListVerdict>? judge = types == null ? null
                : e => types.Any(t => t.IsMatch(e.Type)) ? ListVerdict.Take : ListVerdict.Pass;
            // -First and -Skip count within each execution's history.
            ForEachExecution(ExecutionArn, (arn, invocation) =>
            {
                StepFunctionsService.ValidateHistory(arn);
                UseRegionOf(arn, "execution_arn");
                var service = Service;
                bool reverse = Reverse.IsPresent, data = !ExcludeExecutionData.IsPresent;
                WritePages((wanted, token, cancellation) => service.HistoryPageAsync(arn, wanted, reverse, data, token, cancellation),
                    page => page.Events, page => page.NextToken, invocation, "Reading execution history", ExecutionName(arn), "event(s)", arn,
                    judge: judge, narrows: judge != null);
            });
        }

        /// <summary>The execution's name, the ARN's last part (valid ARNs only reach here).</summary>
        private static string ExecutionName(string arn) => arn.Substring(arn.LastIndexOf(':') + 1);

        protected override void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            base.AddInvocationFields(fields, executionArn);
            fields["reverse_order"] = Reverse.IsPresent;
            fields["include_execution_data"] = !ExcludeExecutionData.IsPresent;
            fields["type"] = Type == null ? null : string.Join(",", Type);
        }
    }
}
