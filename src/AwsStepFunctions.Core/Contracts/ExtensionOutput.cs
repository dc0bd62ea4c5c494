using System;
using System.Collections.Generic;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// The seed's "Extension Output". Property names are the seed's own, so the object and its JSON agree.
    /// </summary>
    public sealed class ExtensionOutput
    {
        public int exit_code { get; set; }
        public string status_description { get; set; } = "";
        public bool changed { get; set; }
        public Invocation invocation { get; set; } = new Invocation();
        public ExecutionResult? result { get; set; }

        // What the table and list views show of the execution, at the top, so Where-Object Status -eq FAILED, Sort-Object
        // StartDate, Select-Object Name, Error and Export-Csv work on what a user sees; null when no execution is known.
        // Not part of the Extension Output's JSON (ToJson), which keeps the seed's shape.
        public string? Status => result?.Status;
        public string? Name => result?.Name;
        public string? ExecutionArn => result?.ExecutionArn;
        public DateTimeOffset? StartDate => result?.StartDate;
        public DateTimeOffset? StopDate => result?.StopDate;
        public string? Output => result?.Output;
        public string? Error => result?.Error;
        public string? Cause => result?.Cause;

        /// <summary>The canonical JSON (seed member names, dates as 2023-08-15 16:27:58.977000+03:00).</summary>
        public string ToJson() => OutputJson.Write(this);

        /// <summary>The execution's ARN when there is one (what an error record's target and string conversion show), else the description.</summary>
        public override string ToString() => result?.ExecutionArn ?? status_description;

        /// <summary>
        /// Build the output for a finished call: exit code and status_description from the result. A final status decides
        /// (SUCCEEDED 0, FAILED 23, ABORTED 24, TIMED_OUT 25) whether or not this call waited; a running execution is 0.
        /// </summary>
        /// <param name="changedAs">What a change without a wait did to the execution, for the description ("started", "redriven").</param>
        public static ExtensionOutput FromResult(Invocation invocation, ExecutionResult result, bool changed, bool waited, string changedAs = "started")
        {
            var code = Outcomes.ForStatus(result.Status);
            string description;
            if (code != ExitCode.Success)
                description = $"FAILED: Step Function is in {result.Status} state.";
            else if (result.Status == "SUCCEEDED")
                description = "SUCCESS: Step Function is in SUCCEEDED state.";
            else if (changed && !waited)
                description = $"SUCCESS: Step Function execution '{result.Name ?? result.ExecutionArn}' {changedAs}; it is in {result.Status} state.";
            else
                description = $"SUCCESS: Step Function is in {result.Status} state.";
            return new ExtensionOutput
            {
                exit_code = (int)code,
                status_description = description,
                changed = changed,
                invocation = invocation,
                result = result,
            };
        }

        /// <summary>Build the output for a failure. A failure after the start (wait timeout, cancel) still reports the execution.</summary>
        public static ExtensionOutput FromFailure(Invocation invocation, StepFunctionsFailure failure)
            => new ExtensionOutput
            {
                exit_code = (int)failure.ExitCode,
                status_description = Outcomes.Prefix(failure.ExitCode) + " " + failure.Message,
                changed = failure.ExecutionStarted,
                invocation = invocation,
                result = failure.Execution,
            };
    }

    /// <summary>The seed's invocation block. The module fills <see cref="fields"/> from the bound parameters, secrets masked.</summary>
    public sealed class Invocation
    {
        public string extension { get; set; } = "ue-aws-stepfunctions";
        public string version { get; set; } = "";
        /// <summary>Every input field under the seed's names; secrets are already "****".</summary>
        public IDictionary<string, object?> fields { get; set; } = new SortedDictionary<string, object?>();
    }
}
