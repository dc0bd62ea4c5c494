using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace AwsStepFunctions.UniversalTask
{
    /// <summary>
    /// The Universal task's engine, for UeStepFunctionTask.ps1 alone (the manifest does not export it): the fields as text,
    /// read by the task's rules, one start through Start-UeStepFunction, and a TaskOutcome (exit code and JSON) for every
    /// ending, never an error. Compiled rather than written in the script: a fresh PowerShell (every task run) spent about
    /// 200 ms parsing, binding and running the script's own checks and output handling on first use.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "UeStepFunctionTask")]
    [OutputType(typeof(TaskOutcome))]
    public sealed class InvokeUeStepFunctionTaskCommand : PSCmdlet
    {
        [Parameter] public string? Action { get; set; } = TaskFieldReader.Action;
        [Parameter] public string? StateMachineArn { get; set; }
        [Parameter] [Alias("Input")] public string? InputJson { get; set; }
        [Parameter] public string? InputFile { get; set; }
        [Parameter] public string? ExecutionName { get; set; }
        [Parameter] public string? RunCount { get; set; } = "1";
        [Parameter] public SwitchParameter Wait { get; set; }
        [Parameter] public string? WaitForSuccessOrFailure { get; set; }
        [Parameter] public string? PollingInterval { get; set; } = "10";
        [Parameter] public string? Timeout { get; set; }
        [Parameter] public SwitchParameter StopOnCancel { get; set; }
        [Parameter] public string? UnreachableTimeout { get; set; }
        [Parameter] public string? RequestTimeout { get; set; }
        [Parameter] public string? Region { get; set; }
        [Parameter] public object? Credential { get; set; }
        [Parameter] public string? CredentialsUser { get; set; }
        [Parameter] public string? CredentialsPassword { get; set; }
        [Parameter] public string? ProfileName { get; set; }
        [Parameter] public string? RoleArn { get; set; }
        [Parameter] public string? ExternalId { get; set; }
        [Parameter] public string? RoleSessionName { get; set; }
        [Parameter] public string? EndpointUrl { get; set; }
        [Parameter] public string[]? Proxy { get; set; }
        [Parameter] public string? ProxyType { get; set; }
        [Parameter] public object? ProxyCredential { get; set; }
        [Parameter] public string? ProxyCredentialsUser { get; set; }
        [Parameter] public string? ProxyCredentialsPassword { get; set; }
        [Parameter] public string? ProxyCaBundleFile { get; set; }
        [Parameter] public string[]? UnexpectedArguments { get; set; }

        /// <summary>The module's import failed with this: reported (exit 1) once the fields are known to be good.</summary>
        [Parameter] public object? ImportFailure { get; set; }

        /// <summary>The call of Start-UeStepFunction while it runs, for StopProcessing (another thread).</summary>
        private volatile PowerShell? _start;

        protected override void EndProcessing() => WriteObject(Run());

        protected override void StopProcessing()
        {
            if (_start is { } call && call.InvocationStateInfo.State == PSInvocationState.Running) call.BeginStop(null, null);
        }

        private TaskOutcome Run()
        {
            // The task's process ends with its JSON's exit code (1 for a cancel), SIGTERM or not.
            Internal.TerminationSignal.ExitCodeReportedByCaller = true;
            try
            {
                var parameters = TaskFieldReader.Read(this);
                if (ImportFailure != null) return Fail(Unwrap(ImportFailure));
                return TaskStart.Run(parameters, call => _start = call, this);
            }
            catch (TaskFieldException bad)
            {
                var description = "DATA_VALIDATION_ERROR: " + bad.Message;
                return new TaskOutcome(20, TaskJson.Output(20, description, this), description);
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception unexpected)
            {
                return Fail(unexpected);
            }
        }

        private TaskOutcome Fail(Exception failure)
        {
            var description = $"FAIL: {failure.GetType().Name}: {failure.Message}";
            return new TaskOutcome(1, TaskJson.Output(1, description, this), description);
        }

        /// <summary>A path as PowerShell resolves it: from the session's current location, ~ for the home folder.</summary>
        internal string ResolvePath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        private static Exception Unwrap(object failure)
        {
            if (failure is PSObject wrapped) failure = wrapped.BaseObject;
            return failure switch
            {
                ErrorRecord record => record.Exception,
                Exception exception => exception,
                _ => new InvalidOperationException(failure.ToString()),
            };
        }

        /// <summary>
        /// The report of a task cancelled (Ctrl+C or SIGTERM) before it had an outcome: what the cancel left behind in
        /// <paramref name="errors"/> ($Error) newer than <paramref name="errorBeforeRun"/>, with the fields as the script was
        /// given them. Made without running as a command: the script's finally calls it while the pipeline is stopping.
        /// </summary>
        internal static TaskOutcome ReportCancelled(IDictionary boundFields, IList? errors, object? errorBeforeRun, object? importFailure)
        {
            var fields = FromBoundFields(boundFields);
            // Nothing of the core is touched when the module did not load: nothing can have started.
            var found = importFailure == null ? TaskStart.CancelledStart(errors, errorBeforeRun, fields) : null;
            if (found != null) return found;
            const string description = "FAIL: the task was cancelled (Ctrl+C or SIGTERM) before it had a result; if an execution was started, it may still be running.";
            return new TaskOutcome(1, TaskJson.Output(1, description, fields), description);
        }

        /// <summary>The fields as the script's $PSBoundParameters holds them, by parameter name; the rest keep their defaults.</summary>
        private static InvokeUeStepFunctionTaskCommand FromBoundFields(IDictionary boundFields)
        {
            var fields = new InvokeUeStepFunctionTaskCommand();
            foreach (var property in typeof(InvokeUeStepFunctionTaskCommand).GetProperties())
            {
                if (!property.IsDefined(typeof(ParameterAttribute), false) || !property.CanWrite || !boundFields.Contains(property.Name)) continue;
                var value = boundFields[property.Name];
                property.SetValue(fields, value == null ? null : LanguagePrimitives.ConvertTo(value, property.PropertyType, CultureInfo.InvariantCulture));
            }
            return fields;
        }
    }
}
