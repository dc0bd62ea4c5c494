using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using RawFloor;

namespace EndpointLoad;

/// <summary>
/// Starts --executions executions of a long-running state machine in batches of --batch with
/// --concurrency workers (StartExecution requests/second per batch), describes every one of them the
/// same way (DescribeExecution requests/second), counts those still RUNNING with ListExecutions, and
/// samples the endpoint's working set (--endpoint-pid) after every batch. An unmeasured warm-up runs
/// first on --warmup-state-machine-arn (one that ends at once). Prints one JSON document.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            var a = BenchArgs.Parse(args);
            using var client = BenchArgs.ClientFromEnvironment(a.Url, a.Region);
            var stateMachineArn = a.Required("state-machine-arn");
            var total = a.Int("executions");
            var batchSize = Math.Min(a.Int("batch", total), total);
            var concurrency = a.Int("concurrency", 16);
            using var endpoint = Process.GetProcessById(a.Int("endpoint-pid"));

            // Unmeasured warm-up on a machine that ends at once: JIT and connections on both sides, without
            // adding to the executions held RUNNING.
            var warmUpArn = a.Required("warmup-state-machine-arn");
            var warmUp = FloorRunner.StartManyAsync(client, warmUpArn, 200, concurrency, CancellationToken.None).GetAwaiter().GetResult();
            FloorRunner.DescribeManyAsync(client, warmUp.ExecutionArns, concurrency, CancellationToken.None).GetAwaiter().GetResult();

            var memory = new List<object> { Sample(endpoint, "before", 0) };
            var startBatches = new List<BatchResult>();
            var arns = new List<string>(total);
            while (arns.Count < total)
            {
                var batch = FloorRunner.StartManyAsync(client, stateMachineArn, Math.Min(batchSize, total - arns.Count), concurrency, CancellationToken.None)
                    .GetAwaiter().GetResult();
                startBatches.Add(batch);
                arns.AddRange(batch.ExecutionArns);
                memory.Add(Sample(endpoint, "started", arns.Count));
            }

            var describeBatches = new List<BatchResult>();
            foreach (var chunk in arns.Chunk(batchSize))
                describeBatches.Add(FloorRunner.DescribeManyAsync(client, chunk, concurrency, CancellationToken.None).GetAwaiter().GetResult());
            memory.Add(Sample(endpoint, "described", arns.Count));

            var running = client.CountExecutionsAsync(stateMachineArn, "RUNNING", CancellationToken.None).GetAwaiter().GetResult();
            memory.Add(Sample(endpoint, "listed", arns.Count));

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                executions = arns.Count,
                concurrency,
                startBatches = startBatches.Select(RawFloor.Program.Summary),
                describeBatches = describeBatches.Select(RawFloor.Program.Summary),
                runningAfterLoad = running,
                endpointMemory = memory,
            }));
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Net.Http.HttpRequestException)
        {
            Console.Error.WriteLine("EndpointLoad: " + e.Message);
            return 1;
        }
    }

    private static object Sample(Process endpoint, string phase, int executionsStarted)
    {
        endpoint.Refresh();
        return new { phase, executionsStarted, workingSetBytes = endpoint.WorkingSet64 };
    }
}
