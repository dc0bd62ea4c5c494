using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Process-wide cache: one client per (region, endpoint, identity, role, proxy). Thread-safe.
    /// Validates the settings (region present, proxy list format, CA bundle readable...) before building one.
    /// </summary>
    public static class StepFunctionsClients
    {
        private static readonly ConcurrentDictionary<string, Lazy<IStepFunctionsClient>> Cache =
            new ConcurrentDictionary<string, Lazy<IStepFunctionsClient>>(StringComparer.Ordinal);

        public static IStepFunctionsClient Get(ConnectionSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            var resolved = ClientBuilder.Resolve(settings);
            var entry = Cache.GetOrAdd(resolved.CacheKey, _ => new Lazy<IStepFunctionsClient>(
                () => ClientBuilder.Build(settings, resolved), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication));
            try
            {
                return entry.Value;
            }
            catch (Exception ex)
            {
                // A failed build (no credentials yet, say) must not poison the cache for the next call. Only this failed entry
                // goes: another thread may already have replaced it with a good client, which must stay.
                ((ICollection<KeyValuePair<string, Lazy<IStepFunctionsClient>>>)Cache).Remove(
                    new KeyValuePair<string, Lazy<IStepFunctionsClient>>(resolved.CacheKey, entry));
                if (ex is StepFunctionsFailure) throw;
                throw FailureMapper.Map(ex, FailureContext.None);
            }
        }

        /// <summary>Drops every cached client (tests; a session that changed its environment).</summary>
        public static void Clear()
        {
            foreach (var key in Cache.Keys)
                if (Cache.TryRemove(key, out var entry) && entry.IsValueCreated && entry.Value is IDisposable disposable)
                    disposable.Dispose();
        }
    }
}
