using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>The unmodified AWS CLI v2 (a real SigV4 signer and real wire parsers) against the endpoint.</summary>
public sealed class AwsCliTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Task<AwsCli.Result> Aws(params string[] args) => AwsCli.RunAsync(fixture.Server.Url, Credentials.Default, null, args);

    [Fact]
    public async Task StepFunctionsCommands_WorkUnchanged()
    {
        var name = ServerFixture.Unique("cli");
        var created = (await Aws("stepfunctions", "create-state-machine", "--name", name, "--definition", Definitions.WaitLong,
            "--role-arn", "arn:aws:iam::123456789012:role/Cli")).Json;
        var machine = created["stateMachineArn"]!.GetValue<string>();

        var started = (await Aws("stepfunctions", "start-execution", "--state-machine-arn", machine, "--name", "run1", "--input", "{\"n\":1}")).Json;
        var execution = started["executionArn"]!.GetValue<string>();
        Assert.EndsWith(":execution:" + name + ":run1", execution);

        var described = (await Aws("stepfunctions", "describe-execution", "--execution-arn", execution)).Json;
        Assert.Equal("RUNNING", described["status"]!.GetValue<string>());
        Assert.Equal("{\"n\":1}", described["input"]!.GetValue<string>());

        var listed = (await Aws("stepfunctions", "list-executions", "--state-machine-arn", machine)).Json;
        Assert.Equal(execution, listed["executions"]![0]!["executionArn"]!.GetValue<string>());

        var stopped = (await Aws("stepfunctions", "stop-execution", "--execution-arn", execution, "--error", "Cli.Stop", "--cause", "from the CLI")).Json;
        Assert.NotNull(stopped["stopDate"]);
        var after = await fixture.Client.WaitForEndAsync(execution);
        Assert.Equal("ABORTED", after["status"]!.GetValue<string>());

        var history = (await Aws("stepfunctions", "get-execution-history", "--execution-arn", execution)).Json;
        var events = history["events"]!.AsArray();
        Assert.Equal("ExecutionStarted", events[0]!["type"]!.GetValue<string>());
        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "ExecutionAborted");
    }

    [Fact]
    public async Task TagCommands_WorkFromTheCli()
    {
        var created = (await Aws("stepfunctions", "create-state-machine", "--name", ServerFixture.Unique("cli"), "--definition", Definitions.Pass,
            "--role-arn", "arn:aws:iam::123456789012:role/Cli", "--tags", "key=team,value=data")).Json;
        var machine = created["stateMachineArn"]!.GetValue<string>();
        await Aws("stepfunctions", "tag-resource", "--resource-arn", machine, "--tags", "key=env,value=prod");
        await Aws("stepfunctions", "untag-resource", "--resource-arn", machine, "--tag-keys", "team");
        var tags = (await Aws("stepfunctions", "list-tags-for-resource", "--resource-arn", machine)).Json["tags"]!.AsArray();
        Assert.Equal(new[] { "env=prod" }, tags.Select(t => $"{t!["key"]!.GetValue<string>()}={t["value"]!.GetValue<string>()}"));
    }

    [Fact]
    public async Task DescribeStateMachineForExecution_WorksFromTheCli()
    {
        // The Debian CLI (2.9.x) predates TestState and variableReferences: it has no test-state command and drops the
        // member it does not know, so this checks the operation itself; TestStateTests and VariableReferencesTests cover the rest.
        var name = ServerFixture.Unique("cli");
        var machine = await fixture.Client.CreateStateMachineAsync(name, """{"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$v", "End": true}}}""");
        var execution = await fixture.Client.StartAsync(machine);
        var described = (await Aws("stepfunctions", "describe-state-machine-for-execution", "--execution-arn", execution)).Json;
        Assert.Equal(machine, described["stateMachineArn"]!.GetValue<string>());
        Assert.Equal(name, described["name"]!.GetValue<string>());
        Assert.Contains("$v", described["definition"]!.GetValue<string>());
        Assert.NotNull(described["updateDate"]);
    }

    [Fact]
    public async Task StartThroughAnAlias_AndDescribeAVersion_WorkFromTheCli()
    {
        // Debian's CLI v2 predates the version and alias commands, so those are set up over HTTP; starting through the
        // alias and describing the version are commands it has, and it must take the qualified ARNs and our answers.
        var (machine, v1) = await fixture.Client.CreatePublishedAsync(ServerFixture.Unique("cli"), VersionFlows.Returning(1));
        (await fixture.Client.UpdateAsync(machine, VersionFlows.Returning(2))).Ok();
        var alias = (await fixture.Client.CreateAliasAsync("cli", (v1, 100))).Ok()["stateMachineAliasArn"]!.GetValue<string>();

        var started = (await Aws("stepfunctions", "start-execution", "--state-machine-arn", alias, "--name", "via-alias")).Json;
        var execution = started["executionArn"]!.GetValue<string>();
        Assert.Equal(machine.Replace(":stateMachine:", ":execution:") + ":via-alias", execution);
        await fixture.Client.WaitForEndAsync(execution);
        var described = (await Aws("stepfunctions", "describe-execution", "--execution-arn", execution)).Json;
        Assert.Equal("SUCCEEDED", described["status"]!.GetValue<string>());
        Assert.Equal(machine, described["stateMachineArn"]!.GetValue<string>());
        Assert.Equal("{\"v\":1}", described["output"]!.GetValue<string>());

        var version = (await Aws("stepfunctions", "describe-state-machine", "--state-machine-arn", v1)).Json;
        Assert.Equal(v1, version["stateMachineArn"]!.GetValue<string>());
        Assert.Equal(VersionFlows.Returning(1), version["definition"]!.GetValue<string>());
    }

    [Fact]
    public async Task StepFunctionsErrors_ReachTheCliWithTheirCodes()
    {
        var missing = await Aws("stepfunctions", "describe-execution", "--execution-arn", "arn:aws:states:us-east-1:123456789012:execution:Nope:x");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("(ExecutionDoesNotExist)", missing.StdErr);
    }

    [Fact]
    public async Task WrongSecret_GivesTheCliInvalidSignatureException()
    {
        var result = await AwsCli.RunAsync(fixture.Server.Url, Credentials.Default with { SecretAccessKey = "wrong-secret" }, null,
            "stepfunctions", "list-state-machines");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(InvalidSignatureException)", result.StdErr);
    }

    [Fact]
    public async Task StsCommands_WorkUnchanged_AndAssumedCredentialsSign()
    {
        var who = (await Aws("sts", "get-caller-identity")).Json;
        Assert.Equal("arn:aws:iam::123456789012:user/local", who["Arn"]!.GetValue<string>());
        Assert.Equal("123456789012", who["Account"]!.GetValue<string>());

        var assumed = (await AwsCli.RunAsync(fixture.Server.Url, ServerFixture.Runner, null, "sts", "assume-role",
            "--role-arn", ServerFixture.DeployerRole, "--role-session-name", "cli-session", "--external-id", ServerFixture.ExternalId)).Json;
        var c = assumed["Credentials"]!;
        Assert.StartsWith("ASIA", c["AccessKeyId"]!.GetValue<string>());
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/Deployer/cli-session", assumed["AssumedRoleUser"]!["Arn"]!.GetValue<string>());

        var session = new Credentials(c["AccessKeyId"]!.GetValue<string>(), c["SecretAccessKey"]!.GetValue<string>(), c["SessionToken"]!.GetValue<string>());
        var asRole = (await AwsCli.RunAsync(fixture.Server.Url, session, null, "sts", "get-caller-identity")).Json;
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/Deployer/cli-session", asRole["Arn"]!.GetValue<string>());
        var machines = (await AwsCli.RunAsync(fixture.Server.Url, session, null, "stepfunctions", "list-state-machines")).Json;
        Assert.NotNull(machines["stateMachines"]);

        var denied = await AwsCli.RunAsync(fixture.Server.Url, ServerFixture.Runner, null, "sts", "assume-role",
            "--role-arn", ServerFixture.DeployerRole, "--role-session-name", "cli-session");
        Assert.Contains("(AccessDenied)", denied.StdErr);
    }

    [Fact]
    public async Task MapRunCommands_ParseTheEndpointsAnswers()
    {
        const string definition = """
            {"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"Label":"Cli","MaxConcurrency":3,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """;
        var machine = await fixture.Client.CreateStateMachineAsync(ServerFixture.Unique("cli-dmap"), definition);
        var execution = await fixture.Client.StartAsync(machine, input: "[1,2]");
        Assert.Equal("SUCCEEDED", (await fixture.Client.WaitForEndAsync(execution))["status"]!.GetValue<string>());

        var runs = (await Aws("stepfunctions", "list-map-runs", "--execution-arn", execution)).Json["mapRuns"]!.AsArray();
        var mapRun = runs.Single()!["mapRunArn"]!.GetValue<string>();
        Assert.StartsWith(machine.Replace(":stateMachine:", ":mapRun:") + "/Cli:", mapRun);

        var described = (await Aws("stepfunctions", "describe-map-run", "--map-run-arn", mapRun)).Json;
        Assert.Equal("SUCCEEDED", described["status"]!.GetValue<string>());
        Assert.Equal(3, described["maxConcurrency"]!.GetValue<int>());
        Assert.Equal(2, described["itemCounts"]!["succeeded"]!.GetValue<int>());

        // The run has ended: the CLI reads the model's refusal (its reason member is newer than Debian's CLI, which drops it).
        var refused = await Aws("stepfunctions", "update-map-run", "--map-run-arn", mapRun, "--tolerated-failure-percentage", "12.5");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("(ValidationException) when calling the UpdateMapRun operation", refused.StdErr);
        Assert.Contains("has already ended (SUCCEEDED)", refused.StdErr);

        // A run still going (its child waits a day) takes the update, and the CLI reads the empty answer.
        var held = await fixture.Client.CreateStateMachineAsync(ServerFixture.Unique("cli-dmap-held"), definition.Replace(
            "\"P\":{\"Type\":\"Pass\",\"End\":true}", "\"P\":{\"Type\":\"Wait\",\"Seconds\":86400,\"End\":true}"));
        var holding = await fixture.Client.StartAsync(held, input: "[1]");
        JsonArray running;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((running = (await Aws("stepfunctions", "list-map-runs", "--execution-arn", holding)).Json["mapRuns"]!.AsArray()).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{holding} started no Map Run within 20 s");
            await Task.Delay(100);
        }
        var heldRun = running.Single()!["mapRunArn"]!.GetValue<string>();
        var update = await Aws("stepfunctions", "update-map-run", "--map-run-arn", heldRun, "--tolerated-failure-percentage", "12.5");
        Assert.True(update.ExitCode == 0, update.StdErr);
        Assert.Equal(12.5, (await Aws("stepfunctions", "describe-map-run", "--map-run-arn", heldRun)).Json["toleratedFailurePercentage"]!.GetValue<double>());
        Assert.Equal(0, (await Aws("stepfunctions", "stop-execution", "--execution-arn", holding)).ExitCode);

        var children = (await Aws("stepfunctions", "list-executions", "--map-run-arn", mapRun)).Json["executions"]!.AsArray();
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.Equal(mapRun, c!["mapRunArn"]!.GetValue<string>()));
    }
}
