using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace AwsStepFunctions.Local.Tests.Infrastructure;

/// <summary>The version and alias calls the version/alias tests repeat.</summary>
public static class VersionFlows
{
    public const string Role = "arn:aws:iam::123456789012:role/Test";

    /// <summary>A Pass machine whose output is {"v": n}, so an execution's output says which definition ran.</summary>
    public static string Returning(int n, string wait = "")
    {
        var pass = "\"P\":{\"Type\":\"Pass\",\"Result\":{\"v\":" + n + "},\"End\":true}";
        return wait.Length == 0
            ? "{\"StartAt\":\"P\",\"States\":{" + pass + "}}"
            : "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":" + wait + ",\"Next\":\"P\"}," + pass + "}}";
    }

    public static async Task<(string Machine, string Version)> CreatePublishedAsync(this AwsTestClient client, string name, string definition, string type = "STANDARD")
    {
        var created = (await client.CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = name, ["definition"] = definition, ["roleArn"] = Role, ["type"] = type, ["publish"] = true,
        })).Ok();
        return (created["stateMachineArn"]!.GetValue<string>(), created["stateMachineVersionArn"]!.GetValue<string>());
    }

    public static Task<Reply> UpdateAsync(this AwsTestClient client, string machine, string definition, bool publish = false) =>
        client.CallAsync("UpdateStateMachine", new JsonObject { ["stateMachineArn"] = machine, ["definition"] = definition, ["publish"] = publish });

    public static async Task<string> PublishAsync(this AwsTestClient client, string machine) =>
        (await client.CallAsync("PublishStateMachineVersion", new JsonObject { ["stateMachineArn"] = machine })).Ok()["stateMachineVersionArn"]!.GetValue<string>();

    public static JsonArray Routing(params (string Version, int Weight)[] entries)
    {
        var array = new JsonArray();
        foreach (var (version, weight) in entries) array.Add(new JsonObject { ["stateMachineVersionArn"] = version, ["weight"] = weight });
        return array;
    }

    public static Task<Reply> CreateAliasAsync(this AwsTestClient client, string name, params (string Version, int Weight)[] entries) =>
        client.CallAsync("CreateStateMachineAlias", new JsonObject { ["name"] = name, ["routingConfiguration"] = Routing(entries) });

    /// <summary>The "v" the finished execution's output carries.</summary>
    public static async Task<int> OutputOfAsync(this AwsTestClient client, string executionArn)
    {
        var done = await client.WaitForEndAsync(executionArn);
        return JsonNode.Parse(done["output"]!.GetValue<string>())!["v"]!.GetValue<int>();
    }
}
