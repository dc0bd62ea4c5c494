using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

public sealed class DefinitionValidationTests
{
    private static string Machine(string states) => """{"StartAt":"S","States":""" + states + "}";

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"States":{"S":{"Type":"Succeed"}}}""", "'StartAt' must be a string")]
    [InlineData("""{"StartAt":"S","States":{}}""", "'States' must be a non-empty object")]
    [InlineData("""{"StartAt":"X","States":{"S":{"Type":"Succeed"}}}""", "StartAt 'X' does not name a state")]
    [InlineData("""{"StartAt":"S","TimeoutSeconds":0,"States":{"S":{"Type":"Succeed"}}}""", "'TimeoutSeconds' must be a positive integer")]
    [InlineData("""{"StartAt":"S","Version":"2.0","States":{"S":{"Type":"Succeed"}}}""", "'Version' must be \"1.0\"")]
    [InlineData("""{"StartAt":"S","QueryLanguage":"JSONPathX","States":{"S":{"Type":"Succeed"}}}""", "QueryLanguage")]
    [InlineData("""{"StartAt":"S","Extra":1,"States":{"S":{"Type":"Succeed"}}}""", "field 'Extra' is not supported")]
    public void Top_level_errors_are_named(string definition, string message) => AssertRefused(definition, message);

    [Theory]
    [InlineData("""{"S":{"Type":"Wait","Seconds":1,"Timestamp":"2016-03-14T01:59:00Z","End":true}}""", "State 'S': Wait needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath")]
    [InlineData("""{"S":{"Type":"Wait","End":true}}""", "State 'S': Wait needs exactly one of")]
    [InlineData("""{"S":{"Type":"Wait","Seconds":-1,"End":true}}""", "State 'S': 'Seconds' must be an integer")]
    [InlineData("""{"S":{"Type":"Wait","Timestamp":"2016-03-14 01:59","End":true}}""", "State 'S': 'Timestamp' must be an RFC 3339 timestamp")]
    [InlineData("""{"S":{"Type":"Pass"}}""", "State 'S': needs exactly one of 'Next' or 'End'")]
    [InlineData("""{"S":{"Type":"Pass","End":true,"Next":"S"}}""", "State 'S': needs exactly one of 'Next' or 'End'")]
    [InlineData("""{"S":{"Type":"Pass","Next":"Nowhere"}}""", "State 'S': transition target 'Nowhere' does not name a state")]
    [InlineData("""{"S":{"Type":"Pass","End":true},"T":{"Type":"Succeed"}}""", "State 'T': is not reachable")]
    [InlineData("""{"S":{"Type":"Dance","End":true}}""", "State 'S': Type 'Dance' is not one of")]
    [InlineData("""{"S":{"End":true}}""", "State 'S': 'Type' must be a string")]
    [InlineData("""{"S":{"Type":"Pass","Seconds":3,"End":true}}""", "State 'S': field 'Seconds' is not supported in a Pass state")]
    [InlineData("""{"S":{"Type":"Succeed","Next":"S"}}""", "State 'S': field 'Next' is not supported in a Succeed state")]
    [InlineData("""{"S":{"Type":"Pass","InputPath":"$['a','b']","End":true}}""", "State 'S': InputPath: '$['a','b']': several names in one bracket")]
    [InlineData("""{"S":{"Type":"Pass","ResultPath":"$..a","End":true}}""", "State 'S': 'ResultPath' must be a reference path")]
    [InlineData("""{"S":{"Type":"Pass","ResultPath":"$.a[*]","End":true}}""", "State 'S': 'ResultPath' must be a reference path")]
    [InlineData("""{"S":{"Type":"Pass","ResultPath":"$$.Execution","End":true}}""", "State 'S': 'ResultPath' must be a reference path")]
    [InlineData("""{"S":{"Type":"Pass","Parameters":{"a.$":5},"End":true}}""", "State 'S': Parameters: field 'a.$' ends in '.$'")]
    [InlineData("""{"S":{"Type":"Pass","Parameters":{"a":{"b.$":"States.Nope()"}},"End":true}}""", "State 'S': Parameters: field 'a.b.$': 'States.Nope()': unknown intrinsic function")]
    [InlineData("""{"S":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}}""", "State 'S': Fail takes 'Error' or 'ErrorPath', not both")]
    [InlineData("""{"S":{"Type":"Fail","Cause":5}}""", "State 'S': 'Cause' must be a string")]
    [InlineData("""{"S":{"Type":"Choice","Choices":[]}}""", "State 'S': 'Choices' must be a non-empty array")]
    [InlineData("""{"S":{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"x"}]}}""", "State 'S': Choices[0]: every top-level Choice rule needs a string 'Next'")]
    [InlineData("""{"S":{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":1,"Next":"S"}]}}""", "State 'S': Choices[0]: 'StringEquals' needs a string")]
    [InlineData("""{"S":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"StringEquals":"1","Next":"S"}]}}""", "needs exactly one comparison operator")]
    [InlineData("""{"S":{"Type":"Choice","Choices":[{"Variable":"$.a","StringContains":"1","Next":"S"}]}}""", "field 'StringContains' is not supported in a Choice rule")]
    [InlineData("""{"S":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.a","IsNull":true,"Next":"S"},"Next":"S"}]}}""", "'Next' is only allowed on top-level Choice rules")]
    [InlineData("""{"S":{"Type":"Choice","Choices":[{"Variable":"$.a","TimestampEquals":"yesterday","Next":"S"}]}}""", "'TimestampEquals' needs an RFC 3339 timestamp")]
    [InlineData("""{"S":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"S"}],"Default":"Gone"}}""", "State 'S': transition target 'Gone'")]
    [InlineData("""{"S":{"Type":"Task","End":true}}""", "State 'S': 'Resource' is required")]
    [InlineData("""{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"HeartbeatSeconds":5,"End":true}}""", "'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'")]
    [InlineData("""{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"TimeoutSecondsPath":"$.t","End":true}}""", "Task takes 'TimeoutSeconds' or 'TimeoutSecondsPath', not both")]
    [InlineData("""{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","HeartbeatSeconds":5,"HeartbeatSecondsPath":"$.h","End":true}}""", "Task takes 'HeartbeatSeconds' or 'HeartbeatSecondsPath', not both")]
    [InlineData("""{"S":{"Type":"Pass","TimeoutSecondsPath":"$.t","End":true}}""", "field 'TimeoutSecondsPath' is not supported in a Pass state")]
    [InlineData("""{"S":{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["States.ALL","X"]}],"End":true}}""", "State 'S': Retry[0]: 'States.ALL' must appear alone")]
    [InlineData("""{"S":{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}],"End":true}}""", "State 'S': Retry[0]: a rule with 'States.ALL' must be the last one")]
    [InlineData("""{"S":{"Type":"Task","Resource":"r","Catch":[{"ErrorEquals":["States.ALL"],"Next":"S"},{"ErrorEquals":["X"],"Next":"S"}],"End":true}}""", "State 'S': Catch[0]: a rule with 'States.ALL' must be the last one")]
    [InlineData("""{"S":{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":[]}],"End":true}}""", "State 'S': Retry[0]: 'ErrorEquals' must be a non-empty array")]
    [InlineData("""{"S":{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}],"End":true}}""", "State 'S': Retry[0]: 'BackoffRate' must be a number of at least 1")]
    [InlineData("""{"S":{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["X"],"JitterStrategy":"SOME"}],"End":true}}""", "'JitterStrategy' must be FULL or NONE")]
    [InlineData("""{"S":{"Type":"Task","Resource":"r","Catch":[{"ErrorEquals":["X"]}],"End":true}}""", "State 'S': Catch[0]: 'Next' must be a string")]
    [InlineData("""{"S":{"Type":"Parallel","Branches":[],"End":true}}""", "State 'S': 'Branches' must be a non-empty array")]
    [InlineData("""{"S":{"Type":"Parallel","Branches":[{"StartAt":"S","States":{"S":{"Type":"Succeed"}}}],"End":true}}""", "State 'S': state names must be unique")]
    [InlineData("""{"S":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Out"}}}],"Next":"Out"},"Out":{"Type":"Succeed"}}""", "State 'A': transition target 'Out' does not name a state in this scope")]
    [InlineData("""{"S":{"Type":"Parallel","Branches":[{"StartAt":"A","TimeoutSeconds":5,"States":{"A":{"Type":"Succeed"}}}],"End":true}}""", "State 'S' Branches[0]: field 'TimeoutSeconds' is not supported here")]
    [InlineData("""{"S":{"Type":"Map","End":true}}""", "State 'S': Map needs exactly one of 'ItemProcessor' or 'Iterator'")]
    [InlineData("""{"S":{"Type":"Map","ItemReader":{},"ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Succeed"}}},"End":true}}""", "State 'S': field 'ItemReader' is only supported when the Map's ProcessorConfig.Mode is DISTRIBUTED")]
    [InlineData("""{"S":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"A","States":{"A":{"Type":"Succeed"}}},"End":true}}""", "ProcessorConfig.ExecutionType (STANDARD or EXPRESS) is required when Mode is DISTRIBUTED")]
    public void State_errors_name_the_state_and_the_field(string states, string message) => AssertRefused(Machine(states), message);

    [Fact]
    public void A_full_featured_definition_is_accepted()
    {
        var definition = StateMachineDefinition.Parse("""
            {"Comment":"all features","StartAt":"P","TimeoutSeconds":60,"Version":"1.0","States":{
              "P":{"Type":"Pass","Parameters":{"x.$":"States.UUID()"},"ResultPath":"$.p","Next":"T"},
              "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":10,"HeartbeatSeconds":5,
                   "Retry":[{"ErrorEquals":["States.Timeout"],"IntervalSeconds":3,"MaxAttempts":2,"BackoffRate":1.5,"MaxDelaySeconds":10,"JitterStrategy":"FULL"},
                            {"ErrorEquals":["States.ALL"]}],
                   "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F","ResultPath":"$.error"}],"Next":"Par"},
              "Par":{"Type":"Parallel","Branches":[{"StartAt":"B1","States":{"B1":{"Type":"Succeed"}}}],"Next":"M"},
              "M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"Next":"W"},
              "W":{"Type":"Wait","TimestampPath":"$.when","Next":"C"},
              "C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","IsPresent":true},{"Not":{"Variable":"$.a","StringMatches":"x*"}}],"Next":"S"}],"Default":"F"},
              "S":{"Type":"Succeed"},
              "F":{"Type":"Fail","ErrorPath":"$.error.Error","CausePath":"States.Format('failed: {}', $.error.Cause)"}}}
            """);
        Assert.Equal(60, definition.TimeoutSeconds);
    }

    private static void AssertRefused(string definition, string message)
    {
        var error = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(definition));
        Assert.Contains(message, error.Message);
    }
}
