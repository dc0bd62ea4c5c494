using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using AwsStepFunctions.Local.Wire;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

[Collection(MeasurementsCollection.Name)]
public sealed class ScaleTests
{
    [Fact]
    public async Task TenThousandRunningExecutions_CostNoThreads_AndStayListableAndStoppable()
    {
        await using var server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions(), CancellationToken.None);
        var client = new AwsTestClient(server.Url, Credentials.Default);
        var machine = await client.CreateStateMachineAsync("scale", Definitions.WaitLong);
        var service = server.StepFunctions;
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var watch = Stopwatch.StartNew();

        // Through the service (not HTTP) so the test measures the store and engine, not the client.
        var arns = new string[10_000];
        for (var i = 0; i < arns.Length; i++)
        {
            var started = await service.InvokeAsync("StartExecution",
                new JsonMembers(new JsonObject { ["stateMachineArn"] = machine, ["name"] = $"run-{i}" }), CancellationToken.None);
            arns[i] = started["executionArn"]!.GetValue<string>();
        }
        var startedIn = watch.ElapsedMilliseconds;
        Assert.True(Process.GetCurrentProcess().Threads.Count - threadsBefore < 50, "a thread per execution?");

        var running = 0;
        string? token = null;
        do
        {
            var body = new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "RUNNING", ["maxResults"] = 1000 };
            if (token is not null) body["nextToken"] = token;
            var page = (await client.CallAsync("ListExecutions", body)).Ok();
            running += page["executions"]!.AsArray().Count;
            token = page["nextToken"]?.GetValue<string>();
        } while (token is not null);
        Assert.Equal(10_000, running);

        foreach (var arn in arns)
            await service.InvokeAsync("StopExecution", new JsonMembers(new JsonObject { ["executionArn"] = arn }), CancellationToken.None);
        var last = await client.WaitForEndAsync(arns[^1]);
        Assert.Equal("ABORTED", last["status"]!.GetValue<string>());
        Assert.True(watch.ElapsedMilliseconds < 30_000, $"started 10,000 in {startedIn} ms, all done in {watch.ElapsedMilliseconds} ms");
    }
}
