using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.Control;

/// <summary>One logged request. Names who called, never with what secret: no signature, token or body.</summary>
public sealed record LoggedRequest(DateTimeOffset Time, string RequestId, string Operation, string? PrincipalArn, string? AccessKeyId, int StatusCode, string? ErrorCode);

/// <summary>The most recent requests, in a fixed-size ring so a long benchmark cannot grow memory.</summary>
public sealed class RequestLog(int capacity = 500)
{
    private readonly Queue<LoggedRequest> _entries = new();
    private readonly object _gate = new();

    public void Add(LoggedRequest entry)
    {
        lock (_gate)
        {
            _entries.Enqueue(entry);
            while (_entries.Count > capacity) _entries.Dequeue();
        }
    }

    public IReadOnlyList<LoggedRequest> Recent()
    {
        lock (_gate) return _entries.ToList();
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }

    public JsonObject ToJson() => new()
    {
        ["requests"] = new JsonArray(Recent().Select(r => (JsonNode)new JsonObject
        {
            ["time"] = EpochTime.ToEpochSeconds(r.Time),
            ["requestId"] = r.RequestId,
            ["operation"] = r.Operation,
            ["principalArn"] = r.PrincipalArn,
            ["accessKeyId"] = r.AccessKeyId,
            ["statusCode"] = r.StatusCode,
            ["errorCode"] = r.ErrorCode,
        }).ToArray()),
    };
}
