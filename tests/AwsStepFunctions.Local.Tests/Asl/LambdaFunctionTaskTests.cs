using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// A Task whose Resource is a bare Lambda function ARN (the legacy form) is recorded with the service's LambdaFunction*
/// events. The expected histories are what AWS recorded for the same definitions in LocalStack's AWS-validated snapshots
/// (the test named in each comment).
/// </summary>
public sealed class LambdaFunctionTaskTests
{
    private const string Function = "arn:aws:lambda:eu-west-1:123456789012:function:lambda_func";

    private static EngineOptions Mocks(string responses) => new()
    {
        TimeScale = 10_000,
        MockConfig = (JsonObject)JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"T":{"State0":"Lambda"}}}},"MockedResponses":{"Lambda":%RESPONSES%}}
            """.Replace("%RESPONSES%", responses))!,
    };

    private static string WithFunction(string json) => json.Replace("%FN%", Function);

    private static string Links(RecordingHost host) => string.Join(", ", host.Events.Select(e => $"{e.Type}<{e.PreviousEventId}"));

    [Fact]
    public async Task A_call_is_recorded_as_LambdaFunctionScheduled_Started_and_Succeeded_with_the_payload_as_output()
    {
        // test_base_cases[BASE_LAMBDA_EMPTY].
        var host = await AslKit.RunAsync(WithFunction("""
            {"StartAt":"State0","States":{"State0":{"QueryLanguage":"JSONata","Type":"Task","Resource":"%FN%","Arguments":{},"End":true}}}
            """), """{"input_value":"string literal","input_values":[1,2,3]}""", Mocks("""{"0":{"Return":{}}}"""), "T");
        Assert.Equal("ExecutionStarted<0, TaskStateEntered<0, LambdaFunctionScheduled<2, LambdaFunctionStarted<3, "
            + "LambdaFunctionSucceeded<4, TaskStateExited<5, ExecutionSucceeded<6", Links(host));
        AslKit.JsonEqual(WithFunction("""{"resource":"%FN%","input":"{}","inputDetails":{"truncated":false}}"""), host.Details("LambdaFunctionScheduled"));
        Assert.Null(host.Events.Single(e => e.Type == "LambdaFunctionStarted").Details);
        AslKit.JsonEqual("""{"output":"{}","outputDetails":{"truncated":false}}""", host.Details("LambdaFunctionSucceeded"));
    }

    [Fact]
    public async Task The_function_payload_is_the_Task_result_as_it_is()
    {
        // test_invoke_pipe: the first function's payload {"Return":"HelloWorld"} is the next one's input, unwrapped.
        var host = await AslKit.RunAsync(WithFunction("""
            {"StartAt":"State0","States":{"State0":{"Type":"Task","Resource":"%FN%","ResultPath":"$.Return","End":true}}}
            """), """{}""", Mocks("""{"0":{"Return":{"Return":"HelloWorld"}}}"""), "T");
        Assert.Equal("""{"Return":"HelloWorld"}""", host.Details("LambdaFunctionSucceeded")["output"]!.GetValue<string>());
        AslKit.JsonEqual("""{"Return":{"Return":"HelloWorld"}}""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Fact]
    public async Task Retries_schedule_the_function_again_after_each_LambdaFunctionFailed_and_a_catcher_exits_after_the_last()
    {
        // test_lambda_invoke_with_retry_base.
        var host = await AslKit.RunAsync(WithFunction("""
            {"StartAt":"State0","States":{"State0":{"Type":"Task","Resource":"%FN%",
              "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"HandleError"}],
              "End":true,"ResultSelector":{"Retries.$":"$$.State.RetryCount"}},
             "HandleError":{"Type":"Pass","End":true}}}
            """), """{"Value1":"HelloWorld!","Value2":null}""",
            Mocks("""{"0-3":{"Throw":{"Error":"Exception","Cause":"{\"errorMessage\":\"Some exception was raised.\"}"}}}"""), "T");
        Assert.Equal("ExecutionStarted<0, TaskStateEntered<0, "
            + "LambdaFunctionScheduled<2, LambdaFunctionStarted<3, LambdaFunctionFailed<4, "
            + "LambdaFunctionScheduled<5, LambdaFunctionStarted<6, LambdaFunctionFailed<7, "
            + "LambdaFunctionScheduled<8, LambdaFunctionStarted<9, LambdaFunctionFailed<10, "
            + "LambdaFunctionScheduled<11, LambdaFunctionStarted<12, LambdaFunctionFailed<13, "
            + "TaskStateExited<14, PassStateEntered<15, PassStateExited<16, ExecutionSucceeded<17", Links(host));
        AslKit.JsonEqual("""{"error":"Exception","cause":"{\"errorMessage\":\"Some exception was raised.\"}"}""", host.Details("LambdaFunctionFailed"));
        AslKit.JsonEqual("""{"resource":"arn:aws:lambda:eu-west-1:123456789012:function:lambda_func","input":"{\"Value1\":\"HelloWorld!\",\"Value2\":null}","inputDetails":{"truncated":false}}""",
            host.Details("LambdaFunctionScheduled"));
    }

    [Fact]
    public async Task A_timed_out_call_is_LambdaFunctionTimedOut_and_TimeoutSeconds_is_reported_when_scheduled()
    {
        // test_fixed_timeout_lambda.
        var host = await AslKit.RunAsync(WithFunction("""
            {"StartAt":"State0","States":{"State0":{"Type":"Task","TimeoutSeconds":5,"Resource":"%FN%","Parameters":{"Payload.$":"$.Payload"},"End":true}}}
            """), """{"Payload":null}""", Mocks("""{"0":{"Throw":{"Error":"States.Timeout"}}}"""), "T");
        Assert.Equal("ExecutionStarted<0, TaskStateEntered<0, LambdaFunctionScheduled<2, LambdaFunctionStarted<3, LambdaFunctionTimedOut<4, "
            + "ExecutionFailed<5", Links(host));
        AslKit.JsonEqual(WithFunction("""{"resource":"%FN%","input":"{\"Payload\":null}","inputDetails":{"truncated":false},"timeoutInSeconds":5}"""),
            host.Details("LambdaFunctionScheduled"));
        AslKit.JsonEqual("""{"error":"States.Timeout"}""", host.Details("LambdaFunctionTimedOut"));
        Assert.Equal(("FAILED", "States.Timeout"), (host.Outcome!.Status, host.Outcome.Error));
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:Hello", true)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:Hello:live", true)]
    [InlineData("arn:aws-cn:lambda:cn-north-1:123456789012:function:Hello:7", true)]
    [InlineData("arn:aws:states:::lambda:invoke", false)]
    [InlineData("arn:aws:states:us-east-1:123456789012:activity:Work", false)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:layer:Shared", false)]
    public void Only_a_Lambda_function_ARN_is_the_legacy_form(string resource, bool legacy) =>
        Assert.Equal(legacy, TaskHistory.IsLambdaFunction(resource));
}
