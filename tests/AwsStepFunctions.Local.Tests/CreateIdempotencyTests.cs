using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// CreateStateMachine's idempotency as the API reference states it: based on name, definition, type, logging, tracing
/// and encryption configuration, "also based on the publish and versionDescription parameters"; a different roleArn or
/// tags are ignored (and not updated).
/// </summary>
public sealed class CreateIdempotencyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    private static JsonObject Create(string name, bool? publish = null, string? description = null, string role = VersionFlows.Role)
    {
        var body = new JsonObject { ["name"] = name, ["definition"] = VersionFlows.Returning(1), ["roleArn"] = role };
        if (publish is not null) body["publish"] = publish;
        if (description is not null) body["versionDescription"] = description;
        return body;
    }

    private async Task<int> VersionCountAsync(string machine) =>
        (await Client.CallAsync("ListStateMachineVersions", new JsonObject { ["stateMachineArn"] = machine })).Ok()["stateMachineVersions"]!.AsArray().Count;

    private static void AssertAlreadyExists(Reply reply, string machine)
    {
        reply.AssertError("StateMachineAlreadyExists");
        Assert.Equal($"State Machine Already Exists: '{machine}'", reply.ErrorMessage);
    }

    [Fact]
    public async Task IdenticalRepeatOfAPublishingCreate_AnswersTheOriginal_WithItsVersion()
    {
        var name = ServerFixture.Unique("idem");
        var first = (await Client.CallAsync("CreateStateMachine", Create(name, true, "first"))).Ok();
        var again = (await Client.CallAsync("CreateStateMachine", Create(name, true, "first"))).Ok();
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal(first["stateMachineArn"]!.GetValue<string>() + ":1", again["stateMachineVersionArn"]!.GetValue<string>());
        Assert.Equal(1, await VersionCountAsync(first["stateMachineArn"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RepeatWithPublish_OfACreateWithout_IsAlreadyExists_AndPublishesNothing()
    {
        var name = ServerFixture.Unique("idem");
        var machine = (await Client.CallAsync("CreateStateMachine", Create(name))).Ok()["stateMachineArn"]!.GetValue<string>();
        AssertAlreadyExists(await Client.CallAsync("CreateStateMachine", Create(name, true)), machine);
        Assert.Equal(0, await VersionCountAsync(machine));
        // publish:false is the default, so saying it is the same request.
        Assert.Null((await Client.CallAsync("CreateStateMachine", Create(name, false))).Ok()["stateMachineVersionArn"]);
    }

    [Fact]
    public async Task RepeatWithoutPublish_OrWithAnotherVersionDescription_IsAlreadyExists()
    {
        var name = ServerFixture.Unique("idem");
        var machine = (await Client.CallAsync("CreateStateMachine", Create(name, true, "first"))).Ok()["stateMachineArn"]!.GetValue<string>();
        AssertAlreadyExists(await Client.CallAsync("CreateStateMachine", Create(name)), machine);
        AssertAlreadyExists(await Client.CallAsync("CreateStateMachine", Create(name, true)), machine);
        AssertAlreadyExists(await Client.CallAsync("CreateStateMachine", Create(name, true, "second")), machine);
        Assert.Equal(1, await VersionCountAsync(machine));
    }

    [Fact]
    public async Task RepeatWithAnotherRoleArn_IsIdempotent_AndKeepsTheOriginalRole()
    {
        var name = ServerFixture.Unique("idem");
        var first = (await Client.CallAsync("CreateStateMachine", Create(name))).Ok();
        var machine = first["stateMachineArn"]!.GetValue<string>();
        var again = (await Client.CallAsync("CreateStateMachine", Create(name, role: "arn:aws:iam::123456789012:role/Other"))).Ok();
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        var described = (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = machine })).Ok();
        Assert.Equal(VersionFlows.Role, described["roleArn"]!.GetValue<string>());
    }

    [Fact]
    public async Task RepeatWithAnotherLoggingOrTracingConfiguration_IsAlreadyExists()
    {
        var name = ServerFixture.Unique("idem");
        var machine = (await Client.CallAsync("CreateStateMachine", Create(name))).Ok()["stateMachineArn"]!.GetValue<string>();
        var tracing = Create(name);
        tracing["tracingConfiguration"] = new JsonObject { ["enabled"] = true };
        AssertAlreadyExists(await Client.CallAsync("CreateStateMachine", tracing), machine);
        var logging = Create(name);
        logging["loggingConfiguration"] = new JsonObject
        {
            ["level"] = "ERROR",
            ["destinations"] = new JsonArray(new JsonObject
            {
                ["cloudWatchLogsLogGroup"] = new JsonObject { ["logGroupArn"] = "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*" },
            }),
        };
        AssertAlreadyExists(await Client.CallAsync("CreateStateMachine", logging), machine);
        // The defaults spelled out are the same configuration.
        var defaults = Create(name);
        defaults["loggingConfiguration"] = new JsonObject { ["level"] = "OFF", ["includeExecutionData"] = false };
        defaults["tracingConfiguration"] = new JsonObject { ["enabled"] = false };
        (await Client.CallAsync("CreateStateMachine", defaults)).Ok();
    }
}
