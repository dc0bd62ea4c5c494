using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Asl.Json;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

// Worked examples of the States Language specification and the developer guide's
// "Input and Output Processing" pages, with their documented results.
public sealed class PathPipelineTests
{
    public static TheoryData<string, string, string> PassCases => new()
    {
        // Spec, Pass state: Result placed at ResultPath $.coords.
        {
            """{"Type":"Pass","Result":{"x-datum":0.381018,"y-datum":622.2269926397355},"ResultPath":"$.coords","End":true}""",
            """{"georefOf":"Home"}""",
            """{"georefOf":"Home","coords":{"x-datum":0.381018,"y-datum":622.2269926397355}}"""
        },
        // Developer guide, InputPath: selects dataset2.
        {
            """{"Type":"Pass","InputPath":"$.dataset2","End":true}""",
            """{"comment":"Example for InputPath.","dataset1":{"val1":1,"val2":2,"val3":3},"dataset2":{"val1":"a","val2":"b","val3":"c"}}""",
            """{"val1":"a","val2":"b","val3":"c"}"""
        },
        // Developer guide, ResultPath $.taskresult adds the result to the input.
        {
            """{"Type":"Pass","Result":"Hello, AWS Step Functions!","ResultPath":"$.taskresult","End":true}""",
            """{"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions"}""",
            """{"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions","taskresult":"Hello, AWS Step Functions!"}"""
        },
        // ResultPath $ (the default) replaces the input with the result.
        {
            """{"Type":"Pass","Result":"Hello, AWS Step Functions!","End":true}""",
            """{"who":"AWS Step Functions"}""",
            "\"Hello, AWS Step Functions!\""
        },
        // ResultPath null discards the result and passes the input through.
        {
            """{"Type":"Pass","Result":"Hello, AWS Step Functions!","ResultPath":null,"End":true}""",
            """{"who":"AWS Step Functions"}""",
            """{"who":"AWS Step Functions"}"""
        },
        // ResultPath into an existing nested object keeps its siblings.
        {
            """{"Type":"Pass","Result":"Hello, AWS Step Functions!","ResultPath":"$.strings.lambdaresult","End":true}""",
            """{"comment":"x","strings":{"string1":"foo","string2":"bar","string3":"baz"},"who":"AWS Step Functions"}""",
            """{"comment":"x","strings":{"string1":"foo","string2":"bar","string3":"baz","lambdaresult":"Hello, AWS Step Functions!"},"who":"AWS Step Functions"}"""
        },
        // ResultPath creates missing intermediate objects.
        {
            """{"Type":"Pass","Result":1,"ResultPath":"$.a.b.c","End":true}""",
            """{}""",
            """{"a":{"b":{"c":1}}}"""
        },
        // Spec, Parameters: static values, paths (with index) and nested objects.
        {
            """{"Type":"Pass","Parameters":{"flagged":true,"parts":{"first.$":"$.vals[0]","last.$":"$.vals[5]"},"weekday.$":"$$.State.Name"},"End":true}""",
            """{"flagged":7,"vals":[0,10,20,30,40,50]}""",
            """{"flagged":true,"parts":{"first":0,"last":50},"weekday":"S"}"""
        },
        // InputPath null gives {} to the state; OutputPath null gives {} as output.
        {
            """{"Type":"Pass","InputPath":null,"End":true}""",
            """{"a":1}""",
            """{}"""
        },
        {
            """{"Type":"Pass","OutputPath":null,"End":true}""",
            """{"a":1}""",
            """{}"""
        },
        // OutputPath picks part of the combined output.
        {
            """{"Type":"Pass","Result":{"sum":7},"ResultPath":"$.result","OutputPath":"$.result.sum","End":true}""",
            """{"title":"Numbers to add"}""",
            "7"
        },
        // Parameters see the effective input (after InputPath); ResultPath applies to the raw input.
        {
            """{"Type":"Pass","InputPath":"$.numbers","Parameters":{"total.$":"States.MathAdd($.val1, $.val2)"},"ResultPath":"$.sum","End":true}""",
            """{"title":"Numbers to add","numbers":{"val1":3,"val2":4}}""",
            """{"title":"Numbers to add","numbers":{"val1":3,"val2":4},"sum":{"total":7}}"""
        },
        // Bracket notation and wildcards.
        {
            """{"Type":"Pass","Parameters":{"odd.$":"$['a key'].x","all.$":"$.list[*].id"},"End":true}""",
            """{"a key":{"x":"y"},"list":[{"id":1},{"id":2}]}""",
            """{"odd":"y","all":[1,2]}"""
        },
    };

    [Theory]
    [MemberData(nameof(PassCases))]
    public async Task Pass_state_paths_give_documented_output(string state, string input, string expected)
    {
        var output = await AslKit.OutputAsync(AslKit.Single(state), input);
        AslKit.JsonEqual(expected, output);
    }

    [Fact]
    public async Task Context_object_exposes_execution_and_state_machine()
    {
        var output = await AslKit.OutputAsync(AslKit.Single(
            """{"Type":"Pass","Parameters":{"id.$":"$$.Execution.Id","name.$":"$$.Execution.Name","input.$":"$$.Execution.Input","role.$":"$$.Execution.RoleArn","start.$":"$$.Execution.StartTime","sm.$":"$$.StateMachine.Id","smName.$":"$$.StateMachine.Name","entered.$":"$$.State.EnteredTime"},"End":true}"""),
            """{"k":"v"}""");
        AslKit.JsonEqual("""
            {"id":"arn:aws:states:eu-west-1:123456789012:execution:Machine:run-1","name":"run-1","input":{"k":"v"},
             "role":"arn:aws:iam::123456789012:role/StepFunctionsRole","start":"2026-01-02T03:04:05.000Z",
             "sm":"arn:aws:states:eu-west-1:123456789012:stateMachine:Machine","smName":"Machine","entered":"%"}
            """.Replace("\"%\"", JsonValue.Create(output!["entered"]!.GetValue<string>()).ToJsonString()), output);
        Assert.True(JsonValues.TryParseTimestamp(output["entered"]!.GetValue<string>(), out _));
    }

    public static TheoryData<string, string, string> RuntimeFailures => new()
    {
        { """{"Type":"Pass","InputPath":"$.missing","End":true}""", "{}", "$.missing" },
        { """{"Type":"Pass","OutputPath":"$.missing","End":true}""", "{}", "$.missing" },
        { """{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}""", "{}", "x.$" },
    };

    [Theory]
    [MemberData(nameof(RuntimeFailures))]
    public async Task Missing_path_fails_with_States_Runtime_naming_the_path(string state, string input, string named)
    {
        var host = await AslKit.RunAsync(AslKit.Single(state), input);
        Assert.Equal("FAILED", host.Outcome!.Status);
        Assert.Equal("States.Runtime", host.Outcome.Error);
        Assert.Contains(named, host.Outcome.Cause);
    }

    [Fact]
    public async Task ResultPath_into_a_non_object_fails_with_ResultPathMatchFailure()
    {
        var host = await AslKit.RunAsync(AslKit.Single("""{"Type":"Pass","Result":1,"ResultPath":"$.a.b","End":true}"""), """{"a":"text"}""");
        Assert.Equal("States.ResultPathMatchFailure", host.Outcome!.Error);
    }

    [Theory]
    [InlineData("$", """{"a":{"b":[1,{"c":2}]}}""", """{"a":{"b":[1,{"c":2}]}}""")]
    [InlineData("$.a.b[1].c", """{"a":{"b":[1,{"c":2}]}}""", "2")]
    [InlineData("$['a']['b'][0]", """{"a":{"b":[1,{"c":2}]}}""", "1")]
    [InlineData("$.a.b[-1].c", """{"a":{"b":[1,{"c":2}]}}""", "2")]
    [InlineData("$.a.b[*]", """{"a":{"b":[1,2]}}""", "[1,2]")]
    [InlineData("$.a.*", """{"a":{"x":1,"y":2}}""", "[1,2]")]
    public void JsonPath_evaluates_reference_paths_and_wildcards(string path, string input, string expected)
    {
        Assert.True(JsonPath.Parse(path).TryEvaluate(JsonNode.Parse(input), out var value));
        AslKit.JsonEqual(expected, value);
    }

    /// <summary>The document of the JsonPath implementation Step Functions uses (Jayway's README), its examples below.</summary>
    private const string Store = """
        {"store":{"book":[
            {"category":"reference","author":"Nigel Rees","title":"Sayings of the Century","price":8.95},
            {"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99},
            {"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553-21311-3","price":8.99},
            {"category":"fiction","author":"J. R. R. Tolkien","title":"The Lord of the Rings","isbn":"0-395-19395-8","price":22.99}],
          "bicycle":{"color":"red","price":19.95}},
         "expensive":10}
        """;

    [Theory]
    [InlineData("$.store.book[*].author", """["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]""")]
    [InlineData("$..author", """["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]""")]
    [InlineData("$.store..price", "[8.95,12.99,8.99,22.99,19.95]")]
    [InlineData("$..book[2].title", """["Moby Dick"]""")]
    [InlineData("$..book[-2].title", """["Moby Dick"]""")]
    [InlineData("$..book[0,1].title", """["Sayings of the Century","Sword of Honour"]""")]
    [InlineData("$..book[:2].title", """["Sayings of the Century","Sword of Honour"]""")]
    [InlineData("$..book[1:2].title", """["Sword of Honour"]""")]
    [InlineData("$..book[-2:].title", """["Moby Dick","The Lord of the Rings"]""")]
    [InlineData("$..book[2:].title", """["Moby Dick","The Lord of the Rings"]""")]
    [InlineData("$..book[?(@.isbn)].title", """["Moby Dick","The Lord of the Rings"]""")]
    [InlineData("$.store.book[?(@.price < 10)].title", """["Sayings of the Century","Moby Dick"]""")]
    [InlineData("$..book[?(@.price <= $['expensive'])].title", """["Sayings of the Century","Moby Dick"]""")]
    [InlineData("$..book[?(@.author =~ /.*REES/i)].title", """["Sayings of the Century"]""")]
    [InlineData("$..book[?(@.category == 'fiction' && !(@.price > 20))].title", """["Sword of Honour","Moby Dick"]""")]
    [InlineData("$..book[?(@.isbn == '0-553-21311-3' || @.price == 8.95)].author", """["Nigel Rees","Herman Melville"]""")]
    [InlineData("$..book[?(@.category != 'fiction')].title", """["Sayings of the Century"]""")]
    [InlineData("$..book[?(@.price > 'cheap')].title", "[]")]
    [InlineData("$.store.bicycle[?(@.color == 'red')].price", "[19.95]")]
    [InlineData("$..nothing", "[]")]
    public void JsonPath_evaluates_the_examples_of_the_implementation_Step_Functions_uses(string path, string expected)
    {
        Assert.True(JsonPath.Parse(path).TryEvaluate(JsonNode.Parse(Store), out var value));
        AslKit.JsonEqual(expected, value);
    }

    [Fact]
    public void JsonPath_descends_as_the_reference_implementation_does()
    {
        // Goessner's '..': the rest of the path applies to a node, then to each of its children in turn, recursively.
        Assert.True(JsonPath.Parse("$..*").TryEvaluate(JsonNode.Parse("""{"a":{"b":1},"c":[2]}"""), out var value));
        AslKit.JsonEqual("""[{"b":1},[2],1,2]""", value);
    }

    [Fact]
    public async Task A_filter_in_InputPath_selects_items_for_the_state()
    {
        var output = await AslKit.OutputAsync(AslKit.Single(
            """{"Type":"Pass","InputPath":"$.orders[?(@.total >= 100)]","Parameters":{"big.$":"$[*].id"},"End":true}"""),
            """{"orders":[{"id":"a","total":120},{"id":"b","total":80},{"id":"c","total":100}]}""");
        AslKit.JsonEqual("""{"big":["a","c"]}""", output);
    }

    [Theory]
    [InlineData("$['a','b']", "several names in one bracket")]
    [InlineData("$.a[1:2:1]", "without a step")]
    [InlineData("$.a[?(@.b ==)]", "missing a value")]
    [InlineData("$.a[?(@.b > 1]", "unterminated filter")]
    [InlineData("$.a[?(@.b.length() > 1)]", "is not supported")]
    [InlineData("$.a[?(@.b)", "a filter is written [?(...)]")]
    [InlineData("a.b", "must start with '$'")]
    public void JsonPath_refuses_what_it_does_not_support(string path, string message)
    {
        var ex = Assert.Throws<System.FormatException>(() => JsonPath.Parse(path));
        Assert.Contains(message, ex.Message);
    }
}
