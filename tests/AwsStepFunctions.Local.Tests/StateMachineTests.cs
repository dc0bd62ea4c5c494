using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Asl;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

public sealed class StateMachineTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;
    private const string Role = "arn:aws:iam::123456789012:role/Test";

    private static JsonObject Create(string name, string definition = Definitions.Pass, string role = Role) =>
        new() { ["name"] = name, ["definition"] = definition, ["roleArn"] = role };

    [Fact]
    public async Task Create_ThenDescribe_ReturnsEveryMember()
    {
        var name = ServerFixture.Unique("sm");
        var created = (await Client.CallAsync("CreateStateMachine", Create(name))).Ok();
        var arn = created["stateMachineArn"]!.GetValue<string>();
        Assert.Equal($"arn:aws:states:us-east-1:123456789012:stateMachine:{name}", arn);
        var d = (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn })).Ok();
        Assert.Equal(name, d["name"]!.GetValue<string>());
        Assert.Equal(Definitions.Pass, d["definition"]!.GetValue<string>());
        Assert.Equal(Role, d["roleArn"]!.GetValue<string>());
        Assert.Equal("STANDARD", d["type"]!.GetValue<string>());
        Assert.Equal("ACTIVE", d["status"]!.GetValue<string>());
        Assert.Equal(created["creationDate"]!.GetValue<double>(), d["creationDate"]!.GetValue<double>());
    }

    [Fact]
    public async Task CreateAgain_SameDefinitionIsIdempotent_DifferentIsAlreadyExists()
    {
        var name = ServerFixture.Unique("sm");
        var first = (await Client.CallAsync("CreateStateMachine", Create(name))).Ok();
        var again = (await Client.CallAsync("CreateStateMachine", Create(name))).Ok();
        Assert.Equal(first["creationDate"]!.GetValue<double>(), again["creationDate"]!.GetValue<double>());
        var different = await Client.CallAsync("CreateStateMachine", Create(name, Definitions.Fails));
        different.AssertError("StateMachineAlreadyExists");
        Assert.Equal($"State Machine Already Exists: 'arn:aws:states:us-east-1:123456789012:stateMachine:{name}'", different.ErrorMessage);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public async Task Create_BadName_IsInvalidName(string name)
    {
        var reply = await Client.CallAsync("CreateStateMachine", Create(name));
        reply.AssertError("InvalidName");
        Assert.Equal($"Invalid Name: '{name}'", reply.ErrorMessage);
    }

    [Fact]
    public async Task Create_BadRoleArn_IsInvalidArn_AndMissingRole_IsValidation()
    {
        (await Client.CallAsync("CreateStateMachine", Create(ServerFixture.Unique("sm"), role: "arn:aws:iam::123:user/x"))).AssertError("InvalidArn");
        var missing = await Client.CallAsync("CreateStateMachine", new JsonObject { ["name"] = "x", ["definition"] = Definitions.Pass });
        missing.AssertError("ValidationException");
        Assert.Contains("'roleArn'", missing.ErrorMessage);
    }

    [Fact]
    public async Task Create_BadType_IsValidation()
    {
        var body = Create(ServerFixture.Unique("sm"));
        body["type"] = "FAST";
        var reply = await Client.CallAsync("CreateStateMachine", body);
        reply.AssertError("ValidationException");
        Assert.Contains("'type'", reply.ErrorMessage);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    public async Task Create_DefinitionTheEngineRefuses_IsInvalidDefinition(string definition)
    {
        var reply = await Client.CallAsync("CreateStateMachine", Create(ServerFixture.Unique("sm"), definition));
        reply.AssertError("InvalidDefinition");
        Assert.StartsWith("Invalid State Machine Definition: '", reply.ErrorMessage);
    }

    [Fact]
    public async Task List_PagesThroughEveryMachineOnce()
    {
        for (var i = 0; i < 5; i++) await Client.CreateStateMachineAsync(ServerFixture.Unique("page"), Definitions.Pass);
        var seen = new System.Collections.Generic.List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var body = new JsonObject { ["maxResults"] = 2 };
            if (token is not null) body["nextToken"] = token;
            var page = (await Client.CallAsync("ListStateMachines", body)).Ok();
            var items = page["stateMachines"]!.AsArray();
            Assert.True(items.Count <= 2);
            seen.AddRange(items.Select(i => i!["stateMachineArn"]!.GetValue<string>()));
            token = page["nextToken"]?.GetValue<string>();
            pages++;
        } while (token is not null);
        Assert.True(pages >= 3);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(seen.Count(a => a.Contains(":page-")) >= 5);
    }

    [Fact]
    public async Task List_BadMaxResultsOrToken_AreRefused()
    {
        (await Client.CallAsync("ListStateMachines", new JsonObject { ["maxResults"] = 1001 })).AssertError("ValidationException");
        (await Client.CallAsync("ListStateMachines", new JsonObject { ["maxResults"] = -1 })).AssertError("ValidationException");
        (await Client.CallAsync("ListStateMachines", new JsonObject { ["nextToken"] = "forged" })).AssertError("InvalidToken");
    }

    [Fact]
    public async Task Delete_ThenDescribe_IsStateMachineDoesNotExist()
    {
        var arn = await Client.CreateStateMachineAsync(ServerFixture.Unique("del"), Definitions.Pass);
        (await Client.CallAsync("DeleteStateMachine", new JsonObject { ["stateMachineArn"] = arn })).Ok();
        var reply = await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn });
        reply.AssertError("StateMachineDoesNotExist");
        Assert.Equal($"State Machine Does Not Exist: '{arn}'", reply.ErrorMessage);
        (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = "arn:nope" })).AssertError("InvalidArn");
    }
    /// <summary>A Parallel whose second branch holds a Task on <paramref name="resource"/>.</summary>
    private static string ParallelCalling(string resource) => new JsonObject
    {
        ["StartAt"] = "Fan",
        ["States"] = new JsonObject
        {
            ["Fan"] = new JsonObject
            {
                ["Type"] = "Parallel", ["End"] = true,
                ["Branches"] = new JsonArray(
                    new JsonObject { ["StartAt"] = "P", ["States"] = new JsonObject { ["P"] = new JsonObject { ["Type"] = "Pass", ["End"] = true } } },
                    new JsonObject { ["StartAt"] = "Call", ["States"] = new JsonObject { ["Call"] = new JsonObject { ["Type"] = "Task", ["Resource"] = resource, ["End"] = true } } }),
            },
        },
    }.ToJsonString();

    [Theory]
    [InlineData("arn:aws:states:::lambda:invoke.waitForTaskToken", ".waitForTaskToken")]
    [InlineData("arn:aws:states:::ecs:runTask.sync", ".sync")]
    [InlineData("arn:aws:states:::states:startExecution.sync:2", ".sync")]
    public async Task Express_RefusesIntegrationsThatWait_WhereverTheyAre_StandardTakesThem(string resource, string pattern)
    {
        // AWS's optimized-integrations table: Express Workflows support neither Run a Job (.sync) nor Wait for Callback.
        var definition = ParallelCalling(resource);
        var express = Create(ServerFixture.Unique("ex"), definition);
        express["type"] = "EXPRESS";
        var refused = await Client.CallAsync("CreateStateMachine", express);
        refused.AssertError("InvalidDefinition");
        // AWS's wording, as recorded for .waitForTaskToken (LocalStack's test_sfn_api_validation snapshot), trailing space included.
        Assert.Equal($"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '{pattern}' service integration  at /States/Fan/Branches/1/States/Call/Resource'",
            refused.ErrorMessage);
        (await Client.CallAsync("CreateStateMachine", Create(ServerFixture.Unique("st"), definition))).Ok();

        var plain = Create(ServerFixture.Unique("ex"));
        plain["type"] = "EXPRESS";
        var arn = (await Client.CallAsync("CreateStateMachine", plain)).Ok()["stateMachineArn"]!.GetValue<string>();
        var update = await Client.CallAsync("UpdateStateMachine", new JsonObject { ["stateMachineArn"] = arn, ["definition"] = definition });
        update.AssertError("InvalidDefinition");
        var kept = (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn })).Ok();
        Assert.Equal(Definitions.Pass, kept["definition"]!.GetValue<string>());
    }

    [Fact]
    public async Task Express_RefusesAnActivityTask_WhereverItIs_StandardTakesIt()
    {
        // The developer guide's Standard vs. Express table: Express Workflows do not support Step Functions activities.
        const string activity = "arn:aws:states:us-east-1:123456789012:activity:Approve";
        var definition = ParallelCalling(activity);
        var express = Create(ServerFixture.Unique("ex"), definition);
        express["type"] = "EXPRESS";
        var refused = await Client.CallAsync("CreateStateMachine", express);
        refused.AssertError("InvalidDefinition");
        Assert.Equal($"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support activities (Resource '{activity}') at /States/Fan/Branches/1/States/Call/Resource'",
            refused.ErrorMessage);
        var validated = (await Client.CallAsync("ValidateStateMachineDefinition", new JsonObject { ["definition"] = definition, ["type"] = "EXPRESS" })).Ok();
        Assert.Equal("FAIL", validated["result"]!.GetValue<string>());
        (await Client.CallAsync("CreateStateMachine", Create(ServerFixture.Unique("st"), definition))).Ok();
    }

    [Theory]
    [InlineData("arn:aws:states:us-east-1:123456789012:activity:Approve", "activities (Resource 'arn:aws:states:us-east-1:123456789012:activity:Approve')")]
    [InlineData("arn:aws:states:::lambda:invoke.waitForTaskToken", "'.waitForTaskToken' service integration ")]
    [InlineData("arn:aws:states:::states:startExecution.sync:2", "'.sync' service integration ")]
    public async Task ExpressChildrenOfADistributedMap_RefuseWhatExpressRefuses_InAStandardMachine(string resource, string what)
    {
        // Each child of a Distributed Map with ExecutionType EXPRESS is an Express execution, whatever its parent's type.
        string Machine(string executionType) => DistributedMapKit.Machine("",
            "\"Work\":{\"Type\":\"Parallel\",\"End\":true,\"Branches\":[{\"StartAt\":\"Call\",\"States\":{\"Call\":{\"Type\":\"Task\",\"Resource\":\""
            + resource + "\",\"End\":true}}}]}", executionType: executionType);
        var refused = await Client.CallAsync("CreateStateMachine", Create(ServerFixture.Unique("dm"), Machine("EXPRESS")));
        refused.AssertError("InvalidDefinition");
        Assert.Equal($"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support {what} at /States/Map/ItemProcessor/States/Work/Branches/0/States/Call/Resource'",
            refused.ErrorMessage);
        var validated = (await Client.CallAsync("ValidateStateMachineDefinition", new JsonObject { ["definition"] = Machine("EXPRESS") })).Ok();
        Assert.Equal("FAIL", validated["result"]!.GetValue<string>());
        (await Client.CallAsync("CreateStateMachine", Create(ServerFixture.Unique("dm"), Machine("STANDARD")))).Ok();
    }
}
