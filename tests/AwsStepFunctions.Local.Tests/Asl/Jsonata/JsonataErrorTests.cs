using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using AwsStepFunctions.Local.Asl.Jsonata;
using Xunit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataKit;

namespace AwsStepFunctions.Local.Tests.Asl.Jsonata;

// What is refused, where, and how: syntax errors with positions, runtime error codes, limits and guarantees.
public sealed class JsonataErrorTests
{
    [Theory]
    [InlineData("($a + 1]", 7, "expected ')' but found ']'")]
    [InlineData("Phone[0", 7, "expected ']' but found the end of the expression")]
    [InlineData("{'a' 1}", 5, "expected ':'")]
    [InlineData("1 +", 3, "unexpected end of the expression")]
    [InlineData("'unterminated", 0, "string literal must be terminated")]
    [InlineData("1 /* open comment", 2, "comment has no closing tag")]
    [InlineData("'bad \\q escape'", 5, "unsupported escape sequence")]
    [InlineData("`open", 0, "terminated with a backquote")]
    [InlineData("a b", 2, "unexpected 'b'")]
    [InlineData("", 0, "empty")]
    [InlineData("$f := 1", 3, "")]
    [InlineData("1 := 2", 2, "left side of := must be a variable")]
    [InlineData("a.1", 2, "literal value cannot be used as a step")]
    [InlineData("function($a, b){1}", 13, "must be a variable name")]
    [InlineData("/a(b/", 0, "invalid regular expression")]
    [InlineData("/ab[/]", 0, "no terminating / in regular expression")]
    [InlineData("a{'x':1}{'y':2}", 8, "only have one grouping")]
    public void Syntax_errors_name_the_position_and_the_problem(string expression, int position, string problem)
    {
        if (expression == "$f := 1")
        {
            // Binding at the top level is fine: the value of := is the bound value.
            Assert.Equal("1", Eval(expression));
            return;
        }
        var error = Assert.Throws<JsonataSyntaxException>(() => JsonataExpression.Parse(expression));
        Assert.IsAssignableFrom<FormatException>(error);
        Assert.Equal(position, error.Position);
        Assert.StartsWith($"Syntax error at position {position}: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("$eval('1 + 1')", "$eval is not available in Step Functions")]
    [InlineData("$map(['1'], $eval)", "$eval is not available in Step Functions")]
    [InlineData("a ?? 'default'", "'??' is a JSONata 2.1 operator and Step Functions runs JSONata 2.0.6")]
    [InlineData("a ?: 'default'", "'?:' is a JSONata 2.1 operator")]
    public void Unsupported_constructs_are_refused_when_parsing(string expression, string message)
    {
        var error = Assert.Throws<JsonataSyntaxException>(() => JsonataExpression.Parse(expression));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("'a' + 1", "T2001")]
    [InlineData("1 + 'a'", "T2002")]
    [InlineData("{} * 2", "T2001")]
    [InlineData("1 / 0", "D1001")]
    [InlineData("-'a'", "D1002")]
    [InlineData("1 < 'a'", "T2009")]
    [InlineData("{} < 1", "T2010")]
    [InlineData("[1..'a']", "T2004")]
    [InlineData("[1.5..3]", "T2003")]
    [InlineData("[1..20000000]", "D2014")]
    [InlineData("{1: 'a'}", "T1003")]
    [InlineData("[{'k':'a'}, {'l':'a'}]{k: 1, l: 2}", "D1009")]
    [InlineData("$nothing()", "T1006")]
    [InlineData("a()", "T1006")]
    [InlineData("1 ~> 2", "T2006")]
    [InlineData("$length(5)", "T0410")]
    [InlineData("$uppercase(1, 2)", "T0410")]
    [InlineData("$substring()", "T0410")]
    [InlineData("$sum(['a'])", "T0412")]
    [InlineData("$join([1, 2])", "T0412")]
    [InlineData("$number('abc')", "D3030")]
    [InlineData("$number([1])", "T0410")]
    [InlineData("$sqrt(-1)", "D3060")]
    [InlineData("$power(10, 1000)", "D3061")]
    [InlineData("$string(1/0)", "D1001")]
    [InlineData("$formatBase(10, 40)", "D3100")]
    [InlineData("$sort([1, 'a'])", "D3070")]
    [InlineData("$single([1, 2])", "D3138")]
    [InlineData("$single([])", "D3139")]
    [InlineData("$error('custom failure')", "D3137")]
    [InlineData("$assert(false, 'no')", "D3141")]
    [InlineData("$replace('abc', '', 'x')", "D3010")]
    [InlineData("$split('a', ',', -1)", "D3020")]
    [InlineData("$decodeUrlComponent('%E0%A4%A')", "D3140")]
    [InlineData("$base64decode('!!!')", "D3137")]
    [InlineData("[3, 'a']^($)", "T2007")]
    [InlineData("[{}, {}]^($)", "T2008")]
    [InlineData("$ ~> |a|5|", "T2011")]
    [InlineData("$ ~> |a|{}, 5|", "T2012")]
    [InlineData("$toMillis('not a date')", "D3110")]
    [InlineData("$toMillis('2017', '[Y0001]')", "U1002")]
    [InlineData("$now('[E]')", "U1002")]
    [InlineData("$pad('x', 1e12)", "D3200")]
    [InlineData("$formatInteger(1e15, 'I')", "D3130")]
    [InlineData("$sum", "T1011")]
    [InlineData("function($x){ $x }", "T1011")]
    public void Runtime_errors_carry_the_reference_code(string expression, string code)
    {
        var error = EvalError(expression, """{"a":{"b":1}}""");
        Assert.Equal(code, error.Code);
        Assert.StartsWith(code + ": ", error.Message);
    }

    [Fact]
    public void Error_messages_say_what_went_wrong()
    {
        Assert.Equal("D3137: custom failure", EvalError("$error('custom failure')").Message);
        Assert.Contains("left side of the '+' operator must evaluate to a number, not string \"a\"", EvalError("'a' + 1").Message);
        Assert.Equal("T1006: Attempted to invoke a non-function", EvalError("$nothing()").Message);
        Assert.Contains("cannot be turned into JSON", EvalError("$sum").Message);
    }

    [Fact]
    public void Runaway_recursion_is_an_error_not_a_crash()
    {
        var error = EvalError("($f := function($n){ $f($n + 1) }; $f(0))");
        Assert.Equal("U1001", error.Code);
        Assert.Contains("nested function calls", error.Message);
    }

    [Fact]
    public void Recursion_within_the_limit_works()
    {
        Assert.Equal("400", Eval("($count := function($n){ $n = 0 ? 0 : 1 + $count($n - 1) }; $count(400))"));
    }

    [Fact]
    public void Deeply_nested_expressions_are_refused_when_parsing()
    {
        var expression = new string('(', 300) + "1" + new string(')', 300);
        var error = Assert.Throws<JsonataSyntaxException>(() => JsonataExpression.Parse(expression));
        Assert.Contains("nested more than", error.Message);
        Assert.Equal("1", Eval(new string('(', 100) + "1" + new string(')', 100)));
    }

    [Fact]
    public void Cancellation_stops_a_long_evaluation()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        var expression = JsonataExpression.Parse("$map([1..100000], function($v){ $v * 2 })");
        var environment = new JsonataEnvironment { Cancellation = source.Token };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            expression.TryEvaluate(null, new Dictionary<string, JsonNode?>(), environment, out _));
    }

    [Fact]
    public void Input_and_bindings_are_never_changed_or_handed_out()
    {
        var input = JsonNode.Parse(Account)!;
        var before = input.ToJsonString();
        var bindings = new Dictionary<string, JsonNode?> { ["states"] = JsonNode.Parse("""{"input":{"a":[1,2]}}""") };
        var expression = JsonataExpression.Parse(
            "($ ~> |Account.Order.Product|{'Price': 0}, ['SKU']|; [Account.Order[0], $states.input.a, $states.input])");
        Assert.True(expression.TryEvaluate(input, bindings, Environment(), out var value));
        Assert.Equal(before, input.ToJsonString());
        Assert.Equal("""{"input":{"a":[1,2]}}""", bindings["states"]!.ToJsonString());
        // The result can be attached to another tree: it shares no node with the input or the bindings.
        var holder = new JsonObject { ["result"] = value };
        // [order, 1, 2, input]: the array bound to a is spliced into the constructor.
        Assert.Equal(4, holder["result"]!.AsArray().Count);
        ((JsonObject)value![0]!)["OrderID"] = "changed";
        Assert.Equal(before, input.ToJsonString());
    }

    [Fact]
    public void Transform_edits_a_copy_only()
    {
        var input = JsonNode.Parse("""{"a":{"b":1}}""")!;
        var expression = JsonataExpression.Parse("$ ~> |a|{'b': 2}|");
        Assert.True(expression.TryEvaluate(input, new Dictionary<string, JsonNode?>(), Environment(), out var value));
        Assert.Equal("""{"a":{"b":2}}""", value!.ToJsonString());
        Assert.Equal("""{"a":{"b":1}}""", input.ToJsonString());
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1")]
    [InlineData("2.5 * 2", "5")]
    [InlineData("$sum([0.5, 0.5])", "1")]
    [InlineData("[1.0, 2.50]", "[1,2.5]")]
    [InlineData("{'n': 10 / 4, 'm': 10 / 5}", """{"n":2.5,"m":2}""")]
    [InlineData("n", "12345678901234")]
    [InlineData("-0", "0")]
    [InlineData("1e20", "100000000000000000000")]
    public void Integral_numbers_are_written_as_integers(string expression, string expectedText) =>
        Assert.Equal(expectedText, Eval(expression, """{"n":12345678901234.0}"""));

    [Fact]
    public void Undefined_and_null_are_different()
    {
        var expression = JsonataExpression.Parse("value");
        Assert.True(expression.TryEvaluate(JsonNode.Parse("""{"value":null}"""), new Dictionary<string, JsonNode?>(), Environment(), out var present));
        Assert.Null(present);
        Assert.False(expression.TryEvaluate(JsonNode.Parse("""{"other":1}"""), new Dictionary<string, JsonNode?>(), Environment(), out var absent));
        Assert.Null(absent);
        Assert.False(expression.TryEvaluate(null, new Dictionary<string, JsonNode?>(), Environment(), out _));
    }

    [Fact]
    public void Variables_are_named_without_the_dollar()
    {
        var bindings = new Dictionary<string, JsonNode?>
        {
            ["states"] = JsonNode.Parse("""{"input":{"title":"Doctor"},"context":{"Execution":{"Name":"run-1"}}}"""),
            ["customerName"] = JsonValue.Create("María"),
            ["nothingThere"] = null,
        };
        Assert.Equal("\"Doctor María (run-1)\"",
            Eval("$states.input.title & ' ' & $customerName & ' (' & $states.context.Execution.Name & ')'", null, bindings));
        Assert.Equal("null", Eval("$nothingThere", null, bindings));
        Assert.Equal(Undefined, Eval("$notBound", null, bindings));
        // A binding can shadow a built-in function name, as a JSONata variable would.
        Assert.Equal("\"mine\"", Eval("$sum", null, new Dictionary<string, JsonNode?> { ["sum"] = JsonValue.Create("mine") }));
    }

    [Fact]
    public void Parse_keeps_the_text_and_can_be_evaluated_many_times()
    {
        var expression = JsonataExpression.Parse("  a + 1 ");
        Assert.Equal("  a + 1 ", expression.Text);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(expression.TryEvaluate(JsonNode.Parse($$"""{"a":{{i}}}"""), new Dictionary<string, JsonNode?>(), Environment(), out var value));
            Assert.Equal(i + 1, value!.GetValue<long>());
        }
    }
}
