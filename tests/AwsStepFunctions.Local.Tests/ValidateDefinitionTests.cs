using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// ValidateStateMachineDefinition over signed HTTP: OK or FAIL with diagnostics from the check CreateStateMachine makes.
/// Codes and locations follow AWS's recorded answers (LocalStack's test_sfn_api_validation snapshots, and AWS's
/// InvalidDefinition messages quoted in public issues); the messages are this endpoint's validator's own.
/// </summary>
public sealed class ValidateDefinitionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;
    private const string Role = "arn:aws:iam::123456789012:role/Test";

    /// <summary>AWS's own example (localstack#11978): a Next to a state that is not there, which leaves pass2 unreachable.</summary>
    private const string DanglingNext = """
        {"StartAt":"pass1","States":{"pass1":{"Type":"Pass","Next":"pass3"},"pass2":{"Type":"Pass","End":true}}}
        """;

    private const string NoStartAt = """{"States":{"P":{"Type":"Pass","End":true}}}""";

    private const string WaitsForToken = """
        {"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}
        """;

    private Task<Reply> ValidateAsync(string definition, string? type = null, string? severity = null, int? maxResults = null)
    {
        var body = new JsonObject { ["definition"] = definition };
        if (type is not null) body["type"] = type;
        if (severity is not null) body["severity"] = severity;
        if (maxResults is not null) body["maxResults"] = maxResults;
        return Client.CallAsync("ValidateStateMachineDefinition", body);
    }

    private static JsonObject[] Diagnostics(JsonObject reply) => reply["diagnostics"]!.AsArray().Select(d => d!.AsObject()).ToArray();

    private static string? Member(JsonObject o, string name) => o[name]?.GetValue<string>();

    [Theory]
    [InlineData(null)]
    [InlineData("STANDARD")]
    [InlineData("EXPRESS")]
    public async Task ValidDefinition_IsOk_WithAnEmptyDiagnosticsList(string? type)
    {
        var reply = (await ValidateAsync(Definitions.Pass, type)).Ok();
        Assert.Equal("OK", Member(reply, "result"));
        Assert.Empty(reply["diagnostics"]!.AsArray());
        Assert.False(reply["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TextThatIsNotJson_FailsWithInvalidJsonDescription_AndNoLocation()
    {
        var reply = (await ValidateAsync("not a definition")).Ok();
        Assert.Equal("FAIL", Member(reply, "result"));
        var diagnostic = Assert.Single(Diagnostics(reply));
        Assert.Equal("ERROR", Member(diagnostic, "severity"));
        Assert.Equal("INVALID_JSON_DESCRIPTION", Member(diagnostic, "code"));
        Assert.StartsWith("Definition is not valid JSON: ", Member(diagnostic, "message"));
        Assert.False(diagnostic.ContainsKey("location"));
    }

    [Fact]
    public async Task BlankText_IsASchemaFailure_NotAJsonOne()
    {
        // AWS's recorded answer to " ": SCHEMA_VALIDATION_FAILED, "Definition must be a valid JSON object", no location.
        var diagnostic = Assert.Single(Diagnostics((await ValidateAsync(" ")).Ok()));
        Assert.Equal("SCHEMA_VALIDATION_FAILED", Member(diagnostic, "code"));
        Assert.False(diagnostic.ContainsKey("location"));
    }

    [Theory]
    [InlineData("STANDARD")]
    [InlineData("EXPRESS")]
    public async Task MissingStartAt_FailsWithSchemaValidation_AtTheRoot(string type)
    {
        var reply = (await ValidateAsync(NoStartAt, type)).Ok();
        Assert.Equal("FAIL", Member(reply, "result"));
        var diagnostic = Assert.Single(Diagnostics(reply));
        Assert.Equal("SCHEMA_VALIDATION_FAILED", Member(diagnostic, "code"));
        Assert.Equal("/", Member(diagnostic, "location"));
        Assert.Contains("'StartAt'", Member(diagnostic, "message"));
    }

    [Fact]
    public async Task NextToAnUnknownState_FailsWithMissingTransitionTarget_AtItsNext_AndTheUnreachableStateToo()
    {
        var reply = (await ValidateAsync(DanglingNext)).Ok();
        Assert.Equal("FAIL", Member(reply, "result"));
        var diagnostics = Diagnostics(reply);
        Assert.Equal(["MISSING_TRANSITION_TARGET", "MISSING_TRANSITION_TARGET"], diagnostics.Select(d => Member(d, "code")));
        Assert.Equal(["/States/pass1/Next", "/States/pass2"], diagnostics.Select(d => Member(d, "location")));
        Assert.Contains("'pass3'", Member(diagnostics[0], "message"));
        Assert.False(reply["truncated"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"Nowhere"}],"Default":"E"},"E":{"Type":"Succeed"}}}""",
        "/States/C/Choices[0]/Next")]
    [InlineData("""{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"E"}],"Default":"Nowhere"},"E":{"Type":"Succeed"}}}""",
        "/States/C/Default")]
    [InlineData("""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Nowhere"}]}}}""",
        "/States/T/Catch[0]/Next")]
    [InlineData("""{"StartAt":"Nowhere","States":{"P":{"Type":"Pass","End":true}}}""", "/StartAt")]
    public async Task EveryKindOfTransition_IsLocatedWhereAwsLocatesIt(string definition, string location)
    {
        var diagnostic = Diagnostics((await ValidateAsync(definition)).Ok()).First();
        Assert.Equal("MISSING_TRANSITION_TARGET", Member(diagnostic, "code"));
        Assert.Equal(location, Member(diagnostic, "location"));
    }

    [Fact]
    public async Task ProblemInsideAParallelBranch_IsLocatedBelowTheBranch()
    {
        const string definition = """
            {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","End":"yes"}}}]}}}
            """;
        var diagnostic = Assert.Single(Diagnostics((await ValidateAsync(definition)).Ok()));
        Assert.Equal("SCHEMA_VALIDATION_FAILED", Member(diagnostic, "code"));
        Assert.Equal("/States/Fan/Branches/0/States/A/End", Member(diagnostic, "location"));
    }

    [Fact]
    public async Task WaitForTaskToken_FailsForExpress_AtItsResource_AndIsOkForStandard()
    {
        var express = (await ValidateAsync(WaitsForToken, "EXPRESS")).Ok();
        Assert.Equal("FAIL", Member(express, "result"));
        var diagnostic = Assert.Single(Diagnostics(express));
        Assert.Equal("SCHEMA_VALIDATION_FAILED", Member(diagnostic, "code"));
        Assert.Equal("/States/Send/Resource", Member(diagnostic, "location"));
        // AWS's recorded wording, trailing space included.
        Assert.Equal("Express state machine does not support '.waitForTaskToken' service integration ", Member(diagnostic, "message"));

        Assert.Equal("OK", Member((await ValidateAsync(WaitsForToken, "STANDARD")).Ok(), "result"));
        Assert.Equal("OK", Member((await ValidateAsync(WaitsForToken)).Ok(), "result"));
    }

    [Theory]
    [InlineData(DanglingNext, "STANDARD")]
    [InlineData(NoStartAt, "STANDARD")]
    [InlineData("not a definition", "STANDARD")]
    [InlineData(WaitsForToken, "EXPRESS")]
    public async Task Diagnostics_AreWhatCreateStateMachineRefusesTheSameDefinitionWith(string definition, string type)
    {
        var diagnostics = Diagnostics((await ValidateAsync(definition, type)).Ok());
        var create = await Client.CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = ServerFixture.Unique("v"), ["definition"] = definition, ["roleArn"] = Role, ["type"] = type,
        });
        create.AssertError("InvalidDefinition");
        // AWS's InvalidDefinition form: each problem as "CODE: message at location", joined with ", ".
        var rendered = diagnostics.Select(d => d.ContainsKey("location")
            ? $"{Member(d, "code")}: {Member(d, "message")} at {Member(d, "location")}"
            : $"{Member(d, "code")}: {Member(d, "message")}");
        Assert.Equal($"Invalid State Machine Definition: '{string.Join(", ", rendered)}'", create.ErrorMessage);
    }

    [Fact]
    public async Task ADefinitionThatValidatesOk_IsOneCreateStateMachineAccepts()
    {
        Assert.Equal("OK", Member((await ValidateAsync(WaitsForToken, "STANDARD")).Ok(), "result"));
        (await Client.CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = ServerFixture.Unique("v"), ["definition"] = WaitsForToken, ["roleArn"] = Role, ["type"] = "STANDARD",
        })).Ok();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ERROR")]
    [InlineData("WARNING")]
    public async Task EverySeverity_ReturnsTheErrors(string? severity)
    {
        // ERROR returns only errors, WARNING errors and warnings (the model); this validator finds errors only.
        var reply = (await ValidateAsync(DanglingNext, severity: severity)).Ok();
        Assert.Equal("FAIL", Member(reply, "result"));
        var diagnostics = Diagnostics(reply);
        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal("ERROR", Member(d, "severity")));
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(2, 2, false)]
    [InlineData(100, 2, false)]
    [InlineData(0, 2, false)]
    public async Task MaxResults_CapsTheDiagnostics_AndSaysSoInTruncated(int maxResults, int returned, bool truncated)
    {
        var reply = (await ValidateAsync(DanglingNext, maxResults: maxResults)).Ok();
        Assert.Equal("FAIL", Member(reply, "result"));
        var diagnostics = Diagnostics(reply);
        Assert.Equal(returned, diagnostics.Length);
        Assert.Equal("/States/pass1/Next", Member(diagnostics[0], "location"));
        Assert.Equal(truncated, reply["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task MissingOrEmptyDefinition_IsValidationException()
    {
        var missing = await Client.CallAsync("ValidateStateMachineDefinition", new JsonObject { ["type"] = "STANDARD" });
        missing.AssertError("ValidationException");
        Assert.Contains("'definition'", missing.ErrorMessage);

        var empty = await ValidateAsync("");
        empty.AssertError("ValidationException");
        Assert.Equal("1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1",
            empty.ErrorMessage);
    }

    [Fact]
    public async Task BadEnumValues_AreValidationException_NamingTheMember()
    {
        var type = await ValidateAsync(Definitions.Pass, type: "FAST");
        type.AssertError("ValidationException");
        Assert.Equal("1 validation error detected: Value 'FAST' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]",
            type.ErrorMessage);

        var severity = await ValidateAsync(Definitions.Pass, severity: "INFO");
        severity.AssertError("ValidationException");
        Assert.Equal("1 validation error detected: Value 'INFO' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]",
            severity.ErrorMessage);
    }

    [Theory]
    // AWS's words for 101 (LocalStack's recording): the broken bound alone.
    [InlineData(101, "less than or equal to 100")]
    [InlineData(-1, "greater than or equal to 0")]
    public async Task MaxResultsOutside0To100_IsValidationException(int maxResults, string bound)
    {
        var reply = await ValidateAsync(Definitions.Pass, maxResults: maxResults);
        reply.AssertError("ValidationException");
        Assert.Equal($"1 validation error detected: Value '{maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value {bound}",
            reply.ErrorMessage);
    }

    [Fact]
    public async Task ItIsAuthorizedAsStatesValidateStateMachineDefinition()
    {
        // The author may create state machines but was not given this action.
        var denied = await fixture.As(ServerFixture.Author).CallAsync("ValidateStateMachineDefinition", new JsonObject { ["definition"] = Definitions.Pass });
        denied.AssertError("AccessDeniedException");
        Assert.Contains("is not authorized to perform: states:ValidateStateMachineDefinition on resource:", denied.ErrorMessage);
        Assert.Contains("because no identity-based policy allows the states:ValidateStateMachineDefinition action", denied.ErrorMessage);
    }
}
