using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// What probing the endpoint with edge cases found wrong, checked against AWS's answers where LocalStack's AWS-validated
/// snapshots record them (the test named in each comment): definitions the service refuses, Wait limits and causes, path
/// causes, and JSONata numbers beyond a 64-bit integer.
/// </summary>
public sealed class ProbeFindingsTests
{
    [Theory]
    // Not JSON numbers: System.Text.Json threw while the definition was read (an HTTP 500 on CreateStateMachine).
    [InlineData("States.Array(00012)", "argument '00012' is not")]
    [InlineData("States.Array(01.5)", "argument '01.5' is not")]
    [InlineData("States.Array(1.)", "argument '1.' is not")]
    [InlineData("States.Array(.5)", "argument '.5' is not")]
    [InlineData("States.Array(+1)", "argument '+1' is not")]
    [InlineData("States.Array(NaN)", "argument 'NaN' is not")]
    [InlineData("States.Array(Infinity)", "argument 'Infinity' is not")]
    // No argument where one is needed: the run failed with an internal IndexOutOfRangeException.
    [InlineData("States.ArrayLength()", "States.ArrayLength takes 1 argument(s), got 0")]
    [InlineData("States.Format()", "States.Format takes at least 1 argument(s), got 0")]
    [InlineData("States.Format('{}', States.JsonToString())", "States.JsonToString takes 1 argument(s), got 0")]
    // test_illegal_escapes: an escaped double quote in an intrinsic's string is refused at create time.
    [InlineData("States.StringToJson('{\"text\":\"An \\\"escaped double quote\\\" here\"}')", "'\\\"' is not an escape a string in an intrinsic function may hold")]
    [InlineData("States.Format('He said, \\\"Hello, {}!\\\"', 'Test \\\"Name\\\" Here')", "'\\\"' is not an escape")]
    [InlineData("States.Format('a\\b')", "'\\b' is not an escape")]
    public void Intrinsic_calls_the_service_refuses_are_refused_when_the_definition_is_read(string expression, string message)
    {
        var error = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(AslKit.PassingValueOf(expression)));
        Assert.Contains(message, error.Message);
        Assert.Contains("field 'r.$'", error.Message);
    }

    [Theory]
    [InlineData("States.Array(0, -1, 1.5, 2e3, -0.5E-2)", "[0,-1,1.5,2e3,-0.5E-2]")]
    [InlineData("States.Format('\\{\\} \\' \\\\ {}', 1)", "\"{} ' \\\\ 1\"")]
    [InlineData("States.Array()", "[]")]
    [InlineData("States.UUID()", null)]
    public async Task The_forms_the_service_allows_still_run(string expression, string? expected)
    {
        var output = await AslKit.OutputAsync(AslKit.PassingValueOf(expression));
        if (expected is not null) AslKit.JsonEqual("{\"r\":" + expected + "}", output);
    }

    [Theory]
    // test_timestamp_too_far_in_future_boundary[24856]: beyond 2^31 - 1 seconds.
    [InlineData("""{"Type":"Wait","TimestampPath":"$.at","End":true}""", 24856)]
    [InlineData("""{"QueryLanguage":"JSONata","Type":"Wait","Timestamp":"{% $states.input.at %}","End":true}""", 24856)]
    public async Task A_wait_beyond_the_services_longest_fails_with_its_cause(string state, int days)
    {
        var at = DateTimeOffset.UtcNow.AddDays(days).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var host = await AslKit.RunAsync(AslKit.Single(state), $$"""{"at":"{{at}}"}""");
        Assert.Equal("States.Runtime", host.Outcome!.Error);
        Assert.Equal("An error occurred while executing the state 'S' (entered at the event id #2). Wait state delay is too long.", host.Outcome.Cause);
    }

    [Theory]
    // test_base_wait_seconds_path, test_wait_timestamp_path and test_base: AWS's causes, word for word.
    [InlineData("""{"Type":"Wait","SecondsPath":"$.input.waitSeconds","End":true}""", """{"input":{"waitSeconds":-1}}""",
        "The SecondsPath parameter references a negative value: $.input.waitSeconds == -1")]
    [InlineData("""{"Type":"Wait","SecondsPath":"$.input.waitSeconds","End":true}""", """{"input":{"waitSeconds":1.5}}""",
        "The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5")]
    [InlineData("""{"Type":"Wait","SecondsPath":"$.input.waitSeconds","End":true}""", """{"input":{}}""",
        "The SecondsPath parameter does not reference an input value: $.input.waitSeconds")]
    [InlineData("""{"Type":"Wait","TimestampPath":"$.TimestampValue","End":true}""", """{"TimestampValue":"2016-12-05T21:29:29"}""",
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 2016-12-05T21:29:29")]
    // test_invalid_jsonpath and test_catch_states_runtime: a path into the input that selects nothing.
    [InlineData("""{"Type":"Pass","InputPath":"$.NoSuchInputPath","End":true}""", """{"int-literal":0}""",
        "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']")]
    [InlineData("""{"Type":"Pass","OutputPath":"$.no.such.result.path","End":true}""", """{"a":1}""",
        "Invalid path '$.no.such.result.path' : Missing property in path $['no']")]
    [InlineData("""{"Type":"Pass","InputPath":"$.list[3]","End":true}""", """{"list":[1]}""",
        "Invalid path '$.list[3]' : No results for path: $['list'][3]")]
    public async Task Runtime_causes_are_the_services(string state, string input, string cause)
    {
        var host = await AslKit.RunAsync(AslKit.Single(state), input);
        Assert.Equal("States.Runtime", host.Outcome!.Error);
        Assert.Equal($"An error occurred while executing the state 'S' (entered at the event id #2). {cause}", host.Outcome.Cause);
    }

    [Theory]
    // JavaScript's JSON.stringify digits: the value itself, not 15 significant digits of it.
    [InlineData("12345678901234567890", "12345678901234567000")]
    [InlineData("18446744073709551616", "18446744073709552000")]
    [InlineData("1e21", "1e+21")]
    [InlineData("9007199254740993", "9007199254740992")]
    public async Task Jsonata_writes_numbers_beyond_a_64_bit_integer_as_javascript_does(string number, string expected)
    {
        var host = await AslKit.RunAsync(AslKit.Single("""{"QueryLanguage":"JSONata","Type":"Pass","Output":"{% $states.input.n %}","End":true}"""),
            "{\"n\":" + number + "}");
        Assert.Equal(expected, host.Outcome!.Output);
    }

    [Theory]
    [InlineData("States.Base64Encode($.s)")]
    [InlineData("States.Base64Decode($.s)")]
    [InlineData("States.Hash($.s, 'SHA-256')")]
    public async Task Base64_and_Hash_take_a_string_of_at_most_10000_characters(string expression)
    {
        var fits = await AslKit.RunAsync(AslKit.PassingValueOf(expression), "{\"s\":\"" + new string('A', 10_000) + "\"}");
        Assert.Equal("SUCCEEDED", fits.Outcome!.Status);
        var over = await AslKit.RunAsync(AslKit.PassingValueOf(expression), "{\"s\":\"" + new string('A', 10_001) + "\"}");
        Assert.Equal("States.IntrinsicFailure", over.Outcome!.Error);
        Assert.Contains("argument 1 has 10001 characters; it takes at most 10000", over.Outcome.Cause);
    }
}
