using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

public sealed class DistributedMapDefinitionTests
{
    private const string Pass = "\"Work\":{\"Type\":\"Pass\",\"End\":true}";

    private static string Inline(string fields) => """{"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,""" + fields
        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"INLINE\"},\"StartAt\":\"Work\",\"States\":{\"Work\":{\"Type\":\"Pass\",\"End\":true}}}}}}";

    [Theory]
    [InlineData("\"Label\":\"My-Label_1.x\",\"ToleratedFailurePercentage\":12.5,\"ToleratedFailureCount\":3,\"MaxConcurrency\":10000,")]
    [InlineData("\"ToleratedFailurePercentagePath\":\"$.p\",\"ToleratedFailureCountPath\":\"$.c\",")]
    [InlineData("\"ItemBatcher\":{\"MaxItemsPerBatch\":10,\"MaxInputBytesPerBatch\":262144,\"BatchInput\":{\"a.$\":\"$.a\"}},")]
    [InlineData("\"ItemBatcher\":{\"MaxItemsPerBatchPath\":\"$.n\"},")]
    public void Distributed_fields_are_accepted(string fields) => StateMachineDefinition.Parse(DistributedMapKit.Machine(fields, Pass));

    [Fact]
    public void EXPRESS_children_and_JSONata_expressions_are_accepted()
    {
        StateMachineDefinition.Parse(DistributedMapKit.Machine("", Pass, executionType: "EXPRESS"));
        StateMachineDefinition.Parse("""
            {"QueryLanguage":"JSONata","StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"Label":"L",
              "ToleratedFailurePercentage":"{% $states.input.p %}","ToleratedFailureCount":"{% $states.input.c %}",
              "ItemBatcher":{"MaxItemsPerBatch":"{% 2 %}","BatchInput":{"at":"{% $states.context.State.EnteredTime %}"}},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}}}}}
            """);
    }

    [Theory]
    [InlineData("\"Label\":\"\",", "State 'Map': Label cannot be empty")]
    [InlineData("\"Label\":\"12345678901234567890123456789012345678901\",", "State 'Map': Label cannot exceed 40 characters")]
    [InlineData("\"Label\":\"a:b\",", "State 'Map': Label contains invalid character: ':'")]
    [InlineData("\"Label\":\"a b\",", "State 'Map': Label contains invalid character: ' '")]
    [InlineData("\"ToleratedFailurePercentage\":100.5,", "'ToleratedFailurePercentage' must be a number from 0 to 100")]
    [InlineData("\"ToleratedFailureCount\":-1,", "'ToleratedFailureCount' must be an integer")]
    [InlineData("\"ToleratedFailureCount\":1,\"ToleratedFailureCountPath\":\"$.c\",", "'ToleratedFailureCount' or 'ToleratedFailureCountPath', not both")]
    [InlineData("\"ItemBatcher\":{\"BatchInput\":{}},", "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch")]
    [InlineData("\"ItemBatcher\":{\"MaxItemsPerBatch\":0},", "'MaxItemsPerBatch' must be a positive integer")]
    [InlineData("\"ItemBatcher\":{\"MaxInputBytesPerBatch\":262145},", "'MaxInputBytesPerBatch' must be at most 262144")]
    [InlineData("\"ItemBatcher\":{\"MaxItemsPerBatch\":2,\"Extra\":1},", "ItemBatcher: field 'Extra' is not supported")]
    [InlineData("\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\"},", "ItemReader.ReaderConfig: 'InputType' (CSV, JSON or JSONL) is required")]
    [InlineData("\"ResultWriter\":{\"Resource\":\"arn:aws:states:::s3:putObject\"},", "ResultWriter: 'Parameters' with the Bucket is required")]
    public void Distributed_fields_are_checked(string fields, string message) => AssertRefused(DistributedMapKit.Machine(fields, Pass), message);

    [Theory]
    [InlineData("\"Label\":\"L\",", "Label")]
    [InlineData("\"ItemBatcher\":{\"MaxItemsPerBatch\":2},", "ItemBatcher")]
    [InlineData("\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:listObjectsV2\"},", "ItemReader")]
    public void Distributed_only_fields_are_refused_on_an_INLINE_Map(string fields, string field) =>
        AssertRefused(Inline(fields), $"State 'Map': field '{field}' is only supported when the Map's ProcessorConfig.Mode is DISTRIBUTED");

    /// <summary>
    /// AWS accepts the tolerated failure thresholds on an INLINE Map and runs it (LocalStack's recording of a JSONata one,
    /// test_base_map[TOLERATED_FAILURE_PERCENTAGE] and [TOLERATED_FAILURE_COUNT]); an inline Map fails on any failed iteration.
    /// </summary>
    [Theory]
    [InlineData("\"ToleratedFailureCount\":1,")]
    [InlineData("\"ToleratedFailurePercentagePath\":\"$.p\",")]
    public async Task Tolerated_failure_thresholds_are_accepted_on_an_INLINE_Map_and_change_nothing(string fields)
    {
        var output = await AslKit.OutputAsync(Inline(fields), "[1]");
        AslKit.JsonEqual("[1]", output);
    }

    [Theory]
    [InlineData("""{"Mode":"DISTRIBUTED","ExecutionType":"SYNC"}""", "ProcessorConfig.ExecutionType must be STANDARD or EXPRESS")]
    [InlineData("""{"Mode":"INLINE","ExecutionType":"STANDARD"}""", "ProcessorConfig.ExecutionType is only allowed when Mode is DISTRIBUTED")]
    [InlineData("""{"Mode":"PARALLEL"}""", "ProcessorConfig.Mode must be INLINE or DISTRIBUTED")]
    [InlineData("""{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD","Other":1}""", "field 'Other' is not supported in ProcessorConfig")]
    public void ProcessorConfig_is_checked(string config, string message) => AssertRefused(
        """{"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":""" + config
        + ",\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Pass\",\"End\":true}}}}}}", message);

    [Fact]
    public void A_JSONPath_only_threshold_path_is_refused_in_JSONata()
    {
        AssertRefused("""
            {"QueryLanguage":"JSONata","StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"ToleratedFailureCountPath":"$.c",
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}}}}}
            """, "field 'ToleratedFailureCountPath' is a JSONPath field");
    }

    private static void AssertRefused(string definition, string message)
    {
        var error = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(definition));
        Assert.Contains(message, error.Message);
    }
}
