using System;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Local;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        LocalEndpointOptions options;
        try
        {
            options = CommandLine.Parse(args, Environment.GetEnvironmentVariable);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        LocalEndpointServer server;
        try
        {
            server = await LocalEndpointServer.StartAsync(options, CancellationToken.None);
        }
        catch (Exception ex) when (ex is ArgumentException or System.IO.IOException)
        {
            await Console.Error.WriteLineAsync($"Cannot start the endpoint: {ex.Message}");
            return 1;
        }

        await using (server)
        {
            // The one line scripts wait for (tools/LocalEndpoint.psm1 parses it).
            Console.Out.WriteLine($"Listening on {server.Url.GetLeftPart(UriPartial.Authority)}");
            Console.Out.Flush();
            await server.WaitForShutdownAsync(CancellationToken.None);
        }
        return 0;
    }
}
