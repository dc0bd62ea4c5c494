using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AwsStepFunctions.Local.Asl.Jsonata;
using Xunit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataKit;

namespace AwsStepFunctions.Local.Tests.Asl.Jsonata;

// The functions Step Functions adds to JSONata, with the developer guide's examples.
public sealed class JsonataStepFunctionsTests
{
    [Theory]
    [InlineData("$partition([1,2,3,4,5,6,7,8,9], 3)", "[[1,2,3],[4,5,6],[7,8,9]]")]
    [InlineData("$partition([1,2,3,4,5], 2)", "[[1,2],[3,4],[5]]")]
    [InlineData("$partition([1], 5)", "[[1]]")]
    [InlineData("$partition([], 2)", "[]")]
    [InlineData("$partition([1,2,3], 1e20)", "[[1,2,3]]")]
    [InlineData("$range(0, 10, 2)", "[0,2,4,6,8,10]")]
    [InlineData("$range(1, 9, 3)", "[1,4,7]")]
    [InlineData("$range(5, 1, -1)", "[5,4,3,2,1]")]
    [InlineData("$range(1, 0, 1)", "[]")]
    [InlineData("$range(2, 2, 1)", "2")]
    [InlineData("$range(1, 9, 9)", "1")]
    [InlineData("$hash('input data', 'MD5')", "\"812f45842bc6d66ee14572ce20db8e86\"")]
    [InlineData("$hash('input data', 'SHA-1')", "\"aaff4a450a104cd177d28d18d74485e8cae074b7\"")]
    [InlineData("$hash('input data', 'SHA-256')", "\"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3\"")]
    [InlineData("$length($hash('x', 'SHA-384'))", "96")]
    [InlineData("$length($hash('x', 'SHA-512'))", "128")]
    [InlineData("$parse('{\"a\":[1,{\"b\":null}]}')", """{"a":[1,{"b":null}]}""")]
    [InlineData("$parse('[1,2]')[1]", "2")]
    [InlineData("$parse('\"text\"')", "\"text\"")]
    [InlineData("$parse('null')", "null")]
    [InlineData("$parse('{\"n\":5}').n + 1", "6")]
    [InlineData("$random(7) = $random(7)", "true")]
    [InlineData("$random(7) = $random(8)", "false")]
    [InlineData("$random() >= 0 and $random() < 1", "true")]
    [InlineData("$length($uuid())", "36")]
    [InlineData("$uuid() = $uuid()", "false")]
    public void Step_Functions_functions(string expression, string expected) => Check(expression, "{}", expected);

    [Theory]
    [InlineData("$partition([1,2], 0)", "D3200")]
    [InlineData("$partition([1,2], 1.5)", "D3200")]
    [InlineData("$range(1, 5, 0)", "D3200")]
    [InlineData("$range(1, 5.5, 1)", "D3200")]
    [InlineData("$hash('x', 'SHA-3')", "D3200")]
    [InlineData("$hash(5, 'MD5')", "T0410")]
    [InlineData("$parse('{bad json')", "D3200")]
    [InlineData("$uuid(1)", "T0410")]
    public void Step_Functions_functions_refuse_bad_arguments(string expression, string code) =>
        Assert.Equal(code, EvalError(expression).Code);

    [Fact]
    public void Uuid_is_version_4()
    {
        var text = Eval("$uuid()").Trim('"');
        Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), text);
    }

    [Fact]
    public void Seeded_random_does_not_depend_on_the_environment()
    {
        var expression = JsonataExpression.Parse("$random(12345)");
        var empty = new Dictionary<string, JsonNode?>();
        expression.TryEvaluate(null, empty, new JsonataEnvironment { Random = new Random(1) }, out var first);
        expression.TryEvaluate(null, empty, new JsonataEnvironment { Random = new Random(2) }, out var second);
        Assert.Equal(first!.ToJsonString(), second!.ToJsonString());
        var unseeded = JsonataExpression.Parse("$random()");
        unseeded.TryEvaluate(null, empty, new JsonataEnvironment { Random = new Random(1) }, out var a);
        unseeded.TryEvaluate(null, empty, new JsonataEnvironment { Random = new Random(1) }, out var b);
        Assert.Equal(a!.ToJsonString(), b!.ToJsonString());
    }

    [Fact]
    public void Now_and_millis_agree_within_one_evaluation_and_follow_the_clock()
    {
        Assert.Equal("true", Eval("$toMillis($now()) = $millis()"));
        Assert.Equal("\"2024-11-22T13:45:30.123Z\"", Eval("$now()"));
    }

    [Fact]
    public void States_object_examples_from_the_developer_guide()
    {
        var bindings = new Dictionary<string, JsonNode?>
        {
            ["states"] = JsonNode.Parse("""{"input":{"customer":{"name":"Ana","age":21},"items":[{"price":2,"qty":3},{"price":5,"qty":1}],"content":"input data"}}"""),
        };
        Assert.Equal("true", Eval("$states.input.customer.age >= 18", null, bindings));
        Assert.Equal("\"Hello Ana\"", Eval("'Hello ' & $states.input.customer.name", null, bindings));
        Assert.Equal("11", Eval("$sum($states.input.items.(price * qty))", null, bindings));
        Assert.Equal("\"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3\"", Eval("$hash($states.input.content, 'SHA-256')", null, bindings));
    }
}
