using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>UpdateStateMachine, versions, and starting or describing a version ARN.</summary>
public sealed class VersionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    private static JsonObject Arn(string arn) => new() { ["stateMachineArn"] = arn };

    [Fact]
    public async Task PublishUpdatePublish_GivesVersions1And2_EachWithItsOwnDefinition()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(1));
        var v1 = await Client.PublishAsync(machine);
        Assert.Equal(machine + ":1", v1);
        var update = (await Client.UpdateAsync(machine, VersionFlows.Returning(2))).Ok();
        var revision = update["revisionId"]!.GetValue<string>();
        Assert.NotNull(update["updateDate"]);
        Assert.Null(update["stateMachineVersionArn"]);
        var v2 = await Client.PublishAsync(machine);
        Assert.Equal(machine + ":2", v2);

        var d1 = (await Client.CallAsync("DescribeStateMachine", Arn(v1))).Ok();
        Assert.Equal(v1, d1["stateMachineArn"]!.GetValue<string>());
        Assert.Equal(VersionFlows.Returning(1), d1["definition"]!.GetValue<string>());
        Assert.Null(d1["revisionId"]);
        var d2 = (await Client.CallAsync("DescribeStateMachine", Arn(v2))).Ok();
        Assert.Equal(VersionFlows.Returning(2), d2["definition"]!.GetValue<string>());
        Assert.Equal(revision, d2["revisionId"]!.GetValue<string>());
        var current = (await Client.CallAsync("DescribeStateMachine", Arn(machine))).Ok();
        Assert.Equal(machine, current["stateMachineArn"]!.GetValue<string>());
        Assert.Equal(VersionFlows.Returning(2), current["definition"]!.GetValue<string>());
        Assert.Equal(revision, current["revisionId"]!.GetValue<string>());

        var listed = (await Client.CallAsync("ListStateMachineVersions", Arn(machine))).Ok()["stateMachineVersions"]!.AsArray();
        Assert.Equal([v2, v1], listed.Select(v => v!["stateMachineVersionArn"]!.GetValue<string>()));
    }

    [Fact]
    public async Task StartThroughVersion1_RunsTheOldDefinition_AndIsRecordedAgainstTheVersion()
    {
        var name = ServerFixture.Unique("ver");
        var (machine, v1) = await Client.CreatePublishedAsync(name, VersionFlows.Returning(1));
        (await Client.UpdateAsync(machine, VersionFlows.Returning(2))).Ok();

        var throughVersion = await Client.StartAsync(v1, "old");
        Assert.Equal($"arn:aws:states:us-east-1:123456789012:execution:{name}:old", throughVersion);
        Assert.Equal(1, await Client.OutputOfAsync(throughVersion));
        var current = await Client.StartAsync(machine, "new");
        Assert.Equal(2, await Client.OutputOfAsync(current));

        var d = await Client.DescribeAsync(throughVersion);
        Assert.Equal(machine, d["stateMachineArn"]!.GetValue<string>());
        Assert.Equal(v1, d["stateMachineVersionArn"]!.GetValue<string>());
        Assert.Null(d["stateMachineAliasArn"]);
        Assert.Null((await Client.DescribeAsync(current))["stateMachineVersionArn"]);

        var history = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = throughVersion })).Ok();
        Assert.Equal(v1, history["events"]![0]!["executionStartedEventDetails"]!["stateMachineVersionArn"]!.GetValue<string>());

        var listed = (await Client.CallAsync("ListExecutions", Arn(v1))).Ok()["executions"]!.AsArray();
        Assert.Equal([throughVersion], listed.Select(e => e!["executionArn"]!.GetValue<string>()));
        Assert.Equal(v1, listed[0]!["stateMachineVersionArn"]!.GetValue<string>());
        Assert.Equal(2, (await Client.CallAsync("ListExecutions", Arn(machine))).Ok()["executions"]!.AsArray().Count);
    }

    [Fact]
    public async Task RunningExecution_KeepsTheDefinitionItStartedWith()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(1, wait: "1"));
        var running = await Client.StartAsync(machine);
        (await Client.UpdateAsync(machine, VersionFlows.Returning(2))).Ok();
        Assert.Equal("RUNNING", (await Client.DescribeAsync(running))["status"]!.GetValue<string>());
        Assert.Equal(1, await Client.OutputOfAsync(running));
        Assert.Equal(2, await Client.OutputOfAsync(await Client.StartAsync(machine)));
    }

    [Fact]
    public async Task ExpressVersion_RunsItsDefinitionThroughStartSyncExecution()
    {
        var name = ServerFixture.Unique("verx");
        var (machine, v1) = await Client.CreatePublishedAsync(name, VersionFlows.Returning(1), "EXPRESS");
        (await Client.UpdateAsync(machine, VersionFlows.Returning(2))).Ok();
        var sync = (await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = v1, ["name"] = "s" })).Ok();
        Assert.Equal("SUCCEEDED", sync["status"]!.GetValue<string>());
        Assert.Equal(1, JsonNode.Parse(sync["output"]!.GetValue<string>())!["v"]!.GetValue<int>());
        Assert.Equal(machine, sync["stateMachineArn"]!.GetValue<string>());
        Assert.StartsWith($"arn:aws:states:us-east-1:123456789012:express:{name}:s:", sync["executionArn"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartThroughVersion_SameNameAndInputWhileRunning_IsIdempotent()
    {
        var (_, v1) = await Client.CreatePublishedAsync(ServerFixture.Unique("ver"), Definitions.WaitLong);
        var first = await Client.StartAsync(v1, "once", "{\"a\":1}");
        Assert.Equal(first, await Client.StartAsync(v1, "once", "{\"a\":1}"));
        (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = v1, ["name"] = "once", ["input"] = "{\"a\":2}" }))
            .AssertError("ExecutionAlreadyExists");
    }

    [Fact]
    public async Task StartOfAnUnknownVersionOrAlias_IsStateMachineDoesNotExist()
    {
        var (machine, _) = await Client.CreatePublishedAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(1));
        foreach (var arn in new[] { machine + ":7", machine + ":nosuchalias", machine + ":01" })
        {
            var reply = await Client.CallAsync("StartExecution", Arn(arn));
            reply.AssertError("StateMachineDoesNotExist");
            Assert.Equal($"State Machine Does Not Exist: '{arn}'", reply.ErrorMessage);
        }
        (await Client.CallAsync("StartSyncExecution", Arn(machine + ":7"))).AssertError("StateMachineDoesNotExist");
        (await Client.CallAsync("StartExecution", Arn(machine + ":"))).AssertError("InvalidArn");
    }

    [Fact]
    public async Task Publish_IsIdempotentForTheCurrentRevision_AndNumbersAreNeverReused()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(1));
        var first = (await Client.CallAsync("PublishStateMachineVersion", Arn(machine))).Ok();
        var again = (await Client.CallAsync("PublishStateMachineVersion", Arn(machine))).Ok();
        Assert.Equal(machine + ":1", again["stateMachineVersionArn"]!.GetValue<string>());
        Assert.Equal(first["creationDate"]!.GetValue<double>(), again["creationDate"]!.GetValue<double>());

        // An update that changes nothing makes no revision: publishing it answers version 1, with no revisionId.
        var unchanged = (await Client.UpdateAsync(machine, VersionFlows.Returning(1), publish: true)).Ok();
        Assert.Equal(machine + ":1", unchanged["stateMachineVersionArn"]!.GetValue<string>());
        Assert.Null(unchanged["revisionId"]);

        var v2 = (await Client.UpdateAsync(machine, VersionFlows.Returning(2), publish: true)).Ok()["stateMachineVersionArn"]!.GetValue<string>();
        Assert.Equal(machine + ":2", v2);
        (await Client.CallAsync("DeleteStateMachineVersion", new JsonObject { ["stateMachineVersionArn"] = v2 })).Ok();
        (await Client.CallAsync("DeleteStateMachineVersion", new JsonObject { ["stateMachineVersionArn"] = v2 })).Ok();
        (await Client.CallAsync("DescribeStateMachine", Arn(v2))).AssertError("StateMachineDoesNotExist");
        Assert.Equal(machine + ":3", await Client.PublishAsync(machine));
        var listed = (await Client.CallAsync("ListStateMachineVersions", Arn(machine))).Ok()["stateMachineVersions"]!.AsArray();
        Assert.Equal([machine + ":3", machine + ":1"], listed.Select(v => v!["stateMachineVersionArn"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Publish_WithARevisionIdThatIsNotCurrent_IsConflict()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(1));
        (await Client.CallAsync("PublishStateMachineVersion", new JsonObject { ["stateMachineArn"] = machine, ["revisionId"] = "INITIAL" })).Ok();
        var r2 = (await Client.UpdateAsync(machine, VersionFlows.Returning(2))).Ok()["revisionId"]!.GetValue<string>();
        var r3 = (await Client.UpdateAsync(machine, VersionFlows.Returning(3))).Ok()["revisionId"]!.GetValue<string>();
        Assert.NotEqual(r2, r3);

        var stale = await Client.CallAsync("PublishStateMachineVersion", new JsonObject { ["stateMachineArn"] = machine, ["revisionId"] = r2 });
        stale.AssertError("ConflictException", HttpStatusCode.Conflict);
        Assert.Equal($"Failed to publish the State Machine version for revision {r2}. The current State Machine revision is {r3}.", stale.ErrorMessage);

        var v2 = (await Client.CallAsync("PublishStateMachineVersion", new JsonObject
        {
            ["stateMachineArn"] = machine, ["revisionId"] = r3, ["description"] = "third revision",
        })).Ok()["stateMachineVersionArn"]!.GetValue<string>();
        Assert.Equal(machine + ":2", v2);
        var described = (await Client.CallAsync("DescribeStateMachine", Arn(v2))).Ok();
        Assert.Equal("third revision", described["description"]!.GetValue<string>());
        Assert.Equal(VersionFlows.Returning(3), described["definition"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_Refusals()
    {
        var (machine, v1) = await Client.CreatePublishedAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(1));
        var nothing = await Client.CallAsync("UpdateStateMachine", Arn(machine));
        nothing.AssertError("MissingRequiredParameter");
        Assert.Equal("Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified", nothing.ErrorMessage);

        var version = await Client.UpdateAsync(v1, VersionFlows.Returning(2));
        version.AssertError("StateMachineDoesNotExist");
        Assert.Equal($"State Machine Does Not Exist: '{v1}'", version.ErrorMessage);
        (await Client.UpdateAsync(machine + "-gone", VersionFlows.Returning(2))).AssertError("StateMachineDoesNotExist");

        var description = await Client.CallAsync("UpdateStateMachine", new JsonObject
        {
            ["stateMachineArn"] = machine, ["definition"] = VersionFlows.Returning(2), ["versionDescription"] = "no publish",
        });
        description.AssertError("ValidationException");
        Assert.Equal("Version description can only be set when publish is true", description.ErrorMessage);
        (await Client.UpdateAsync(machine, "not json")).AssertError("InvalidDefinition");
        (await Client.CallAsync("UpdateStateMachine", new JsonObject { ["stateMachineArn"] = machine, ["roleArn"] = "arn:aws:iam::1:user/x" }))
            .AssertError("InvalidArn");

        // None of the refusals changed the machine.
        var d = (await Client.CallAsync("DescribeStateMachine", Arn(machine))).Ok();
        Assert.Equal(VersionFlows.Returning(1), d["definition"]!.GetValue<string>());
        Assert.Null(d["revisionId"]);

        var role = (await Client.CallAsync("UpdateStateMachine", new JsonObject
        {
            ["stateMachineArn"] = machine, ["roleArn"] = "arn:aws:iam::123456789012:role/Other", ["loggingConfiguration"] = new JsonObject { ["level"] = "OFF" },
        })).Ok();
        Assert.NotNull(role["revisionId"]);
        Assert.Equal("arn:aws:iam::123456789012:role/Other", (await Client.CallAsync("DescribeStateMachine", Arn(machine))).Ok()["roleArn"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateWithPublish_AnswersVersion1_WithItsDescription_AndDescriptionNeedsPublish()
    {
        var name = ServerFixture.Unique("ver");
        var created = (await Client.CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = name, ["definition"] = VersionFlows.Returning(1), ["roleArn"] = VersionFlows.Role, ["publish"] = true, ["versionDescription"] = "first",
        })).Ok();
        var v1 = created["stateMachineVersionArn"]!.GetValue<string>();
        Assert.Equal(created["stateMachineArn"]!.GetValue<string>() + ":1", v1);
        Assert.Equal("first", (await Client.CallAsync("DescribeStateMachine", Arn(v1))).Ok()["description"]!.GetValue<string>());

        Assert.Null((await Client.CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = ServerFixture.Unique("ver"), ["definition"] = VersionFlows.Returning(1), ["roleArn"] = VersionFlows.Role,
        })).Ok()["stateMachineVersionArn"]);
        var refused = await Client.CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = ServerFixture.Unique("ver"), ["definition"] = VersionFlows.Returning(1), ["roleArn"] = VersionFlows.Role, ["versionDescription"] = "x",
        });
        refused.AssertError("ValidationException");
        Assert.Equal("Version description can only be set when publish is true", refused.ErrorMessage);
    }

    [Fact]
    public async Task DescribeStateMachine_OfAVersion_AnAlias_AndAnUnknownVersion()
    {
        var (machine, v1) = await Client.CreatePublishedAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(1));
        var alias = (await Client.CreateAliasAsync("live", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        Assert.Equal(machine + ":live", alias);

        var version = (await Client.CallAsync("DescribeStateMachine", Arn(v1))).Ok();
        Assert.Equal(v1, version["stateMachineArn"]!.GetValue<string>());
        Assert.Equal("ACTIVE", version["status"]!.GetValue<string>());
        Assert.Equal("STANDARD", version["type"]!.GetValue<string>());

        // The model lists no ValidationException for DescribeStateMachine: an alias is refused as InvalidArn.
        var byAlias = await Client.CallAsync("DescribeStateMachine", Arn(alias));
        byAlias.AssertError("InvalidArn");
        Assert.Equal($"Invalid Arn: '{alias}'", byAlias.ErrorMessage);

        var unknown = await Client.CallAsync("DescribeStateMachine", Arn(machine + ":42"));
        unknown.AssertError("StateMachineDoesNotExist");
        Assert.Equal($"State Machine Does Not Exist: '{machine}:42'", unknown.ErrorMessage);
    }

    [Fact]
    public async Task DescribeStateMachine_IncludedData_MetadataOnlyWithholdsTheDefinition_OtherValuesAreRefused()
    {
        var (machine, v1) = await Client.CreatePublishedAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(1));
        foreach (var arn in new[] { machine, v1 })
        {
            var meta = (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn, ["includedData"] = "METADATA_ONLY" })).Ok();
            // The model: "If called with includedData = METADATA_ONLY, the returned definition will be {}".
            Assert.Equal("{}", meta["definition"]!.GetValue<string>());
            Assert.Equal(arn, meta["stateMachineArn"]!.GetValue<string>());
            Assert.Equal(VersionFlows.Role, meta["roleArn"]!.GetValue<string>());
            var all = (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn, ["includedData"] = "ALL_DATA" })).Ok();
            Assert.Equal(VersionFlows.Returning(1), all["definition"]!.GetValue<string>());
        }
        var bad = await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = machine, ["includedData"] = "EVERYTHING" });
        bad.AssertError("ValidationException");
        Assert.Equal("1 validation error detected: Value 'EVERYTHING' at 'includedData' failed to satisfy constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]",
            bad.ErrorMessage);
    }

    [Fact]
    public async Task DeleteStateMachine_DeletesItsVersionsAndAliases()
    {
        var name = ServerFixture.Unique("ver");
        var (machine, v1) = await Client.CreatePublishedAsync(name, VersionFlows.Returning(1));
        var alias = (await Client.CreateAliasAsync("prod", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();
        (await Client.CallAsync("DeleteStateMachine", Arn(machine))).Ok();

        (await Client.CallAsync("DescribeStateMachine", Arn(v1))).AssertError("StateMachineDoesNotExist");
        (await Client.CallAsync("StartExecution", Arn(alias))).AssertError("StateMachineDoesNotExist");
        (await Client.CallAsync("StartExecution", Arn(v1))).AssertError("StateMachineDoesNotExist");
        (await Client.CallAsync("DescribeStateMachineAlias", new JsonObject { ["stateMachineAliasArn"] = alias })).AssertError("ResourceNotFound");
        Assert.Empty((await Client.CallAsync("ListStateMachineVersions", Arn(machine))).Ok()["stateMachineVersions"]!.AsArray());

        // A machine created again under the name starts with no versions or aliases, and numbers from 1.
        var (again, first) = await Client.CreatePublishedAsync(name, VersionFlows.Returning(2));
        Assert.Equal(machine, again);
        Assert.Equal(v1, first);
        Assert.Empty((await Client.CallAsync("ListStateMachineAliases", Arn(machine))).Ok()["stateMachineAliases"]!.AsArray());
        Assert.Equal(2, await Client.OutputOfAsync(await Client.StartAsync(first)));
    }

    [Fact]
    public async Task ListStateMachineVersions_PagesNewestFirst()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(0));
        for (var i = 1; i <= 5; i++) (await Client.UpdateAsync(machine, VersionFlows.Returning(i), publish: true)).Ok();
        var seen = (await Client.ListAllAsync("ListStateMachineVersions", new JsonObject { ["stateMachineArn"] = machine }, "stateMachineVersions", 2))
            .Select(v => v["stateMachineVersionArn"]!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(1, 5).Reverse().Select(n => $"{machine}:{n}"), seen);
        (await Client.CallAsync("ListStateMachineVersions", new JsonObject { ["stateMachineArn"] = machine, ["nextToken"] = "forged" })).AssertError("InvalidToken");
    }

    [Fact]
    public async Task PrincipalWithoutPublishStateMachineVersion_IsAccessDenied_NamingTheMachine()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ver"), VersionFlows.Returning(1));
        var reader = fixture.As(ServerFixture.Reader);
        var denied = await reader.CallAsync("PublishStateMachineVersion", Arn(machine));
        denied.AssertError("AccessDeniedException");
        Assert.Equal(
            $"User: arn:aws:iam::123456789012:user/reader is not authorized to perform: states:PublishStateMachineVersion on resource: {machine} because no identity-based policy allows the states:PublishStateMachineVersion action",
            denied.ErrorMessage);
        // Nothing was published, and the reader's List* covers ListStateMachineVersions.
        Assert.Empty((await reader.CallAsync("ListStateMachineVersions", Arn(machine))).Ok()["stateMachineVersions"]!.AsArray());

        var v1 = await Client.PublishAsync(machine);
        var deleteVersion = await reader.CallAsync("DeleteStateMachineVersion", new JsonObject { ["stateMachineVersionArn"] = v1 });
        deleteVersion.AssertError("AccessDeniedException");
        Assert.Contains($"states:DeleteStateMachineVersion on resource: {machine} because", deleteVersion.ErrorMessage);
        (await Client.CallAsync("DescribeStateMachine", Arn(v1))).Ok();
    }
}
