using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>Process-wide threads, memory and wall time: measured alone (see <see cref="MeasurementsCollection"/>).</summary>
[Collection(MeasurementsCollection.Name)]
public sealed class LifecycleScaleTests
{
    private const string LongWait = """{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}""";

    [Fact]
    public async Task Ten_thousand_executions_in_Wait_cost_no_threads_and_little_memory()
    {
        var clock = new ManualClock();
        var definition = StateMachineDefinition.Parse(LongWait);
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var memoryBefore = GC.GetTotalMemory(true);
        var sw = Stopwatch.StartNew();
        var runs = Enumerable.Range(0, 10_000).Select(_ =>
        {
            var host = new RecordingHost();
            return (Run: ExecutionRun.Start(definition, "{\"k\":1}", AslKit.Context(), new EngineOptions { Time = clock }, host), Host: host);
        }).ToArray();
        var t1 = sw.ElapsedMilliseconds;
        await clock.WaitForTimersAsync(10_000, timeoutMs: 30_000);
        var t2 = sw.ElapsedMilliseconds;
        var perRun = (GC.GetTotalMemory(true) - memoryBefore) / 10_000.0;
        var threadsAfter = Process.GetCurrentProcess().Threads.Count;
        Assert.True(perRun < 20_000, $"{perRun:F0} bytes per waiting execution");
        // One thread per execution would add 10,000.
        Assert.True(threadsAfter - threadsBefore < 500, $"{threadsAfter - threadsBefore} more threads");

        foreach (var r in runs) r.Run.Stop(null, null);
        await Task.WhenAll(runs.Select(r => r.Run.Completion)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(runs, r => Assert.Equal("ABORTED", r.Host.Outcome!.Status));
        Assert.Equal(0, clock.ActiveTimers);
        Assert.True(sw.ElapsedMilliseconds < 10_000, $"started in {t1} ms, all waiting after {t2} ms, all stopped after {sw.ElapsedMilliseconds} ms");
    }
}
