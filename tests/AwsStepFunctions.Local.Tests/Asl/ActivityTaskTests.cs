using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// A Task whose Resource is an activity ARN is recorded with the service's Activity* events, answered by the mock config
/// like any Task. The expected histories are AWS's for the same definitions (LocalStack's AWS-validated test_activities).
/// </summary>
public sealed class ActivityTaskTests
{
    private const string Activity = "arn:aws:states:eu-west-1:123456789012:activity:Work";

    private static readonly string Machine = """
        {"StartAt":"ActivityTask","States":{"ActivityTask":{"Type":"Task","Resource":"%ACTIVITY%","TimeoutSeconds":60,"HeartbeatSeconds":10,"End":true}}}
        """.Replace("%ACTIVITY%", Activity);

    private static EngineOptions Mocks(string response) => new()
    {
        TimeScale = 10_000,
        MockConfig = (JsonObject)JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"T":{"ActivityTask":"Worker"}}}},"MockedResponses":{"Worker":{"0":%R%}}}
            """.Replace("%R%", response))!,
    };

    private static string Links(RecordingHost host) => string.Join(", ", host.Events.Select(e => $"{e.Type}<{e.PreviousEventId}"));

    [Fact]
    public async Task A_worker_result_is_recorded_as_ActivityScheduled_Started_and_Succeeded()
    {
        // test_activity_task_with_heartbeat (and test_activity_task_no_worker_name for ActivityStarted's empty details).
        var host = await AslKit.RunAsync(Machine, """{"Value1":"HelloWorld"}""", Mocks("""{"Return":{"Value1":"HelloWorld"}}"""), "T");
        Assert.Equal("ExecutionStarted<0, TaskStateEntered<0, ActivityScheduled<2, ActivityStarted<3, ActivitySucceeded<4, TaskStateExited<5, "
            + "ExecutionSucceeded<6", Links(host));
        AslKit.JsonEqual($$"""
            {"resource":"{{Activity}}","input":"{\"Value1\":\"HelloWorld\"}","inputDetails":{"truncated":false},"timeoutInSeconds":60,"heartbeatInSeconds":10}
            """, host.Details("ActivityScheduled"));
        AslKit.JsonEqual("{}", host.Details("ActivityStarted"));
        AslKit.JsonEqual("""{"output":"{\"Value1\":\"HelloWorld\"}","outputDetails":{"truncated":false}}""", host.Details("ActivitySucceeded"));
    }

    [Theory]
    [InlineData("""{"Throw":{"Error":"Programmatic Error","Cause":"{\"Value1\":\"HelloWorld\"}"}}""", "ActivityFailed",
        """{"error":"Programmatic Error","cause":"{\"Value1\":\"HelloWorld\"}"}""")]
    [InlineData("""{"Throw":{"Error":"States.Timeout"}}""", "ActivityTimedOut", """{"error":"States.Timeout"}""")]
    public async Task A_worker_failure_or_timeout_is_ActivityFailed_or_ActivityTimedOut(string response, string type, string details)
    {
        // test_activity_task_failure, test_activity_task_start_timeout.
        var host = await AslKit.RunAsync(Machine, """{"Value1":"HelloWorld"}""", Mocks(response), "T");
        Assert.Equal($"ExecutionStarted<0, TaskStateEntered<0, ActivityScheduled<2, ActivityStarted<3, {type}<4, ExecutionFailed<5", Links(host));
        AslKit.JsonEqual(details, host.Details(type));
    }

    [Theory]
    [InlineData("arn:aws:states:us-east-1:123456789012:activity:Work", true)]
    [InlineData("arn:aws:states:::lambda:invoke", false)]
    [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Work", false)]
    public void Only_an_activity_ARN_is_an_activity(string resource, bool activity) => Assert.Equal(activity, TaskHistory.IsActivity(resource));
}
