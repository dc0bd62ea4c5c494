using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// IAM for versions and aliases, as the developer guide's "Authorization for versions and aliases" states it: the
/// resource is the state machine's ARN (not the version or alias ARN), and publish=true on CreateStateMachine or
/// UpdateStateMachine also needs states:PublishStateMachineVersion.
/// </summary>
public sealed class VersionAuthorizationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;
    private AwsTestClient Author => fixture.As(ServerFixture.Author);

    private static string Denied(string user, string action, string resource) =>
        $"User: arn:aws:iam::123456789012:user/{user} is not authorized to perform: states:{action} on resource: {resource} because no identity-based policy allows the states:{action} action";

    [Fact]
    public async Task CreateWithPublish_WithoutPublishStateMachineVersion_IsDenied_AndCreatesNothing()
    {
        var name = ServerFixture.Unique("auth");
        var body = new JsonObject { ["name"] = name, ["definition"] = VersionFlows.Returning(1), ["roleArn"] = VersionFlows.Role, ["publish"] = true };
        var denied = await Author.CallAsync("CreateStateMachine", body);
        denied.AssertError("AccessDeniedException");
        var machine = $"arn:aws:states:us-east-1:123456789012:stateMachine:{name}";
        Assert.Equal(Denied("author", "PublishStateMachineVersion", machine), denied.ErrorMessage);
        (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = machine })).AssertError("StateMachineDoesNotExist");

        body["publish"] = false;
        (await Author.CallAsync("CreateStateMachine", body)).Ok();
    }

    [Fact]
    public async Task UpdateWithPublish_WithoutPublishStateMachineVersion_IsDenied_AndChangesNothing()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("auth"), VersionFlows.Returning(1));
        var denied = await Author.UpdateAsync(machine, VersionFlows.Returning(2), publish: true);
        denied.AssertError("AccessDeniedException");
        Assert.Equal(Denied("author", "PublishStateMachineVersion", machine), denied.ErrorMessage);
        var described = (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = machine })).Ok();
        Assert.Equal(VersionFlows.Returning(1), described["definition"]!.GetValue<string>());

        (await Author.UpdateAsync(machine, VersionFlows.Returning(2))).Ok();
    }

    [Fact]
    public async Task StartThroughAVersionOrAlias_IsAuthorizedOnTheMachine_AndTheDenialNamesIt()
    {
        var (machine, v1) = await Client.CreatePublishedAsync(ServerFixture.Unique("auth"), VersionFlows.Returning(1));
        var alias = (await Client.CreateAliasAsync("live", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        var reader = fixture.As(ServerFixture.Reader);
        foreach (var arn in new[] { v1, alias, alias + "#Case" })
        {
            var denied = await reader.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = arn });
            denied.AssertError("AccessDeniedException");
            Assert.Equal(Denied("reader", "StartExecution", machine), denied.ErrorMessage);
        }
        var update = await reader.CallAsync("UpdateStateMachineAlias", new JsonObject { ["stateMachineAliasArn"] = alias, ["description"] = "x" });
        Assert.Equal(Denied("reader", "UpdateStateMachineAlias", machine), update.ErrorMessage);
    }
}
