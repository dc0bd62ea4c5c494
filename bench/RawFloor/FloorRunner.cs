using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RawFloor;

/// <summary>One timed batch of requests: throughput and the spread of per-request latencies.</summary>
public sealed class BatchResult
{
    public string Operation { get; init; } = "";
    public int Count { get; init; }
    public int Concurrency { get; init; }
    public double ElapsedMs { get; init; }
    public double RequestsPerSecond => Count / (ElapsedMs / 1000.0);
    public double MedianMs { get; init; }
    public double P95Ms { get; init; }
    /// <summary>For StartExecution batches: the ARNs started, in order (for the describe batches that follow).</summary>
    public string[] ExecutionArns { get; init; } = Array.Empty<string>();
}

/// <summary>
/// Sends a batch of requests with a fixed number of workers (1 = strictly one after another), each
/// worker awaiting its own request before taking the next, like a session or a ThrottleLimit would.
/// </summary>
public static class FloorRunner
{
    public static Task<BatchResult> StartManyAsync(SfnRawClient client, string stateMachineArn, int count, int concurrency, CancellationToken token)
    {
        var arns = new string[count];
        // A fresh prefix per batch keeps names unique across batches and runs against one endpoint.
        var prefix = "floor-" + Guid.NewGuid().ToString("N").Substring(0, 12) + "-";
        return RunAsync("StartExecution", count, concurrency, arns, async i =>
            arns[i] = await client.StartExecutionAsync(stateMachineArn, prefix + i, "{}", token).ConfigureAwait(false), token);
    }

    public static Task<BatchResult> DescribeManyAsync(SfnRawClient client, string[] executionArns, int concurrency, CancellationToken token)
        => RunAsync("DescribeExecution", executionArns.Length, concurrency, Array.Empty<string>(),
            i => client.DescribeExecutionAsync(executionArns[i], token), token);

    private static async Task<BatchResult> RunAsync(string operation, int count, int concurrency, string[] arns, Func<int, Task> call, CancellationToken token)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "count must be at least 1");
        concurrency = Math.Clamp(concurrency, 1, count);
        var latencies = new double[count];
        var next = -1;
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                token.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                await call(i).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        total.Stop();
        Array.Sort(latencies);
        return new BatchResult
        {
            Operation = operation,
            Count = count,
            Concurrency = concurrency,
            ElapsedMs = total.Elapsed.TotalMilliseconds,
            MedianMs = Percentile(latencies, 0.5),
            P95Ms = Percentile(latencies, 0.95),
            ExecutionArns = arns,
        };
    }

    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
