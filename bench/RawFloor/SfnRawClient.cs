using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace RawFloor;

/// <summary>
/// Step Functions over awsJson1_0 with one HttpClient reused for every call (connections kept alive):
/// what any client must at least do per call, so the cost of a call here is the floor for the module.
/// </summary>
public sealed class SfnRawClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.0");
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _host;
    private readonly SigV4Signer _signer;

    public SfnRawClient(Uri endpoint, string region, string accessKey, string secretKey, string? sessionToken = null)
    {
        _endpoint = endpoint;
        _host = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
        _signer = new SigV4Signer(accessKey, secretKey, sessionToken, region, "states");
        // No proxy: the benchmark measures loopback, and a stray HTTP_PROXY must not reroute the floor.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = int.MaxValue })
        {
            Timeout = TimeSpan.FromSeconds(100),
        };
    }

    /// <summary>Starts an execution and returns its ARN.</summary>
    public async Task<string> StartExecutionAsync(string stateMachineArn, string name, string input, CancellationToken token)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["stateMachineArn"] = stateMachineArn,
            ["name"] = name,
            ["input"] = input,
        });
        using var doc = await CallAsync("StartExecution", body, token).ConfigureAwait(false);
        return doc.RootElement.GetProperty("executionArn").GetString()
            ?? throw new InvalidOperationException("StartExecution answered without executionArn.");
    }

    /// <summary>Describes an execution and returns its status.</summary>
    public async Task<string> DescribeExecutionAsync(string executionArn, CancellationToken token)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["executionArn"] = executionArn });
        using var doc = await CallAsync("DescribeExecution", body, token).ConfigureAwait(false);
        return doc.RootElement.GetProperty("status").GetString()
            ?? throw new InvalidOperationException("DescribeExecution answered without status.");
    }

    /// <summary>Counts the executions of a state machine in one status, following nextToken.</summary>
    public async Task<int> CountExecutionsAsync(string stateMachineArn, string status, CancellationToken token)
    {
        var count = 0;
        string? next = null;
        do
        {
            var request = new Dictionary<string, object> { ["stateMachineArn"] = stateMachineArn, ["statusFilter"] = status, ["maxResults"] = 1000 };
            if (next != null) request["nextToken"] = next;
            using var doc = await CallAsync("ListExecutions", JsonSerializer.SerializeToUtf8Bytes(request), token).ConfigureAwait(false);
            count += doc.RootElement.GetProperty("executions").GetArrayLength();
            next = doc.RootElement.TryGetProperty("nextToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        } while (next != null);
        return count;
    }

    /// <summary>
    /// The ARNs of a state machine's executions started after <paramref name="newestKnown"/> (every one when it is null),
    /// newest first, at most <paramref name="limit"/>: ListExecutions lists newest first, so the listing stops at the
    /// execution that was the newest before. The soak reads with it what a round really started.
    /// </summary>
    public async Task<List<string>> ExecutionArnsNewerThanAsync(string stateMachineArn, string? newestKnown, int limit, CancellationToken token)
    {
        var arns = new List<string>();
        string? next = null;
        do
        {
            var request = new Dictionary<string, object> { ["stateMachineArn"] = stateMachineArn, ["maxResults"] = Math.Min(limit, 1000) };
            if (next != null) request["nextToken"] = next;
            using var doc = await CallAsync("ListExecutions", JsonSerializer.SerializeToUtf8Bytes(request), token).ConfigureAwait(false);
            foreach (var execution in doc.RootElement.GetProperty("executions").EnumerateArray())
            {
                var arn = execution.GetProperty("executionArn").GetString()!;
                if (arn == newestKnown || arns.Count == limit) return arns;
                arns.Add(arn);
            }
            next = doc.RootElement.TryGetProperty("nextToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        } while (next != null);
        return arns;
    }

    private async Task<JsonDocument> CallAsync(string operation, byte[] body, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        var target = "AWSStepFunctions." + operation;
        var toSign = new Dictionary<string, string>(4)
        {
            ["content-type"] = JsonContentType.MediaType!,
            ["host"] = _host,
            ["x-amz-target"] = target,
        };
        foreach (var h in _signer.Sign("POST", "/", "", toSign, body, DateTime.UtcNow))
            request.Headers.TryAddWithoutValidation(h.Key, h.Value);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = JsonContentType;

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // The endpoint's AWS-shaped error (type and message), never the request: it carries the signature.
            var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 500));
            throw new InvalidOperationException($"{operation} answered HTTP {(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(bytes);
    }

    public void Dispose() => _http.Dispose();
}
