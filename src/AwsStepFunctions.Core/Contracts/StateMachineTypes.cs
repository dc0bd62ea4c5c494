using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
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
        /// <summary>
        /// How long a type read is trusted. A machine deleted and recreated under its name with the other type is seen within
        /// this; trusted forever, a STANDARD type cached for what is now EXPRESS would let a lost start be repeated blindly.
        /// </summary>
        internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

        /// <summary>Each machine's type as read through a client: one read per machine, shared by the calls that need it
        /// while it is in flight (a failed or old read is replaced by the next call that needs the type).</summary>
        private static readonly ConditionalWeakTable<IStepFunctionsClient, ConcurrentDictionary<string, TypeRead>> Cache =
            new ConditionalWeakTable<IStepFunctionsClient, ConcurrentDictionary<string, TypeRead>>();

        /// <summary>
        /// Machines whose type a client was refused (states:DescribeStateMachine not granted), and when: not asked again within
        /// the lifetime, so a policy without that permission costs one denied request per machine, not one per -Wait start.
        /// </summary>
        private static readonly ConditionalWeakTable<IStepFunctionsClient, ConcurrentDictionary<string, long>> Refusals =
            new ConditionalWeakTable<IStepFunctionsClient, ConcurrentDictionary<string, long>>();

        private readonly IStepFunctionsClient _client;
        private readonly TimeSpan _lifetime;

        public StateMachineTypes(IStepFunctionsClient client) : this(client, DefaultLifetime) { }

        internal StateMachineTypes(IStepFunctionsClient client, TimeSpan lifetime)
        {
            _client = client;
            _lifetime = lifetime;
        }

        /// <summary>The type already read for this machine through this client, while it is trusted; otherwise null.</summary>
        public string? Known(string stateMachineArn)
            => Cache.TryGetValue(_client, out var cache) && cache.TryGetValue(MachineOf(stateMachineArn), out var read)
               && read.IsFresh(_lifetime) && read.Type.Status == TaskStatus.RanToCompletion ? read.Type.Result : null;

        /// <summary>
        /// The type a -Wait start needs to choose StartSyncExecution, or null when this client may not read it: the start then
        /// goes through StartExecution and is polled, which is all the seed's extension ever did and all a policy granting
        /// only states:StartExecution and states:DescribeExecution allows. Any other failure to read the type is the start's.
        /// </summary>
        public async Task<string?> TypeUnlessDeniedAsync(string stateMachineArn, CancellationToken cancellationToken)
        {
            var machine = MachineOf(stateMachineArn);
            var refusals = Refusals.GetValue(_client, _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal));
            if (refusals.TryGetValue(machine, out var refusedAt) && Stopwatch.GetTimestamp() - refusedAt < _lifetime.TotalSeconds * Stopwatch.Frequency)
            {
                TraceRefusal(machine, "refused earlier through this connection, not asked again");
                return null;
            }
            try
            {
                return await GetAsync(machine, cancellationToken).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure) when (failure.Kind == FailureKind.Authorization && !failure.FromCredentials)
            {
                refusals[machine] = Stopwatch.GetTimestamp();
                TraceRefusal(machine, "refused");
                return null;
            }
        }

        /// <summary>Written with -Verbose too: the start goes another way than the help describes, and says why.</summary>
        private static void TraceRefusal(string machineArn, string how)
            => RequestTrace.Writer?.Write(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "DescribeStateMachine {0}: {1} (states:DescribeStateMachine), so this -Wait starts with StartExecution and polls "
                + "DescribeExecution, as for a STANDARD machine", ShortName(machineArn), how));

        /// <summary>The machine's type, or why it cannot be read within a few seconds (a permission, the network).</summary>
        public async Task<MachineTypeLookup> TryGetAsync(string stateMachineArn, CancellationToken cancellationToken)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(LookupBound);
            try
            {
                return new MachineTypeLookup(await GetAsync(stateMachineArn, bound.Token).ConfigureAwait(false), null);
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
            stateMachineArn = MachineOf(stateMachineArn);
            var cache = Cache.GetValue(_client, _ => new ConcurrentDictionary<string, TypeRead>(StringComparer.Ordinal));
            for (var attempt = 1; ; attempt++)
            {
                if (cancellationToken.IsCancellationRequested) throw Cancelled(stateMachineArn, cancellationToken);
                TypeRead? started = null;
                var entry = cache.GetOrAdd(stateMachineArn, arn => started = new TypeRead(() => ReadTypeAsync(arn)));
                var read = entry.Type;
                // Someone else's read that failed or grew old before this call came: replace it, once. A read this call
                // started is its answer, however it ended (a client that fails at once must not make this loop spin).
                if (!ReferenceEquals(entry, started) && attempt == 1 && (read.IsFaulted || read.IsCanceled || !entry.IsFresh(_lifetime)))
                {
                    Forget(cache, stateMachineArn, entry);
                    continue;
                }
                try
                {
                    var type = await WhenDoneOrCancelled(read, stateMachineArn, cancellationToken).ConfigureAwait(false);
                    if (!ReferenceEquals(entry, started)) TraceSharedRead(stateMachineArn, entry, type);
                    return type;
                }
                catch (Exception) when (read.IsFaulted || read.IsCanceled)
                {
                    Forget(cache, stateMachineArn, entry);
                    throw;
                }
            }
        }

        /// <summary>
        /// The read's own request lines went to the trace of the call that started it (this one earlier, or another); a call
        /// that uses that read says so, or its -Debug would show an EXPRESS choice (or a repeat decision) with no request behind it.
        /// </summary>
        private static void TraceSharedRead(string stateMachineArn, TypeRead entry, string type)
            => RequestTrace.Writer?.Progress(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "DescribeStateMachine {0}: {1}, from a read this connection made {2:0.0} s ago (no request sent)",
                ShortName(stateMachineArn), type, entry.Age.TotalSeconds));

        /// <summary>The ARN after its resource kind, as the request lines name their targets.</summary>
        private static string ShortName(string arn)
        {
            var parts = arn.Split(new[] { ':' }, 7);
            return parts.Length == 7 ? parts[6] : arn;
        }

        private async Task<string> ReadTypeAsync(string machineArn)
        {
            var summary = await _client.DescribeStateMachineAsync(machineArn, CancellationToken.None).ConfigureAwait(false);
            return string.IsNullOrEmpty(summary.Type) ? "STANDARD" : summary.Type.ToUpperInvariant();
        }

        /// <summary>
        /// The type belongs to the state machine, whatever version or alias a start names: it is read from, and kept for, the
        /// unqualified machine, once for all of them (DescribeStateMachine refuses an alias ARN).
        /// </summary>
        private static string MachineOf(string stateMachineArn) => StateMachineReference.Parse(stateMachineArn).MachineArn;

        /// <summary>Removes this very entry (not one a later call has put there since).</summary>
        private static void Forget(ConcurrentDictionary<string, TypeRead> cache, string stateMachineArn, TypeRead entry)
            => ((ICollection<KeyValuePair<string, TypeRead>>)cache).Remove(new KeyValuePair<string, TypeRead>(stateMachineArn, entry));

        private static StepFunctionsFailure Cancelled(string stateMachineArn, CancellationToken cancellationToken)
            => new StepFunctionsFailure(FailureKind.Cancelled, ExitCode.Fail, "OperationCancelled", "The operation was cancelled.",
                target: stateMachineArn, inner: new OperationCanceledException(cancellationToken));

        /// <summary>The shared read's outcome, or this caller's cancellation reported as the client reports it.</summary>
        private static async Task<string> WhenDoneOrCancelled(Task<string> read, string stateMachineArn, CancellationToken cancellationToken)
        {
            if (read.IsCompleted || !cancellationToken.CanBeCanceled) return await read.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
            {
                if (await Task.WhenAny(read, cancelled.Task).ConfigureAwait(false) != read) throw Cancelled(stateMachineArn, cancellationToken);
            }
            return await read.ConfigureAwait(false);
        }

        /// <summary>One read of a machine's type: started on first use (so a GetOrAdd race starts one read, not two), and when.</summary>
        private sealed class TypeRead
        {
            private readonly Lazy<Task<string>> _type;
            private readonly long _createdAt = Stopwatch.GetTimestamp();

            public TypeRead(Func<Task<string>> read) => _type = new Lazy<Task<string>>(() => Observed(read()));

            public Task<string> Type => _type.Value;

            public TimeSpan Age => TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - _createdAt) / (double)Stopwatch.Frequency);

            public bool IsFresh(TimeSpan lifetime)
                => Stopwatch.GetTimestamp() - _createdAt < lifetime.TotalSeconds * Stopwatch.Frequency;

            /// <summary>A read whose callers all gave up may fail unseen; its failure is observed here, not reported to the
            /// runtime as an unobserved task exception.</summary>
            private static Task<string> Observed(Task<string> read)
            {
                read.ContinueWith(t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return read;
            }
        }
    }
}
