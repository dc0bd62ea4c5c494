using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>What makes a new revision, and UpdateStateMachine's publish under concurrent updates.</summary>
public sealed class RevisionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    private static JsonObject Arn(string arn) => new() { ["stateMachineArn"] = arn };

    private static JsonObject Logging(string level) => new()
    {
        ["level"] = level,
        ["includeExecutionData"] = true,
        ["destinations"] = new JsonArray(new JsonObject
        {
            ["cloudWatchLogsLogGroup"] = new JsonObject { ["logGroupArn"] = "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*" },
        }),
    };

    [Fact]
    public async Task ConcurrentUpdatesWithPublish_NeverConflict_AndEachVersionHasItsOwnCallsDefinition()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("rev"), VersionFlows.Returning(0));
        // Eight writers updating and publishing in a loop while two readers list the versions (holding the store's lock
        // meanwhile). Before the update and its publish shared one critical section, another writer's update could land
        // in between, and the caller got ConflictException for an update that had been applied.
        const int writers = 8, updatesEach = 50;
        var done = false;
        async Task ReadAsync()
        {
            while (!Volatile.Read(ref done)) (await Client.CallAsync("ListStateMachineVersions", new JsonObject { ["stateMachineArn"] = machine, ["maxResults"] = 1000 })).Ok();
        }
        async Task WriteAsync(int writer)
        {
            for (var i = 0; i < updatesEach; i++)
            {
                var value = writer * 1000 + i;
                var update = (await Client.UpdateAsync(machine, VersionFlows.Returning(value), publish: true)).Ok();
                var version = (await Client.CallAsync("DescribeStateMachine", Arn(update["stateMachineVersionArn"]!.GetValue<string>()))).Ok();
                Assert.Equal(VersionFlows.Returning(value), version["definition"]!.GetValue<string>());
                Assert.Equal(update["revisionId"]!.GetValue<string>(), version["revisionId"]!.GetValue<string>());
            }
        }
        var readers = new[] { Task.Run(ReadAsync), Task.Run(ReadAsync) };
        try
        {
            await Task.WhenAll(Enumerable.Range(1, writers).Select(w => Task.Run(() => WriteAsync(w))));
        }
        finally
        {
            Volatile.Write(ref done, true);
            await Task.WhenAll(readers);
        }
        Assert.Equal(writers * updatesEach, (await Client.CallAsync("ListStateMachineVersions", new JsonObject { ["stateMachineArn"] = machine, ["maxResults"] = 1000 })).Ok()
            ["stateMachineVersions"]!.AsArray().Count);
    }

    [Fact]
    public async Task LoggingOrTracingOnlyUpdate_MakesANewRevision_AndPublishingItANewVersion()
    {
        var (machine, v1) = await Client.CreatePublishedAsync(ServerFixture.Unique("rev"), VersionFlows.Returning(1));

        var logging = (await Client.CallAsync("UpdateStateMachine", new JsonObject
        {
            ["stateMachineArn"] = machine, ["loggingConfiguration"] = Logging("ALL"), ["publish"] = true,
        })).Ok();
        var r2 = logging["revisionId"]!.GetValue<string>();
        var v2 = logging["stateMachineVersionArn"]!.GetValue<string>();
        Assert.Equal(machine + ":2", v2);
        Assert.NotEqual(v1, v2);
        Assert.Equal(r2, (await Client.CallAsync("DescribeStateMachine", Arn(v2))).Ok()["revisionId"]!.GetValue<string>());

        // The same configuration again changes nothing, so the revision (and the version it was published as) stays.
        var again = (await Client.CallAsync("UpdateStateMachine", new JsonObject
        {
            ["stateMachineArn"] = machine, ["loggingConfiguration"] = Logging("ALL"), ["publish"] = true,
        })).Ok();
        Assert.Equal(r2, again["revisionId"]!.GetValue<string>());
        Assert.Equal(v2, again["stateMachineVersionArn"]!.GetValue<string>());

        var tracing = (await Client.CallAsync("UpdateStateMachine", new JsonObject
        {
            ["stateMachineArn"] = machine, ["tracingConfiguration"] = new JsonObject { ["enabled"] = true },
        })).Ok();
        var r3 = tracing["revisionId"]!.GetValue<string>();
        Assert.NotEqual(r2, r3);

        var encryption = (await Client.CallAsync("UpdateStateMachine", new JsonObject
        {
            ["stateMachineArn"] = machine,
            ["encryptionConfiguration"] = new JsonObject
            {
                ["type"] = "CUSTOMER_MANAGED_KMS_KEY", ["kmsKeyId"] = "arn:aws:kms:us-east-1:123456789012:key/k", ["kmsDataKeyReusePeriodSeconds"] = 300,
            },
        })).Ok();
        Assert.NotEqual(r3, encryption["revisionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task DefaultConfigurationSentExplicitly_IsNoChange()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("rev"), VersionFlows.Returning(1));
        // A machine created without them has logging OFF and tracing disabled: saying so again is not an update.
        var update = (await Client.CallAsync("UpdateStateMachine", new JsonObject
        {
            ["stateMachineArn"] = machine,
            ["loggingConfiguration"] = new JsonObject { ["level"] = "OFF" },
            ["tracingConfiguration"] = new JsonObject { ["enabled"] = false },
        })).Ok();
        Assert.Null(update["revisionId"]);
    }
}
