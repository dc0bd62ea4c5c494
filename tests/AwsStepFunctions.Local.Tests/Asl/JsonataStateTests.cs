using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// States with QueryLanguage JSONata: Arguments, Output, Assign, Condition, Items, {% %} fields and $states. Expected
/// results and error texts are those AWS recorded for the same definitions (LocalStack's snapshot tests of the service).
/// </summary>
public sealed class JsonataStateTests
{
    private static readonly JsonObject Mocks = JsonNode.Parse("""
        {"StateMachines":{"Machine":{"TestCases":{
            "Ok":{"StateJsonata":"Hello","Call":"Hello"},
            "Fails":{"Call":"Boom"}}}},
         "MockedResponses":{
            "Hello":{"0-9":{"Return":{"Payload":"HelloWorld!","StatusCode":200}}},
            "Boom":{"0-9":{"Throw":{"Error":"Exception","Cause":"Some exception was raised."}}}}}
        """)!.AsObject();

    private static EngineOptions Options => new() { TimeScale = 10_000, MockConfig = Mocks };

    private static async Task<RecordingHost> RunAsync(string definition, string input = "{}", string? testCase = null) =>
        await AslKit.RunAsync(definition, input, Options, testCase);

    private static async Task<JsonNode?> OutputAsync(string definition, string input = "{}", string? testCase = null)
    {
        var host = await RunAsync(definition, input, testCase);
        Assert.True(host.Outcome!.Status == "SUCCEEDED", $"{host.Outcome.Status}: {host.Outcome.Error}: {host.Outcome.Cause}");
        return JsonNode.Parse(host.Outcome.Output!);
    }

    private static JsonObject Exited(RecordingHost host, string state) =>
        host.Events.Single(e => e.Type.EndsWith("StateExited") && e.Details!["name"]!.GetValue<string>() == state).Details!;

    [Fact]
    public async Task A_jsonata_pass_builds_its_output_and_a_jsonpath_state_after_it_passes_it_on()
    {
        var output = await OutputAsync("""
            {"StartAt":"JSONataState","States":{
              "JSONataState":{"QueryLanguage":"JSONata","Type":"Pass","Output":{"foo":"foobar","bar":"{% $states.input %}"},"Next":"JSONPathState"},
              "JSONPathState":{"QueryLanguage":"JSONPath","Type":"Pass","End":true}}}
            """, """{"input_value":"x"}""");
        AslKit.JsonEqual("""{"foo":"foobar","bar":{"input_value":"x"}}""", output);
    }

    [Fact]
    public async Task Data_flows_from_a_jsonpath_state_into_a_jsonata_task_through_input_and_variables()
    {
        var host = await RunAsync("""
            {"StartAt":"StateJsonPath","States":{
              "StateJsonPath":{"QueryLanguage":"JSONPath","Type":"Pass","Result":{"riddle":"What is the answer?"},
                "Assign":{"answer":42,"inputData.$":"$"},"OutputPath":"$","ResultPath":"$.enigma.mystery","Next":"StateJsonata"},
              "StateJsonata":{"QueryLanguage":"JSONata","Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Arguments":{"FunctionName":"{% $states.input.functionName %}",
                  "Payload":{"theQuestion":"{% $states.input.enigma.mystery.riddle %}","theAnswer":"{% $answer %}"}},
                "Assign":{"answer":"<omitted>","message":"{% $states.result %}"},
                "Output":{"result":"{% $states.result.Payload %}"},"End":true}}}
            """, """{"functionName":"fn"}""", "Ok");
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        AslKit.JsonEqual("""{"result":"HelloWorld!"}""", JsonNode.Parse(host.Outcome.Output!));
        AslKit.JsonEqual("""{"FunctionName":"fn","Payload":{"theQuestion":"What is the answer?","theAnswer":42}}""",
            JsonNode.Parse(host.Details("TaskScheduled")["parameters"]!.GetValue<string>()));
        var assigned = Exited(host, "StateJsonata")["assignedVariables"]!;
        Assert.Equal("\"<omitted>\"", assigned["answer"]!.GetValue<string>());
        AslKit.JsonEqual("""{"Payload":"HelloWorld!","StatusCode":200}""", JsonNode.Parse(assigned["message"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"Type":"Pass","Output":"{% $doesNotExist %}","End":true}""", "Output")]
    [InlineData("""{"Type":"Pass","Output":{"result":"{% $doesNotExist %}"},"End":true}""", "Output/result")]
    [InlineData("""{"Type":"Pass","Assign":{"result":"{% $doesNotExist %}"},"End":true}""", "Assign/result")]
    [InlineData("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":"{% $doesNotExist %}","End":true}""", "Arguments")]
    [InlineData("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"{% $doesNotExist %}"},"End":true}""", "Arguments/FunctionName")]
    public async Task An_expression_that_returns_nothing_fails_with_the_services_error_and_an_evaluation_failed_event(string state, string location)
    {
        var host = await RunAsync("""{"QueryLanguage":"JSONata","StartAt":"State0","States":{"State0":""" + state + "}}");
        var cause = $"An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field '{location}' returned nothing (undefined).";
        Assert.Equal(("FAILED", "States.QueryEvaluationError", cause), (host.Outcome!.Status, host.Outcome.Error, host.Outcome.Cause));
        var failed = host.Details("EvaluationFailed");
        Assert.Equal(location, failed["location"]!.GetValue<string>());
        Assert.Equal("State0", failed["state"]!.GetValue<string>());
        Assert.Equal(cause, failed["cause"]!.GetValue<string>());
        Assert.Equal(new[] { "ExecutionStarted", state.Contains("Task") ? "TaskStateEntered" : "PassStateEntered", "EvaluationFailed", "ExecutionFailed" }, host.Types);
    }

    [Theory]
    [InlineData("title")]
    [InlineData("$.title")]
    public async Task The_state_input_is_reached_through_states_input_only(string expression)
    {
        // Step Functions gives an expression no context: a bare field name is not the state's input.
        var host = await RunAsync("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Output":"{% """ + expression
            + """ %}","End":true}}}""",
            """{"title":"Doctor"}""");
        Assert.Equal("States.QueryEvaluationError", host.Outcome!.Error);
        Assert.EndsWith("returned nothing (undefined).", host.Outcome.Cause);
    }

    [Fact]
    public async Task An_expression_that_throws_names_the_jsonata_error_code()
    {
        var host = await RunAsync("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Output":"{% 'a' + 1 %}","End":true}}}""");
        Assert.Equal("States.QueryEvaluationError", host.Outcome!.Error);
        Assert.Contains("The JSONata expression ''a' + 1' specified for the field 'Output' threw an error during evaluation. T2001", host.Outcome.Cause);
    }

    [Theory]
    [InlineData(true, "ConditionTrue", "Condition assignment", "Condition Output block")]
    [InlineData(false, "DefaultState", "Default Assignment", "Default Output block")]
    public async Task Choice_takes_the_first_true_condition_with_its_assign_and_output_or_the_default_with_the_states(
        bool condition, string next, string assignment, string output)
    {
        var host = await RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"ChoiceState","States":{
              "ChoiceState":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.condition %}","Next":"ConditionTrue",
                "Assign":{"Assignment":"Condition assignment"},"Output":"Condition Output block"}],
                "Default":"DefaultState","Assign":{"Assignment":"Default Assignment"},"Output":"Default Output block"},
              "ConditionTrue":{"Type":"Pass","End":true},
              "DefaultState":{"Type":"Pass","End":true}}}
            """, $$"""{"condition":{{(condition ? "true" : "false")}}}""");
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        var exited = Exited(host, "ChoiceState");
        Assert.Equal($"\"{assignment}\"", exited["assignedVariables"]!["Assignment"]!.GetValue<string>());
        Assert.Equal($"\"{output}\"", host.Outcome.Output);
        Assert.Contains(host.Events, e => e.Type == "PassStateEntered" && e.Details!["name"]!.GetValue<string>() == next);
    }

    [Fact]
    public async Task A_condition_may_be_a_literal_and_must_be_a_boolean_when_evaluated()
    {
        var literal = await OutputAsync("""
            {"StartAt":"C","States":{"C":{"Type":"Choice","QueryLanguage":"JSONata","Choices":[{"Condition":true,"Next":"T"}],"Default":"F"},
              "T":{"Type":"Pass","Result":"true branch","End":true},"F":{"Type":"Fail"}}}
            """);
        Assert.Equal("true branch", literal!.GetValue<string>());

        var host = await RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n %}","Next":"T"}]},
              "T":{"Type":"Succeed"}}}
            """, """{"n":1}""");
        Assert.Equal("States.QueryEvaluationError", host.Outcome!.Error);
        Assert.Contains("'Condition' must be a boolean, got number", host.Outcome.Cause);
    }

    [Fact]
    public async Task Map_takes_its_items_from_an_expression_and_builds_each_input_with_the_item_context()
    {
        var output = await OutputAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Start","States":{
              "Start":{"Type":"Pass","Assign":{"ItemsVar":["Item1","Item2"]},"Next":"MapIterateState"},
              "MapIterateState":{"Type":"Map","MaxConcurrency":"{% 1 %}","Items":"{% $ItemsVar %}",
                "ItemSelector":{"map_item_value":"{% $states.context.Map.Item.Value %}","index":"{% $states.context.Map.Item.Index %}",
                  "var_sample":"{% $ItemsVar %}","string_literal":"string literal"},
                "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Pass","States":{"Pass":{"Type":"Pass","End":true}}},"End":true}}}
            """);
        AslKit.JsonEqual("""
            [{"map_item_value":"Item1","index":0,"var_sample":["Item1","Item2"],"string_literal":"string literal"},
             {"map_item_value":"Item2","index":1,"var_sample":["Item1","Item2"],"string_literal":"string literal"}]
            """, output);
    }

    [Theory]
    [InlineData("'string'", "'string' for value: \"string\"")]
    [InlineData("1", "'number' for value: 1")]
    [InlineData("{'foo': 'bar'}", "'object' for value: {\"foo\":\"bar\"}")]
    public async Task Map_items_must_be_an_array_and_a_failed_map_says_so_in_its_history(string expression, string was)
    {
        var host = await RunAsync("""{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% """ + expression
            + """ %}","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""");
        Assert.Equal("States.QueryEvaluationError", host.Outcome!.Error);
        Assert.EndsWith($"The JSONata expression '{expression}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was {was}",
            host.Outcome.Cause);
        Assert.Equal(new[] { "ExecutionStarted", "MapStateEntered", "EvaluationFailed", "MapStateFailed", "ExecutionFailed" }, host.Types);
    }

    [Fact]
    public async Task A_map_without_items_needs_an_array_input()
    {
        var host = await RunAsync(
            """{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""",
            """{"a":1}""");
        Assert.EndsWith("Map state input must be an array but was: {\"a\":1}", host.Outcome!.Cause);
        Assert.False(host.Details("EvaluationFailed").ContainsKey("location"));
    }

    [Fact]
    public async Task A_function_as_a_result_is_an_unsupported_result_type()
    {
        var host = await RunAsync("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Output":"{% $uppercase %}","End":true}}}""");
        Assert.EndsWith("The JSONata expression '$uppercase' specified for the field 'Output' returned an unsupported result type.", host.Outcome!.Cause);
    }

    [Theory]
    [InlineData("2016-12-05 21:29:29Z")]
    [InlineData("2016-13-05T21:29:29Z")]
    public async Task A_timestamp_that_does_not_parse_is_named_as_written(string timestamp)
    {
        var host = await RunAsync("""{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"{% $states.input.at %}","End":true}}}""",
            "{\"at\":\"" + timestamp + "\"}");
        Assert.EndsWith($"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {timestamp}", host.Outcome!.Cause);
    }

    [Fact]
    public async Task Wait_reads_seconds_and_timestamps_from_expressions()
    {
        var output = await OutputAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Seconds","States":{
              "Seconds":{"Type":"Wait","Seconds":"{% $states.input.waitSeconds %}","Next":"Until"},
              "Until":{"Type":"Wait","Timestamp":"{% $states.input.at %}","Output":"{% $states.input.waitSeconds * 2 %}","End":true}}}
            """, """{"waitSeconds":3,"at":"2020-01-01T00:00:00Z"}""");
        Assert.Equal(6, output!.GetValue<int>());
    }

    [Fact]
    public async Task Fail_takes_its_error_and_cause_from_expressions()
    {
        var host = await RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"F","States":{"F":{"Type":"Fail","Error":"{% $states.input.code %}","Cause":"{% 'failed: ' & $states.input.why %}"}}}
            """, """{"code":"Custom.Error","why":"because"}""");
        Assert.Equal(("FAILED", "Custom.Error", "failed: because"), (host.Outcome!.Status, host.Outcome.Error, host.Outcome.Cause));
    }

    [Fact]
    public async Task A_catcher_builds_its_output_and_variables_from_the_error_output()
    {
        var host = await RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Call","States":{
              "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"Payload":{"foo":"foobar"}},
                "Catch":[{"ErrorEquals":["States.ALL"],"Output":{"stateInput":"{% $states.input %}","stateError":"{% $states.errorOutput %}"},
                  "Assign":{"errorVar":"{% $states.errorOutput.Error %}"},"Next":"Fallback"}],"End":true},
              "Fallback":{"Type":"Pass","Output":{"error":"{% $states.input.stateError %}","kind":"{% $errorVar %}"},"End":true}}}
            """, """{"k":1}""", "Fails");
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        AslKit.JsonEqual("""{"error":{"Error":"Exception","Cause":"Some exception was raised."},"kind":"Exception"}""", JsonNode.Parse(host.Outcome.Output!));
        AslKit.JsonEqual("""{"stateInput":{"k":1},"stateError":{"Error":"Exception","Cause":"Some exception was raised."}}""",
            JsonNode.Parse(Exited(host, "Call")["output"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_query_evaluation_error_can_be_caught()
    {
        var output = await OutputAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Call","States":{
              "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":"{% $missing %}",
                "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Output":"{% $states.errorOutput.Error %}","Next":"Done"}],"End":true},
              "Done":{"Type":"Succeed"}}}
            """);
        Assert.Equal("States.QueryEvaluationError", output!.GetValue<string>());
    }

    [Fact]
    public async Task Parallel_gives_its_arguments_to_every_branch_and_its_output_reads_the_result()
    {
        var output = await OutputAsync("""
            {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Parallel","Arguments":"{% $states.input.parallelInput %}",
              "Output":{"parallelInput":"{% $states.input.parallelInput %}","parallelResult":"{% $states.result %}"},
              "Branches":[{"StartAt":"B1","States":{"B1":{"Type":"Pass","End":true}}},
                          {"StartAt":"B2","States":{"B2":{"Type":"Pass","Output":"{% $states.input & '!' %}","End":true}}}],"End":true}}}
            """, """{"parallelInput":"x"}""");
        AslKit.JsonEqual("""{"parallelInput":"x","parallelResult":["x","x!"]}""", output);
    }

    [Fact]
    public async Task A_task_reports_timeout_and_heartbeat_from_expressions_and_outputs_its_result_by_default()
    {
        var host = await RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "TimeoutSeconds":"{% $states.input.t %}","HeartbeatSeconds":"{% $states.input.t - 1 %}","End":true}}}
            """, """{"t":30}""", "Ok");
        var scheduled = host.Details("TaskScheduled");
        Assert.Equal(30, scheduled["timeoutInSeconds"]!.GetValue<long>());
        Assert.Equal(29, scheduled["heartbeatInSeconds"]!.GetValue<long>());
        // Without Arguments the task gets the state's input; without Output the state outputs the result.
        AslKit.JsonEqual("""{"t":30}""", JsonNode.Parse(scheduled["parameters"]!.GetValue<string>()));
        AslKit.JsonEqual("""{"Payload":"HelloWorld!","StatusCode":200}""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Fact]
    public async Task Now_and_the_context_object_are_available()
    {
        var output = await OutputAsync("""
            {"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass",
              "Output":{"name":"{% $states.context.Execution.Name %}","state":"{% $states.context.State.Name %}","now":"{% $now() %}"},"End":true}}}
            """);
        Assert.Equal("run-1", output!["name"]!.GetValue<string>());
        Assert.Equal("S", output["state"]!.GetValue<string>());
        Assert.StartsWith("20", output["now"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}""",
        "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","InputPath":"$.a","End":true}}}""",
        "field 'InputPath' is a JSONPath field")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Pass","Output":{"a":1},"End":true}}}""",
        "field 'Output' needs \"QueryLanguage\": \"JSONata\"")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Output":"{% $states.input.( %}","End":true}}}""",
        "Output: the JSONata expression '$states.input.(' does not parse")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Output":{"deep":["{% ) %}"]},"End":true}}}""",
        "Output/deep/0: the JSONata expression ')' does not parse")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Output":"{% $count(%) %}","End":true}}}""",
        "Output: the JSONata expression '$count(%)' does not parse")]
    [InlineData("""{"QueryLanguage":"JSONPath2","StartAt":"S","States":{"S":{"Type":"Pass","End":true}}}""",
        "'QueryLanguage' must be \"JSONPath\" or \"JSONata\"")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Assign":{"a.$":"$"},"End":true}}}""",
        "a JSONata state takes no '.$' names")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Wait","Seconds":-1,"End":true}}}""",
        "'Seconds' must be an integer from 0 to 99999999")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Choice","Choices":[{"Next":"S"}]}}}""",
        "Choices[0]: a JSONata Choice rule needs 'Condition'")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Choice","Choices":[{"Variable":"$.a","BooleanEquals":true,"Next":"S"}]}}}""",
        "Choices[0]: field 'Variable' is not supported in a JSONata Choice rule")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Map","Items":{"a":1},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""",
        "'Items' must be an array, got object")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Task","Resource":"r","Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e","Next":"S"}],"End":true}}}""",
        "Catch[0]: field 'ResultPath' is not supported in a JSONata state")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Task","Resource":"r","Arguments":"abc","End":true}}}""",
        "'Arguments' must be an object or a {% %} expression")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Task","Resource":"{% $states.input.fn %}","End":true}}}""",
        "'Resource' must be the integration's ARN as written")]
    public void Definitions_that_mix_the_languages_wrongly_or_do_not_parse_are_refused(string definition, string expected)
    {
        var e = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(definition));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task A_jsonata_output_can_join_with_the_binding_and_parent_operators()
    {
        var output = await OutputAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Join","States":{
              "Join":{"Type":"Pass","End":true,
                "Output":"{% $states.input.loans@$l#$i.books@$b[$l.isbn=$b.isbn].{'loan': $i, 'title': $b.title, 'lender': %.name} %}"}}}
            """, """{"name":"City","loans":[{"isbn":"1"},{"isbn":"2"}],"books":[{"isbn":"2","title":"B"},{"isbn":"1","title":"A"}]}""");
        AslKit.JsonEqual("""[{"loan":0,"title":"A","lender":"City"},{"loan":1,"title":"B","lender":"City"}]""", output);
    }

    [Fact]
    public async Task A_grouped_join_that_matches_nothing_fails_the_state_as_jsonata_2_0_6_does()
    {
        // Step Functions runs JSONata 2.0.6, whose grouping reads the first tuple of the empty join and throws.
        var host = await RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Join","States":{
              "Join":{"Type":"Pass","End":true,"Output":"{% $states.input.loans@$l.books@$b[$l.isbn=$b.isbn]{$b.title: $l.isbn} %}"}}}
            """, """{"loans":[{"isbn":"1"}],"books":[{"isbn":"2","title":"B"}]}""");
        Assert.Equal("States.QueryEvaluationError", host.Outcome!.Error);
        Assert.Contains("threw an error during evaluation. U1003: a grouping {...} over an empty tuple stream", host.Outcome.Cause);
        Assert.Contains("TypeError: Cannot read properties of undefined (reading '@')", host.Outcome.Cause);
    }

    [Fact]
    public async Task A_jsonata_state_in_a_jsonpath_machine_and_strings_that_only_look_like_expressions()
    {
        var output = await OutputAsync("""
            {"StartAt":"S","States":{"S":{"Type":"Pass","QueryLanguage":"JSONata",
              "Output":{"sum":"{% 1 + 2 %}","text":"not {% an expression %}","open":"{% unclosed"},"End":true}}}
            """);
        AslKit.JsonEqual("""{"sum":3,"text":"not {% an expression %}","open":"{% unclosed"}""", output);
    }
}
