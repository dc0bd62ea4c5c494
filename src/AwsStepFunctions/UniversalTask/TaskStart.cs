using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.UniversalTask
{
    /// <summary>
    /// The task's parts that need the core: the start itself, through Start-UeStepFunction (so the task and the cmdlet can
    /// never differ in what they check, retry or report), and the report of a cancelled start. Kept apart from the cmdlet
    /// and never inlined into it: compiling these methods loads the core, which a damaged copy of the module lacks.
    /// </summary>
    internal static class TaskStart
    {
        // By its module-qualified name, not a CmdletInfo: PowerShell 7.6 ignores a CmdletInfo command's MergeMyResults. Both
        // ways the task imports the module (the manifest, or its assemblies directly) name the module AwsStepFunctions.
        private const string StartCmdlet = "AwsStepFunctions\\Start-UeStepFunction";

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static TaskOutcome Run(Dictionary<string, object> parameters, Action<PowerShell?> running, InvokeUeStepFunctionTaskCommand fields)
        {
            using var call = PowerShell.Create(RunspaceMode.CurrentRunspace);
            try
            {
                return Run(call, parameters, running, fields);
            }
            finally
            {
                // Before the call is disposed: a Ctrl+C from now on has nothing of it to stop.
                running(null);
            }
        }

        private static TaskOutcome Run(PowerShell call, Dictionary<string, object> parameters, Action<PowerShell?> running, InvokeUeStepFunctionTaskCommand fields)
        {
            call.AddCommand(StartCmdlet).AddParameters(parameters)
                .AddParameter("Confirm", false)
                // Errors are collected on the call's own stream, whatever the caller's preference says.
                .AddParameter("ErrorAction", ActionPreference.Continue);
            // A call in the current runspace writes its warnings (verbose and debug lines) to the host, which for a task is
            // stdout: merged into the output, they are kept, in order, for stderr.
            call.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Warning, PipelineResultTypes.Output);
            call.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Verbose, PipelineResultTypes.Output);
            call.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Debug, PipelineResultTypes.Output);
            running(call);
            var candidates = new List<object?>();
            var messages = new List<string>();
            RuntimeException? terminating = null;
            try
            {
                foreach (var output in call.Invoke())
                {
                    switch (output?.BaseObject)
                    {
                        case WarningRecord warning: messages.Add("WARNING: " + warning.Message); break;
                        case VerboseRecord verbose: messages.Add("VERBOSE: " + verbose.Message); break;
                        case DebugRecord debug: messages.Add("DEBUG: " + debug.Message); break;
                        case var other: candidates.Add(other); break;
                    }
                }
            }
            catch (RuntimeException failure) when (!(failure is PipelineStoppedException))
            {
                // Set-up failures are terminating (bad region, proxy list...): they carry the output too.
                terminating = failure;
            }
            // Ctrl+C (or SIGTERM) stops the call with the task's pipeline, and Invoke may return as if it had ended: what the
            // start left behind is in $Error, for the task's cancel report.
            if (call.InvocationStateInfo.State == PSInvocationState.Stopped) throw new PipelineStoppedException();
            var errors = new List<ErrorRecord>(call.Streams.Error);
            if (terminating?.ErrorRecord is { } record) errors.Add(record);
            foreach (var error in errors) candidates.Add(error.TargetObject);

            // The cmdlet writes the output for every outcome it knows; for failures it rides on the error record.
            foreach (var candidate in candidates)
                if (candidate is ExtensionOutput output)
                {
                    AddTaskFields(output, fields);
                    return new TaskOutcome(output.exit_code, output.ToJson(), output.status_description, messages.ToArray(), TaskOutcome.ForStderr(output));
                }
            // A value the cmdlet's own parameter validation refused is still a bad field, not a crash.
            foreach (var error in errors)
                if (error.Exception is ParameterBindingException binding)
                {
                    var refused = "DATA_VALIDATION_ERROR: " + binding.Message;
                    return new TaskOutcome(20, TaskJson.Output(20, refused, fields), refused, messages.ToArray());
                }
            var description = "FAIL: " + (errors.Count > 0 ? errors[0].ToString() : "the cmdlet wrote no result");
            return new TaskOutcome(1, TaskJson.Output(1, description, fields), description, messages.ToArray());
        }

        /// <summary>The task's fields the cmdlet has none of: its report has every field, whichever way it ended.</summary>
        private static void AddTaskFields(ExtensionOutput output, InvokeUeStepFunctionTaskCommand fields)
        {
            output.invocation.fields["input_file"] = TaskFieldReader.IsBlank(fields.InputFile) ? null : fields.InputFile;
        }

        /// <summary>
        /// After Ctrl+C or SIGTERM: a cancelled start left its record in $Error (see the cmdlet base's StopIfCancelled, Report
        /// and RecordAbandoned), newer than <paramref name="errorBeforeRun"/>: the execution and whether -StopOnCancel stopped it,
        /// or, cancelled while its answer was still on its way, the execution it would have made and what a read-back found of
        /// it (the message names it; there is no result). Null when there is none: cancelled before any start.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static TaskOutcome? CancelledStart(IList? errors, object? errorBeforeRun, InvokeUeStepFunctionTaskCommand fields)
        {
            if (errors == null) return null;
            var before = errorBeforeRun is PSObject wrapped ? wrapped.BaseObject : errorBeforeRun;
            foreach (var item in errors)
            {
                var entry = item is PSObject wrappedEntry ? wrappedEntry.BaseObject : item;
                if (before != null && ReferenceEquals(entry, before)) break;
                if (entry is ErrorRecord record && record.TargetObject is ExtensionOutput output
                    && record.CategoryInfo.Category == ErrorCategory.OperationStopped)
                {
                    var said = output.status_description;
                    if (said.StartsWith("FAIL:", StringComparison.Ordinal)) said = said.Substring(5).TrimStart();
                    output.status_description = "FAIL: the task was cancelled (Ctrl+C or SIGTERM): " + said;
                    // A cancelled task is never a success, even when the start it reports had succeeded (its result was
                    // recorded in $Error because the stopping pipeline refused it).
                    output.exit_code = 1;
                    AddTaskFields(output, fields);
                    return new TaskOutcome(1, output.ToJson(), output.status_description);
                }
            }
            return null;
        }
    }
}
