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
    public abstract partial class UeStepFunctionCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        /// <summary>Cancelled when the pipeline ends early: waits in flight give up (as on Ctrl+C), starts in flight finish.</summary>
        private readonly CancellationTokenSource _stopWaiting = new CancellationTokenSource();
        // One service per region this call reaches (without -Region, each ARN's own): a CSV of several regions works.
        private readonly Dictionary<string, StepFunctionsService> _services = new Dictionary<string, StepFunctionsService>(StringComparer.Ordinal);
        private CallPump? _pump;
        private IDisposable? _terminationAsCancel;
        // Without -Region, the region of the ARN the current call is about: where that call goes.
        private string? _arnRegion;
        private int _progressActivities;

        /// <summary>Region names are lower case everywhere in AWS (and in SigV4's scope): US-EAST-1 means us-east-1.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string? Region
        {
            get => _region;
            set => _region = Unset(value)?.Trim().ToLowerInvariant();
        }

        private string? _region;

        /// <summary>
        /// A blank text parameter is an unset one, as an empty field of the Universal task is: a CSV cell of spaces or a
        /// padded form field must not become a region, profile or URL of spaces.
        /// </summary>
        private static string? Unset(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

        /// <summary>Access key id as the user name, secret access key as the password.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? ProfileName
        {
            get => _profileName;
            set => _profileName = Unset(value);
        }

        private string? _profileName;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RoleArn
        {
            get => _roleArn;
            set => _roleArn = Unset(value);
        }

        private string? _roleArn;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExternalId
        {
            get => _externalId;
            set => _externalId = Unset(value);
        }

        private string? _externalId;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RoleSessionName
        {
            get => _roleSessionName;
            set => _roleSessionName = Unset(value);
        }

        private string? _roleSessionName;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EndpointUrl
        {
            get => _endpointUrl;
            set => _endpointUrl = Unset(value);
        }

        private string? _endpointUrl;

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
        public string? ProxyCaBundleFile
        {
            get => _proxyCaBundleFile;
            set => _proxyCaBundleFile = Unset(value);
        }

        private string? _proxyCaBundleFile;

        /// <summary>Seconds one HTTP request may take before the SDK gives up on it and retries.</summary>
        [Parameter]
        public double RequestTimeout { get; set; }

        /// <summary>How many calls for pipeline input may be in flight at once (1: one after another, in input order).</summary>
        [Parameter]
        [ValidateRange(1, MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>Far above what one client needs to saturate an endpoint, low enough that a typo cannot open thousands of connections.</summary>
        public const int MaxThrottleLimit = 64;

        /// <summary>The seed's "action" field for this cmdlet.</summary>
        protected abstract string ActionName { get; }

        protected CancellationToken CancellationToken => _cancellation.Token;

        /// <summary>For WaitOptions.StopWaiting.</summary>
        private protected CancellationToken StopWaitingToken => _stopWaiting.Token;

        /// <summary>
        /// Built on first use, not in BeginProcessing, so that -WhatIf and parameter errors never resolve
        /// credentials or touch the network. A bad connection setting is a set-up failure: terminating.
        /// </summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            WarnOfIgnoredConnectionParameters();
        }

        /// <summary>Parameters that a call takes but cannot use with the others given: said, so that nobody believes they applied.</summary>
        private void WarnOfIgnoredConnectionParameters()
        {
            var bound = MyInvocation.BoundParameters;
            if (Credential != null && ProfileName != null)
                WarningLines.Write(this, "-ProfileName is ignored: -Credential gives the credentials.");
            if (bound.ContainsKey(nameof(ProxyType)) && (Proxy == null || Proxy.Length == 0))
                WarningLines.Write(this, "-ProxyType is ignored: without -Proxy no proxy is used.");
        }

        protected StepFunctionsService Service
        {
            get
            {
                var region = Region ?? _arnRegion ?? "";
                if (!_services.TryGetValue(region, out var service))
                {
                    try
                    {
                        service = new StepFunctionsService(StepFunctionsClients.Get(ConnectionSettingsFactory.From(this)));
                        _services[region] = service;
                        if (service.ConnectionDescription is string description) VerboseLines.Write(this, description);
                    }
                    catch (StepFunctionsFailure failure)
                    {
                        ThrowTerminatingError(FailureRecords.FromFailure(failure, BuildInvocation(null)));
                    }
                }
                return service!;
            }
        }

        /// <summary>
        /// ShouldProcess, after the connection parameters are judged as the call itself would judge them: -WhatIf must not
        /// approve a call (an -EndpointUrl with a query, a -RequestTimeout out of range) that the real run refuses, and -Confirm
        /// must not ask about one. Nothing is looked for or sent; once this region's client exists, they were judged already.
        /// </summary>
        private protected bool ShouldProcessConnected(string target, string action)
        {
            // Only when ShouldProcess may print or ask: a plain call judges them when its client is made (a warm loop of
            // starts must not resolve its connection twice per call).
            if (MayPrintOrAsk() && !_services.ContainsKey(Region ?? _arnRegion ?? ""))
            {
                try { StepFunctionsClients.Check(ConnectionSettingsFactory.From(this)); }
                catch (StepFunctionsFailure failure) { ThrowTerminatingError(FailureRecords.FromFailure(failure, BuildInvocation(null))); }
            }
            return ShouldProcess(target, action);
        }

        /// <summary>Whether ShouldProcess would answer a dry run (-WhatIf, $WhatIfPreference) or ask (-Confirm, or this cmdlet's
        /// ConfirmImpact at or above $ConfirmPreference).</summary>
        private bool MayPrintOrAsk()
        {
            var bound = MyInvocation.BoundParameters;
            if (bound.ContainsKey("WhatIf") ? VerboseLines.IsOn(bound, "WhatIf") : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"))) return true;
            if (bound.ContainsKey("Confirm")) return VerboseLines.IsOn(bound, "Confirm");
            var impact = ((CmdletAttribute?)Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute)))?.ConfirmImpact ?? ConfirmImpact.Medium;
            return LanguagePrimitives.TryConvertTo<ConfirmImpact>(GetVariableValue("ConfirmPreference"), out var preference)
                && preference != ConfirmImpact.None && impact >= preference;
        }

        /// <summary>How long calls may still run after Ctrl+C before the cmdlet stops waiting for them.</summary>
        private protected virtual TimeSpan CancelGrace => CallPump.DefaultCancelGrace;

        protected override void StopProcessing() => _cancellation.Cancel();

        private bool? _debugWanted;
        private bool? _verboseWanted;

        /// <summary>
        /// -Debug (or $DebugPreference other than SilentlyContinue or Ignore): every HTTP attempt is written as a debug line
        /// (RequestTrace). -Verbose: only the attempts that failed, as verbose lines, so a retried timeout is not minutes of
        /// silence. Neither: the calls are not traced at all. Decided once per cmdlet.
        /// </summary>
        private bool DebugWanted => _debugWanted ??= IsWanted("Debug", "DebugPreference");

        private Action<string>? TraceWriter
            => DebugWanted ? WriteDebug
                : (_verboseWanted ??= IsWanted("Verbose", "VerbosePreference")) ? text => VerboseLines.Write(this, text)
                : (Action<string>?)null;

        private bool IsWanted(string parameter, string preferenceVariable)
        {
            if (MyInvocation.BoundParameters.ContainsKey(parameter)) return VerboseLines.IsOn(MyInvocation.BoundParameters, parameter);
            return LanguagePrimitives.TryConvertTo<ActionPreference>(GetVariableValue(preferenceVariable), out var preference)
                && preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
        }

        /// <summary>Without -Region, the region of the ARNs this call is about (it goes there, whatever the environment says).</summary>
        internal string? ArnRegion => _arnRegion;

        /// <summary>
        /// Before a call about <paramref name="arn"/> (on the pipeline thread, before Service is read): with -Region the ARN
        /// must be in it (a validation error, 20, otherwise); without, the call goes to the ARN's own region.
        /// </summary>
        private protected void UseRegionOf(string arn, string field)
        {
            if (Region is { } given) Validate.ArnInRegion(arn, given, "-Region", field);
            else _arnRegion = Validate.RegionOfArn(arn);
        }

        /// <summary>Until this cmdlet is disposed, SIGTERM stops the pipeline as Ctrl+C does (see TerminationSignal).</summary>
        private protected void TakeTerminationAsCancel() => _terminationAsCancel ??= TerminationSignal.Enter();

        public void Dispose()
        {
            // A pipeline that ends early (an upstream error, Select-Object -First) disposes the cmdlet without EndProcessing:
            // calls still in flight for -ThrottleLimit must end too (and -StopOnCancel stops their executions), not poll on
            // in the background for hours.
            _terminationAsCancel?.Dispose();
            FinishCallsLeftInFlight();
            _cancellation.Cancel();
            _cancellation.Dispose();
            _stopWaiting.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// An error upstream (a throw in an earlier script block, an earlier command's -ErrorAction Stop) ends the pipeline
        /// without EndProcessing or StopProcessing: only Dispose runs, with calls of -ThrottleLimit still in flight. They are
        /// cancelled as by Ctrl+C (-StopOnCancel stops their executions) within the same grace, and since nothing can be
        /// written any more, what each knew goes into $Error: no execution they started goes unreported.
        /// </summary>
        private void FinishCallsLeftInFlight()
        {
            if (_pump == null || !_pump.HasPending) return;
            _outputRefused = true;
            _cancellation.Cancel();
            try { _pump.DrainTo(0); }
            catch (Exception) { /* the cancelled calls end the drain with PipelineStoppedException, having recorded themselves */ }
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
        /// One call per execution ARN: several ARNs (-ExecutionArn $arns) are several calls, as if piped one by one.
        /// <paramref name="call"/> checks its input, then makes its call with RunCall. A failure found before the call (bad
        /// input, an ARN of another region) is reported through the pump like a call's own failure, and the next ARN is
        /// still tried.
        /// </summary>
        private protected void ForEachExecution(string[] executionArns, Action<string, Invocation> call)
        {
            foreach (var arn in executionArns)
            {
                var invocation = BuildInvocation(arn);
                try { call(arn, invocation); }
                catch (StepFunctionsFailure failure) { ReportFailure(failure, invocation); }
            }
        }

        /// <summary>
        /// Runs the core call for the current pipeline record and writes its result (or its failure) on the pipeline thread.
        /// With -ThrottleLimit 1 it returns once the call has ended; above 1 it returns as soon as fewer than that many calls
        /// are in flight, and each outcome is written when its call completes. After Ctrl+C the calls get a short grace
        /// period (enough for -StopOnCancel's StopExecution), then the cmdlet ends with PipelineStoppedException.
        /// </summary>
        private protected void RunCall<T>(Func<IProgress<WaitProgress>, CancellationToken, Task<T>> work, Invocation invocation,
            Action<T> writeResult, WaitProgressWriter? progress = null, bool inline = false)
        {
            _pump ??= new CallPump(CancellationToken, CancelGrace, _stopWaiting.Cancel);
            _pump.Start(work, progress == null ? null : (Action<WaitProgress>)progress.Write, task =>
            {
                T result;
                try
                {
                    result = CallPump.Unwrap(task, CancellationToken);
                }
                catch (StepFunctionsFailure failure)
                {
                    // Before the progress bar is closed: a stopping pipeline refuses that too.
                    StopIfCancelled(failure, invocation);
                    progress?.Complete();
                    WriteFailure(failure, invocation);
                    return;
                }
                progress?.Complete();
                writeResult(result);
            }, concurrent: ThrottleLimit > 1 && !inline, onTrace: TraceWriter, traceFailuresOnly: !DebugWanted,
                onAbandoned: () => RecordAbandoned(invocation));
            _pump.DrainTo(ThrottleLimit - 1);
        }

        /// <summary>
        /// A call still in flight when the pipeline stopped, that did not end within the grace: its outcome will never be
        /// known here. $Error says so, naming what it was about, so that an execution it may have started or stopped is
        /// looked for rather than assumed.
        /// </summary>
        private void RecordAbandoned(Invocation invocation)
        {
            invocation.fields.TryGetValue("execution_arn", out var execution);
            invocation.fields.TryGetValue("state_machine_arn", out var machine);
            var about = (execution ?? machine) as string;
            var failure = new StepFunctionsFailure(FailureKind.Cancelled, ExitCode.Fail, "CallAbandoned",
                $"The pipeline stopped and this call ({ActionName}{(about != null ? " of " + about : "")}) did not end in time: whether it took effect is unknown.",
                target: about);
            RecordInError(FailureRecords.FromFailure(failure, invocation));
        }

        /// <summary>
        /// A failure found before any call was made (bad input), reported through the pump like a call's own failure: with
        /// -ThrottleLimit and -ErrorAction Stop, the calls already in flight are still waited for and written first, so an
        /// execution they started is never left unreported.
        /// </summary>
        private protected void ReportFailure(StepFunctionsFailure failure, Invocation invocation)
            // Inline, not on the thread pool: the failure is then written before the next input record starts anything
            // (under -ErrorAction Stop it ends the pipeline there).
            => RunCall<ExecutionResult>((_, _) => Task.FromException<ExecutionResult>(failure), invocation, _ => { }, inline: true);

        /// <summary>A progress bar of its own for each call, so calls in flight together do not overwrite each other's.</summary>
        private protected WaitProgressWriter NewProgress(string activity, TimeSpan? timeout = null)
            => new WaitProgressWriter(this, activity, ++_progressActivities, timeout);

        /// <summary>Waits until every call made so far has ended and been written: for calls that depend on the last one's
        /// answer (the next page of a listing), whatever -ThrottleLimit says.</summary>
        private protected void FinishCalls() => _pump?.DrainTo(0);

        /// <summary>The calls still in flight for the last pipeline records (-ThrottleLimit above 1).</summary>
        protected override void EndProcessing() => FinishCalls();

        /// <summary>
        /// Writes the error record that carries the output; a failure about a known execution (a wait that timed out, an
        /// endpoint lost during a wait) writes that output too, as an execution that ended FAILED does, so a batch's
        /// results (| Where-Object exit_code -ne 0) keep every execution that was started.
        /// </summary>
        protected void WriteFailure(StepFunctionsFailure failure, Invocation invocation)
        {
            StopIfCancelled(failure, invocation);
            var record = FailureRecords.FromFailure(failure, invocation);
            Report(failure.Execution is not null ? (ExtensionOutput)record.TargetObject : null, record);
        }

        /// <summary>
        /// A call cancelled by Ctrl+C (or SIGTERM) ends the cmdlet with PipelineStoppedException and can write nothing: what
        /// it knew (the execution it started or waited for, whether -StopOnCancel stopped it) was lost, and an execution left
        /// running was known to no one. Its record goes into $Error instead, newest first as PowerShell keeps it: after Ctrl+C,
        /// $Error[0] names the execution and what became of it, and its TargetObject is the output the call would have written
        /// (the Universal task reports it).
        /// </summary>
        private void StopIfCancelled(StepFunctionsFailure failure, Invocation invocation)
        {
            if (failure.Kind != FailureKind.Cancelled || !CancellationToken.IsCancellationRequested) return;
            RecordInError(FailureRecords.FromFailure(failure, invocation));
            throw new PipelineStoppedException();
        }

        /// <summary>Writes an output; its execution becomes the first that -ExecutionArn's tab completion offers.</summary>
        protected void WriteOutput(ExtensionOutput output) => Report(output, null);

        /// <summary>
        /// An execution that ended FAILED, ABORTED or TIMED_OUT is a result (written to the output) and
        /// also an error, so -ErrorAction, try/catch and $? see it.
        /// </summary>
        protected void WriteOutcome(ExtensionOutput output)
            => Report(output, output.exit_code != 0 ? FailureRecords.FromFinalStatus(output) : null);

        /// <summary>
        /// Set once the pipeline after this cmdlet stopped taking its output (Select-Object -First had enough, a break or an
        /// error in a later command, a pipeline stopping): with -ThrottleLimit the calls still in flight complete after
        /// that, and writing them would run the later commands again (a script block after its own break).
        /// </summary>
        private bool _outputRefused;

        /// <summary>
        /// Writes an outcome: its output, then its error. Once the pipeline has refused output, what is left is recorded in
        /// $Error instead, newest first, as for a call cancelled by Ctrl+C: every execution a call started is reported
        /// somewhere. The error of this cmdlet's own -ErrorAction Stop refuses nothing: the outcomes in flight are still
        /// written, ahead of that error.
        /// </summary>
        /// <remarks>
        /// A refusal is told by where it surfaces, not by its type: PowerShell turns this cmdlet's own -ErrorAction Stop, a
        /// later command's end and Ctrl+C alike into PipelineStoppedException, but only a write of output meets a later
        /// command's break or end.
        /// </remarks>
        private void Report(ExtensionOutput? output, ErrorRecord? error)
        {
            if (_outputRefused)
            {
                RecordUnwritten(output, error);
                return;
            }
            if (output != null)
            {
                ExecutionArnCompleter.Remember(output.result?.ExecutionArn, output.result?.Name, output.result?.Status);
                try { WriteObject(output); }
                catch (Exception)
                {
                    _outputRefused = true;
                    // A later command that stops taking output (Select-Object -First, break, an error) has had this object;
                    // after Ctrl+C the stopping pipeline refused it before any command saw it.
                    RecordUnwritten(PipelineStopping ? output : null, error);
                    throw;
                }
            }
            // Under -ErrorAction Stop this throws PipelineStoppedException, having put the error in $Error itself; the later
            // commands still take output then.
            if (error != null) WriteError(error);
        }

        /// <summary>
        /// Ctrl+C (or SIGTERM taken as it): PowerShell marks the pipeline stopping, so that writes fail, before it calls
        /// StopProcessing, which cancels the calls; a write refused in between is told apart from a later command's end by
        /// the mark.
        /// </summary>
        private bool PipelineStopping => CancellationToken.IsCancellationRequested || Stopping;

        /// <summary>
        /// An output the pipeline never took is recorded as ResultNotWritten (the output its TargetObject, its status in the
        /// message) even when it has an error of its own (a wait cut short, a FAILED execution): one ErrorId finds every
        /// execution nobody was shown. After Ctrl+C a call's own record is kept instead (WaitCancelled says what became of
        /// its execution), as for a call cancelled alone; an outcome without output records its error.
        /// </summary>
        private void RecordUnwritten(ExtensionOutput? output, ErrorRecord? error)
        {
            var record = output == null || (error != null && PipelineStopping) ? error : FailureRecords.NotWritten(output);
            if (record != null) RecordInError(record);
        }

        /// <summary>
        /// Puts a record that can no longer be written into $Error, newest first as PowerShell keeps it. Nothing is removed:
        /// PowerShell keeps $Error's length itself when it next adds to it.
        /// </summary>
        private void RecordInError(ErrorRecord record) => (GetVariableValue("Error") as System.Collections.ArrayList)?.Insert(0, record);
    }
}
