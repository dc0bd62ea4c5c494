using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Linq;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Control;

/// <summary>Requests per operation, counted before fault injection and authentication, so tests see every attempt a client made.</summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private readonly ConcurrentDictionary<string, Gauge> _inFlight = new();

    public void Increment(string operation) => _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);

    public long Get(string operation) => _counts.TryGetValue(operation, out var n) ? n : 0;

    /// <summary>
    /// Marks one request of the operation as in flight until the result is disposed, and keeps the highest number
    /// seen at once: how a test proves a client really overlapped its requests (GET /_local/concurrency).
    /// </summary>
    public IDisposable Enter(string operation)
    {
        var gauge = _inFlight.GetOrAdd(operation, _ => new Gauge());
        gauge.Enter();
        return gauge;
    }

    public void Reset()
    {
        _counts.Clear();
        foreach (var gauge in _inFlight.Values) gauge.ResetPeak();
    }

    public JsonObject ConcurrencyToJson()
    {
        var json = new JsonObject();
        foreach (var (op, gauge) in _inFlight.OrderBy(p => p.Key))
            json[op] = new JsonObject { ["inFlight"] = gauge.Current, ["maxInFlight"] = gauge.Peak };
        return json;
    }

    private sealed class Gauge : IDisposable
    {
        private int _current;
        private int _peak;

        public int Current => Volatile.Read(ref _current);
        public int Peak => Volatile.Read(ref _peak);

        public void Enter()
        {
            var now = Interlocked.Increment(ref _current);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak) { }
        }

        public void Dispose() => Interlocked.Decrement(ref _current);

        /// <summary>The peak restarts from what is in flight now, not from zero.</summary>
        public void ResetPeak() => Volatile.Write(ref _peak, Current);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var (op, n) in _counts.OrderBy(p => p.Key)) json[op] = n;
        return json;
    }
}
