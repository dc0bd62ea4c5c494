using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>Each test owns a server: faults and counters are global to a server.</summary>
public sealed class FaultInjectionTests : IAsyncLifetime
{
    private readonly ServerFixture _fixture = new();
    private readonly HttpClient _control = new();
    // Connections are never reused here: a pooled connection that the server aborted could make the
    // handler transparently retry the request, hiding the very fault under test.
    private readonly HttpClient _fresh = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });
    private AwsTestClient Client => new(_fixture.Server.Url, Credentials.Default, _fresh);

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public async Task DisposeAsync()
    {
        _control.Dispose();
        _fresh.Dispose();
        await _fixture.DisposeAsync();
    }

    private async Task<HttpResponseMessage> ControlAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_fixture.Server.Url, path));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _control.SendAsync(request);
    }

    private async Task FaultAsync(string operation, string kind, int count = 1, int delayMs = 0)
    {
        var response = await ControlAsync(HttpMethod.Post, "/_local/faults",
            $"{{\"operation\":\"{operation}\",\"kind\":\"{kind}\",\"count\":{count},\"delayMs\":{delayMs}}}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonObject> CountersAsync() =>
        JsonNode.Parse(await (await ControlAsync(HttpMethod.Get, "/_local/counters")).Content.ReadAsStringAsync())!.AsObject();

    [Fact]
    public async Task Throttle_AffectsTheNextNMatchingRequestsOnly()
    {
        await FaultAsync("ListStateMachines", "throttle", 2);
        (await Client.CallAsync("ListExecutions", new JsonObject())).AssertError("ValidationException");
        var first = await Client.CallAsync("ListStateMachines");
        first.AssertError("ThrottlingException");
        Assert.Equal("com.amazon.coral.service#ThrottlingException", first.Json["__type"]!.GetValue<string>());
        (await Client.CallAsync("ListStateMachines")).AssertError("ThrottlingException");
        (await Client.CallAsync("ListStateMachines")).Ok();
    }

    [Theory]
    [InlineData("http500", HttpStatusCode.InternalServerError, "InternalFailure", "The request processing has failed because of an unknown error.")]
    [InlineData("http503", HttpStatusCode.ServiceUnavailable, "ServiceUnavailableException", "Service Unavailable")]
    public async Task HttpErrors_AnswerThatStatusWithTheServicesErrorCode(string kind, HttpStatusCode status, string code, string message)
    {
        await FaultAsync("DescribeStateMachine", kind);
        var reply = await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:X" });
        reply.AssertError(code, status);
        Assert.Equal("com.amazon.coral.service#" + code, reply.Json["__type"]!.GetValue<string>());
        Assert.Equal(message, reply.ErrorMessage);
    }

    [Fact]
    public async Task Reset_AbortsTheConnectionBeforeProcessing()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("fault"), Definitions.Pass);
        await FaultAsync("StartExecution", "reset");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Client.StartAsync(machine, "never"));
        (await Client.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = machine.Replace(":stateMachine:", ":execution:") + ":never" }))
            .AssertError("ExecutionDoesNotExist");
    }

    [Fact]
    public async Task DropAfterProcessing_MakesTheChangeButTheClientNeverHearsIt()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("fault"), Definitions.WaitLong);
        await FaultAsync("StartExecution", "drop-after-processing");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Client.StartAsync(machine, "dropped"));
        var arn = machine.Replace(":stateMachine:", ":execution:") + ":dropped";
        Assert.Equal("RUNNING", (await Client.DescribeAsync(arn))["status"]!.GetValue<string>());
        // The client's retry with the same name and input is answered by idempotency.
        Assert.Equal(arn, await Client.StartAsync(machine, "dropped"));
        await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = arn });
    }

    [Fact]
    public async Task Delay_WaitsThenProcesses()
    {
        await FaultAsync("ListStateMachines", "delay", 1, 300);
        var watch = Stopwatch.StartNew();
        (await Client.CallAsync("ListStateMachines")).Ok();
        Assert.True(watch.ElapsedMilliseconds >= 280, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task DeleteFaults_ClearsPendingFaults()
    {
        await FaultAsync("ListStateMachines", "throttle", 5);
        Assert.Equal(HttpStatusCode.OK, (await ControlAsync(HttpMethod.Delete, "/_local/faults")).StatusCode);
        (await Client.CallAsync("ListStateMachines")).Ok();
    }

    [Theory]
    [InlineData("{\"kind\":\"throttle\"}", "operation")]
    [InlineData("{\"operation\":\"X\",\"kind\":\"explode\"}", "kind")]
    [InlineData("{\"operation\":\"X\",\"kind\":\"throttle\",\"count\":0}", "count")]
    [InlineData("not json", "")]
    public async Task BadFaultRequests_Are400NamingTheField(string body, string field)
    {
        var response = await ControlAsync(HttpMethod.Post, "/_local/faults", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Counters_CountEveryAttempt_IncludingFailedAuthAndInjectedFaults_AndReset()
    {
        await FaultAsync("ListStateMachines", "throttle");
        await Client.CallAsync("ListStateMachines");
        await Client.CallAsync("ListStateMachines");
        await Client.With(new Credentials("AKIAUNKNOWN000000000", "x")).CallAsync("ListStateMachines");
        await Client.StsAsync(("Action", "GetCallerIdentity"));
        var counters = await CountersAsync();
        Assert.Equal(3, counters["ListStateMachines"]!.GetValue<long>());
        Assert.Equal(1, counters["GetCallerIdentity"]!.GetValue<long>());

        Assert.Equal(HttpStatusCode.OK, (await ControlAsync(HttpMethod.Post, "/_local/counters/reset")).StatusCode);
        Assert.Empty(await CountersAsync());
    }

    [Fact]
    public async Task RequestLog_NamesCallerAndStatus_NeverSecrets()
    {
        await Client.CallAsync("ListStateMachines");
        var session = await Client.With(ServerFixture.Runner).AssumeRoleAsync(ServerFixture.DeployerRole, "logged", ServerFixture.ExternalId);
        await Client.With(session).CallAsync("ListStateMachines");
        var body = await (await ControlAsync(HttpMethod.Get, "/_local/requests")).Content.ReadAsStringAsync();
        var requests = JsonNode.Parse(body)!["requests"]!.AsArray();
        var mine = requests.First(r => r!["operation"]!.GetValue<string>() == "ListStateMachines")!;
        Assert.Equal("arn:aws:iam::123456789012:user/local", mine["principalArn"]!.GetValue<string>());
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", mine["accessKeyId"]!.GetValue<string>());
        Assert.Equal(200, mine["statusCode"]!.GetValue<int>());
        Assert.Contains(requests, r => r!["principalArn"]?.GetValue<string>() == "arn:aws:sts::123456789012:assumed-role/Deployer/logged");
        foreach (var secret in new[] { Credentials.Default.SecretAccessKey, ServerFixture.Runner.SecretAccessKey, session.SecretAccessKey, session.SessionToken! })
            Assert.DoesNotContain(secret, body);
    }

    [Fact]
    public async Task Concurrency_ReportsThePeakOfRequestsInFlightPerOperation_AndResetRestartsIt()
    {
        // Four ListStateMachines held 1.5 s each, sent together: all four are in flight at once (held long enough that a busy
        // machine still sends the last before the first is answered).
        await FaultAsync("ListStateMachines", "delay", 4, 1500);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Client.CallAsync("ListStateMachines")));
        await Client.CallAsync("ListStateMachines");
        var gauge = JsonNode.Parse(await (await ControlAsync(HttpMethod.Get, "/_local/concurrency")).Content.ReadAsStringAsync())!;
        Assert.Equal(4, gauge["ListStateMachines"]!["maxInFlight"]!.GetValue<int>());
        Assert.Equal(0, gauge["ListStateMachines"]!["inFlight"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.OK, (await ControlAsync(HttpMethod.Post, "/_local/counters/reset")).StatusCode);
        await Client.CallAsync("ListStateMachines");
        gauge = JsonNode.Parse(await (await ControlAsync(HttpMethod.Get, "/_local/concurrency")).Content.ReadAsStringAsync())!;
        Assert.Equal(1, gauge["ListStateMachines"]!["maxInFlight"]!.GetValue<int>());
    }
}
