using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// Differences a replay of AWS's recorded answers (LocalStack's AWS-validated snapshots, 655 recordings) found, each
/// pinned to the recording named in its comment.
/// </summary>
public sealed class RecordedAnswerTests
{
    [Theory]
    // test_string_to_json: an empty or blank string is null.
    [InlineData("States.StringToJson($.s)", """{"s":""}""", "null")]
    [InlineData("States.StringToJson($.s)", """{"s":" "}""", "null")]
    // test_math_add: each argument rounded half up, as Java's Math.round.
    [InlineData("States.MathAdd($.a, $.b)", """{"a":1.49,"b":1.5}""", "3")]
    [InlineData("States.MathAdd($.a, $.b)", """{"a":-1.5,"b":-1.51}""", "-3")]
    [InlineData("States.MathAdd($.a, $.b)", """{"a":-0.5,"b":0.5}""", "1")]
    [InlineData("States.MathAdd($.a, $.b)", """{"a":2.5,"b":0}""", "3")]
    [InlineData("States.MathAdd($.a, $.b)", """{"a":59,"b":4.3}""", "63")]
    public async Task Intrinsics_answer_as_AWS_recorded(string expression, string input, string expected)
    {
        var output = await AslKit.OutputAsync(AslKit.PassingValueOf(expression), input);
        AslKit.JsonEqual("{\"r\":" + expected + "}", output);
    }

    [Fact]
    public async Task MathRandom_takes_numbers_that_are_not_integers()
    {
        // test_math_random: States.MathRandom(12.5, 44.51) runs.
        var output = await AslKit.OutputAsync(AslKit.PassingValueOf("States.MathRandom($.a, $.b)"), """{"a":12.5,"b":44.51}""");
        Assert.InRange(output!["r"]!.GetValue<long>(), 13, 44);
    }

    [Fact]
    public async Task A_path_field_reads_a_string_that_holds_a_number()
    {
        // test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH]: a variable holding "1".
        var host = await AslKit.RunAsync("""
            {"StartAt":"Set","States":{"Set":{"Type":"Pass","Assign":{"maxConcurrency":"1"},"Next":"Map"},
             "Map":{"Type":"Map","MaxConcurrencyPath":"$maxConcurrency","ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},"End":true}}}
            """, "[1,2]");
        Assert.Equal("SUCCEEDED", host.Outcome!.Status);
        // One at a time: the second iteration starts after the first succeeded.
        Assert.Equal(["MapIterationStarted", "MapIterationSucceeded", "MapIterationStarted", "MapIterationSucceeded"],
            host.Types.Where(t => t.StartsWith("MapIteration")));
    }

    [Theory]
    // test_max_concurrency_path[max_concurrency_value0] and [NoNumber]: no MapStateFailed, the execution fails after MapStateEntered.
    [InlineData("""{"m":{},"items":[1]}""", "The MaxConcurrencyPath field refers to value \"{}\" which is not a valid integer: $.m")]
    [InlineData("""{"m":"NoNumber","items":[1]}""", "The MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.m")]
    public async Task A_MaxConcurrencyPath_that_does_not_read_fails_the_execution_without_MapStateFailed(string input, string cause)
    {
        var host = await AslKit.RunAsync("""
            {"StartAt":"Map","States":{"Map":{"Type":"Map","ItemsPath":"$.items","MaxConcurrencyPath":"$.m","ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},"End":true}}}
            """, input);
        Assert.Equal(["ExecutionStarted", "MapStateEntered", "ExecutionFailed"], host.Types);
        Assert.EndsWith(cause, host.Outcome!.Cause);
    }
}
