using System.Linq;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>An activity worker written with the unmodified AWS CLI v2: its own signer, wire parsers and long-poll timeout.</summary>
public sealed class ActivityCliTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Task<AwsCli.Result> Aws(params string[] args) => AwsCli.RunAsync(fixture.Server.Url, Credentials.Default, null, args);

    [Fact]
    public async Task A_CLI_worker_creates_lists_polls_and_answers_an_activity_task()
    {
        var name = ServerFixture.Unique("cli-act");
        var activity = (await Aws("stepfunctions", "create-activity", "--name", name, "--tags", "key=team,value=data")).Json["activityArn"]!.GetValue<string>();
        var listed = (await Aws("stepfunctions", "list-activities")).Json["activities"]!.AsArray();
        Assert.Contains(listed, a => a!["activityArn"]!.GetValue<string>() == activity && a["name"]!.GetValue<string>() == name);

        var definition = """{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"ARN","End":true}}}""".Replace("ARN", activity);
        var machine = (await Aws("stepfunctions", "create-state-machine", "--name", name, "--definition", definition,
            "--role-arn", "arn:aws:iam::123456789012:role/Cli")).Json["stateMachineArn"]!.GetValue<string>();
        var execution = (await Aws("stepfunctions", "start-execution", "--state-machine-arn", machine, "--input", "{\"job\":42}"))
            .Json["executionArn"]!.GetValue<string>();

        var task = (await Aws("stepfunctions", "get-activity-task", "--activity-arn", activity, "--worker-name", "cli-worker")).Json;
        Assert.Equal("{\"job\":42}", task["input"]!.GetValue<string>());
        await Aws("stepfunctions", "send-task-success", "--task-token", task["taskToken"]!.GetValue<string>(), "--task-output", "{\"done\":42}");

        var done = await fixture.Client.WaitForEndAsync(execution);
        Assert.Equal("SUCCEEDED", done["status"]!.GetValue<string>());
        Assert.Equal("{\"done\":42}", done["output"]!.GetValue<string>());
        var events = (await Aws("stepfunctions", "get-execution-history", "--execution-arn", execution)).Json["events"]!.AsArray();
        var started = events.Single(e => e!["type"]!.GetValue<string>() == "ActivityStarted")!;
        Assert.Equal("cli-worker", started["activityStartedEventDetails"]!["workerName"]!.GetValue<string>());

        var described = (await Aws("stepfunctions", "describe-activity", "--activity-arn", activity)).Json;
        Assert.Equal(name, described["name"]!.GetValue<string>());
        Assert.Equal(0, (await Aws("stepfunctions", "delete-activity", "--activity-arn", activity)).ExitCode);
        var gone = await Aws("stepfunctions", "describe-activity", "--activity-arn", activity);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("ActivityDoesNotExist", gone.StdErr);
    }
}
