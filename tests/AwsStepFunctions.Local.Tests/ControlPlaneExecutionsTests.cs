using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// GET /_local/executions: tests assert "nothing was started" with it, so an ARN it cannot answer for must be an error,
/// never an empty list.
/// </summary>
public sealed class ControlPlaneExecutionsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly HttpClient Http = new();
    private AwsTestClient Client => fixture.Client;

    private async Task<(HttpStatusCode Status, JsonObject Body)> ListAsync(string? stateMachineArn)
    {
        var path = "/_local/executions" + (stateMachineArn is null ? "" : "?stateMachineArn=" + Uri.EscapeDataString(stateMachineArn));
        using var response = await Http.GetAsync(new Uri(Client.Endpoint, path));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<string[]> ExecutionsAsync(string stateMachineArn)
    {
        var (status, body) = await ListAsync(stateMachineArn);
        Assert.Equal(HttpStatusCode.OK, status);
        return body["executions"]!.AsArray().Select(e => e!["executionArn"]!.GetValue<string>()).ToArray();
    }

    [Fact]
    public async Task VersionOrAliasArn_ListsOnlyItsExecutions_AsListExecutionsDoes_AndATestCaseSuffixIsIgnored()
    {
        var (machine, v1) = await Client.CreatePublishedAsync(ServerFixture.Unique("cp"), VersionFlows.Returning(1));
        var alias = (await Client.CreateAliasAsync("live", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        var direct = await Client.StartAsync(machine);
        var viaVersion = await Client.StartAsync(v1);
        var viaAlias = await Client.StartAsync(alias);

        Assert.Equal([viaAlias, viaVersion, direct], await ExecutionsAsync(machine));
        Assert.Equal([viaAlias, viaVersion, direct], await ExecutionsAsync(machine + "#SomeCase"));
        // As ListExecutions filters them: a version lists the executions that ran it (the alias start reports version 1
        // as its stateMachineVersionArn), an alias only those started through it.
        Assert.Equal([viaAlias, viaVersion], await ExecutionsAsync(v1));
        Assert.Equal([viaAlias], await ExecutionsAsync(alias + "#SomeCase"));
    }

    [Fact]
    public async Task UnknownMachineVersionOrAlias_Is404_MissingOrMalformedArnIs400()
    {
        var (machine, _) = await Client.CreatePublishedAsync(ServerFixture.Unique("cp"), VersionFlows.Returning(1));
        foreach (var arn in new[] { machine + "-gone", machine + ":9", machine + ":nosuchalias" })
        {
            var (status, body) = await ListAsync(arn);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal($"No state machine, version or alias '{arn}' exists, and no execution was started through it.", body["message"]!.GetValue<string>());
        }
        var (missing, missingBody) = await ListAsync(null);
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Equal("The query parameter stateMachineArn is required.", missingBody["message"]!.GetValue<string>());
        var (malformed, malformedBody) = await ListAsync("not-an-arn");
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
        Assert.Equal("Invalid Arn: 'not-an-arn'", malformedBody["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletedMachine_StillListsTheExecutionsItHad()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("cp"), VersionFlows.Returning(1));
        var execution = await Client.StartAsync(machine);
        await Client.WaitForEndAsync(execution);
        (await Client.CallAsync("DeleteStateMachine", new JsonObject { ["stateMachineArn"] = machine })).Ok();
        Assert.Equal([execution], await ExecutionsAsync(machine));
    }
}
