using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// States.Format as AWS evaluates it in LocalStack's AWS-validated recordings: objects and arrays are written
/// <c>{Arg1=1, Arg2=[]}</c> (test_format_2, test_context_json_path), and the template may be a path or a variable
/// (test_reference_in_map_state[MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION] and [..._IN_ITEMS_PATH]).
/// </summary>
public sealed class FormatTests
{
    private static async Task<JsonNode?> Result(string expression, string input, string assign = "")
    {
        var output = await AslKit.OutputAsync("""
            {"StartAt":"A","States":{"A":{"Type":"Pass",%ASSIGN%"Next":"F"},
             "F":{"Type":"Pass","Parameters":{"FunctionResult.$":"%EXPR%"},"End":true}}}
            """.Replace("%ASSIGN%", assign).Replace("%EXPR%", expression), input);
        return output!["FunctionResult"];
    }

    [Fact]
    public async Task An_object_is_written_as_AWS_writes_a_map()
    {
        // test_format_2, the last input.
        var result = await Result("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)",
            """{"FunctionInput":{"fst":{"Arg1":1,"Arg2":[]},"snd":{"Arg1":1,"Arg2":[]}}}""");
        Assert.Equal("Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.", result!.GetValue<string>());
    }

    [Fact]
    public async Task Nested_members_and_items_are_written_the_same_way_with_strings_unquoted()
    {
        // test_context_json_path writes $$.StateMachine as {Id=arn:..., Name=...}; the array items follow LocalStack's reading.
        var result = await Result("States.Format('{}', $.v)", """{"v":{"Id":"arn:x","List":[1,"a",null,true,{"k":1.5}]}}""");
        Assert.Equal("{Id=arn:x, List=[1, a, null, true, {k=1.5}]}", result!.GetValue<string>());
    }

    [Fact]
    public async Task The_template_may_come_from_the_input()
    {
        var result = await Result("States.Format($.AnswerTemplate, $.Item)", """{"AnswerTemplate":"It's {}!","Item":"Pikachu"}""");
        Assert.Equal("It's Pikachu!", result!.GetValue<string>());
    }

    [Fact]
    public async Task The_template_may_be_a_variable()
    {
        var result = await Result("States.Format($AnswerTemplate, $.Item)", """{"Item":"Charizard"}""",
            """ "Assign":{"AnswerTemplate":"It's {}!"}, """);
        Assert.Equal("It's Charizard!", result!.GetValue<string>());
    }
}
