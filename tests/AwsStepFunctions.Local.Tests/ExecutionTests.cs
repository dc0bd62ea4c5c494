using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

public sealed class ExecutionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    [Fact]
    public async Task Start_ThenDescribe_ReturnsTheWireMembers()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ex"), Definitions.Pass);
        var start = (await Client.CallAsync("StartExecution", new JsonObject
        {
            ["stateMachineArn"] = machine, ["name"] = "first", ["input"] = "{\"a\":1}", ["traceHeader"] = "Root=1-abc",
        })).Ok();
        var arn = start["executionArn"]!.GetValue<string>();
        Assert.Equal(machine.Replace(":stateMachine:", ":execution:") + ":first", arn);
        var d = await Client.WaitForEndAsync(arn);
        Assert.Equal("SUCCEEDED", d["status"]!.GetValue<string>());
        Assert.Equal(machine, d["stateMachineArn"]!.GetValue<string>());
        Assert.Equal("first", d["name"]!.GetValue<string>());
        Assert.Equal(start["startDate"]!.GetValue<double>(), d["startDate"]!.GetValue<double>());
        Assert.True(d["stopDate"]!.GetValue<double>() >= d["startDate"]!.GetValue<double>());
        Assert.Equal("{\"a\":1}", d["input"]!.GetValue<string>());
        Assert.True(d["inputDetails"]!["included"]!.GetValue<bool>());
        Assert.Equal(1, JsonNode.Parse(d["output"]!.GetValue<string>())!["a"]!.GetValue<int>());
        Assert.Equal("Root=1-abc", d["traceHeader"]!.GetValue<string>());
        Assert.Equal(0, d["redriveCount"]!.GetValue<int>());
        Assert.Equal("NOT_REDRIVABLE", d["redriveStatus"]!.GetValue<string>());
        Assert.Null(d["error"]);

        var meta = (await Client.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = arn, ["includedData"] = "METADATA_ONLY" })).Ok();
        Assert.Null(meta["input"]);
        Assert.Null(meta["output"]);
        Assert.False(meta["inputDetails"]!["included"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Start_WithoutName_UsesAGuid()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ex"), Definitions.Pass);
        var arn = await Client.StartAsync(machine);
        Assert.True(Guid.TryParse(arn[(arn.LastIndexOf(':') + 1)..], out _));
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("a<b")]
    [InlineData("a{b")]
    [InlineData("a?b")]
    [InlineData("a*b")]
    [InlineData("a\"b")]
    [InlineData("a#b")]
    [InlineData("a%b")]
    [InlineData("a\\b")]
    [InlineData("a^b")]
    [InlineData("a|b")]
    [InlineData("a~b")]
    [InlineData("a`b")]
    [InlineData("a$b")]
    [InlineData("a&b")]
    [InlineData("a,b")]
    [InlineData("a;b")]
    [InlineData("a:b")]
    [InlineData("a/b")]
    [InlineData("tab\tname")]
    [InlineData("ctl\u007fname")]
    [InlineData("ctl\u0085name")]
    public async Task Start_BadName_IsInvalidName(string name)
    {
        var reply = await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:X", ["name"] = name });
        reply.AssertError("InvalidName");
        Assert.Equal($"Invalid Name: '{name}'", reply.ErrorMessage);
    }

    [Fact]
    public async Task Start_NameOutside1To80Characters_IsTheModelsValidationException_80IsFine()
    {
        // As AWS answers it (wolfeidau/buildkite-serverless-agent#37): the model's length constraint, not InvalidName.
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ex"), Definitions.Pass);
        var tooLong = new string('n', 81);
        var reply = await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = tooLong });
        reply.AssertError("ValidationException");
        Assert.Equal($"1 validation error detected: Value '{tooLong}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80", reply.ErrorMessage);
        var empty = await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "" });
        empty.AssertError("ValidationException");
        Assert.Equal("1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1", empty.ErrorMessage);
        (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = new string('n', 80) })).Ok();
    }

    [Fact]
    public async Task Start_WithADistributedMapLabelArn_IsValidationException()
    {
        // The API reference: "If you provide a qualified state machine ARN that refers to a Distributed Map state, the
        // request fails with ValidationException."
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ex"), Definitions.Pass);
        foreach (var operation in new[] { "StartExecution", "StartSyncExecution" })
        {
            var reply = await Client.CallAsync(operation, new JsonObject { ["stateMachineArn"] = machine + "/Fanout" });
            reply.AssertError("ValidationException");
            Assert.Contains("names a Distributed Map state", reply.ErrorMessage);
        }
    }

    [Fact]
    public async Task Start_InputRules()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ex"), Definitions.Pass);
        var notJson = await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["input"] = "{oops" });
        notJson.AssertError("InvalidExecutionInput");
        Assert.StartsWith("Invalid State Machine Execution Input: '", notJson.ErrorMessage);
        // input is a JSON document carried as a string; an object in its place fails deserialization.
        (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["input"] = new JsonObject() })).AssertError("SerializationException");
        var big = "\"" + new string('x', 262_143) + "\"";
        (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["input"] = big })).AssertError("InvalidExecutionInput");
        var limit = "\"" + new string('x', 262_142) + "\"";
        (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["input"] = limit })).Ok();
    }

    [Fact]
    public async Task Start_ArnRules()
    {
        (await Client.CallAsync("StartExecution", new JsonObject())).AssertError("ValidationException");
        (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:execution:X:y" })).AssertError("InvalidArn");
        (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = "nonsense" })).AssertError("InvalidArn");
        var missing = await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:NoSuchMachine" });
        missing.AssertError("StateMachineDoesNotExist");
        Assert.Equal("State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:NoSuchMachine'", missing.ErrorMessage);
        (await Client.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:X" })).AssertError("InvalidArn");
    }

    [Fact]
    public async Task Start_OnTestCaseSuffix_RunsTheMachine()
    {
        // A Pass machine needs no mock, so the test case only has to be split off the ARN for the run to succeed.
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ex"), Definitions.Pass);
        var arn = await Client.StartAsync(machine + "#HappyPath", "tc", """{"order":7}""");
        Assert.Equal(machine.Replace(":stateMachine:", ":execution:") + ":tc", arn);
        var d = await Client.WaitForEndAsync(arn);
        Assert.Equal("SUCCEEDED", d["status"]!.GetValue<string>());
        Assert.Equal(machine, d["stateMachineArn"]!.GetValue<string>());
        Assert.Equal(7, JsonNode.Parse(d["output"]!.GetValue<string>())!["order"]!.GetValue<int>());
    }

    [Fact]
    public async Task SameNameAfterTheExecutionClosed_IsExecutionAlreadyExists()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ex"), Definitions.Pass);
        var arn = await Client.StartAsync(machine, "once");
        await Client.WaitForEndAsync(arn);
        var reply = await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "once", ["input"] = "{}" });
        reply.AssertError("ExecutionAlreadyExists");
        Assert.Equal($"Execution Already Exists: '{arn}'", reply.ErrorMessage);
    }

    [Fact]
    public async Task SameNameAndInputWhileRunning_ReturnsTheOriginal_DifferentInputIsAlreadyExists()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ex"), Definitions.WaitLong);
        var first = (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "idem", ["input"] = "{\"k\":1}" })).Ok();
        var again = (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "idem", ["input"] = "{\"k\":1}" })).Ok();
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        (await Client.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "idem", ["input"] = "{\"k\":2}" }))
            .AssertError("ExecutionAlreadyExists");
        await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = first["executionArn"]!.GetValue<string>() });
    }

    [Fact]
    public async Task Stop_RunningExecution_IsAbortedWithErrorAndCause_AndStoppingAgainKeepsTheStopDate()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ex"), Definitions.WaitLong);
        var arn = await Client.StartAsync(machine, "stopme");
        Assert.Equal("RUNNING", (await Client.DescribeAsync(arn))["status"]!.GetValue<string>());
        var stop = (await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = arn, ["error"] = "User.Cancel", ["cause"] = "changed my mind" })).Ok();
        var d = await Client.WaitForEndAsync(arn);
        Assert.Equal("ABORTED", d["status"]!.GetValue<string>());
        Assert.Equal("User.Cancel", d["error"]!.GetValue<string>());
        Assert.Equal("changed my mind", d["cause"]!.GetValue<string>());
        Assert.Null(d["output"]);
        Assert.Equal("REDRIVABLE", d["redriveStatus"]!.GetValue<string>());
        var again = (await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = arn })).Ok();
        Assert.Equal(d["stopDate"]!.GetValue<double>(), again["stopDate"]!.GetValue<double>());
        Assert.InRange(stop["stopDate"]!.GetValue<double>(), d["startDate"]!.GetValue<double>(), d["stopDate"]!.GetValue<double>() + 1);
    }

    [Fact]
    public async Task Stop_UnknownOrTooLongMembers_AreRefused()
    {
        (await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:execution:A:b" })).AssertError("ExecutionDoesNotExist");
        (await Client.CallAsync("StopExecution", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:execution:A:b", ["error"] = new string('e', 257) }))
            .AssertError("ValidationException");
    }

    [Fact]
    public async Task ListExecutions_NewestFirst_WithPagingAndStatusFilter()
    {
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ls"), Definitions.Pass);
        for (var i = 0; i < 5; i++) await Client.WaitForEndAsync(await Client.StartAsync(machine, $"e{i}"));
        var names = (await Client.ListAllAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine }, "executions", 2))
            .Select(e => e["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["e4", "e3", "e2", "e1", "e0"], names);

        var succeeded = (await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "SUCCEEDED" })).Ok();
        Assert.Equal(5, succeeded["executions"]!.AsArray().Count);
        var running = (await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "RUNNING" })).Ok();
        Assert.Empty(running["executions"]!.AsArray());
        var first = succeeded["executions"]![0]!;
        Assert.Equal(machine, first["stateMachineArn"]!.GetValue<string>());
        Assert.NotNull(first["startDate"]);
        Assert.NotNull(first["stopDate"]);
    }

    [Fact]
    public async Task ListExecutions_BadMembers_AreRefused()
    {
        (await Client.CallAsync("ListExecutions", new JsonObject())).AssertError("ValidationException");
        var machine = await Client.CreateStateMachineAsync(ServerFixture.Unique("ls"), Definitions.Pass);
        (await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "DONE" })).AssertError("ValidationException");
        (await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["maxResults"] = 1001 })).AssertError("ValidationException");
        (await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["nextToken"] = "Zm9v" })).AssertError("InvalidToken");
        (await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine + "x" })).AssertError("StateMachineDoesNotExist");
    }

    [Fact]
    public async Task StartSyncExecution_OnStandard_IsNotSupported_OnExpress_AnswersTheOutcome()
    {
        var standard = await Client.CreateStateMachineAsync(ServerFixture.Unique("sync"), Definitions.Pass);
        (await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = standard })).AssertError("StateMachineTypeNotSupported");

        var express = await Client.CreateStateMachineAsync(ServerFixture.Unique("sync"), Definitions.Pass, "EXPRESS");
        var r = (await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = express, ["name"] = "s1", ["input"] = "{\"x\":true}" })).Ok();
        Assert.Equal("SUCCEEDED", r["status"]!.GetValue<string>());
        Assert.StartsWith(express.Replace(":stateMachine:", ":express:") + ":s1:", r["executionArn"]!.GetValue<string>());
        Assert.True(JsonNode.Parse(r["output"]!.GetValue<string>())!["x"]!.GetValue<bool>());
        Assert.True(r["billingDetails"]!["billedDurationInMilliseconds"]!.GetValue<long>() >= 100);
        Assert.NotNull(r["stopDate"]);

        var failing = await Client.CreateStateMachineAsync(ServerFixture.Unique("sync"), Definitions.Fails, "EXPRESS");
        var f = (await Client.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = failing })).Ok();
        Assert.Equal("FAILED", f["status"]!.GetValue<string>());
        Assert.Equal("Custom.Error", f["error"]!.GetValue<string>());
        Assert.Equal("it failed", f["cause"]!.GetValue<string>());
        Assert.Null(f["output"]);
    }

    [Fact]
    public async Task Express_executions_are_neither_described_stopped_listed_nor_given_a_history_but_the_control_plane_sees_them()
    {
        var express = await Client.CreateStateMachineAsync(ServerFixture.Unique("exq"), Definitions.Pass, "EXPRESS");
        var arn = await Client.StartAsync(express, "e1");
        Assert.StartsWith(express.Replace(":stateMachine:", ":express:") + ":e1:", arn);
        foreach (var (operation, body) in new[]
        {
            ("DescribeExecution", new JsonObject { ["executionArn"] = arn }),
            ("StopExecution", new JsonObject { ["executionArn"] = arn }),
            ("GetExecutionHistory", new JsonObject { ["executionArn"] = arn }),
        })
        {
            var reply = await Client.CallAsync(operation, body);
            reply.AssertError("InvalidArn");
            Assert.Equal("Invalid Arn: 'Resource type not valid in this context: express'", reply.ErrorMessage);
        }
        var list = await Client.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = express });
        list.AssertError("StateMachineTypeNotSupported");

        using var http = new System.Net.Http.HttpClient();
        var url = new Uri(Client.Endpoint, "/_local/executions?stateMachineArn=" + Uri.EscapeDataString(express));
        var stored = JsonNode.Parse(await http.GetStringAsync(url))!["executions"]!.AsArray();
        Assert.Equal(arn, Assert.Single(stored)!["executionArn"]!.GetValue<string>());
        Assert.Equal("e1", stored[0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Redrive_OnlyClosedUnsuccessfulStandardExecutions()
    {
        var pass = await Client.CreateStateMachineAsync(ServerFixture.Unique("rd"), Definitions.Pass);
        var ok = await Client.StartAsync(pass, "ok");
        await Client.WaitForEndAsync(ok);
        (await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = ok })).AssertError("ExecutionNotRedrivable");
        (await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = ok + "x" })).AssertError("ExecutionDoesNotExist");

        var failing = await Client.CreateStateMachineAsync(ServerFixture.Unique("rd"), Definitions.Fails);
        var failed = await Client.StartAsync(failing, "failed");
        Assert.Equal("FAILED", (await Client.WaitForEndAsync(failed))["status"]!.GetValue<string>());
        var redrive = (await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = failed, ["clientToken"] = "tok-1" })).Ok();
        var retry = (await Client.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = failed, ["clientToken"] = "tok-1" })).Ok();
        Assert.Equal(redrive["redriveDate"]!.GetValue<double>(), retry["redriveDate"]!.GetValue<double>());
        var d = await Client.WaitForEndAsync(failed);
        Assert.Equal("FAILED", d["status"]!.GetValue<string>());
        Assert.Equal(1, d["redriveCount"]!.GetValue<int>());
        Assert.Equal(redrive["redriveDate"]!.GetValue<double>(), d["redriveDate"]!.GetValue<double>());
        var history = (await Client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = failed })).Ok()["events"]!.AsArray();
        var ids = history.Select(e => e!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);
        Assert.Contains(history, e => e!["type"]!.GetValue<string>() == "ExecutionRedriven");
    }
}
