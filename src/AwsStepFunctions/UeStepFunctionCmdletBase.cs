using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Core;
using AwsStepFunctions.Internal;

namespace AwsStepFunctions
{
    /// <summary>
    /// The connection parameters every cmdlet shares, turned into one ConnectionSettings; plus the
    /// cancellation and pumping plumbing so the async core runs off the pipeline thread while every
    /// Write* call stays on it.
    /// </summary>
    public abstract class UeStepFunctionCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private StepFunctionsService? _service;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Region { get; set; }

        /// <summary>Access key id as the user name, secret access key as the password.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ProfileName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RoleArn { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExternalId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RoleSessionName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EndpointUrl { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Proxy { get; set; }

        [Parameter]
        public ProxyKind ProxyType { get; set; } = ProxyKind.Http;

        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ProxyCaBundleFile { get; set; }

        /// <summary>Seconds one HTTP request may take before the SDK gives up on it and retries.</summary>
        [Parameter]
        public double RequestTimeout { get; set; }

        /// <summary>The seed's "action" field for this cmdlet.</summary>
        protected abstract string ActionName { get; }

        protected CancellationToken CancellationToken => _cancellation.Token;

        /// <summary>
        /// Built on first use, not in BeginProcessing, so that -WhatIf and parameter errors never resolve
        /// credentials or touch the network. A bad connection setting is a set-up failure: terminating.
        /// </summary>
        protected StepFunctionsService Service
        {
            get
            {
                if (_service == null)
                {
                    try
                    {
                        _service = new StepFunctionsService(StepFunctionsClients.Get(ConnectionSettingsFactory.From(this)));
                    }
                    catch (StepFunctionsFailure failure)
                    {
                        ThrowTerminatingError(FailureRecords.FromFailure(failure, BuildInvocation(null)));
                    }
                }
                return _service!;
            }
        }

        protected override void StopProcessing() => _cancellation.Cancel();

        public void Dispose()
        {
            _cancellation.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Every field of the seed's invocation block, secrets masked, for this call.</summary>
        protected Invocation BuildInvocation(string? executionArn)
        {
            var fields = InvocationFields.ForConnection(this, ActionName);
            AddInvocationFields(fields, executionArn);
            return new Invocation { version = ModuleVersion.Value, fields = fields };
        }

        /// <summary>Cmdlet-specific fields (state machine, input, wait...).</summary>
        protected virtual void AddInvocationFields(IDictionary<string, object?> fields, string? executionArn)
        {
            if (executionArn != null) fields["execution_arn"] = executionArn;
        }

        /// <summary>
        /// Runs the core call on the thread pool and pumps its progress reports here, on the pipeline
        /// thread. Returns as soon as the call ends; after Ctrl+C it waits only a short grace period
        /// (enough for -StopOnCancel's StopExecution) and then gives up with PipelineStoppedException.
        /// </summary>
        protected T RunOnPump<T>(Func<IProgress<WaitProgress>, CancellationToken, Task<T>> work, Action<WaitProgress>? onProgress = null)
            => PipelinePump.Run(work, onProgress, CancellationToken);

        /// <summary>Writes the output and, for a failure, the error record that carries it.</summary>
        protected void WriteFailure(StepFunctionsFailure failure, Invocation invocation)
        {
            if (failure.Kind == FailureKind.Cancelled && CancellationToken.IsCancellationRequested)
                throw new PipelineStoppedException();
            WriteError(FailureRecords.FromFailure(failure, invocation));
        }

        /// <summary>
        /// An execution that ended FAILED, ABORTED or TIMED_OUT is a result (written to the output) and
        /// also an error, so -ErrorAction, try/catch and $? see it.
        /// </summary>
        protected void WriteOutcome(ExtensionOutput output)
        {
            WriteObject(output);
            if (output.exit_code != 0) WriteError(FailureRecords.FromFinalStatus(output));
        }
    }
}
