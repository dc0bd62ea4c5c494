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
    // After the position, the code and jsonata-js 2.0.6's message for the same expression, word for word.
    [Theory]
    [InlineData("($a + 1]", 7, "S0202: Expected \")\", got \"]\"")]
    [InlineData("Phone[0", 7, "S0203: Expected \"]\" before end of expression")]
    [InlineData("{'a' 1}", 5, "S0202: Expected \":\", got 1")]
    [InlineData("1 +", 3, "S0207: Unexpected end of expression")]
    [InlineData("'unterminated", 0, "S0101: String literal must be terminated by a matching quote")]
    [InlineData("1 /* open comment", 2, "S0106: Comment has no closing tag")]
    [InlineData("'bad \\q escape'", 5, "S0103: Unsupported escape sequence: \\\"q\"")]
    [InlineData("'\\u12'", 1, "S0104: The escape sequence \\u must be followed by 4 hex digits")]
    [InlineData("1e999", 0, "S0102: Number out of range: \"1e999\"")]
    [InlineData("`open", 0, "S0105: Quoted property name must be terminated with a backquote (`)")]
    [InlineData("a b", 2, "S0201: Syntax error: \"b\"")]
    [InlineData("*1", 1, "S0201: Syntax error: 1")]
    [InlineData(")", 0, "S0211: The symbol \")\" cannot be used as a unary operator")]
    [InlineData("", 0, "S0207: Unexpected end of expression")]
    [InlineData("1 := 2", 2, "S0212: The left side of := must be a variable name (start with $)")]
    [InlineData("a.1", 2, "S0213: The literal value 1 cannot be used as a step within a path expression")]
    [InlineData("function($a, b){1}", 13, "S0208: Parameter 2 of function definition must be a variable name (start with $)")]
    [InlineData("function($a)<n", 14, "S0203: Expected \">\" before end of expression")]
    [InlineData("/ab[/]", 0, "S0302: No terminating / in regular expression")]
    [InlineData("$match('a', //)", 12, "S0301: Empty regular expressions are not allowed")]
    [InlineData("a{'x':1}{'y':2}", 8, "S0210: Each step can only have one grouping expression")]
    [InlineData("a[0]@$x", 4, "S0215: A context variable binding must precede any predicates on a step")]
    [InlineData("a^(b)@$x", 5, "S0216: A context variable binding must precede the 'order-by' clause on a step")]
    [InlineData("%", 0, "S0217: The object representing the 'parent' cannot be derived from this expression")]
    public void Syntax_errors_name_the_position_and_the_reference_message(string expression, int position, string message)
    {
        var error = Assert.Throws<JsonataSyntaxException>(() => JsonataExpression.Parse(expression));
        Assert.IsAssignableFrom<FormatException>(error);
        Assert.Equal(position, error.Position);
        Assert.Equal(message[..5], error.Code);
        Assert.Equal($"Syntax error at position {position}: {message}", error.Message);
    }

    [Fact]
    public void A_top_level_binding_is_not_a_syntax_error() =>
        // The value of := is the bound value.
        Assert.Equal("1", Eval("$f := 1"));

    [Fact]
    public void A_regular_expression_dotnet_cannot_compile_is_refused_when_parsing()
    {
        // jsonata-js has no code for this (JavaScript's RegExp throws); the engine keeps its own S0303.
        var error = Assert.Throws<JsonataSyntaxException>(() => JsonataExpression.Parse("/a{2,1}/"));
        Assert.Equal("S0303", error.Code);
        Assert.StartsWith("Syntax error at position 0: S0303: invalid regular expression /a{2,1}/", error.Message);
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

    // Each message is what jsonata-js 2.0.6 gives for the same expression and input, word for word: Step Functions
    // quotes it after "threw an error during evaluation." in the error's cause.
    [Theory]
    [InlineData("'a' + 1", "T2001: The left side of the \"+\" operator must evaluate to a number")]
    [InlineData("1 + 'a'", "T2002: The right side of the \"+\" operator must evaluate to a number")]
    [InlineData("{} * 2", "T2001: The left side of the \"*\" operator must evaluate to a number")]
    [InlineData("-'a'", "D1002: Cannot negate a non-numeric value: \"a\"")]
    [InlineData("-a", "D1002: Cannot negate a non-numeric value: {\"b\":1}")]
    [InlineData("1 < 'a'", "T2009: The values 1 and \"a\" either side of operator \"<\" must be of the same data type")]
    [InlineData("{} < 1", "T2010: The expressions either side of operator \"<\" must evaluate to numeric or string values")]
    [InlineData("[1..'a']", "T2004: The right side of the range operator (..) must evaluate to an integer")]
    [InlineData("[1.5..3]", "T2003: The left side of the range operator (..) must evaluate to an integer")]
    [InlineData("[1..20000000]", "D2014: The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate 20000000.")]
    [InlineData("{1: 'a'}", "T1003: Key in object structure must evaluate to a string; got: 1")]
    [InlineData("[{'k':'a'}, {'l':'a'}]{k: 1, l: 2}", "D1009: Multiple key definitions evaluate to same key: \"a\"")]
    [InlineData("$nothing()", "T1006: Attempted to invoke a non-function")]
    [InlineData("a()", "T1006: Attempted to invoke a non-function")]
    [InlineData("sum([1])", "T1005: Attempted to invoke a non-function. Did you mean $sum?")]
    [InlineData("$nothing(?)", "T1008: Attempted to partially apply a non-function")]
    [InlineData("sum(?)", "T1007: Attempted to partially apply a non-function. Did you mean $sum?")]
    [InlineData("1 ~> 2", "T2006: The right side of the function application operator ~> must be a function")]
    [InlineData("5 ~> |a|{}|", "T0410: Argument 1 of function undefined does not match function signature")]
    [InlineData("$ ~> |a|5|", "T2011: The insert/update clause of the transform expression must evaluate to an object: 5")]
    [InlineData("$ ~> |a|{}, 5|", "T2012: The delete clause of the transform expression must evaluate to a string or array of strings: 5")]
    [InlineData("[3, 'a']^($)", "T2007: Type mismatch when comparing values 3 and \"a\" in order-by clause")]
    [InlineData("[{}, {}]^($)", "T2008: The expressions within an order-by clause must evaluate to numeric or string values")]
    [InlineData("$length(5)", "T0410: Argument 1 of function \"length\" does not match function signature")]
    [InlineData("n.$length()", "T0411: Context value is not a compatible type with argument 1 of function \"length\"")]
    [InlineData("$length('a', 'b')", "T0410: Argument 2 of function \"length\" does not match function signature")]
    [InlineData("$substring()", "T0410: Argument 1 of function \"substring\" does not match function signature")]
    [InlineData("$substring('abc', 'x')", "T0410: Argument 2 of function \"substring\" does not match function signature")]
    [InlineData("$substring('abc', 1, 'x')", "T0410: Argument 3 of function \"substring\" does not match function signature")]
    [InlineData("$sum(['a'])", "T0412: Argument 1 of function \"sum\" must be an array of \"numbers\"")]
    [InlineData("$join([1, 2])", "T0412: Argument 1 of function \"join\" must be an array of \"strings\"")]
    [InlineData("$merge(5)", "T0412: Argument 1 of function \"merge\" must be an array of \"objects\"")]
    [InlineData("$number('abc')", "D3030: Unable to cast value to a number: \"abc\"")]
    [InlineData("$number([1])", "T0410: Argument 1 of function \"number\" does not match function signature")]
    [InlineData("$sqrt(-1)", "D3060: The sqrt function cannot be applied to a negative number: -1")]
    [InlineData("$power(10, 1000)", "D3061: The power function has resulted in a value that cannot be represented as a JSON number: base=10, exponent=1000")]
    [InlineData("$formatBase(10, 40)", "D3100: The radix of the formatBase function must be between 2 and 36.  It was given 40")]
    [InlineData("$sort([1, 'a'])", "D3070: The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function")]
    [InlineData("$single([1, 2])", "D3138: The $single() function expected exactly 1 matching result.  Instead it matched more.")]
    [InlineData("$single([])", "D3139: The $single() function expected exactly 1 matching result.  Instead it matched 0.")]
    [InlineData("$error('custom failure')", "D3137: custom failure")]
    [InlineData("$error()", "D3137: $error() function evaluated")]
    [InlineData("$assert(false, 'no')", "D3141: no")]
    [InlineData("$assert(false)", "D3141: $assert() statement failed")]
    [InlineData("$replace('abc', '', 'x')", "D3010: Second argument of replace function cannot be an empty string")]
    [InlineData("$replace('abc', 'b', 'x', -1)", "D3011: Fourth argument of replace function must evaluate to a positive number")]
    [InlineData("$replace('abc', /b/, function($m){ 5 })", "D3012: Attempted to replace a matched string with a non-string value")]
    [InlineData("$split('a', ',', -1)", "D3020: Third argument of split function must evaluate to a positive number")]
    [InlineData("$match('a', /a/, -1)", "D3040: Third argument of match function must evaluate to a positive number")]
    [InlineData("$replace('abc', /x*/, 'y')", "D1004: Regular expression matches zero length string")]
    [InlineData("$decodeUrlComponent('%E0%A4%A')", "D3140: Malformed URL passed to $decodeUrlComponent(): \"%E0%A4%A\"")]
    [InlineData("$encodeUrl('\\uD800')", "D3140: Malformed URL passed to $encodeUrl(): \"\\ud800\"")]
    [InlineData("$toMillis('not a date')", "D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given \"not a date\"")]
    [InlineData("$now('[Y')", "D3135: No matching closing bracket ']' in date/time picture string")]
    [InlineData("$now('[Q]')", "D3132: Unknown component specifier \"Q\" in date/time picture string")]
    [InlineData("$formatInteger(5, 'q')", "D3130: Formatting or parsing an integer as a sequence starting with \"q\" is not supported by this implementation")]
    [InlineData("$formatNumber(1, '0;0;0')", "D3080: The picture string must only contain a maximum of two sub-pictures")]
    [InlineData("$formatNumber(1, '0.0.0')", "D3081: The sub-picture must not contain more than one instance of the 'decimal-separator' character")]
    [InlineData("$formatNumber(1, '0,,0')", "D3089: The sub-picture must not contain two adjacent instances of the 'grouping-separator' character")]
    [InlineData("$reduce([1,2], function($a){ $a })", "D3050: The second argument of reduce function must be a function with at least two arguments")]
    [InlineData("$map([1], 5)", "T0410: Argument 2 of function \"map\" does not match function signature")]
    [InlineData("$filter(5)", "T0410: Argument 2 of function \"filter\" does not match function signature")]
    [InlineData("$contains('abc')", "T0411: Context value is not a compatible type with argument 1 of function \"contains\"")]
    [InlineData("$split(5, ',')", "T0410: Argument 1 of function \"split\" does not match function signature")]
    [InlineData("$uppercase(5)", "T0410: Argument 1 of function \"uppercase\" does not match function signature")]
    [InlineData("$pad('a', 'b')", "T0410: Argument 2 of function \"pad\" does not match function signature")]
    public void Runtime_errors_read_as_the_reference_words_them(string expression, string message) =>
        Assert.Equal(message, EvalError(expression, """{"a":{"b":1},"n":5,"s":"x"}""").Message);

    [Fact]
    public void A_number_out_of_range_is_quoted_as_json_stringify_writes_it() =>
        // jsonata-js fills D1001 from JSON.stringify, which writes an infinity as null.
        Assert.Equal("D1001: Number out of range: null", EvalError("1 / 0").Message);

    [Fact]
    public void A_function_result_is_refused_in_the_engines_own_words() =>
        Assert.Contains("cannot be turned into JSON", EvalError("$sum").Message);

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
