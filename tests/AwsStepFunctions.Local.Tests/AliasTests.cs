using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>State machine aliases: routing starts to versions, and the alias operations' rules.</summary>
public sealed class AliasTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    /// <summary>A machine with version 1 answering {"v":1} and version 2 answering {"v":2}.</summary>
    private async Task<(string Machine, string V1, string V2)> TwoVersionsAsync(string type = "STANDARD")
    {
        var (machine, v1) = await Client.CreatePublishedAsync(ServerFixture.Unique("alias"), VersionFlows.Returning(1), type);
        var v2 = (await Client.UpdateAsync(machine, VersionFlows.Returning(2), publish: true)).Ok()["stateMachineVersionArn"]!.GetValue<string>();
        return (machine, v1, v2);
    }

    private static JsonObject AliasArn(string arn) => new() { ["stateMachineAliasArn"] = arn };

    [Fact]
    public async Task StartThroughAlias_RunsItsVersion_AndTheExecutionCarriesBothArns()
    {
        var (machine, v1, _) = await TwoVersionsAsync();
        var created = (await Client.CallAsync("CreateStateMachineAlias", new JsonObject
        {
            ["name"] = "prod", ["description"] = "production", ["routingConfiguration"] = VersionFlows.Routing((v1, 100)),
        })).Ok();
        var alias = created["stateMachineAliasArn"]!.GetValue<string>();
        Assert.Equal(machine + ":prod", alias);

        var execution = await Client.StartAsync(alias, "via-alias");
        Assert.Equal(machine.Replace(":stateMachine:", ":execution:") + ":via-alias", execution);
        Assert.Equal(1, await Client.OutputOfAsync(execution));
        var d = await Client.DescribeAsync(execution);
        Assert.Equal(machine, d["stateMachineArn"]!.GetValue<string>());
        Assert.Equal(v1, d["stateMachineVersionArn"]!.GetValue<string>());
        Assert.Equal(alias, d["stateMachineAliasArn"]!.GetValue<string>());

        var started = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = execution })).Ok()["events"]![0]!["executionStartedEventDetails"]!;
        Assert.Equal(alias, started["stateMachineAliasArn"]!.GetValue<string>());

        var listed = (await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = alias })).Ok()["executions"]!.AsArray();
        Assert.Equal(alias, Assert.Single(listed)!["stateMachineAliasArn"]!.GetValue<string>());

        var described = (await Client.CallAsync("DescribeStateMachineAlias", AliasArn(alias))).Ok();
        Assert.Equal("prod", described["name"]!.GetValue<string>());
        Assert.Equal("production", described["description"]!.GetValue<string>());
        Assert.Equal(v1, described["routingConfiguration"]![0]!["stateMachineVersionArn"]!.GetValue<string>());
        Assert.Equal(100, described["routingConfiguration"]![0]!["weight"]!.GetValue<int>());
        Assert.Equal(created["creationDate"]!.GetValue<double>(), described["creationDate"]!.GetValue<double>());
        Assert.Equal(created["creationDate"]!.GetValue<double>(), described["updateDate"]!.GetValue<double>());
    }

    [Fact]
    public async Task ExpressAlias_StartsAnExpressExecutionOfItsVersion()
    {
        var (machine, _, v2) = await TwoVersionsAsync("EXPRESS");
        var alias = (await Client.CreateAliasAsync("fast", (v2, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        (await Client.UpdateAsync(machine, VersionFlows.Returning(3))).Ok();
        var start = await Client.StartAsync(alias, "x");
        Assert.Contains(":express:" + machine[(machine.LastIndexOf(':') + 1)..] + ":x:", start);
        var sync = (await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = alias })).Ok();
        Assert.Equal(2, JsonNode.Parse(sync["output"]!.GetValue<string>())!["v"]!.GetValue<int>());
    }

    [Fact]
    public async Task Weights90And10_MostStartsRunTheFirstVersion()
    {
        // The exact split is AliasRecordTests' job; this only shows the weights reach the pick the right way round.
        var (_, v1, v2) = await TwoVersionsAsync();
        var alias = (await Client.CreateAliasAsync("canary", (v1, 90), (v2, 10))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        const int starts = 100;
        for (var i = 0; i < starts; i++) await Client.StartAsync(alias);
        int Count(JsonObject list) => list["executions"]!.AsArray().Count;
        var first = Count((await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = v1, ["maxResults"] = 1000 })).Ok());
        var second = Count((await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = v2, ["maxResults"] = 1000 })).Ok());
        Assert.Equal(starts, first + second);
        // Binomial(100, 0.9) has a standard deviation of 3: at least 70 fails only for swapped or ignored weights.
        Assert.InRange(first, 70, starts);
    }

    [Fact]
    public async Task CreateAgain_SameConfigurationIsIdempotent_DifferentIsConflict()
    {
        var (_, v1, v2) = await TwoVersionsAsync();
        var first = (await Client.CreateAliasAsync("same", (v1, 100))).Ok();
        var again = (await Client.CreateAliasAsync("same", (v1, 100))).Ok();
        Assert.Equal(first["stateMachineAliasArn"]!.GetValue<string>(), again["stateMachineAliasArn"]!.GetValue<string>());
        Assert.Equal(first["creationDate"]!.GetValue<double>(), again["creationDate"]!.GetValue<double>());

        // A routing configuration is a set of (version, weight): the same entries in another order are the same alias.
        var split = (await Client.CreateAliasAsync("split", (v1, 30), (v2, 70))).Ok();
        var reordered = (await Client.CreateAliasAsync("split", (v2, 70), (v1, 30))).Ok();
        Assert.Equal(split.ToJsonString(), reordered.ToJsonString());
        (await Client.CreateAliasAsync("split", (v2, 30), (v1, 70))).AssertError("ConflictException", HttpStatusCode.Conflict);

        var different = await Client.CreateAliasAsync("same", (v2, 100));
        different.AssertError("ConflictException", HttpStatusCode.Conflict);
        Assert.Equal("Failed to create alias because an alias with the same name and a different routing configuration already exists.", different.ErrorMessage);
        var described = (await Client.CallAsync("DescribeStateMachineAlias", AliasArn(first["stateMachineAliasArn"]!.GetValue<string>()))).Ok();
        Assert.Equal(v1, described["routingConfiguration"]![0]!["stateMachineVersionArn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_ValidationErrors_AreTheServiceMessages()
    {
        var (machine, v1, v2) = await TwoVersionsAsync();
        var (_, other) = await Client.CreatePublishedAsync(ServerFixture.Unique("alias"), VersionFlows.Returning(9));

        async Task Refused(string name, JsonArray routing, string code, string message)
        {
            var reply = await Client.CallAsync("CreateStateMachineAlias", new JsonObject { ["name"] = name, ["routingConfiguration"] = routing });
            reply.AssertError(code);
            Assert.Equal(message, reply.ErrorMessage);
        }

        await Refused("123", VersionFlows.Routing((v1, 100)), "ValidationException",
            @"1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$");
        await Refused("bad name", VersionFlows.Routing((v1, 100)), "ValidationException",
            @"1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$");
        await Refused("ok", VersionFlows.Routing((v1, 70), (v2, 29)), "ValidationException", "Sum of routing configuration weights must equal 100. Received: [70, 29]");
        // The name's model constraint is checked before the service's own routing rules.
        await Refused("123", VersionFlows.Routing((v1, 70), (v2, 29)), "ValidationException",
            @"1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$");
        await Refused("ok", VersionFlows.Routing((v1, 50), (v1, 50)), "ValidationException",
            $"Routing configuration must contain distinct state machine version ARNs. Received: [{v1}, {v1}]");
        await Refused("ok", VersionFlows.Routing((machine, 50), (v2, 50)), "ValidationException",
            $"Routing configuration must contain state machine version ARNs. Received: [{machine}, {v2}]");
        await Refused("ok", VersionFlows.Routing((v1, 101)), "ValidationException",
            "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100");
        await Refused("ok", VersionFlows.Routing((v1, 50), (v2, 30), (machine + ":3", 20)), "ValidationException",
            $"1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn={v1}, weight=50), RoutingConfigurationListItem(stateMachineVersionArn={v2}, weight=30), RoutingConfigurationListItem(stateMachineVersionArn={machine}:3, weight=20)]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2");
        await Refused("ok", VersionFlows.Routing((v1, 50), (other, 50)), "ValidationException",
            $"Routing configuration must contain versions of the same state machine. Received: [{v1}, {other}]");
        await Refused("ok", VersionFlows.Routing((machine + ":9", 100)), "ResourceNotFound", "Request references a resource that does not exist.");
        (await Client.CallAsync("CreateStateMachineAlias", new JsonObject { ["name"] = "ok" })).AssertError("ValidationException");
        Assert.Empty((await Client.CallAsync("ListStateMachineAliases", new JsonObject { ["stateMachineArn"] = machine })).Ok()["stateMachineAliases"]!.AsArray());
    }

    [Fact]
    public async Task Update_ChangesTheRouting_UnknownAliasIsResourceNotFound()
    {
        var (machine, v1, v2) = await TwoVersionsAsync();
        var alias = (await Client.CreateAliasAsync("moving", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        var updated = (await Client.CallAsync("UpdateStateMachineAlias", new JsonObject
        {
            ["stateMachineAliasArn"] = alias, ["routingConfiguration"] = VersionFlows.Routing((v2, 100)),
        })).Ok();
        Assert.NotNull(updated["updateDate"]);
        Assert.Equal(2, await Client.OutputOfAsync(await Client.StartAsync(alias)));
        (await Client.CallAsync("UpdateStateMachineAlias", new JsonObject { ["stateMachineAliasArn"] = alias, ["description"] = "now v2" })).Ok();
        var described = (await Client.CallAsync("DescribeStateMachineAlias", AliasArn(alias))).Ok();
        Assert.Equal("now v2", described["description"]!.GetValue<string>());
        Assert.Equal(v2, described["routingConfiguration"]![0]!["stateMachineVersionArn"]!.GetValue<string>());

        var unknown = await Client.CallAsync("UpdateStateMachineAlias", new JsonObject { ["stateMachineAliasArn"] = machine + ":nope", ["description"] = "x" });
        unknown.AssertError("ResourceNotFound");
        Assert.Equal("Request references a resource that does not exist.", unknown.ErrorMessage);
        (await Client.CallAsync("UpdateStateMachineAlias", AliasArn(alias))).AssertError("ValidationException");
        (await Client.CallAsync("DescribeStateMachineAlias", AliasArn(machine + ":nope"))).AssertError("ResourceNotFound");
        (await Client.CallAsync("DescribeStateMachineAlias", AliasArn(v1))).AssertError("InvalidArn");
    }

    [Fact]
    public async Task DeleteVersion_RoutedByAnAlias_IsConflict_UntilTheAliasIsDeleted()
    {
        var (machine, v1, _) = await TwoVersionsAsync();
        var alias = (await Client.CreateAliasAsync("pinned", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        var refused = await Client.CallAsync("DeleteStateMachineVersion", new JsonObject { ["stateMachineVersionArn"] = v1 });
        refused.AssertError("ConflictException", HttpStatusCode.Conflict);
        Assert.Equal("Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [pinned]", refused.ErrorMessage);
        (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = v1 })).Ok();

        (await Client.CallAsync("DeleteStateMachineAlias", AliasArn(alias))).Ok();
        (await Client.CallAsync("DeleteStateMachineAlias", AliasArn(alias))).Ok();
        (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = alias })).AssertError("StateMachineDoesNotExist");
        (await Client.CallAsync("DeleteStateMachineVersion", new JsonObject { ["stateMachineVersionArn"] = v1 })).Ok();
        Assert.Equal([machine + ":2"], (await Client.CallAsync("ListStateMachineVersions", new JsonObject { ["stateMachineArn"] = machine })).Ok()
            ["stateMachineVersions"]!.AsArray().Select(v => v!["stateMachineVersionArn"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListAliases_InCreationOrder_ByVersion_AndPaged()
    {
        var (machine, v1, v2) = await TwoVersionsAsync();
        var a = (await Client.CreateAliasAsync("b-first", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        var b = (await Client.CreateAliasAsync("a-second", (v2, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        var c = (await Client.CreateAliasAsync("c-third", (v1, 60), (v2, 40))).Ok()["stateMachineAliasArn"]!.GetValue<string>();

        var seen = (await Client.ListAllAsync("ListStateMachineAliases", new JsonObject { ["stateMachineArn"] = machine }, "stateMachineAliases", 1))
            .Select(x => x["stateMachineAliasArn"]!.GetValue<string>()).ToList();
        Assert.Equal([a, b, c], seen);

        var ofV2 = (await Client.CallAsync("ListStateMachineAliases", new JsonObject { ["stateMachineArn"] = v2 })).Ok()["stateMachineAliases"]!.AsArray();
        Assert.Equal([b, c], ofV2.Select(x => x!["stateMachineAliasArn"]!.GetValue<string>()));
        (await Client.CallAsync("ListStateMachineAliases", new JsonObject { ["stateMachineArn"] = machine + "-gone" })).AssertError("StateMachineDoesNotExist");
    }

    [Fact]
    public async Task PrincipalWithoutDeleteStateMachineAlias_IsAccessDenied_NamingTheMachine()
    {
        var (machine, v1, _) = await TwoVersionsAsync();
        var alias = (await Client.CreateAliasAsync("guarded", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        var denied = await fixture.As(ServerFixture.Reader).CallAsync("DeleteStateMachineAlias", AliasArn(alias));
        denied.AssertError("AccessDeniedException");
        // IAM authorizes an alias against its state machine's ARN (developer guide, "auth-version-alias").
        Assert.Contains($"states:DeleteStateMachineAlias on resource: {machine} because", denied.ErrorMessage);
        var create = await fixture.As(ServerFixture.Reader).CallAsync("CreateStateMachineAlias", new JsonObject
        {
            ["name"] = "other", ["routingConfiguration"] = VersionFlows.Routing((v1, 100)),
        });
        create.AssertError("AccessDeniedException");
        Assert.Contains($"on resource: {machine} because", create.ErrorMessage);
        (await fixture.As(ServerFixture.Reader).CallAsync("DescribeStateMachineAlias", AliasArn(alias))).Ok();
    }
}
