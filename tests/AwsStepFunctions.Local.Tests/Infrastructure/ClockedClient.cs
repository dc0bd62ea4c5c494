using System;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Local.Tests.Infrastructure;

/// <summary>
/// A client of one server that signs with the server's clock, so a test can move time by days (a ManualClock) without
/// tripping the 15-minute skew check; with helpers for the calls those tests make.
/// </summary>
internal sealed class ClockedClient(LocalEndpointServer server, TimeProvider time) : IAsyncDisposable
{
    private readonly AwsTestClient _client = new(server.Url, Credentials.Default);

    /// <summary>
    /// Starts an endpoint of its own on <paramref name="time"/> (a ManualClock, or the system's), with the mock config and
    /// GetActivityTask poll length (--activity-poll-seconds) given; disposing the client stops it.
    /// </summary>
    public static async Task<ClockedClient> StartAsync(TimeProvider time, string? mockConfig = null, int activityPollSeconds = 60)
    {
        var options = new LocalEndpointOptions
        {
            Port = 0, Time = time, MockConfig = mockConfig is null ? null : JsonNode.Parse(mockConfig)!.AsObject(), ActivityPollSeconds = activityPollSeconds,
        };
        return new ClockedClient(await LocalEndpointServer.StartAsync(options, CancellationToken.None), time);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    public Uri Url => server.Url;

    public Task<Reply> CallAsync(string operation, JsonObject body) =>
        _client.SendRawAsync(Encoding.UTF8.GetBytes(body.ToJsonString()), operation, signedAt: time.GetUtcNow());

    public async Task<string> CreateAsync(string name, string definition, string type = "STANDARD") =>
        Str((await CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = name, ["definition"] = definition, ["roleArn"] = "arn:aws:iam::123456789012:role/Test", ["type"] = type,
        })).Ok(), "stateMachineArn");

    public async Task<string> StartAsync(string machineArn, string input) =>
        Str((await CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machineArn, ["input"] = input })).Ok(), "executionArn");

    public async Task<JsonObject> DescribeAsync(string arn) =>
        (await CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = arn })).Ok();

    public async Task<JsonArray> HistoryAsync(string arn) =>
        (await CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn })).Ok()["events"]!.AsArray();

    public async Task<JsonObject> WaitForEndAsync(string arn)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            var d = await DescribeAsync(arn);
            if (Str(d, "status") != "RUNNING" || Environment.TickCount64 > deadline) return d;
            await Task.Delay(10);
        }
    }

    private static string Str(JsonNode node, string member) => node[member]!.GetValue<string>();
}
