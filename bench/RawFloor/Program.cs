using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;

namespace RawFloor;

/// <summary>
/// Command line: `self-test` checks the signer; `run` sends timed batches and prints one JSON document.
/// Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), never from
/// arguments, so they never show in a process list.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "self-test")
            {
                var ok = SigV4Signer.MatchesDocumentedExample(out var detail);
                Console.WriteLine(detail);
                return ok ? 0 : 1;
            }
            if (args.Length > 0 && args[0] == "run") return Run(BenchArgs.Parse(args.Skip(1)));
            Console.Error.WriteLine("usage: RawFloor self-test | run --url <url> --region <r> --state-machine-arn <arn> --count <n> [--concurrency <c>] [--rounds <r>] [--describe]");
            return 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Net.Http.HttpRequestException)
        {
            Console.Error.WriteLine("RawFloor: " + e.Message);
            return 1;
        }
    }

    private static int Run(BenchArgs a)
    {
        using var client = BenchArgs.ClientFromEnvironment(a.Url, a.Region);
        var count = a.Int("count");
        var concurrency = a.Int("concurrency", 1);
        var batches = new List<object>();
        for (var round = 0; round < a.Int("rounds", 1); round++)
        {
            var started = FloorRunner.StartManyAsync(client, a.Required("state-machine-arn"), count, concurrency, CancellationToken.None).GetAwaiter().GetResult();
            batches.Add(Summary(started));
            if (a.Flag("describe"))
                batches.Add(Summary(FloorRunner.DescribeManyAsync(client, started.ExecutionArns, concurrency, CancellationToken.None).GetAwaiter().GetResult()));
        }
        Console.WriteLine(JsonSerializer.Serialize(new { batches }));
        return 0;
    }

    public static object Summary(BatchResult b) => new
    {
        operation = b.Operation,
        count = b.Count,
        concurrency = b.Concurrency,
        elapsedMs = Math.Round(b.ElapsedMs, 1),
        requestsPerSecond = Math.Round(b.RequestsPerSecond, 1),
        medianMs = Math.Round(b.MedianMs, 3),
        p95Ms = Math.Round(b.P95Ms, 3),
    };
}
