using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Asl.Json;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

// The developer guide's intrinsic function examples with their documented results.
public sealed class IntrinsicFunctionTests
{
    private const string Input = """
        {"name":"Arnav","escapedJsonString":"{\"foo\": \"bar\"}","unescapedJson":{"foo":"bar"},"someJson":{"random":"abcdefg"},
         "inputArray":[1,2,3,4,5,6,7,8,9],"dupes":[1,2,3,3,3,3,3,3,4],"input":"Data to encode","base64":"RGF0YSB0byBlbmNvZGU=",
         "json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3},"inputString":"This,is+a,test+string","splitter":",+",
         "data":"input data","algorithm":"SHA-1","start":1,"end":999,"value1":111,"step":-1}
        """;

    private static JsonNode? Eval(string expression)
    {
        var scope = new EvalScope(JsonNode.Parse(Input), () => new JsonObject { ["Execution"] = new JsonObject { ["Name"] = "run-1" } });
        return ValueExpression.Compile(expression).Evaluate(scope, "x.$");
    }

    [Theory]
    [InlineData("States.Format('Hello, my name is {}.', $.name)", "\"Hello, my name is Arnav.\"")]
    [InlineData("States.Format('{} {} {}', 'a', 1, null)", "\"a 1 null\"")]
    [InlineData("States.Format('Text with \\{braces\\} and \\'quotes\\' by {}', $$.Execution.Name)", "\"Text with {braces} and 'quotes' by run-1\"")]
    [InlineData("States.StringToJson($.escapedJsonString)", """{"foo":"bar"}""")]
    [InlineData("States.JsonToString($.unescapedJson)", "\"{\\\"foo\\\":\\\"bar\\\"}\"")]
    [InlineData("States.Array('Foo', 2020, $.someJson, null)", """["Foo",2020,{"random":"abcdefg"},null]""")]
    [InlineData("States.ArrayPartition($.inputArray, 4)", "[[1,2,3,4],[5,6,7,8],[9]]")]
    [InlineData("States.ArrayContains($.inputArray, 5)", "true")]
    [InlineData("States.ArrayContains($.inputArray, 10)", "false")]
    [InlineData("States.ArrayRange(1, 9, 2)", "[1,3,5,7,9]")]
    [InlineData("States.ArrayRange(5, 1, $.step)", "[5,4,3,2,1]")]
    [InlineData("States.ArrayGetItem($.inputArray, 5)", "6")]
    [InlineData("States.ArrayLength($.inputArray)", "9")]
    [InlineData("States.ArrayUnique($.dupes)", "[1,2,3,4]")]
    [InlineData("States.Base64Encode($.input)", "\"RGF0YSB0byBlbmNvZGU=\"")]
    [InlineData("States.Base64Decode($.base64)", "\"Data to encode\"")]
    [InlineData("States.Hash($.data, $.algorithm)", "\"aaff4a450a104cd177d28d18d74485e8cae074b7\"")]
    [InlineData("States.Hash('input data', 'MD5')", "\"812f45842bc6d66ee14572ce20db8e86\"")]
    // Expected digests checked with coreutils md5sum/sha256sum.
    [InlineData("States.Hash('input data', 'SHA-256')", "\"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3\"")]
    [InlineData("States.JsonMerge($.json1, $.json2, false)", """{"a":{"a3":1,"a4":2},"b":2,"c":3}""")]
    [InlineData("States.MathAdd($.value1, $.step)", "110")]
    [InlineData("States.MathAdd(111, -1)", "110")]
    [InlineData("States.MathAdd(59, 4.3)", "63")]
    [InlineData("States.StringSplit($.inputString, $.splitter)", """["This","is","a","test","string"]""")]
    [InlineData("States.StringSplit('1,2,3,4,5', ',')", """["1","2","3","4","5"]""")]
    [InlineData("States.ArrayLength(States.Array(1, States.Array(2, 3)))", "2")]
    [InlineData("States.JsonToString(States.StringToJson('{\"a\":[1]}'))", "\"{\\\"a\\\":[1]}\"")]
    public void Intrinsic_gives_the_documented_result(string expression, string expected) =>
        AslKit.JsonEqual(expected, Eval(expression));

    [Fact]
    public void Hash_covers_every_algorithm_with_the_right_length()
    {
        foreach (var (algorithm, hexLength) in new[] { ("MD5", 32), ("SHA-1", 40), ("SHA-256", 64), ("SHA-384", 96), ("SHA-512", 128) })
            Assert.Equal(hexLength, JsonValues.AsString(Eval($"States.Hash('x', '{algorithm}')"))!.Length);
    }

    [Fact]
    public void MathRandom_stays_in_range_and_a_seed_repeats()
    {
        for (var i = 0; i < 200; i++)
            Assert.InRange(JsonValues.ToDouble(Eval("States.MathRandom($.start, $.end)")!), 1, 998);
        Assert.Equal(Eval("States.MathRandom(1, 1000, 7)")!.ToJsonString(), Eval("States.MathRandom(1, 1000, 7)")!.ToJsonString());
    }

    [Fact]
    public void UUID_is_a_fresh_version_4_guid()
    {
        var a = JsonValues.AsString(Eval("States.UUID()"))!;
        Assert.True(Guid.TryParse(a, out _));
        Assert.Equal('4', a[14]);
        Assert.NotEqual(a, JsonValues.AsString(Eval("States.UUID()")));
    }

    [Theory]
    [InlineData("States.ArrayGetItem($.inputArray, 9)", "out of range")]
    [InlineData("States.Format('{} {}', 'a')", "placeholders")]
    [InlineData("States.Format($.someJson, 'a')", "needs a string as its first argument")]
    [InlineData("States.StringToJson('{nope')", "not valid JSON")]
    [InlineData("States.Hash('a', 'SHA-3')", "SHA-3")]
    [InlineData("States.JsonMerge($.json1, $.json2, true)", "shallow")]
    [InlineData("States.ArrayLength($.name)", "must be an array")]
    [InlineData("States.Base64Decode('***')", "Base64")]
    [InlineData("States.MathAdd(9223372036854775807, 1)", "sum is out of the range of a 64-bit integer")]
    [InlineData("States.MathAdd(-9223372036854775807, -2)", "sum is out of the range of a 64-bit integer")]
    public void Bad_arguments_fail_with_States_IntrinsicFailure(string expression, string message)
    {
        var error = Assert.Throws<StatesError>(() => Eval(expression));
        Assert.Equal("States.IntrinsicFailure", error.Error);
        Assert.Contains(message, error.Cause);
    }

    [Theory]
    [InlineData("States.Nope(1)", "unknown intrinsic function")]
    [InlineData("States.ArrayLength(1, 2)", "takes 1 argument")]
    [InlineData("States.UUID(1)", "takes 0 argument")]
    [InlineData("States.Format('x'", "missing ')'")]
    [InlineData("States.Array(abc)", "not a string in single quotes")]
    [InlineData("States.Array('abc)", "unterminated")]
    public void Malformed_calls_are_refused_at_parse_time(string expression, string message)
    {
        var error = Assert.Throws<FormatException>(() => ValueExpression.Compile(expression));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Intrinsics_run_inside_Parameters_of_a_real_execution()
    {
        var output = await AslKit.OutputAsync(AslKit.Single(
            """{"Type":"Pass","Parameters":{"greeting.$":"States.Format('Hello, my name is {}.', $.name)","n.$":"States.ArrayLength($.list)"},"End":true}"""),
            """{"name":"Arnav","list":[1,2]}""");
        AslKit.JsonEqual("""{"greeting":"Hello, my name is Arnav.","n":2}""", output);
    }
}
