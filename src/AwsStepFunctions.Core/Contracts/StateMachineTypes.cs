using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// State machine types (STANDARD, EXPRESS) as read through one client: -Wait needs the type to pick StartSyncExecution,
    /// and a start whose answer was lost needs it to know whether a repeat is safe.
    /// </summary>
    internal sealed class StateMachineTypes
    {
        /// <summary>How long a start whose answer was lost may spend reading the machine's type to decide whether to repeat.</summary>
        private static readonly TimeSpan LookupBound = TimeSpan.FromSeconds(10);
        /// <summary>Each machine's type as read through a client: one read per machine, shared by the calls that need it
        /// while it is in flight (a failed read is forgotten, so the next call reads again).</summary>
        private static readonly ConditionalWeakTable<IStepFunctionsClient, ConcurrentDictionary<string, Lazy<Task<string>>>> Cache =
            new ConditionalWeakTable<IStepFunctionsClient, ConcurrentDictionary<string, Lazy<Task<string>>>>();

        private readonly IStepFunctionsClient _client;

        public StateMachineTypes(IStepFunctionsClient client) => _client = client;

        /// <summary>The type already read for this machine through this client, or null.</summary>
        public string? Known(string stateMachineArn)
            => Cache.TryGetValue(_client, out var cache) && cache.TryGetValue(Validate.WithoutTestCase(stateMachineArn), out var read)
               && read.IsValueCreated && read.Value.Status == TaskStatus.RanToCompletion ? read.Value.Result : null;

        /// <summary>The machine's type, or why it cannot be read within a few seconds (a permission, the network).</summary>
        public async Task<MachineTypeLookup> TryGetAsync(string stateMachineArn, CancellationToken cancellationToken)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(LookupBound);
            try
            {
                return new MachineTypeLookup(await GetAsync(Validate.WithoutTestCase(stateMachineArn), bound.Token).ConfigureAwait(false), null);
            }
            catch (Exception ex) when ((ex is StepFunctionsFailure || ex is OperationCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                // Unreadable within the bound: the start is then not repeated, and its error says why (the operator may grant
                // states:DescribeStateMachine). The caller's own cancellation is not this: it goes on, so the start ends as
                // cancelled (and looks for its execution).
                var problem = bound.IsCancellationRequested
                    ? $"no answer within {LookupBound.TotalSeconds:0} s"
                    : ex.Message;
                return new MachineTypeLookup(null, problem);
            }
        }

        /// <summary>
        /// The machine's type, read once per client. Calls that need it while the read is in flight (parallel starts with
        /// -Wait, or starts whose answers were lost together) wait for that one read instead of each sending their own; each
        /// stops waiting at its own cancellation, and the read, which belongs to none of them, ends within the client's
        /// request timeout and retries.
        /// </summary>
        public async Task<string> GetAsync(string stateMachineArn, CancellationToken cancellationToken)
        {
            var cache = Cache.GetValue(_client, _ => new ConcurrentDictionary<string, Lazy<Task<string>>>(StringComparer.Ordinal));
            while (true)
            {
                var entry = cache.GetOrAdd(stateMachineArn, arn => new Lazy<Task<string>>(() => ReadTypeAsync(arn)));
                var read = entry.Value;
                // A read that failed before this call came (its callers gone, or the failure already reported): read again.
                if (read.IsFaulted || read.IsCanceled)
                {
                    Forget(cache, stateMachineArn, entry);
                    continue;
                }
                try
                {
                    return await WhenDoneOrCancelled(read, stateMachineArn, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (read.IsFaulted || read.IsCanceled)
                {
                    Forget(cache, stateMachineArn, entry);
                    throw;
                }
            }
        }

        private async Task<string> ReadTypeAsync(string stateMachineArn)
        {
            StateMachineSummary summary;
            try
            {
                summary = await _client.DescribeStateMachineAsync(stateMachineArn, CancellationToken.None).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure) when (StateMachineReference.Parse(stateMachineArn).IsQualified
                && (failure.Kind == FailureKind.Validation || failure.Kind == FailureKind.NotFound))
            {
                // An alias ARN is not accepted by DescribeStateMachine; the type belongs to the state machine itself.
                summary = await _client.DescribeStateMachineAsync(StateMachineReference.Parse(stateMachineArn).MachineArn, CancellationToken.None)
                    .ConfigureAwait(false);
            }
            return string.IsNullOrEmpty(summary.Type) ? "STANDARD" : summary.Type.ToUpperInvariant();
        }

        /// <summary>Removes this very entry (not one a later call has put there since).</summary>
        private static void Forget(ConcurrentDictionary<string, Lazy<Task<string>>> cache, string stateMachineArn, Lazy<Task<string>> entry)
            => ((ICollection<KeyValuePair<string, Lazy<Task<string>>>>)cache).Remove(new KeyValuePair<string, Lazy<Task<string>>>(stateMachineArn, entry));

        /// <summary>The shared read's outcome, or this caller's cancellation reported as the client reports it.</summary>
        private static async Task<string> WhenDoneOrCancelled(Task<string> read, string stateMachineArn, CancellationToken cancellationToken)
        {
            if (read.IsCompleted || !cancellationToken.CanBeCanceled) return await read.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
            {
                if (await Task.WhenAny(read, cancelled.Task).ConfigureAwait(false) != read)
                    throw new StepFunctionsFailure(FailureKind.Cancelled, ExitCode.Fail, "OperationCancelled", "The operation was cancelled.",
                        target: stateMachineArn, inner: new OperationCanceledException(cancellationToken));
            }
            return await read.ConfigureAwait(false);
        }
    }
}
