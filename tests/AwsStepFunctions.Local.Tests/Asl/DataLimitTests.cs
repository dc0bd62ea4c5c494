using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// States.DataLimitExceeded as AWS records it (LocalStack's AWS-validated test_states_errors snapshots, named in each
/// test): a Task whose result is too large is scheduled and started, then fails, and States.ALL catches it; a state
/// whose own output is too large fails the execution before its StateExited.
/// </summary>
public sealed class DataLimitTests
{
    private const string Function = "arn:aws:lambda:us-east-1:111111111111:function:lambda_func";

    private const string Cause = "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.";

    // Over 256 KiB once written as UTF-8, though under it in UTF-16 characters.
    private static readonly string Large = new('\u00e9', 140_000);

    private static EngineOptions Mocks(string response) => new()
    {
        TimeScale = 10_000,
        MockConfig = (JsonObject)JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"T":{"InvokeLambda":"Lambda"}}}},"MockedResponses":{"Lambda":{"0":%R%}}}
            """.Replace("%R%", response))!,
    };

    private static string Definition(string resource, string catchers) => """
        {"StartAt":"InvokeLambda","States":{
          "InvokeLambda":{"Type":"Task","Resource":"%RES%","Parameters":{"FunctionName.$":"$.FunctionName","Payload.$":"$.Payload"},
            "Next":"ProcessResult","Catch":%CATCH%},
          "ProcessResult":{"Type":"Pass","End":true},
          %DLE%"HandleGeneralError":{"Type":"Pass","End":true}}}
        """.Replace("%RES%", resource).Replace("%CATCH%", catchers)
        // A state no catcher names would be unreachable, which the definition check refuses.
        .Replace("%DLE%", catchers.Contains("HandleDataLimitExceeded") ? "\"HandleDataLimitExceeded\":{\"Type\":\"Pass\",\"End\":true}," : "");

    private const string CatchAll = """[{"ErrorEquals":["States.ALL"],"Next":"HandleGeneralError"}]""";

    private static string Links(RecordingHost host) => string.Join(", ", host.Events.Select(e => $"{e.Type}<{e.PreviousEventId}"));

    [Fact]
    public async Task A_too_large_integration_result_fails_the_started_Task_and_States_ALL_catches_it()
    {
        // test_service_task_lambada_catch_state_all_data_limit_exceeded_on_large_utf8_response.
        var host = await AslKit.RunAsync(Definition("arn:aws:states:::lambda:invoke", CatchAll), """{"FunctionName":"f","Payload":null}""",
            Mocks("""{"Return":{"Payload":"%0%"}}""".Replace("%0%", Large)), "T");
        Assert.Equal("ExecutionStarted<0, TaskStateEntered<0, TaskScheduled<2, TaskStarted<3, TaskFailed<4, TaskStateExited<5, "
            + "PassStateEntered<6, PassStateExited<7, ExecutionSucceeded<8", Links(host));
        AslKit.JsonEqual("""{"resourceType":"lambda","resource":"invoke","error":"States.DataLimitExceeded","cause":"%0%"}""".Replace("%0%", Cause),
            host.Details("TaskFailed"));
        Assert.Equal("HandleGeneralError", host.Details("PassStateEntered")["name"]!.GetValue<string>());
        AslKit.JsonEqual("""{"Error":"States.DataLimitExceeded","Cause":"%0%"}""".Replace("%0%", Cause), JsonNode.Parse(host.Outcome!.Output!));
    }

    [Fact]
    public async Task A_catcher_naming_States_DataLimitExceeded_takes_it_before_States_ALL()
    {
        // test_service_task_lambada_data_limit_exceeded_on_large_utf8_response.
        var host = await AslKit.RunAsync(Definition("arn:aws:states:::lambda:invoke",
                """[{"ErrorEquals":["States.DataLimitExceeded"],"Next":"HandleDataLimitExceeded"},""" + CatchAll.TrimStart('[')),
            """{"FunctionName":"f","Payload":null}""", Mocks("""{"Throw":{"Error":"States.DataLimitExceeded","Cause":"%0%"}}""".Replace("%0%", Cause)), "T");
        Assert.Equal("HandleDataLimitExceeded", host.Details("PassStateEntered")["name"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
    }

    [Fact]
    public async Task A_Lambda_function_result_names_the_function_in_the_cause()
    {
        // test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response.
        var host = await AslKit.RunAsync(Definition(Function, CatchAll), """{"FunctionName":"f","Payload":null}""",
            Mocks("""{"Return":"%0%"}""".Replace("%0%", Large)), "T");
        Assert.Equal("ExecutionStarted<0, TaskStateEntered<0, LambdaFunctionScheduled<2, LambdaFunctionStarted<3, LambdaFunctionFailed<4, "
            + "TaskStateExited<5, PassStateEntered<6, PassStateExited<7, ExecutionSucceeded<8", Links(host));
        AslKit.JsonEqual("""{"error":"States.DataLimitExceeded","cause":"The state/task '%0%' returned a result with a size exceeding the maximum number of bytes service limit."}""".Replace("%0%", Function),
            host.Details("LambdaFunctionFailed"));
    }

    [Fact]
    public async Task A_too_large_state_output_fails_the_execution_before_StateExited()
    {
        // test_start_large_input: a Pass state's Result of just over 256 KiB.
        var host = await AslKit.RunAsync("""
            {"StartAt":"State_1","States":{"State_1":{"Type":"Pass","Result":{"Arg1":"%0%"},"End":true}}}
            """.Replace("%0%", new string('a', 262_200)));
        Assert.Equal("ExecutionStarted<0, PassStateEntered<0, ExecutionFailed<2", Links(host));
        AslKit.JsonEqual("""{"error":"States.DataLimitExceeded","cause":"The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit."}""",
            host.Details("ExecutionFailed"));
    }

    [Fact]
    public async Task A_too_large_output_in_a_branch_is_not_caught_by_the_Parallel()
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true,
              "Branches":[{"StartAt":"Big","States":{"Big":{"Type":"Pass","Result":"%0%","End":true}}}]},
             "Caught":{"Type":"Pass","End":true}}}
            """.Replace("%0%", new string('a', 262_200)));
        Assert.Equal(("FAILED", "States.DataLimitExceeded"), (host.Outcome!.Status, host.Outcome.Error));
        Assert.DoesNotContain(host.Events, e => e.Type == "ParallelStateExited");
    }

    [Fact]
    public async Task States_Runtime_stays_uncaught_even_by_a_catcher_naming_it()
    {
        // test_catch_states_runtime: the function succeeds, its OutputPath finds nothing, the catcher does not run.
        var host = await AslKit.RunAsync("""
            {"StartAt":"InvokeLambda","States":{"InvokeLambda":{"Type":"Task","Resource":"%0%","OutputPath":"$.no.such.result.path",
              "Catch":[{"ErrorEquals":["States.Runtime"],"Next":"CaughtRuntime"}],"End":true},"CaughtRuntime":{"Type":"Pass","End":true}}}
            """.Replace("%0%", Function), "{}", Mocks("""{"Return":{}}"""), "T");
        Assert.Equal("ExecutionStarted<0, TaskStateEntered<0, LambdaFunctionScheduled<2, LambdaFunctionStarted<3, LambdaFunctionSucceeded<4, "
            + "ExecutionFailed<5", Links(host));
        Assert.Equal("States.Runtime", host.Outcome!.Error);
    }
}
