using Xunit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataKit;

namespace AwsStepFunctions.Local.Tests.Asl.Jsonata;

// Behaviour that is easy to get wrong, checked against what the reference implementation (jsonata-js) does.
public sealed class JsonataReferenceBehaviourTests
{
    [Theory]
    // An array given as the whole input is one item: predicates apply across all of it.
    [InlineData("phone[0]", """[{"phone":[{"n":0}]},{"phone":[{"n":1}]}]""", """{"n":0}""")]
    [InlineData("phone[0][]", """[{"phone":[{"n":0}]},{"phone":[{"n":1}]}]""", """[{"n":0}]""")]
    [InlineData("a[0].b", """[{"a":[{"b":[1]},{"b":[2]}]},{"a":[{"b":[3]},{"b":[4]}]}]""", "[1]")]
    [InlineData("($^(age)).name", """[{"name":"Bill","age":35},{"name":"Sally","age":33},{"name":"Jim","age":42}]""", """["Sally","Bill","Jim"]""")]
    [InlineData("($^(age))[0].name", """[{"name":"Bill","age":35},{"name":"Sally","age":33}]""", "\"Sally\"")]
    [InlineData("*", "[1,2,3]", "[1,2,3]")]
    [InlineData("$count($)", "[1,2,3]", "3")]
    [InlineData("$string()", "[1,2]", "\"[1,2]\"")]
    // Results of calls follow sequence rules; [] keeps a single result as an array.
    [InlineData("$filter($, function($e){ $e != 0 })[]", "[0,5]", "[5]")]
    [InlineData("($square := function($x){ $x * $x }; $map([1], $square)[])", "{}", "[1]")]
    [InlineData("[1] ~> $map(function($x){ $x * 2 })[]", "{}", "[2]")]
    // Partial applications chained with ~> compose into one function.
    [InlineData("($domain := $substringAfter(?, '@') ~> $substringBefore(?, '.'); $domain('john@example.com'))", "{}", "\"example\"")]
    // A '-' in a lambda signature lets the context stand for the first argument.
    [InlineData("Age.function($x, $y)<n-n:n>{ $x + $y }(6)", """{"Age":28}""", "34")]
    [InlineData("FirstName.λ($str, $prefix)<s-s>{ $prefix & $str }('Hello ')", """{"FirstName":"Fred"}""", "\"Hello Fred\"")]
    [InlineData("[1..3].λ($n)<n-:n>{ $n * 10 }()", "{}", "[10,20,30]")]
    // Integers stay exact when turned into text; fractions are rounded to 15 significant digits.
    [InlineData("$string(id)", """{"id":5890840712243076}""", "\"5890840712243076\"")]
    [InlineData("$formatBase(id)", """{"id":5890840712243076}""", "\"5890840712243076\"")]
    [InlineData("$number('0123')", "{}", "123")]
    [InlineData("$number('-007')", "{}", "-7")]
    // Dates: ordinals, width modifiers and grouping in pictures.
    [InlineData("$fromMillis(1521801216617, '[D1o] [MNn] [Y]')", "{}", "\"23rd March 2018\"")]
    [InlineData("$fromMillis(1521801216617, '[FNn], the [Dwo] of [MNn]')", "{}", "\"Friday, the twenty-third of March\"")]
    [InlineData("$fromMillis(1521801216617, '[D#1,2]/[M1,2]/[Y,2]')", "{}", "\"23/03/18\"")]
    [InlineData("$fromMillis(1521801216617, 'Year: <[Y9,999,*]>')", "{}", "\"Year: <2,018>\"")]
    [InlineData("$fromMillis(1521801216617, '[Da] [MA] [Yi]')", "{}", "\"w C mmxviii\"")]
    [InlineData("$toMillis('2018-10-21T13:05:00Z').[$fromMillis($, (), '0000')]", "{}", """["2018-10-21T13:05:00.000Z"]""")]
    // Number pictures.
    [InlineData("$formatNumber(0.234, '#.00e0')", "{}", "\"0.23e0\"")]
    [InlineData("$formatNumber(0.234, '.00e0')", "{}", "\".23e0\"")]
    [InlineData("$formatInteger(12340, '###١')", "{}", "\"١٢٣٤٠\"")]
    [InlineData("$parseInteger('١٢٣٤٠', '###١')", "{}", "12340")]
    [InlineData("$parseInteger('one thousand trillion', 'w')", "{}", "1000000000000000")]
    public void Matches_the_reference(string expression, string input, string expected) => Check(expression, input, expected);

    [Theory]
    [InlineData("$formatNumber(20, '#.0.0')", "D3081")]
    [InlineData("$formatNumber(20, '#0%%')", "D3082")]
    [InlineData("$formatNumber(20, '#0‰‰')", "D3083")]
    [InlineData("$formatNumber(20, '#0%‰')", "D3084")]
    [InlineData("$formatNumber(20, '.e0')", "D3085")]
    [InlineData("$formatNumber(20, '0+.e0')", "D3086")]
    [InlineData("$formatNumber(20, '0,.e0')", "D3087")]
    [InlineData("$formatNumber(20, '0,')", "D3088")]
    [InlineData("$formatNumber(20, '0,,0')", "D3089")]
    [InlineData("$formatNumber(20, '0#.e0')", "D3090")]
    [InlineData("$formatNumber(20, '#0.#0e0')", "D3091")]
    [InlineData("$formatNumber(20, '#0.0e0%')", "D3092")]
    [InlineData("$formatNumber(20, '#0.0e0,0')", "D3093")]
    [InlineData("$formatInteger(1, 'x')", "D3130")]
    public void Malformed_pictures_are_refused(string expression, string code) => Assert.Equal(code, EvalError(expression).Code);

    [Fact]
    public void A_variable_with_a_predicate_cannot_be_assigned() =>
        Assert.Equal("S0212", Assert.Throws<AwsStepFunctions.Local.Asl.Jsonata.JsonataSyntaxException>(
            () => AwsStepFunctions.Local.Asl.Jsonata.JsonataExpression.Parse("($a := [1,2]; $a[1] := 3; $a)")).Code);
}
