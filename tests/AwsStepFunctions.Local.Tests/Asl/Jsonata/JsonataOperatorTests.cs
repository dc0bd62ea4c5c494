using System.Collections.Generic;
using System.Text.Json.Nodes;
using Xunit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataKit;

namespace AwsStepFunctions.Local.Tests.Asl.Jsonata;

// Literals, operators and the functional constructs, each with the documented (or reference-implementation) result.
public sealed class JsonataOperatorTests
{
    [Theory]
    [InlineData("'hello'", "\"hello\"")]
    [InlineData("\"double\"", "\"double\"")]
    [InlineData(@"'it\'s'", "\"it's\"")]
    [InlineData(@"""tab\there""", "\"tab\\there\"")]
    [InlineData(@"'\u00e9t\u00E9'", "\"\u00e9t\u00e9\"")]
    [InlineData(@"'a\/b\\c'", "\"a/b\\\\c\"")]
    [InlineData("42", "42")]
    [InlineData("3.5", "3.5")]
    [InlineData("1e3", "1000")]
    [InlineData("2.5E-3", "0.0025")]
    [InlineData("-7", "-7")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    [InlineData("/* a comment */ 1 /* and another */", "1")]
    [InlineData("[]", "[]")]
    [InlineData("{}", "{}")]
    [InlineData("()", Undefined)]
    public void Literals(string expression, string expected) => Check(expression, null, expected);

    [Theory]
    [InlineData("1 + 2", "3")]
    [InlineData("5 - 7", "-2")]
    [InlineData("4 * 2.5", "10")]
    [InlineData("7 / 2", "3.5")]
    [InlineData("7 % 3", "1")]
    [InlineData("-7 % 3", "-1")]
    [InlineData("2 + 3 * 4", "14")]
    [InlineData("(2 + 3) * 4", "20")]
    [InlineData("-(2 + 3)", "-5")]
    [InlineData("0.1 + 0.2", "0.30000000000000004")]
    [InlineData("$string(0.1 + 0.2)", "\"0.3\"")]
    [InlineData("1 + nothing", Undefined)]
    [InlineData("-nothing", Undefined)]
    [InlineData("1 = 1", "true")]
    [InlineData("1 = 2", "false")]
    [InlineData("'a' = 'a'", "true")]
    [InlineData("1 = '1'", "false")]
    [InlineData("1 != 2", "true")]
    [InlineData("nothing = 1", "false")]
    [InlineData("nothing != 1", "false")]
    [InlineData("null = null", "true")]
    [InlineData("[1,2] = [1,2]", "true")]
    [InlineData("{'a':1} = {'a':1}", "true")]
    [InlineData("{'a':1} = {'a':2}", "false")]
    [InlineData("1 < 2", "true")]
    [InlineData("2 <= 2", "true")]
    [InlineData("3 > 4", "false")]
    [InlineData("4 >= 4", "true")]
    [InlineData("'apple' < 'banana'", "true")]
    [InlineData("'B' < 'a'", "true")]
    [InlineData("nothing < 1", Undefined)]
    [InlineData("true and false", "false")]
    [InlineData("true or false", "true")]
    [InlineData("1 and 'x'", "true")]
    [InlineData("0 or ''", "false")]
    [InlineData("nothing or true", "true")]
    [InlineData("false and $error('not evaluated')", "false")]
    [InlineData("true or $error('not evaluated')", "true")]
    [InlineData("'a' in ['a','b']", "true")]
    [InlineData("'c' in ['a','b']", "false")]
    [InlineData("3 in 3", "true")]
    [InlineData("nothing in [1]", "false")]
    [InlineData("'a' & 'b'", "\"ab\"")]
    [InlineData("'n=' & 5", "\"n=5\"")]
    [InlineData("'x' & nothing & 'y'", "\"xy\"")]
    [InlineData("'v' & true & null", "\"vtruenull\"")]
    [InlineData("'' & [1,'a']", "\"[1,\\\"a\\\"]\"")]
    [InlineData("'' & (0.1 + 0.2)", "\"0.3\"")]
    [InlineData("'' & 1e21", "\"1e+21\"")]
    [InlineData("'' & 0.000001", "\"0.000001\"")]
    [InlineData("'' & 1e-7", "\"1e-7\"")]
    [InlineData("1 > 0 ? 'yes' : 'no'", "\"yes\"")]
    [InlineData("1 < 0 ? 'yes' : 'no'", "\"no\"")]
    [InlineData("1 < 0 ? 'yes'", Undefined)]
    [InlineData("nothing ? 1 : 2", "2")]
    [InlineData("[] ? 1 : 2", "2")]
    [InlineData("[0, false] ? 1 : 2", "2")]
    [InlineData("[0, 1] ? 1 : 2", "1")]
    [InlineData("{} ? 1 : 2", "2")]
    public void Operators(string expression, string expected) => Check(expression, null, expected);

    [Theory]
    [InlineData("[1..5]", "[1,2,3,4,5]")]
    [InlineData("[1..3, 7, 10..11]", "[1,2,3,7,10,11]")]
    [InlineData("[5..1]", "[]")]
    [InlineData("[0..0]", "[0]")]
    [InlineData("[1, [2, 3], [[4]]]", "[1,[2,3],[[4]]]")]
    [InlineData("[1, $x]", "[1,2,3]")]
    [InlineData("[$x]", "[2,3]")]
    [InlineData("[$x][0]", "2")]
    [InlineData("[[1,2],[3]][0]", "[1,2]")]
    [InlineData("[1, nothing, 2]", "[1,2]")]
    [InlineData("($x)[1]", "3")]
    [InlineData("$x[]", "[2,3]")]
    [InlineData("[1,2,3].($ * 10)", "[10,20,30]")]
    [InlineData("[1,2,3][$ >= 2]", "[2,3]")]
    [InlineData("{'a': 1, 'b': [true, null]}", """{"a":1,"b":[true,null]}""")]
    [InlineData("{'k' & 1: 'v'}", """{"k1":"v"}""")]
    [InlineData("[{'t':'a','v':1},{'t':'b','v':2},{'t':'a','v':3}]{t: $sum(v)}", """{"a":4,"b":2}""")]
    [InlineData("[{'t':'a','v':1},{'t':'a','v':3}].{t: v}", """[{"a":1},{"a":3}]""")]
    public void Constructors(string expression, string expected) =>
        Assert.Equal(JsonNormal(expected), Eval(expression, "{}", new Dictionary<string, JsonNode?> { ["x"] = JsonNode.Parse("[2,3]") }));

    [Theory]
    [InlineData("($a := 5; $a * 2)", "10")]
    [InlineData("($a := 5; $b := $a + 1; [$a, $b])", "[5,6]")]
    [InlineData("($a := 1; ($a := 2); $a)", "1")]
    [InlineData("$x := 3", "3")]
    [InlineData("(function($x){ $x * 2 })(21)", "42")]
    [InlineData("($double := function($n){ $n * 2 }; $double(4))", "8")]
    [InlineData("($f := λ($a, $b){ $a & $b }; $f('x', 'y'))", "\"xy\"")]
    [InlineData("($f := function($a, $b){ $b }; $f(1))", Undefined)]
    [InlineData("($add := function($a){ function($b){ $a + $b } }; $add(3)(4))", "7")]
    [InlineData("($fact := function($n){ $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(10))", "3628800")]
    [InlineData("($fib := function($n){ $n < 2 ? $n : $fib($n - 1) + $fib($n - 2) }; $fib(15))", "610")]
    [InlineData("($typed := function($n)<n:n>{ $n + 1 }; $typed(1))", "2")]
    [InlineData("($first5 := $substring(?, 0, 5); $first5('Hello World'))", "\"Hello\"")]
    [InlineData("($sub := $substring('Hello World', ?, ?); $sub(6, 5))", "\"World\"")]
    [InlineData("'hello' ~> $uppercase()", "\"HELLO\"")]
    [InlineData("'  a  b ' ~> $trim() ~> $uppercase()", "\"A B\"")]
    [InlineData("[1,2,3] ~> $sum", "6")]
    [InlineData("'a,b' ~> $split(',')", """["a","b"]""")]
    [InlineData("($upperTrim := $trim ~> $uppercase; $upperTrim('  x '))", "\"X\"")]
    [InlineData("[3,1,2]^($)", "[1,2,3]")]
    [InlineData("[3,1,2]^(>$)", "[3,2,1]")]
    [InlineData("['b','a','c']^($)[0]", "\"a\"")]
    [InlineData("[{'n':1,'s':'b'},{'n':1,'s':'a'},{'n':0,'s':'c'}]^(n, >s).s", """["c","b","a"]""")]
    [InlineData("[{'n':2},{'m':1},{'n':1}]^(n).n", "[1,2]")]
    [InlineData("$ ~> |x|{'added': true}|", """{"x":{"y":1,"added":true},"list":[1,2]}""")]
    [InlineData("$ ~> |x|{}, ['y']|", """{"x":{},"list":[1,2]}""")]
    [InlineData("$ ~> |x|{'y': y + 1}|", """{"x":{"y":2},"list":[1,2]}""")]
    [InlineData("$ ~> |nowhere|{'a':1}|", """{"x":{"y":1},"list":[1,2]}""")]
    [InlineData("($t := |x|{'z': 0}|; $t($).x)", """{"y":1,"z":0}""")]
    [InlineData("$contains('abc', /B/i)", "true")]
    [InlineData("$contains('abc', /B/)", "false")]
    [InlineData("$match('ababbabbcc', /a(b+)/).groups", """["b","bb","bb"]""")]
    public void Functional_constructs(string expression, string expected) =>
        Assert.Equal(JsonNormal(expected), EvalWith(expression, """{"x":{"y":1},"list":[1,2]}"""));

    [Fact]
    public void Transform_leaves_the_documented_invoice_total()
    {
        Check("($ ~> |Account.Order.Product|{'Total': Price * Quantity}, ['Price', 'Quantity']|).Account.Order.Product.Total",
            Account, "[68.9,21.67,137.8,107.99]");
        Check("($ ~> |Account.Order.Product|{'Total': Price * Quantity}, ['Price', 'Quantity']|).Account.Order.Product.Price",
            Account, Undefined);
    }

    private static string JsonNormal(string expected) =>
        expected == Undefined ? expected : Text(JsonNode.Parse(expected));

    private static string EvalWith(string expression, string input) => Eval(expression, input);
}
