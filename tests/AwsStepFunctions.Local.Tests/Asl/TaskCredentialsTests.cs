using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// A Task's Credentials names the role the service assumes for the Task's call. This endpoint calls nothing, so the role
/// is checked (a literal at create time, a path or expression when the Task runs, by the same rule) and reported where the
/// service's model reports it: taskCredentials.roleArn in TaskScheduled and LambdaFunctionScheduled (ActivityScheduled has
/// no such member).
/// </summary>
public sealed class TaskCredentialsTests
{
    private const string Role = "arn:aws:iam::111122223333:role/LambdaRole";
    private const string Function = "arn:aws:lambda:eu-west-1:123456789012:function:work";
    private const string Activity = "arn:aws:states:eu-west-1:123456789012:activity:Work";

    private static readonly EngineOptions Options = new()
    {
        TimeScale = 10_000,
        MockConfig = (JsonObject)JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"T":{"S":"Ok"}}}},"MockedResponses":{"Ok":{"0":{"Return":{"done":true}}}}}
            """)!,
    };

    private static Task<RecordingHost> RunAsync(string state, string input = "{}") =>
        AslKit.RunAsync(AslKit.Single(state), input, Options, "T");

    private static string ScheduledRole(RecordingHost host, string eventType) =>
        host.Details(eventType)["taskCredentials"]!["roleArn"]!.GetValue<string>();

    [Fact]
    public async Task A_literal_role_is_reported_in_TaskScheduled_after_the_timeouts()
    {
        var host = await RunAsync("""
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"TimeoutSeconds":30,
             "Credentials":{"RoleArn":"%ROLE%"},"End":true}
            """.Replace("%ROLE%", Role));
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        var scheduled = host.Details("TaskScheduled");
        Assert.Equal(["resourceType", "resource", "region", "parameters", "timeoutInSeconds", "taskCredentials"], scheduled.Select(kv => kv.Key));
        AslKit.JsonEqual($$"""{"roleArn":"{{Role}}"}""", scheduled["taskCredentials"]);
    }

    [Fact]
    public async Task RoleArn_dollar_reads_the_effective_input_and_intrinsic_functions_build_a_role_per_account()
    {
        var fromPath = await RunAsync("""
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.target","Credentials":{"RoleArn.$":"$.role"},"End":true}
            """, $$"""{"target":{"role":"{{Role}}"},"role":"not this one"}""");
        Assert.Equal(Role, ScheduledRole(fromPath, "TaskScheduled"));

        var formatted = await RunAsync("""
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
             "Credentials":{"RoleArn.$":"States.Format('arn:aws:iam::{}:role/Deployer', $.account)"},"End":true}
            """, """{"account":"444455556666"}""");
        Assert.Equal("arn:aws:iam::444455556666:role/Deployer", ScheduledRole(formatted, "TaskScheduled"));
    }

    [Fact]
    public async Task A_lambda_function_reports_the_role_and_an_activity_does_not()
    {
        var lambda = await RunAsync($$"""{"Type":"Task","Resource":"{{Function}}","Credentials":{"RoleArn":"{{Role}}"},"End":true}""");
        Assert.Equal(Role, ScheduledRole(lambda, "LambdaFunctionScheduled"));

        var activity = await RunAsync($$"""{"Type":"Task","Resource":"{{Activity}}","Credentials":{"RoleArn":"{{Role}}"},"End":true}""");
        Assert.Equal("SUCCEEDED", activity.Outcome!.Status);
        Assert.False(activity.Details("ActivityScheduled").ContainsKey("taskCredentials"));
    }

    [Fact]
    public async Task A_task_without_credentials_reports_none()
    {
        var host = await RunAsync("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}""");
        Assert.False(host.Details("TaskScheduled").ContainsKey("taskCredentials"));
    }

    [Theory]
    [InlineData("""{"role":42}""", "The Credentials field must hold a RoleArn string of 1 to 2000 characters, got 42")]
    [InlineData("""{"role":""}""", "The Credentials field must hold a RoleArn string of 1 to 2000 characters, got \"\"")]
    [InlineData("""{}""", "$.role")]
    public async Task A_role_from_the_input_that_is_no_role_fails_the_state_before_the_task_is_scheduled(string input, string cause)
    {
        var host = await RunAsync("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Credentials":{"RoleArn.$":"$.role"},"End":true}""", input);
        Assert.Equal("FAILED", host.Outcome!.Status);
        Assert.Equal("States.Runtime", host.Outcome.Error);
        Assert.Contains(cause, host.Outcome.Cause);
        Assert.DoesNotContain("TaskScheduled", host.Types);
    }

    [Fact]
    public async Task A_jsonata_task_evaluates_its_role_from_the_input_or_as_one_expression()
    {
        var member = await RunAsync("""
            {"QueryLanguage":"JSONata","Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{},
             "Credentials":{"RoleArn":"{% 'arn:aws:iam::' & $states.input.account & ':role/Deployer' %}"},"End":true}
            """, """{"account":"444455556666"}""");
        Assert.Equal("arn:aws:iam::444455556666:role/Deployer", ScheduledRole(member, "TaskScheduled"));

        var whole = await RunAsync("""
            {"QueryLanguage":"JSONata","Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Credentials":"{% $states.input.credentials %}","End":true}
            """, $$$"""{"credentials":{"RoleArn":"{{{Role}}}"}}""");
        Assert.Equal(Role, ScheduledRole(whole, "TaskScheduled"));
    }

    [Fact]
    public async Task A_jsonata_role_that_is_no_role_is_a_query_evaluation_error_located_at_Credentials()
    {
        var host = await RunAsync("""
            {"QueryLanguage":"JSONata","Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Credentials":{"RoleArn":"{% $states.input.n %}"},"End":true}
            """, """{"n":7}""");
        Assert.Equal("FAILED", host.Outcome!.Status);
        Assert.Equal("States.QueryEvaluationError", host.Outcome.Error);
        Assert.Contains("The value of the field 'Credentials' must hold a RoleArn string of 1 to 2000 characters, got 7", host.Outcome.Cause);
        Assert.Equal("Credentials", host.Details("EvaluationFailed")["location"]!.GetValue<string>());
        Assert.DoesNotContain("TaskScheduled", host.Types);
    }

    [Theory]
    [InlineData("""{"Type":"Task","Resource":"r","Credentials":"role","End":true}""", "'Credentials' must be an object with one member, RoleArn")]
    [InlineData("""{"Type":"Task","Resource":"r","Credentials":{},"End":true}""", "'Credentials' must be an object with one member, RoleArn")]
    [InlineData("""{"Type":"Task","Resource":"r","Credentials":{"RoleArn":"a","RoleArn.$":"$.b"},"End":true}""", "'Credentials' must be an object with one member")]
    [InlineData("""{"Type":"Task","Resource":"r","Credentials":{"Role":"a"},"End":true}""", "'Credentials' must be an object with one member")]
    [InlineData("""{"Type":"Task","Resource":"r","Credentials":{"RoleArn":5},"End":true}""", "'Credentials' must hold a RoleArn string of 1 to 2000 characters, got 5")]
    [InlineData("""{"Type":"Task","Resource":"r","Credentials":{"RoleArn":""},"End":true}""", "'Credentials' must hold a RoleArn string")]
    [InlineData("""{"Type":"Task","Resource":"r","Credentials":{"RoleArn.$":"role"},"End":true}""", "State 'S': Credentials: field 'RoleArn.$'")]
    [InlineData("""{"Type":"Pass","Credentials":{"RoleArn":"a"},"End":true}""", "field 'Credentials' is not supported in a Pass state")]
    [InlineData("""{"QueryLanguage":"JSONata","Type":"Task","Resource":"r","Credentials":{"RoleArn":"{% 'a' %}","Extra":1},"End":true}""", "'Credentials' must be an object with one member, RoleArn")]
    [InlineData("""{"QueryLanguage":"JSONata","Type":"Task","Resource":"r","Credentials":{"RoleArn":true},"End":true}""", "'Credentials' must hold a RoleArn string")]
    [InlineData("""{"QueryLanguage":"JSONata","Type":"Task","Resource":"r","Credentials":{"RoleArn":"{% 'a' & %}"},"End":true}""", "State 'S':")]
    public void A_credentials_field_that_names_no_role_is_refused_naming_the_state_and_the_rule(string state, string message)
    {
        var error = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(AslKit.Single(state)));
        Assert.Contains(message, error.Message);
        Assert.StartsWith("State 'S':", error.Message);
    }

    [Fact]
    public void A_role_of_2000_characters_is_accepted_and_2001_refused()
    {
        string Task(int length) => AslKit.Single($$"""{"Type":"Task","Resource":"r","Credentials":{"RoleArn":"{{new string('r', length)}}"},"End":true}""");
        StateMachineDefinition.Parse(Task(2000));
        Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(Task(2001)));
    }
}
