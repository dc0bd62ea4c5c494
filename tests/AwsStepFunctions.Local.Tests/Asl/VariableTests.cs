using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// Workflow variables in JSONPath states (Assign and <c>$name</c> paths). The expected results are those AWS recorded
/// for the same definitions (LocalStack's snapshot tests of the service, "assign" group).
/// </summary>
public sealed class VariableTests
{
    private static readonly JsonObject Mocks = JsonNode.Parse("""
        {"StateMachines":{"Machine":{"TestCases":{
            "Ok":{"Call":"Answer","T":"Answer"},
            "Fails":{"Call":"Boom"}}}},
         "MockedResponses":{
            "Answer":{"0-9":{"Return":{"Payload":"HelloWorld!","StatusCode":200}}},
            "Boom":{"0-9":{"Throw":{"Error":"Exception","Cause":"Some exception was raised."}}}}}
        """)!.AsObject();

    private static EngineOptions Options => new() { TimeScale = 10_000, MockConfig = Mocks };

    private static JsonObject Assigned(RecordingHost host, string state) =>
        host.Events.Single(e => e.Type.EndsWith("StateExited") && e.Details!["name"]!.GetValue<string>() == state).Details!["assignedVariables"]!.AsObject();

    private static async Task<RecordingHost> SucceedsAsync(string definition, string input = "{}", string? testCase = null)
    {
        var host = await AslKit.RunAsync(definition, input, Options, testCase);
        Assert.True(host.Outcome!.Status == "SUCCEEDED", $"{host.Outcome.Status}: {host.Outcome.Error}: {host.Outcome.Cause}");
        return host;
    }

    [Fact]
    public async Task Assign_takes_paths_the_context_object_and_intrinsic_functions_and_the_history_shows_each_value_as_json()
    {
        var host = await SucceedsAsync("""
            {"StartAt":"State0","States":{"State0":{"Type":"Pass","Assign":{
              "str_path_root.$":"$","str_path.$":"$.input_value","str_contextpath.$":"$$.Execution.Id",
              "str_intrinsic_func.$":"States.Format('Format Func {}', $.input_value)"},"End":true}}}
            """, """{"input_value":"input_value_literal"}""");
        var assigned = Assigned(host, "State0");
        Assert.Equal("""{"input_value":"input_value_literal"}""", assigned["str_path_root"]!.GetValue<string>());
        Assert.Equal("\"input_value_literal\"", assigned["str_path"]!.GetValue<string>());
        Assert.Equal($"\"{AslKit.Context().ExecutionArn}\"", assigned["str_contextpath"]!.GetValue<string>());
        Assert.Equal("\"Format Func input_value_literal\"", assigned["str_intrinsic_func"]!.GetValue<string>());
        Assert.False(host.Details("PassStateExited")["assignedVariablesDetails"]!["truncated"]!.GetValue<bool>());
        AslKit.JsonEqual("""{"input_value":"input_value_literal"}""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Fact]
    public async Task Values_without_the_dollar_suffix_are_stored_as_written_and_read_back_through_variable_paths()
    {
        var host = await SucceedsAsync("""
            {"StartAt":"State0","States":{
              "State0":{"Type":"Pass","Assign":{"varname.$":"$.input_value","constant_null":null,"constant_float":0.1,
                "constant_str_path":"$.no.such.path","constant_str_var":"$noSuchVar",
                "constant_obj":{"in_obj_lst":[null,0,"$varname","{% $varname %}"],"nested":{"constant":0}}},"Next":"State1"},
              "State1":{"Type":"Pass","Assign":{"a.$":"$constant_null","b.$":"$constant_float","c.$":"$constant_str_path",
                "d.$":"$constant_str_var","e.$":"$constant_obj.in_obj_lst","f.$":"$constant_obj.nested.constant","g.$":"$varname"},"End":true}}}
            """, """{"input_value":"input_value_literal"}""");
        var assigned = Assigned(host, "State1");
        Assert.Equal("null", assigned["a"]!.GetValue<string>());
        Assert.Equal("0.1", assigned["b"]!.GetValue<string>());
        Assert.Equal("\"$.no.such.path\"", assigned["c"]!.GetValue<string>());
        Assert.Equal("\"$noSuchVar\"", assigned["d"]!.GetValue<string>());
        Assert.Equal("""[null,0,"$varname","{% $varname %}"]""", assigned["e"]!.GetValue<string>());
        Assert.Equal("0", assigned["f"]!.GetValue<string>());
        Assert.Equal("\"input_value_literal\"", assigned["g"]!.GetValue<string>());
    }

    [Fact]
    public async Task Assign_reads_the_result_and_output_path_still_sees_the_value_from_before_the_state()
    {
        // AWS: State1's InputPath and OutputPath read $answer = 42 although State1 assigns "<omitted>".
        var host = await SucceedsAsync("""
            {"StartAt":"State0","States":{
              "State0":{"Type":"Pass","Result":{"theQuestion":"What is the answer?"},"Assign":{"question.$":"$.theQuestion","answer":42},"Next":"State1"},
              "State1":{"Type":"Pass","InputPath":"$answer","ResultPath":"$.theAnswer","OutputPath":"$answer","Assign":{"answer":"<omitted>"},"End":true}}}
            """);
        Assert.Equal("\"What is the answer?\"", Assigned(host, "State0")["question"]!.GetValue<string>());
        Assert.Equal("\"<omitted>\"", Assigned(host, "State1")["answer"]!.GetValue<string>());
        Assert.Equal("42", host.Outcome!.Output);
    }

    [Fact]
    public async Task Pass_assigns_from_its_parameters_when_it_has_no_result()
    {
        var host = await SucceedsAsync("""
            {"StartAt":"State0","States":{
              "State0":{"Type":"Pass","Parameters":{"input":"PENDING"},"Assign":{"result.$":"$.input"},"Next":"State1"},
              "State1":{"Type":"Pass","Assign":{"result":"SUCCESS","originalResult.$":"$result"},"End":true}}}
            """);
        Assert.Equal("\"PENDING\"", Assigned(host, "State0")["result"]!.GetValue<string>());
        // Every value of one Assign is read before any is stored: originalResult is the old "PENDING".
        Assert.Equal("\"PENDING\"", Assigned(host, "State1")["originalResult"]!.GetValue<string>());
        Assert.Equal("\"SUCCESS\"", Assigned(host, "State1")["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_assign_can_swap_two_variables()
    {
        var host = await SucceedsAsync("""
            {"StartAt":"Set","States":{
              "Set":{"Type":"Pass","Assign":{"a":1,"b":2},"Next":"Swap"},
              "Swap":{"Type":"Pass","Assign":{"a.$":"$b","b.$":"$a"},"Next":"Show"},
              "Show":{"Type":"Pass","Parameters":{"a.$":"$a","b.$":"$b"},"End":true}}}
            """);
        AslKit.JsonEqual("""{"a":2,"b":1}""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Theory]
    [InlineData("""{"input_value":42}""", "CORRECT")]
    [InlineData("""{"input_value":"42"}""", "INCORRECT")]
    [InlineData("""{}""", "UNKNOWN")]
    public async Task Choice_assigns_from_the_matched_rule_or_from_the_state_when_default_is_taken(string input, string status)
    {
        var host = await SucceedsAsync("""
            {"StartAt":"Check","States":{
              "Check":{"Type":"Choice","Choices":[
                {"Variable":"$.input_value","IsPresent":false,"Assign":{"status":"UNKNOWN"},"Next":"Final"},
                {"Variable":"$.input_value","NumericEquals":42,"Assign":{"status":"CORRECT"},"Next":"Final"}],
               "Assign":{"status":"INCORRECT","guess.$":"$.input_value"},"Default":"Final"},
              "Final":{"Type":"Pass","Parameters":{"result.$":"$status"},"End":true}}}
            """, input);
        AslKit.JsonEqual($$"""{"result":"{{status}}"}""", JsonNode.Parse(host.Outcome!.Output!));
        // The state's own Assign (guess) applies only with Default.
        Assert.Equal(status == "INCORRECT", Assigned(host, "Check").ContainsKey("guess"));
    }

    [Fact]
    public async Task Wait_assigns_and_reads_its_seconds_from_a_variable()
    {
        var host = await SucceedsAsync("""
            {"StartAt":"Set","States":{
              "Set":{"Type":"Pass","Assign":{"pause":1,"at":"2020-01-01T00:00:00Z"},"Next":"Pause"},
              "Pause":{"Type":"Wait","SecondsPath":"$pause","Assign":{"foo":"oof"},"Next":"Until"},
              "Until":{"Type":"Wait","TimestampPath":"$at","End":true}}}
            """);
        Assert.Equal("\"oof\"", Assigned(host, "Pause")["foo"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fail_reads_its_error_and_cause_from_variables()
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"Pass","States":{
              "Pass":{"Type":"Pass","Assign":{"errorVar":"Exception","causeVar":"An Exception was encountered"},"Next":"Fail"},
              "Fail":{"Type":"Fail","ErrorPath":"$errorVar","CausePath":"$causeVar"}}}
            """);
        Assert.Equal(("FAILED", "Exception", "An Exception was encountered"), (host.Outcome!.Status, host.Outcome.Error, host.Outcome.Cause));
    }

    [Fact]
    public async Task A_map_iteration_reads_the_outer_variables_and_its_own_stay_inside()
    {
        var host = await SucceedsAsync("""
            {"StartAt":"State0","States":{
              "State0":{"Type":"Pass","Assign":{"x":42,"items":[1,2,3],"bias":0.5},"Next":"State1"},
              "State1":{"Type":"Map","ItemsPath":"$items","MaxConcurrency":1,"ItemSelector":{"n.$":"$$.Map.Item.Value","x.$":"$x"},
                "ItemProcessor":{"StartAt":"Inner","States":{
                  "Inner":{"Type":"Pass","Assign":{"innerX.$":"$x","sum.$":"States.MathAdd($.n, $x)"},"Next":"Read"},
                  "Read":{"Type":"Pass","Parameters":{"sum.$":"$sum","bias.$":"$bias"},"End":true}}},"Next":"State2"},
              "State2":{"Type":"Pass","Assign":{"final.$":"$x"},"Next":"Outside"},
              "Outside":{"Type":"Choice","Choices":[{"Variable":"$innerX","IsPresent":true,"Next":"Leaked"}],"Default":"Done"},
              "Leaked":{"Type":"Fail","Error":"Leaked"},
              "Done":{"Type":"Succeed"}}}
            """);
        AslKit.JsonEqual("""[{"sum":43,"bias":0.5},{"sum":44,"bias":0.5},{"sum":45,"bias":0.5}]""", JsonNode.Parse(host.Outcome!.Output!));
        Assert.All(host.Events.Where(e => e.Type == "PassStateExited" && e.Details!["name"]!.GetValue<string>() == "Inner"),
            e => Assert.Equal("42", e.Details!["assignedVariables"]!["innerX"]!.GetValue<string>()));
        Assert.Equal("42", Assigned(host, "State2")["final"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_parallel_branch_cannot_assign_a_variable_of_the_outer_scope()
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"State0","States":{
              "State0":{"Type":"Pass","Assign":{"x":42},"Next":"State1"},
              "State1":{"Type":"Parallel","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"Branches":[
                {"StartAt":"Reads","States":{"Reads":{"Type":"Pass","Assign":{"innerX.$":"$x"},"End":true}}},
                {"StartAt":"Writes","States":{"Writes":{"Type":"Pass","Assign":{"x":0},"End":true}}}]},
              "Caught":{"Type":"Succeed"}}}
            """);
        // States.Runtime cannot be caught, not even by States.ALL.
        Assert.Equal(("FAILED", "States.Runtime"), (host.Outcome!.Status, host.Outcome.Error));
        Assert.Contains("'x'", host.Outcome.Cause);
        Assert.Contains("outer scope", host.Outcome.Cause);
        // The cause names the branch's state, once (the Parallel state does not wrap it again).
        Assert.StartsWith("An error occurred while executing the state 'Writes' (entered at the event id #", host.Outcome.Cause);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(host.Outcome.Cause!, "An error occurred"));
    }

    [Fact]
    public async Task Parallel_branches_each_have_their_own_scope_for_a_new_name()
    {
        var host = await SucceedsAsync("""
            {"StartAt":"State1","States":{
              "State1":{"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"mine":"a"},"Next":"A2"},"A2":{"Type":"Pass","OutputPath":"$mine","End":true}}},
                {"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"mine":"b"},"Next":"B2"},"B2":{"Type":"Pass","OutputPath":"$mine","End":true}}}]}}}
            """);
        AslKit.JsonEqual("""["a","b"]""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Fact]
    public async Task A_task_assigns_from_its_raw_result_before_result_selector()
    {
        var host = await SucceedsAsync("""
            {"StartAt":"Call","States":{
              "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultSelector":{"code.$":"$.StatusCode"},
                "Assign":{"result.$":"$.Payload"},"Next":"End"},
              "End":{"Type":"Pass","Assign":{"previousResult.$":"$result"},"End":true}}}
            """, testCase: "Ok");
        Assert.Equal("\"HelloWorld!\"", Assigned(host, "Call")["result"]!.GetValue<string>());
        Assert.Equal("\"HelloWorld!\"", Assigned(host, "End")["previousResult"]!.GetValue<string>());
        AslKit.JsonEqual("""{"code":200}""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Fact]
    public async Task A_catcher_assigns_from_the_error_output_and_the_state_s_own_assign_is_skipped()
    {
        var host = await SucceedsAsync("""
            {"StartAt":"Call","States":{
              "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Assign":{"result":"SUCCESS"},
                "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"result.$":"$","kind.$":"$.Error"},"Next":"Fallback"}],"End":true},
              "Fallback":{"Type":"Pass","Parameters":{"result.$":"$result"},"End":true}}}
            """, testCase: "Fails");
        var assigned = Assigned(host, "Call");
        AslKit.JsonEqual("""{"Error":"Exception","Cause":"Some exception was raised."}""", JsonNode.Parse(assigned["result"]!.GetValue<string>()));
        Assert.Equal("\"Exception\"", assigned["kind"]!.GetValue<string>());
        AslKit.JsonEqual("""{"result":{"Error":"Exception","Cause":"Some exception was raised."}}""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Fact]
    public async Task Only_a_state_that_can_retry_has_a_retry_count_in_its_context()
    {
        // AWS recorded $$ in a Pass state's Assign: State holds EnteredTime and Name only.
        var host = await SucceedsAsync("""
            {"StartAt":"P","States":{
              "P":{"Type":"Pass","Assign":{"ctx.$":"$$.State"},"Next":"T"},
              "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Assign":{"tries.$":"$$.State.RetryCount"},"End":true}}}
            """, testCase: "Ok");
        Assert.Equal(new[] { "EnteredTime", "Name" }, JsonNode.Parse(Assigned(host, "P")["ctx"]!.GetValue<string>())!.AsObject().Select(p => p.Key));
        Assert.Equal("0", Assigned(host, "T")["tries"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_jsonpath_map_over_something_other_than_an_array_fails_as_the_service_says()
    {
        var host = await AslKit.RunAsync(AslKit.Single("""{"Type":"Map","ItemsPath":"$.n","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}"""),
            """{"n":1}""");
        Assert.Equal("States.Runtime", host.Outcome!.Error);
        Assert.Equal("An error occurred while executing the state 'S' (entered at the event id #2). Map state input must be an array but was: 1", host.Outcome.Cause);
        Assert.Equal(new[] { "ExecutionStarted", "MapStateEntered", "MapStateFailed", "ExecutionFailed" }, host.Types);
    }

    [Fact]
    public async Task A_backslash_in_a_quoted_path_name_is_itself_unless_it_escapes_the_closing_quote()
    {
        // AWS: $['Test\"\"Name\"'] reads the key Test\""Name" (backslash kept before a double quote).
        var definition = new JsonObject
        {
            ["StartAt"] = "S",
            ["States"] = new JsonObject
            {
                ["S"] = new JsonObject
                {
                    ["Type"] = "Pass",
                    ["Parameters"] = new JsonObject { ["value.$"] = "$['Test\\\"\"Name\"']", ["quote.$"] = "$['it\\'s']" },
                    ["End"] = true,
                },
            },
        };
        var input = new JsonObject { ["Test\\\"\"Name\""] = "first", ["it's"] = "second" };
        var host = await SucceedsAsync(definition.ToJsonString(), input.ToJsonString());
        AslKit.JsonEqual("""{"value":"first","quote":"second"}""", JsonNode.Parse(host.Outcome!.Output!));
    }

    [Fact]
    public async Task An_empty_assign_adds_nothing_to_the_history()
    {
        var host = await SucceedsAsync(AslKit.Single("""{"Type":"Pass","Assign":{},"End":true}"""));
        Assert.False(host.Details("PassStateExited").ContainsKey("assignedVariables"));
    }

    [Fact]
    public async Task Reading_a_variable_never_assigned_fails_the_execution_naming_it()
    {
        var host = await AslKit.RunAsync(AslKit.Single("""{"Type":"Pass","Parameters":{"v.$":"$neverSet.field"},"End":true}"""));
        Assert.Equal(("FAILED", "States.Runtime"), (host.Outcome!.Status, host.Outcome.Error));
        Assert.Contains("'$neverSet' is not assigned", host.Outcome.Cause);
        Assert.StartsWith("An error occurred while executing the state 'S' (entered at the event id #2). ", host.Outcome.Cause);
    }

    [Theory]
    [InlineData("""{"Type":"Succeed","Assign":{"a":1}}""", "field 'Assign'")]
    [InlineData("""{"Type":"Pass","Assign":[1],"End":true}""", "'Assign' must be an object")]
    [InlineData("""{"Type":"Pass","Assign":{"1st":1},"End":true}""", "must start with a letter")]
    [InlineData("""{"Type":"Pass","Assign":{"a-b":1},"End":true}""", "only letters, digits and '_'")]
    [InlineData("""{"Type":"Pass","Assign":{"states":1},"End":true}""", "'states' is reserved")]
    [InlineData("""{"Type":"Pass","Assign":{"a":1,"a.$":"$"},"End":true}""", "'a' is assigned twice")]
    [InlineData("""{"Type":"Pass","Assign":{"a.$":"$.x["},"End":true}""", "Assign: field 'a.$'")]
    [InlineData("""{"Type":"Pass","ResultPath":"$x","End":true}""", "not a variable")]
    public void Bad_assignments_are_refused_when_the_definition_is_created(string state, string expected)
    {
        var e = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(AslKit.Single(state)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_variable_name_of_81_characters_is_refused()
    {
        var name = new string('v', 81);
        var e = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(AslKit.Single($$"""{"Type":"Pass","Assign":{"{{name}}":1},"End":true}""")));
        Assert.Contains("longer than 80", e.Message);
        StateMachineDefinition.Parse(AslKit.Single($$"""{"Type":"Pass","Assign":{"{{name[..80]}}":1},"End":true}"""));
    }

    [Fact]
    public void A_catcher_s_bad_assign_names_the_catcher()
    {
        var e = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(AslKit.Single(
            """{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"9":1},"Next":"S"}],"End":true}""")));
        Assert.Contains("Catch[0]: Assign:", e.Message);
    }
}
