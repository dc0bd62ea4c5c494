using System.Threading.Tasks;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

public sealed class ChoiceTests
{
    private const string Input = """
        {"s":"hello","n":10,"f":2.5,"b":true,"nil":null,"t":"2016-03-14T01:59:00Z","t2":"2016-03-14T02:59:00+01:00",
         "other":"world","m":10,"star":"a*b","obj":{"x":1}}
        """;

    // A machine that ends in Yes when the rule matches and in No (the Default) otherwise.
    private static string Machine(string rule) =>
        "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[" + rule.Substring(0, rule.Length - 1)
        + ",\"Next\":\"Yes\"}],\"Default\":\"No\"},"
        + "\"Yes\":{\"Type\":\"Pass\",\"Result\":\"yes\",\"End\":true},\"No\":{\"Type\":\"Pass\",\"Result\":\"no\",\"End\":true}}}";

    [Theory]
    [InlineData("""{"Variable":"$.s","StringEquals":"hello"}""", true)]
    [InlineData("""{"Variable":"$.s","StringEquals":"Hello"}""", false)]
    [InlineData("""{"Variable":"$.s","StringLessThan":"world"}""", true)]
    [InlineData("""{"Variable":"$.s","StringGreaterThan":"world"}""", false)]
    [InlineData("""{"Variable":"$.s","StringLessThanEquals":"hello"}""", true)]
    [InlineData("""{"Variable":"$.s","StringGreaterThanEquals":"hellp"}""", false)]
    [InlineData("""{"Variable":"$.s","StringEqualsPath":"$.other"}""", false)]
    [InlineData("""{"Variable":"$.s","StringLessThanPath":"$.other"}""", true)]
    [InlineData("""{"Variable":"$.s","StringMatches":"he*o"}""", true)]
    [InlineData("""{"Variable":"$.s","StringMatches":"*ll*"}""", true)]
    [InlineData("""{"Variable":"$.s","StringMatches":"h*x"}""", false)]
    [InlineData("""{"Variable":"$.star","StringMatches":"a\\*b"}""", true)]
    [InlineData("""{"Variable":"$.s","StringMatches":"he\\*o"}""", false)]
    [InlineData("""{"Variable":"$.n","StringEquals":"10"}""", false)]
    [InlineData("""{"Variable":"$.n","NumericEquals":10}""", true)]
    [InlineData("""{"Variable":"$.n","NumericEquals":10.0}""", true)]
    [InlineData("""{"Variable":"$.f","NumericLessThan":3}""", true)]
    [InlineData("""{"Variable":"$.f","NumericGreaterThan":2.5}""", false)]
    [InlineData("""{"Variable":"$.f","NumericGreaterThanEquals":2.5}""", true)]
    [InlineData("""{"Variable":"$.n","NumericLessThanEquals":9}""", false)]
    [InlineData("""{"Variable":"$.n","NumericEqualsPath":"$.m"}""", true)]
    [InlineData("""{"Variable":"$.f","NumericLessThanPath":"$.n"}""", true)]
    [InlineData("""{"Variable":"$.n","NumericGreaterThanPath":"$.m"}""", false)]
    [InlineData("""{"Variable":"$.n","NumericLessThanEqualsPath":"$.m"}""", true)]
    [InlineData("""{"Variable":"$.n","NumericGreaterThanEqualsPath":"$.f"}""", true)]
    [InlineData("""{"Variable":"$.s","NumericEquals":10}""", false)]
    [InlineData("""{"Variable":"$.b","BooleanEquals":true}""", true)]
    [InlineData("""{"Variable":"$.b","BooleanEquals":false}""", false)]
    [InlineData("""{"Variable":"$.b","BooleanEqualsPath":"$.b"}""", true)]
    [InlineData("""{"Variable":"$.t","TimestampEquals":"2016-03-14T01:59:00Z"}""", true)]
    [InlineData("""{"Variable":"$.t","TimestampEqualsPath":"$.t2"}""", true)]
    [InlineData("""{"Variable":"$.t","TimestampLessThan":"2016-03-14T02:00:00Z"}""", true)]
    [InlineData("""{"Variable":"$.t","TimestampGreaterThan":"2016-03-14T02:00:00Z"}""", false)]
    [InlineData("""{"Variable":"$.t","TimestampLessThanEquals":"2016-03-14T01:59:00Z"}""", true)]
    [InlineData("""{"Variable":"$.t","TimestampGreaterThanEquals":"2016-03-14T01:59:01Z"}""", false)]
    [InlineData("""{"Variable":"$.t","TimestampLessThanPath":"$.t2"}""", false)]
    [InlineData("""{"Variable":"$.t","TimestampGreaterThanPath":"$.t2"}""", false)]
    [InlineData("""{"Variable":"$.t","TimestampLessThanEqualsPath":"$.t2"}""", true)]
    [InlineData("""{"Variable":"$.t","TimestampGreaterThanEqualsPath":"$.t2"}""", true)]
    [InlineData("""{"Variable":"$.s","TimestampEquals":"2016-03-14T01:59:00Z"}""", false)]
    [InlineData("""{"Variable":"$.nil","IsNull":true}""", true)]
    [InlineData("""{"Variable":"$.s","IsNull":true}""", false)]
    [InlineData("""{"Variable":"$.s","IsPresent":true}""", true)]
    [InlineData("""{"Variable":"$.nope","IsPresent":true}""", false)]
    [InlineData("""{"Variable":"$.nope","IsPresent":false}""", true)]
    [InlineData("""{"Variable":"$.n","IsNumeric":true}""", true)]
    [InlineData("""{"Variable":"$.s","IsNumeric":false}""", true)]
    [InlineData("""{"Variable":"$.s","IsString":true}""", true)]
    [InlineData("""{"Variable":"$.n","IsString":true}""", false)]
    [InlineData("""{"Variable":"$.b","IsBoolean":true}""", true)]
    [InlineData("""{"Variable":"$.t","IsTimestamp":true}""", true)]
    [InlineData("""{"Variable":"$.s","IsTimestamp":true}""", false)]
    [InlineData("""{"And":[{"Variable":"$.n","NumericGreaterThan":5},{"Variable":"$.s","StringEquals":"hello"}]}""", true)]
    [InlineData("""{"And":[{"Variable":"$.n","NumericGreaterThan":50},{"Variable":"$.s","StringEquals":"hello"}]}""", false)]
    [InlineData("""{"Or":[{"Variable":"$.n","NumericGreaterThan":50},{"Variable":"$.s","StringEquals":"hello"}]}""", true)]
    [InlineData("""{"Or":[{"Variable":"$.n","NumericGreaterThan":50},{"Variable":"$.b","BooleanEquals":false}]}""", false)]
    [InlineData("""{"Not":{"Variable":"$.s","StringEquals":"hello"}}""", false)]
    [InlineData("""{"Not":{"And":[{"Variable":"$.nope","IsPresent":true},{"Variable":"$.nope","IsNull":true}]}}""", true)]
    [InlineData("""{"Variable":"$$.Execution.Name","StringEquals":"run-1"}""", true)]
    public async Task Comparison_operators_follow_the_specification(string rule, bool matches)
    {
        var output = await AslKit.OutputAsync(Machine(rule), Input);
        AslKit.JsonEqual(matches ? "\"yes\"" : "\"no\"", output);
    }

    [Fact]
    public async Task Spec_example_picks_the_first_matching_rule()
    {
        // Adapted from the specification's Choice example: the value 7 falls in the second rule's range.
        var machine = """
            {"StartAt":"ChoiceStateX","States":{
              "ChoiceStateX":{"Type":"Choice","Choices":[
                 {"Not":{"Variable":"$.type","StringEquals":"Private"},"Next":"Public"},
                 {"And":[{"Variable":"$.value","IsPresent":true},{"Variable":"$.value","IsNumeric":true},
                         {"Variable":"$.value","NumericGreaterThanEquals":20},{"Variable":"$.value","NumericLessThan":30}],"Next":"ValueInTwenties"}],
                 "Default":"DefaultState"},
              "Public":{"Type":"Pass","Result":"Public","End":true},
              "ValueInTwenties":{"Type":"Pass","Result":"ValueInTwenties","End":true},
              "DefaultState":{"Type":"Fail","Error":"DefaultStateError","Cause":"No Matches!"}}}
            """;
        AslKit.JsonEqual("\"Public\"", await AslKit.OutputAsync(machine, """{"type":"Public","value":1}"""));
        AslKit.JsonEqual("\"ValueInTwenties\"", await AslKit.OutputAsync(machine, """{"type":"Private","value":22}"""));
        var host = await AslKit.RunAsync(machine, """{"type":"Private","value":7}""");
        Assert.Equal(("DefaultStateError", "No Matches!"), (host.Outcome!.Error, host.Outcome.Cause));
    }

    [Fact]
    public async Task No_match_and_no_Default_fails_with_States_NoChoiceMatched()
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"E"}]},
             "E":{"Type":"Succeed"}}}
            """, """{"n":2}""");
        Assert.Equal("FAILED", host.Outcome!.Status);
        Assert.Equal("States.NoChoiceMatched", host.Outcome.Error);
    }

    [Fact]
    public async Task Missing_Variable_fails_with_States_Runtime()
    {
        var host = await AslKit.RunAsync(Machine("""{"Variable":"$.nope","StringEquals":"x"}"""), "{}");
        Assert.Equal("States.Runtime", host.Outcome!.Error);
        Assert.Contains("$.nope", host.Outcome.Cause);
    }

    [Fact]
    public async Task Choice_applies_InputPath_and_OutputPath()
    {
        var output = await AslKit.OutputAsync("""
            {"StartAt":"C","States":{"C":{"Type":"Choice","InputPath":"$.in","OutputPath":"$.v","Choices":[{"Variable":"$.v","NumericEquals":3,"Next":"E"}]},
             "E":{"Type":"Succeed"}}}
            """, """{"in":{"v":3}}""");
        AslKit.JsonEqual("3", output);
    }
}
