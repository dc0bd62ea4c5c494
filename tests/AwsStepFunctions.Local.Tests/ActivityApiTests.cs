using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Asl;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// CreateActivity, DescribeActivity, DeleteActivity, ListActivities and the tag calls on activities, against the model
/// and AWS's recorded answers (LocalStack's AWS-validated test_sfn_api_activities): CreateActivity is idempotent on the
/// name, DeleteActivity is idempotent, an unknown activity is ActivityDoesNotExist and a value that is no ARN InvalidArn.
/// </summary>
public sealed class ActivityApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsTestClient Client => fixture.Client;

    [Fact]
    public async Task Create_is_idempotent_on_the_name_Describe_answers_it_and_Delete_is_idempotent()
    {
        var name = ServerFixture.Unique("act");
        var created = (await Create(name, Tags(("team", "data")))).Ok();
        var arn = Str(created, "activityArn");
        Assert.Equal($"arn:aws:states:us-east-1:123456789012:activity:{name}", arn);

        // The same name again: the original answer (ARN and creationDate), and other tags are ignored, not applied.
        var again = (await Create(name, Tags(("team", "other"), ("extra", "x")))).Ok();
        Assert.Equal(arn, Str(again, "activityArn"));
        Assert.Equal(created["creationDate"]!.GetValue<double>(), again["creationDate"]!.GetValue<double>());
        Assert.Equal(new[] { "team=data" }, await TagsOf(arn));

        var described = (await Client.CallAsync("DescribeActivity", new JsonObject { ["activityArn"] = arn })).Ok();
        AslKit.JsonEqual($$"""{"activityArn":"{{arn}}","name":"{{name}}","creationDate":{{created["creationDate"]!.ToJsonString()}}}""", described);

        (await Client.CallAsync("DeleteActivity", new JsonObject { ["activityArn"] = arn })).Ok();
        (await Client.CallAsync("DeleteActivity", new JsonObject { ["activityArn"] = arn })).Ok();
        foreach (var operation in new[] { "DescribeActivity", "GetActivityTask" })
        {
            var gone = await Client.CallAsync(operation, new JsonObject { ["activityArn"] = arn });
            gone.AssertError("ActivityDoesNotExist");
            Assert.Equal($"Activity Does Not Exist: '{arn}'", gone.ErrorMessage);
        }
        Assert.DoesNotContain(await Client.ListAllAsync("ListActivities", new JsonObject(), "activities", 1000), a => Str(a, "activityArn") == arn);

        // Created again, it is a new activity: the old one's tags went with it.
        (await Create(name)).Ok();
        Assert.Empty(await TagsOf(arn));
    }

    [Fact]
    public async Task Names_ARNs_worker_names_and_encryption_changes_are_refused_as_the_service_refuses_them()
    {
        var invalid = await Create("TestActivity InvalidName$");
        invalid.AssertError("InvalidName");
        Assert.Equal("Invalid Name: 'TestActivity InvalidName$'", invalid.ErrorMessage);
        (await Create(new string('a', 81))).AssertError("ValidationException");
        (await Create("")).AssertError("ValidationException");

        foreach (var operation in new[] { "DescribeActivity", "GetActivityTask", "DeleteActivity" })
        {
            var notArn = await Client.CallAsync(operation, new JsonObject { ["activityArn"] = "no_an_activity_arn" });
            notArn.AssertError("InvalidArn");
            Assert.Equal("Invalid Arn: 'Invalid ARN prefix: no_an_activity_arn'", notArn.ErrorMessage);
            (await Client.CallAsync(operation, new JsonObject { ["activityArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:x" }))
                .AssertError("InvalidArn");
        }

        var arn = Str((await Create(ServerFixture.Unique("act"))).Ok(), "activityArn");
        var longWorker = await Client.CallAsync("GetActivityTask", new JsonObject { ["activityArn"] = arn, ["workerName"] = new string('w', 81) });
        longWorker.AssertError("ValidationException");
        Assert.Contains("'workerName'", longWorker.ErrorMessage);

        // The model: "Activity already exists. EncryptionConfiguration may not be updated."
        var name = ServerFixture.Unique("act");
        (await Create(name, encryption: new JsonObject { ["type"] = "AWS_OWNED_KEY" })).Ok();
        var changed = await Create(name, encryption: new JsonObject { ["type"] = "CUSTOMER_MANAGED_KMS_KEY", ["kmsKeyId"] = "alias/mine" });
        changed.AssertError("ActivityAlreadyExists");
        (await Create(name, encryption: new JsonObject { ["type"] = "PLAIN" })).AssertError("ValidationException");
        // Spelling out the default is the same configuration as giving none.
        (await Create(name)).Ok();
    }

    [Fact]
    public async Task ListActivities_pages_with_maxResults_and_nextToken_like_the_other_lists()
    {
        var prefix = ServerFixture.Unique("page");
        var arns = new[] { "a", "b", "c", "d", "e" }.Select(s => $"arn:aws:states:us-east-1:123456789012:activity:{prefix}-{s}").ToArray();
        foreach (var arn in arns) (await Create(arn[(arn.LastIndexOf(':') + 1)..])).Ok();

        var firstPage = (await Client.CallAsync("ListActivities", new JsonObject { ["maxResults"] = 1 })).Ok();
        Assert.Single(firstPage["activities"]!.AsArray());
        Assert.NotNull(firstPage["nextToken"]);
        var paged = await Client.ListAllAsync("ListActivities", new JsonObject(), "activities", 2);
        Assert.Equal(arns, paged.Select(a => Str(a, "activityArn")).Where(a => a.Contains(prefix)));
        var item = paged.First(a => Str(a, "activityArn") == arns[0]);
        Assert.Equal(new[] { "activityArn", "name", "creationDate" }, item.AsObject().Select(p => p.Key));

        (await Client.CallAsync("ListActivities", new JsonObject { ["maxResults"] = 1001 })).AssertError("ValidationException");
        (await Client.CallAsync("ListActivities", new JsonObject { ["nextToken"] = "forged" })).AssertError("InvalidToken");
        var machinesToken = PageTokenOf("ListStateMachines");
        (await Client.CallAsync("ListActivities", new JsonObject { ["nextToken"] = machinesToken })).AssertError("InvalidToken");
    }

    [Fact]
    public async Task Activities_carry_tags_that_TagResource_UntagResource_and_ListTagsForResource_change()
    {
        var arn = Str((await Create(ServerFixture.Unique("act"), Tags(("team", "data")))).Ok(), "activityArn");
        (await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = arn, ["tags"] = Tags(("env", "prod"), ("team", "ops")) })).Ok();
        Assert.Equal(new[] { "team=ops", "env=prod" }, await TagsOf(arn));
        (await Client.CallAsync("UntagResource", new JsonObject { ["resourceArn"] = arn, ["tagKeys"] = new JsonArray("team") })).Ok();
        Assert.Equal(new[] { "env=prod" }, await TagsOf(arn));

        var missing = arn + "-missing";
        (await Client.CallAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = missing })).AssertError("ResourceNotFound");
        (await Client.CallAsync("TagResource", new JsonObject { ["resourceArn"] = arn + ":extra", ["tags"] = Tags(("k", "v")) })).AssertError("InvalidArn");
        var tooMany = new JsonArray(Enumerable.Range(0, 51).Select(i => (JsonNode)new JsonObject { ["key"] = $"k{i}", ["value"] = "v" }).ToArray());
        (await Create(ServerFixture.Unique("act"), tooMany)).AssertError("TooManyTags");
    }

    private Task<Reply> Create(string name, JsonArray? tags = null, JsonObject? encryption = null)
    {
        var body = new JsonObject { ["name"] = name };
        if (tags is not null) body["tags"] = tags;
        if (encryption is not null) body["encryptionConfiguration"] = encryption;
        return Client.CallAsync("CreateActivity", body);
    }

    private async Task<string[]> TagsOf(string arn) =>
        (await Client.CallAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = arn })).Ok()["tags"]!.AsArray()
        .Select(t => $"{Str(t!, "key")}={Str(t!, "value")}").ToArray();

    private static JsonArray Tags(params (string Key, string Value)[] tags) =>
        new(tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray());

    /// <summary>A well-formed token of another list: refused, so a token never pages a list it did not come from.</summary>
    private static string PageTokenOf(string scope) => StepFunctions.PageToken.Create(scope, 1);

    private static string Str(JsonNode node, string member) => node[member]!.GetValue<string>();
}
