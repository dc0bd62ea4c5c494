using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using AwsStepFunctions.Local.Wire;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// ListExecutions is sorted "by time, with the most recent execution first" (the API reference): with starts racing each
/// other, no execution is listed after one that started earlier. Clients stop reading at a start date (the module's
/// -StartedAfter), so a crossing would hide an execution from them.
/// </summary>
public sealed class ListOrderTests
{
    [Fact]
    public async Task Concurrent_starts_are_listed_in_start_date_order_newest_first()
    {
        // A clock whose readings run a millisecond apart, and which holds every fifth reader a while after it has read: a start
        // held between reading its date and drawing its sequence is overtaken by the others, unless the two are drawn as one.
        await using var server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Port = 0, Time = new StallingClock() }, CancellationToken.None);
        var client = new AwsTestClient(server.Url, Credentials.Default);
        var machine = await client.CreateStateMachineAsync("ordered", Definitions.WaitLong);
        var service = server.StepFunctions;

        // Eight starters at once, in process (no HTTP between them): the tightest race the store can see.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
                await service.InvokeAsync("StartExecution",
                    new JsonMembers(new JsonObject { ["stateMachineArn"] = machine, ["name"] = $"w{worker}-{i}" }), CancellationToken.None);
        })));

        var dates = new List<double>();
        string? token = null;
        do
        {
            var body = new JsonObject { ["stateMachineArn"] = machine, ["maxResults"] = 150 };
            if (token is not null) body["nextToken"] = token;
            var page = (await client.CallAsync("ListExecutions", body)).Ok();
            dates.AddRange(page["executions"]!.AsArray().Select(e => e!["startDate"]!.GetValue<double>()));
            token = page["nextToken"]?.GetValue<string>();
        } while (token is not null);

        Assert.Equal(400, dates.Count);
        for (var i = 1; i < dates.Count; i++)
            Assert.True(dates[i] <= dates[i - 1], $"execution {i} of the list started at {dates[i]}, after execution {i - 1} ({dates[i - 1]}) listed before it");
    }
}

/// <summary>The system's time, a millisecond later at each reading; every fifth reader is held 5 ms once it has its reading.</summary>
internal sealed class StallingClock : TimeProvider
{
    private long _readings;

    public override DateTimeOffset GetUtcNow()
    {
        var reading = Interlocked.Increment(ref _readings);
        var now = System.GetUtcNow().AddMilliseconds(reading);
        if (reading % 5 == 0) Thread.Sleep(5);
        return now;
    }
}
