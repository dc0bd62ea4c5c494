using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

public sealed class WireFormatTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    [Fact]
    public async Task Success_HasRequestIdDateContentTypeAndEpochNumberTimestamps()
    {
        var reply = await Client.CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = ServerFixture.Unique("wire"), ["definition"] = Definitions.Pass, ["roleArn"] = "arn:aws:iam::123456789012:role/Test",
        });
        var json = reply.Ok();
        Assert.True(Guid.TryParse(reply.Header("x-amzn-RequestId"), out _));
        Assert.NotNull(reply.Message.Headers.Date);
        Assert.True(Math.Abs((reply.Message.Headers.Date!.Value - DateTimeOffset.UtcNow).TotalMinutes) < 5);
        Assert.Equal("application/x-amz-json-1.0", reply.Message.Content.Headers.ContentType!.MediaType);
        var created = json["creationDate"]!;
        Assert.Equal(JsonValueKind.Number, created.GetValueKind());
        var seconds = created.GetValue<double>();
        Assert.InRange(seconds, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.Equal(Math.Round(seconds, 3), seconds);
    }

    [Fact]
    public async Task ServiceError_UsesTheServiceNamespaceAndErrorTypeHeader()
    {
        var reply = await Client.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:execution:Nope:x" });
        reply.AssertError("ExecutionDoesNotExist");
        Assert.Equal("com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist", reply.Json["__type"]!.GetValue<string>());
        Assert.Equal("Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:Nope:x'", reply.ErrorMessage);
        Assert.True(Guid.TryParse(reply.Header("x-amzn-RequestId"), out _));
    }

    [Fact]
    public async Task UnknownTarget_IsUnknownOperationException_InTheCommonNamespace()
    {
        var reply = await Client.CallAsync("LaunchRocket");
        reply.AssertError("UnknownOperationException");
        Assert.StartsWith("com.amazon.coral.service#", reply.Json["__type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"executionArn\": 42}")]
    public async Task MalformedOrMistypedJson_IsSerializationException(string body)
    {
        var reply = await Client.SendRawAsync(Encoding.UTF8.GetBytes(body), "DescribeExecution");
        reply.AssertError("SerializationException");
        Assert.StartsWith("com.amazon.coral.service#", reply.Json["__type"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongContentType_IsSerializationException()
    {
        var reply = await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", contentType: "text/plain");
        reply.AssertError("SerializationException");
        Assert.Contains("Content-Type", reply.ErrorMessage);
    }

    [Fact]
    public async Task OversizedBody_Is413RequestEntityTooLarge_AnsweredBeforeTheUpload()
    {
        // The server refuses on Content-Length alone, without reading the body. With Expect: 100-continue the client holds
        // the body back until the server answers, so the 413 arrives every time; a blind upload races that early answer
        // and may see a reset instead. The long timeout keeps a busy machine from releasing the body before the answer.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, Expect100ContinueTimeout = TimeSpan.FromSeconds(30) });
        var body = new WatchedContent(OverTheLimit());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        using var request = new HttpRequestMessage(HttpMethod.Post, Client.Endpoint) { Content = body };
        request.Headers.Add("X-Amz-Target", "AWSStepFunctions.ListStateMachines");
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);
        var reply = new Reply(response.StatusCode, response, await response.Content.ReadAsStringAsync());

        reply.AssertError("RequestEntityTooLargeException", HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("com.amazon.coral.service#RequestEntityTooLargeException", reply.Json["__type"]!.GetValue<string>());
        Assert.Equal("Request body is larger than the limit of 1048576 bytes.", reply.ErrorMessage);
        Assert.False(body.Sent, "the server asked for the body (100 Continue) before refusing it");
        (await Client.CallAsync("ListStateMachines")).Ok();
    }

    /// <summary>A body that records whether the client ever started to send it.</summary>
    private sealed class WatchedContent(byte[] bytes) : ByteArrayContent(bytes)
    {
        public bool Sent { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            Sent = true;
            return base.SerializeToStreamAsync(stream, context, cancellationToken);
        }
    }

    [Fact]
    public async Task OversizedBlindUpload_EndsIn413OrAReset_AndTheServerKeepsServing()
    {
        // Without Expect the client streams the whole body while the server has already answered: whether the client
        // reads the 413 or sees the connection closed under its upload is a race, but nothing else is allowed.
        try
        {
            var reply = await Client.SendRawAsync(OverTheLimit(), "ListStateMachines", sign: false);
            reply.AssertError("RequestEntityTooLargeException", HttpStatusCode.RequestEntityTooLarge);
        }
        catch (HttpRequestException)
        {
        }
        (await Client.CallAsync("ListStateMachines")).Ok();
    }

    /// <summary>3 MiB: over the 1 MiB limit the pipeline enforces, under the 4 MiB backstop Kestrel enforces.</summary>
    private static byte[] OverTheLimit()
    {
        var body = new byte[3 * 1024 * 1024];
        Array.Fill(body, (byte)' ');
        return body;
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("AWS4-HMAC-SHA256")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE")]
    [InlineData("AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=00")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/states/aws4_request, SignedHeaders=HOST, Signature=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("AWS4-HMAC-SHA256 ,,,,====")]
    public async Task GarbageAuthorization_IsIncompleteSignature_AndTheServerKeepsServing(string header)
    {
        var reply = await Client.SendRawAsync("{}"u8.ToArray(), "ListStateMachines", sign: false,
            afterSigning: r =>
            {
                r.Headers.TryAddWithoutValidation("Authorization", header);
                r.Headers.TryAddWithoutValidation("X-Amz-Date", DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'"));
            });
        reply.AssertError("IncompleteSignatureException");
        (await Client.CallAsync("ListStateMachines")).Ok();
    }

    [Fact]
    public async Task RandomBytes_NeverCrashTheServer()
    {
        var random = new Random(1234);
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[random.Next(0, 2000)];
            random.NextBytes(bytes);
            var reply = await Client.SendRawAsync(bytes, i % 2 == 0 ? "StartExecution" : "CreateStateMachine");
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        }
        (await Client.CallAsync("ListStateMachines")).Ok();
    }

    [Fact]
    public async Task HealthEndpoint_NeedsNoSignature()
    {
        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri(Client.Endpoint, "/_local/health"));
        Assert.Equal("ok", JsonNode.Parse(body)!["status"]!.GetValue<string>());
    }
}
