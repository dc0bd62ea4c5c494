using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// A Task's timeout carries no cause in its TimedOut event, yet AWS gives the catcher's error output "Cause": ""
/// (LocalStack's AWS-validated test_invoke_timeout snapshot, replayed here with the recorded definition).
/// </summary>
public sealed class TimeoutCatchTests
{
    private static EngineOptions Mocks(string response) => new()
    {
        TimeScale = 10_000,
        MockConfig = (JsonObject)JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"T":{"Start":"Lambda"}}}},"MockedResponses":{"Lambda":{"0":%R%}}}
            """.Replace("%R%", response))!,
    };

    private const string Definition = """
        {"StartAt":"Start","States":{"Start":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,
          "Parameters":{"FunctionName.$":"$.FunctionName","Payload.$":"$.Payload"},
          "Catch":[{"ErrorEquals":["States.ALL"],"Next":"EndWithHandler"}],"Next":"EndWithFinal"},
         "EndWithHandler":{"Type":"Pass","ResultPath":"$.error","End":true},
         "EndWithFinal":{"Type":"Pass","ResultPath":"$.final","End":true}}}
        """;

    private const string Input = """{"FunctionName":"f","Payload":null}""";

    [Fact]
    public async Task A_caught_Task_timeout_has_an_empty_Cause_in_its_error_output_only()
    {
        var host = await AslKit.RunAsync(Definition, Input, Mocks("""{"Throw":{"Error":"States.Timeout"}}"""), "T");
        Assert.Equal(["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskTimedOut", "TaskStateExited",
            "PassStateEntered", "PassStateExited", "ExecutionSucceeded"], host.Events.Select(e => e.Type));
        AslKit.JsonEqual("""{"resourceType":"lambda","resource":"invoke","error":"States.Timeout"}""", host.Details("TaskTimedOut"));
        AslKit.JsonEqual("""{"Error":"States.Timeout","Cause":""}""", JsonNode.Parse(host.Details("TaskStateExited")["output"]!.GetValue<string>()));
        AslKit.JsonEqual("""{"Error":"States.Timeout","Cause":"","error":{"Error":"States.Timeout","Cause":""}}""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Fact]
    public async Task A_timeout_with_a_cause_keeps_it()
    {
        var host = await AslKit.RunAsync(Definition, Input, Mocks("""{"Throw":{"Error":"States.Timeout","Cause":"late"}}"""), "T");
        AslKit.JsonEqual("""{"Error":"States.Timeout","Cause":"late"}""", JsonNode.Parse(host.Details("TaskStateExited")["output"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Another_error_without_a_cause_gets_no_Cause_member()
    {
        // No recording shows this case: the member stays absent, as the error had none.
        var host = await AslKit.RunAsync(Definition, Input, Mocks("""{"Throw":{"Error":"Lambda.Unknown"}}"""), "T");
        AslKit.JsonEqual("""{"Error":"Lambda.Unknown"}""", JsonNode.Parse(host.Details("TaskStateExited")["output"]!.GetValue<string>()));
    }
}
