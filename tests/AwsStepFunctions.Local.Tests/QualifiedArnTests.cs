using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>Operations that take only an unqualified state machine ARN, given a version or alias ARN.</summary>
public sealed class QualifiedArnTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    private static JsonObject Arn(string arn) => new() { ["stateMachineArn"] = arn };

    private async Task<(string Machine, string Version, string Alias)> PublishedWithAliasAsync()
    {
        var (machine, v1) = await Client.CreatePublishedAsync(ServerFixture.Unique("qual"), VersionFlows.Returning(1));
        var alias = (await Client.CreateAliasAsync("live", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        return (machine, v1, alias);
    }

    [Fact]
    public async Task DeleteStateMachine_OfAVersionOrAlias_IsRefused_AndDeletesNothing()
    {
        var (machine, v1, alias) = await PublishedWithAliasAsync();
        var version = await Client.CallAsync("DeleteStateMachine", Arn(v1));
        version.AssertError("ValidationException");
        Assert.Equal($"DeleteStateMachine takes an unqualified state machine ARN; delete a version with DeleteStateMachineVersion: '{v1}'", version.ErrorMessage);
        var byAlias = await Client.CallAsync("DeleteStateMachine", Arn(alias));
        byAlias.AssertError("ValidationException");
        Assert.Equal($"DeleteStateMachine takes an unqualified state machine ARN; delete an alias with DeleteStateMachineAlias: '{alias}'", byAlias.ErrorMessage);

        (await Client.CallAsync("DescribeStateMachine", Arn(machine))).Ok();
        (await Client.CallAsync("DescribeStateMachine", Arn(v1))).Ok();
        (await Client.CallAsync("DescribeStateMachineAlias", new JsonObject { ["stateMachineAliasArn"] = alias })).Ok();
        // Deleting a machine that does not exist stays idempotent.
        (await Client.CallAsync("DeleteStateMachine", Arn(machine + "-gone"))).Ok();
    }

    [Fact]
    public async Task ListStateMachineVersions_OfAVersionOrAlias_IsInvalidArn_OfAnUnknownMachineIsEmpty()
    {
        var (machine, v1, alias) = await PublishedWithAliasAsync();
        foreach (var arn in new[] { v1, alias })
        {
            var reply = await Client.CallAsync("ListStateMachineVersions", Arn(arn));
            reply.AssertError("InvalidArn");
            Assert.Equal($"Invalid Arn: '{arn}'", reply.ErrorMessage);
        }
        Assert.Equal([v1], (await Client.CallAsync("ListStateMachineVersions", Arn(machine))).Ok()["stateMachineVersions"]!.AsArray()
            .Select(v => v!["stateMachineVersionArn"]!.GetValue<string>()));
        // The model gives ListStateMachineVersions no StateMachineDoesNotExist.
        Assert.Empty((await Client.CallAsync("ListStateMachineVersions", Arn(machine + "-gone"))).Ok()["stateMachineVersions"]!.AsArray());
    }
}
