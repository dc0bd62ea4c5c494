using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// A Distributed Map's ResultWriter: the Map's output names the Map Run and where its manifest would be, as AWS records it
/// (LocalStack's test_map_state_result_writer); the endpoint has no Amazon S3 and writes nothing.
/// </summary>
public sealed class ResultWriterTests
{
    private const string PassThrough = "\"Work\":{\"Type\":\"Pass\",\"End\":true}";

    private static async Task<DistributedMapKit> RunAsync(string definition, string input)
    {
        var kit = await DistributedMapKit.RunAsync(definition, input);
        await DistributedMapKit.EventuallyAsync(() => kit.Store.MapRunsOf(kit.Parent.Arn).All(run => run.Status != "RUNNING"), "the Map Run ends");
        return kit;
    }

    [Fact]
    public async Task The_output_names_the_Map_Run_and_its_manifest_under_the_prefix_and_the_history_is_the_services()
    {
        var kit = await RunAsync(DistributedMapKit.Machine(
            "\"Label\":\"TestMap\",\"ResultWriter\":{\"Resource\":\"arn:aws:states:::s3:putObject\",\"Parameters\":{\"Bucket\":\"result-bucket\",\"Prefix\":\"mapJobs\"}},",
            PassThrough), """["Hello","World"]""");
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        var mapRunId = kit.MapRun.Arn.Split(':').Last();
        AslKit.JsonEqual($$$"""{"MapRunArn":"{{{kit.MapRun.Arn}}}","ResultWriterDetails":{"Bucket":"result-bucket","Key":"mapJobs/{{{mapRunId}}}/manifest.json"}}""",
            JsonNode.Parse(kit.Outcome.Output!));
        Assert.Equal(["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited",
            "ExecutionSucceeded"], kit.Types);
        // The results are the children's, read as ever.
        Assert.Equal(["\"Hello\"", "\"World\""], kit.Children.Select(c => c.Snapshot().Output));
        Assert.Equal(2, kit.MapRun.Count(byItem: true).ResultsWritten);
    }

    [Fact]
    public async Task The_bucket_may_come_from_the_input_or_a_jsonata_expression_and_without_a_prefix_the_manifest_is_at_the_root()
    {
        var fromPath = await RunAsync(DistributedMapKit.Machine(
            "\"ResultWriter\":{\"Resource\":\"arn:aws:states:::s3:putObject\",\"Parameters\":{\"Bucket.$\":\"$.bucket\"}},\"ItemsPath\":\"$.items\",",
            PassThrough), """{"bucket":"results","items":[1]}""");
        var id = fromPath.MapRun.Arn.Split(':').Last();
        AslKit.JsonEqual($$"""{"Bucket":"results","Key":"{{id}}/manifest.json"}""", JsonNode.Parse(fromPath.Outcome.Output!)!["ResultWriterDetails"]);

        var jsonata = await RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"Map","States":{"Map":{"Type":"Map","End":true,
              "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Arguments":{"Bucket":"{% $states.input.bucket %}","Prefix":"runs/"}},
              "Items":"{% $states.input.items %}",
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}}}}}
            """, """{"bucket":"b2","items":[1,2]}""");
        var jsonataId = jsonata.MapRun.Arn.Split(':').Last();
        AslKit.JsonEqual($$"""{"Bucket":"b2","Key":"runs/{{jsonataId}}/manifest.json"}""", JsonNode.Parse(jsonata.Outcome.Output!)!["ResultWriterDetails"]);
    }

    [Fact]
    public async Task A_bucket_from_the_input_that_is_no_string_fails_the_state_before_the_Map_Run_starts()
    {
        var kit = await RunAsync(DistributedMapKit.Machine(
            "\"ResultWriter\":{\"Resource\":\"arn:aws:states:::s3:putObject\",\"Parameters\":{\"Bucket.$\":\"$.bucket\"}},\"ItemsPath\":\"$.items\",",
            PassThrough), """{"bucket":7,"items":[1]}""");
        Assert.Equal("States.Runtime", kit.Outcome.Error);
        Assert.EndsWith("The ResultWriter's Parameters must have a Bucket string, got 7", kit.Outcome.Cause);
        Assert.Equal(["ExecutionStarted", "MapStateEntered", "MapStateStarted", "ExecutionFailed"], kit.Types);
    }

    [Theory]
    [InlineData("""{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b"}}""", "'Resource' must be arn:aws:states:::s3:putObject")]
    [InlineData("""{"Resource":"arn:aws:states:::s3:putObject"}""", "'Parameters' with the Bucket is required")]
    [InlineData("""{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Prefix":"p"}}""", "'Parameters' must have a Bucket string")]
    [InlineData("""{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":3}}""", "must have a Prefix string if it has one")]
    [InlineData("""{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b"},"WriterConfig":{"OutputType":"JSONL"}}""",
        "field 'WriterConfig' is not supported by this local endpoint")]
    [InlineData("""{"Resource":"arn:aws:states:::s3:putObject","Arguments":{"Bucket":"b"}}""", "field 'Arguments' is not supported (it has Resource and Parameters)")]
    public void A_result_writer_that_names_no_bucket_is_refused(string writer, string message)
    {
        var definition = DistributedMapKit.Machine("\"ResultWriter\":" + writer + ",", PassThrough);
        var error = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(definition));
        Assert.Contains(message, error.Message);
        Assert.StartsWith("State 'Map': ResultWriter", error.Message);
    }
}
