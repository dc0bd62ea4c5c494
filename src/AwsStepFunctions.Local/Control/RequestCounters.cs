using System.Collections.Concurrent;
using System.Linq;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Control;

/// <summary>Requests per operation, counted before fault injection and authentication, so tests see every attempt a client made.</summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public void Increment(string operation) => _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);

    public long Get(string operation) => _counts.TryGetValue(operation, out var n) ? n : 0;

    public void Reset() => _counts.Clear();

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var (op, n) in _counts.OrderBy(p => p.Key)) json[op] = n;
        return json;
    }
}
