using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// TagResource, UntagResource, ListTagsForResource and CreateStateMachine's tags, against the model: keys 1-128 and values
/// 0-256 characters of letters, digits, white space and "_ . : / = + - @", at most 50 tags per resource (TooManyTags), a
/// resource that is not a state machine or activity is ResourceNotFound and a malformed ARN InvalidArn.
/// </summary>
public sealed class TagTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    [Fact]
    public async Task Tags_given_at_create_are_listed_then_TagResource_adds_and_replaces_and_UntagResource_removes()
    {
        var name = ServerFixture.Unique("tagged");
        var machine = await CreateAsync(name, Tags(("team", "data"), ("env", "test")));
        Assert.Equal(new[] { "team=data", "env=test" }, await ListAsync(machine));

        (await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = machine, ["tags"] = Tags(("env", "prod"), ("cost centre", "")) })).Ok();
        Assert.Equal(new[] { "team=data", "env=prod", "cost centre=" }, await ListAsync(machine));

        // Keys that are not there are no error.
        (await Client.CallAsync("UntagResource", new JsonObject { ["resourceArn"] = machine, ["tagKeys"] = new JsonArray("team", "absent") })).Ok();
        Assert.Equal(new[] { "env=prod", "cost centre=" }, await ListAsync(machine));

        // A repeated create is idempotent whatever its tags, and changes none; deleting the machine deletes its tags.
        await CreateAsync(name, Tags(("other", "x")));
        Assert.Equal(new[] { "env=prod", "cost centre=" }, await ListAsync(machine));
        (await Client.CallAsync("DeleteStateMachine", new JsonObject { ["stateMachineArn"] = machine })).Ok();
        await CreateAsync(name, new JsonArray());
        Assert.Empty(await ListAsync(machine));
    }

    [Fact]
    public async Task More_than_50_tags_is_TooManyTags_and_changes_nothing()
    {
        var fifty = new JsonArray(Enumerable.Range(1, 50).Select(i => (JsonNode)Tag($"k{i}", "v")).ToArray());
        var machine = await CreateAsync(ServerFixture.Unique("full"), fifty);
        Assert.Equal(50, (await ListAsync(machine)).Length);
        // Replacing an existing key stays within the quota; a 51st key does not.
        (await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = machine, ["tags"] = Tags(("k1", "again")) })).Ok();
        var refused = await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = machine, ["tags"] = Tags(("k2", "changed"), ("k51", "v")) });
        refused.AssertError("TooManyTags");
        Assert.Contains(machine, refused.ErrorMessage);
        Assert.Equal(machine, refused.Json["resourceName"]!.GetValue<string>());
        var listed = await ListAsync(machine);
        Assert.Equal(50, listed.Length);
        Assert.Equal("k1=again", listed[0]);
        Assert.Equal("k2=v", listed[1]);

        var tooMany = new JsonArray(Enumerable.Range(1, 51).Select(i => (JsonNode)Tag($"k{i}", "v")).ToArray());
        var name = ServerFixture.Unique("over");
        (await Client.CallAsync("CreateStateMachine", Create(name, tooMany))).AssertError("TooManyTags");
        (await Client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = Arn(name) })).AssertError("StateMachineDoesNotExist");
    }

    [Theory]
    [InlineData("", "v", "at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [InlineData("k", "semi;colon", "Invalid tag at 'tags.1.member.value'")]
    [InlineData("hash#key", "v", "Invalid tag at 'tags.1.member.key'")]
    public async Task A_tag_that_breaks_the_rules_is_a_ValidationException_naming_it(string key, string value, string expected)
    {
        var machine = await CreateAsync(ServerFixture.Unique("rules"), new JsonArray());
        var reply = await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = machine, ["tags"] = Tags((key, value)) });
        reply.AssertError("ValidationException");
        Assert.Contains(expected, reply.ErrorMessage);
        Assert.Empty(await ListAsync(machine));
    }

    [Fact]
    public async Task Letters_and_digits_of_any_script_are_allowed_even_outside_the_Basic_Multilingual_Plane()
    {
        // U+20000 is a CJK letter written as a surrogate pair in UTF-16; U+00B2 (superscript two) a digit of category No.
        var letters = "\U00020000\u00e9\u0416 x\u00b2 _.:/=+-@";
        var machine = await CreateAsync(ServerFixture.Unique("unicode"), Tags((letters, letters)));
        Assert.Equal(new[] { $"{letters}={letters}" }, await ListAsync(machine));
    }

    [Fact]
    public async Task Lengths_are_the_models_128_and_256()
    {
        var machine = await CreateAsync(ServerFixture.Unique("lengths"), Tags((new string('k', 128), new string('v', 256))));
        Assert.Single(await ListAsync(machine));
        var longKey = await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = machine, ["tags"] = Tags((new string('k', 129), "v")) });
        longKey.AssertError("ValidationException");
        Assert.Contains("Member must have length less than or equal to 128", longKey.ErrorMessage);
        var longValue = await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = machine, ["tags"] = Tags(("k", new string('v', 257))) });
        longValue.AssertError("ValidationException");
        Assert.Contains("at 'tags.1.member.value'", longValue.ErrorMessage);
        (await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = machine })).AssertError("ValidationException");
        (await Client.CallAsync("UntagResource", new JsonObject { ["resourceArn"] = machine })).AssertError("ValidationException");
    }

    [Fact]
    public async Task Only_an_existing_state_machine_can_be_tagged()
    {
        var machine = await CreateAsync(ServerFixture.Unique("only"), new JsonArray());
        var execution = await Client.StartAsync(machine);
        foreach (var other in new[] { Arn(ServerFixture.Unique("missing")), execution, machine + ":1", machine + ":live", "arn:aws:states:us-east-1:123456789012:activity:work" })
        {
            var reply = await Client.CallAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = other });
            reply.AssertError("ResourceNotFound");
            Assert.Equal($"Resource not found: '{other}'", reply.ErrorMessage);
            Assert.Equal(other, reply.Json["resourceName"]!.GetValue<string>());
            (await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = other, ["tags"] = Tags(("k", "v")) })).AssertError("ResourceNotFound");
        }
        (await Client.CallAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = "not-an-arn" })).AssertError("InvalidArn");
    }

    private static string Arn(string name) => $"arn:aws:states:us-east-1:123456789012:stateMachine:{name}";

    private static JsonObject Tag(string key, string value) => new() { ["key"] = key, ["value"] = value };

    private static JsonArray Tags(params (string Key, string Value)[] tags) =>
        new(tags.Select(t => (JsonNode)Tag(t.Key, t.Value)).ToArray());

    private static JsonObject Create(string name, JsonArray tags) => new()
    {
        ["name"] = name, ["definition"] = Definitions.Pass, ["roleArn"] = "arn:aws:iam::123456789012:role/Test", ["tags"] = tags,
    };

    private async Task<string> CreateAsync(string name, JsonArray tags) =>
        (await Client.CallAsync("CreateStateMachine", Create(name, tags))).Ok()["stateMachineArn"]!.GetValue<string>();

    private async Task<string[]> ListAsync(string machine) =>
        (await Client.CallAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = machine })).Ok()["tags"]!.AsArray()
            .Select(t => $"{t!["key"]!.GetValue<string>()}={t["value"]!.GetValue<string>()}").ToArray();
}
