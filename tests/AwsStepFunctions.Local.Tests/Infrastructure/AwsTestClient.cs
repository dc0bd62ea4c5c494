using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Infrastructure;

public sealed record Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public static Credentials Default { get; } = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
}

/// <summary>An HTTP reply with the helpers the tests assert on.</summary>
public sealed class Reply(HttpStatusCode status, HttpResponseMessage message, string body)
{
    public HttpStatusCode Status { get; } = status;
    public HttpResponseMessage Message { get; } = message;
    public string Body { get; } = body;
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    public XElement Xml => XElement.Parse(Body);
    public string? Header(string name) => Message.Headers.TryGetValues(name, out var v) ? v.First() : Message.Content.Headers.TryGetValues(name, out var c) ? c.First() : null;

    /// <summary>The error code as a client reads it: after the last '#' of __type.</summary>
    public string? ErrorCode => Json["__type"]?.GetValue<string>() is { } t ? t[(t.LastIndexOf('#') + 1)..] : null;
    public string? ErrorMessage => Json["message"]?.GetValue<string>();

    public JsonObject Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        return Json;
    }

    public void AssertError(string code, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        Assert.True(Status == status, $"expected {(int)status} {code}, got {(int)Status}: {Body}");
        Assert.Equal(code, ErrorCode);
        Assert.Equal(code, Header("x-amzn-ErrorType"));
    }

    public XNamespace StsNs => "https://sts.amazonaws.com/doc/2011-06-15/";

    public void AssertStsError(string code, HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status} {code}, got {(int)Status}: {Body}");
        Assert.Equal(code, Xml.Element(StsNs + "Error")!.Element(StsNs + "Code")!.Value);
    }
}

/// <summary>Signs and sends Step Functions (awsJson1_0) and STS (awsQuery) requests to the endpoint.</summary>
public sealed class AwsTestClient(Uri endpoint, Credentials credentials, HttpClient? http = null, string region = "us-east-1")
{
    private static readonly HttpClient Shared = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly HttpClient _http = http ?? Shared;

    public Uri Endpoint { get; } = endpoint;
    public Credentials Credentials { get; } = credentials;

    public AwsTestClient With(Credentials other) => new(Endpoint, other, _http, Region);

    /// <summary>The region requests are signed for (the credential scope).</summary>
    public string Region { get; } = region;

    public AwsTestClient SigningFor(string otherRegion) => new(Endpoint, Credentials, _http, otherRegion);

    public Task<Reply> CallAsync(string operation, JsonObject? body = null) =>
        SendRawAsync(Encoding.UTF8.GetBytes((body ?? new JsonObject()).ToJsonString()), operation);

    /// <summary>Full control for wire tests: any body bytes, content type, signing time or header tweak.</summary>
    public async Task<Reply> SendRawAsync(byte[] body, string? operation, string contentType = "application/x-amz-json-1.0",
        DateTimeOffset? signedAt = null, bool sign = true, Action<HttpRequestMessage>? afterSigning = null, string service = "states",
        bool signDateHeader = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (operation is not null) request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSStepFunctions." + operation);
        if (sign) TestSigner.Sign(request, body, Credentials.AccessKeyId, Credentials.SecretAccessKey, Credentials.SessionToken, Region, service,
            signedAt ?? DateTimeOffset.UtcNow, signDateHeader);
        afterSigning?.Invoke(request);
        var response = await _http.SendAsync(request);
        return new Reply(response.StatusCode, response, await response.Content.ReadAsStringAsync());
    }

    public Task<Reply> StsAsync(params (string Name, string Value)[] parameters) => StsFormAsync(sign: true, parameters);

    /// <summary>An STS request with no signature at all, as the SDKs send AssumeRoleWithWebIdentity.</summary>
    public Task<Reply> UnsignedStsAsync(params (string Name, string Value)[] parameters) => StsFormAsync(sign: false, parameters);

    private Task<Reply> StsFormAsync(bool sign, (string Name, string Value)[] parameters)
    {
        var form = string.Join("&", new[] { ("Version", "2011-06-15") }.Concat(parameters)
            .Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2)));
        return SendRawAsync(Encoding.UTF8.GetBytes(form), null, "application/x-www-form-urlencoded; charset=utf-8", sign: sign, service: "sts");
    }

    public async Task<Credentials> AssumeRoleAsync(string roleArn, string session = "test-session", string? externalId = null)
    {
        var parameters = new List<(string, string)> { ("Action", "AssumeRole"), ("RoleArn", roleArn), ("RoleSessionName", session) };
        if (externalId is not null) parameters.Add(("ExternalId", externalId));
        var reply = await StsAsync(parameters.ToArray());
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var ns = reply.StsNs;
        var c = reply.Xml.Element(ns + "AssumeRoleResult")!.Element(ns + "Credentials")!;
        return new Credentials(c.Element(ns + "AccessKeyId")!.Value, c.Element(ns + "SecretAccessKey")!.Value, c.Element(ns + "SessionToken")!.Value);
    }

    // Conveniences for the Step Functions flows most tests need.

    /// <summary>Every item of a list operation, page by page (pageSize each), following nextToken to the end.</summary>
    public async Task<List<JsonNode>> ListAllAsync(string operation, JsonObject request, string listMember, int pageSize)
    {
        var all = new List<JsonNode>();
        string? token = null;
        do
        {
            var body = (JsonObject)request.DeepClone();
            body["maxResults"] = pageSize;
            if (token is not null) body["nextToken"] = token;
            var page = (await CallAsync(operation, body)).Ok();
            all.AddRange(page[listMember]!.AsArray().Select(item => item!));
            token = page["nextToken"]?.GetValue<string>();
        } while (token is not null);
        return all;
    }

    public async Task<string> CreateStateMachineAsync(string name, string definition, string type = "STANDARD")
    {
        var reply = await CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = name, ["definition"] = definition, ["roleArn"] = "arn:aws:iam::123456789012:role/Test", ["type"] = type,
        });
        return reply.Ok()["stateMachineArn"]!.GetValue<string>();
    }

    public async Task<string> StartAsync(string machineArn, string? name = null, string input = "{}")
    {
        var body = new JsonObject { ["stateMachineArn"] = machineArn, ["input"] = input };
        if (name is not null) body["name"] = name;
        return (await CallAsync("StartExecution", body)).Ok()["executionArn"]!.GetValue<string>();
    }

    public async Task<JsonObject> DescribeAsync(string executionArn) =>
        (await CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = executionArn })).Ok();

    /// <summary>Polls until the execution leaves RUNNING (or the time is up).</summary>
    public async Task<JsonObject> WaitForEndAsync(string executionArn, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var d = await DescribeAsync(executionArn);
            if (d["status"]!.GetValue<string>() != "RUNNING" || DateTime.UtcNow > deadline) return d;
            await Task.Delay(25);
        }
    }
}
