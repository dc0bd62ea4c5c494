using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Process-wide cache: one client per (region, endpoint, identity, role, proxy). Thread-safe.
    /// Validates the settings (region present, proxy list format, CA bundle readable...) before building one.
    /// </summary>
    public static class StepFunctionsClients
    {
        /// <summary>
        /// A session rarely talks to more than a handful of connections; a runbook that gives every call its own role
        /// session name or rotates keys makes a new client each time. Past this many, the least recently used go, so such
        /// a session keeps a bounded footprint over hours.
        /// </summary>
        internal const int MaxClients = 64;

        private sealed class Entry
        {
            public Entry(Lazy<IStepFunctionsClient> client) => Client = client;

            public readonly Lazy<IStepFunctionsClient> Client;
            public long LastUsed = Stopwatch.GetTimestamp();
        }

        private static readonly ConcurrentDictionary<string, Entry> Cache = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);

        public static IStepFunctionsClient Get(ConnectionSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            var resolved = ClientBuilder.Resolve(settings);
            var added = false;
            var entry = Cache.GetOrAdd(resolved.CacheKey, _ =>
            {
                added = true;
                return new Entry(new Lazy<IStepFunctionsClient>(() => ClientBuilder.Build(settings, resolved), LazyThreadSafetyMode.ExecutionAndPublication));
            });
            Volatile.Write(ref entry.LastUsed, Stopwatch.GetTimestamp());
            if (added && Cache.Count > MaxClients) EvictLeastRecentlyUsed();
            try
            {
                return entry.Client.Value;
            }
            catch (Exception ex)
            {
                // A failed build (no credentials yet, say) must not poison the cache for the next call. Only this failed entry
                // goes: another thread may already have replaced it with a good client, which must stay.
                ((ICollection<KeyValuePair<string, Entry>>)Cache).Remove(new KeyValuePair<string, Entry>(resolved.CacheKey, entry));
                if (ex is StepFunctionsFailure) throw;
                throw FailureMapper.Map(ex, FailureContext.None);
            }
        }

        /// <summary>
        /// Judges the settings as <see cref="Get"/> does (region, endpoint URL, role, timeout, proxy, CA bundles), with no client
        /// built, no credential looked for and nothing sent: what -WhatIf and -Confirm need to be told before they approve a
        /// call that the real run would refuse.
        /// </summary>
        public static void Check(ConnectionSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            ClientBuilder.Resolve(settings);
        }

        /// <summary>How many clients are cached (tests).</summary>
        internal static int Count => Cache.Count;

        /// <summary>
        /// Whether a client for this endpoint is cached (tests). Tests run in parallel and add clients of their own, so a count
        /// taken before and after cannot say whether one particular caller cached one; the endpoint can. The endpoint is the
        /// key's second part (ClientBuilder.Resolve: region, endpoint, ...).
        /// </summary>
        internal static bool HasClientFor(string endpointUrl) =>
            Cache.Keys.Any(key => key.Split('|')[1] == endpointUrl);

        /// <summary>
        /// Down to three quarters of the bound, oldest use first. Evicted clients are not disposed: a call on another thread
        /// may still be using one, and the runtime closes their idle connections once they are collected.
        /// </summary>
        private static void EvictLeastRecentlyUsed()
        {
            var excess = Cache.Count - MaxClients * 3 / 4;
            if (excess <= 0) return;
            foreach (var old in Cache.ToArray().OrderBy(pair => Volatile.Read(ref pair.Value.LastUsed)).Take(excess))
                ((ICollection<KeyValuePair<string, Entry>>)Cache).Remove(old);
        }

        /// <summary>Drops every cached client (tests; a session that changed its environment).</summary>
        public static void Clear()
        {
            foreach (var key in Cache.Keys)
                if (Cache.TryRemove(key, out var entry) && entry.Client.IsValueCreated && entry.Client.Value is IDisposable disposable)
                    disposable.Dispose();
        }
    }
}
