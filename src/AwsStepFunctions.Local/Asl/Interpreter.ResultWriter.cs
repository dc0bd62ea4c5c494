using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// A Distributed Map's ResultWriter. The service writes the children's results and a manifest to Amazon S3, and the Map's
// output names them (recorded: test_map_state_result_writer); this endpoint has no Amazon S3, so it answers that output
// and writes nothing: the children's outputs stay readable through DescribeExecution and ListExecutions (mapRunArn).
internal sealed partial class Interpreter
{
    private static ResultWriterTarget? JsonPathWriterTarget(ResultWriterSpec? writer, JsonNode? effective, StateScope scope)
    {
        if (writer is null) return null;
        var parameters = writer.Parameters!.Evaluate(scope.For(effective));
        return ResultWriterRules.Problem(parameters, out var target) is { } problem ? throw StatesError.Runtime($"The ResultWriter's Parameters {problem}") : target;
    }

    private static ResultWriterTarget? JsonataWriterTarget(ResultWriterSpec? writer, JsonataFrame frame)
    {
        if (writer is null) return null;
        ResultWriterRules.Problem(frame.Checked(writer.Arguments!, "ResultWriter/Arguments", ResultWriterRules.Rule), out var target);
        return target;
    }

    /// <summary>
    /// The Map's output with a ResultWriter, as AWS records it: the Map Run ARN and the manifest's place,
    /// <c>PREFIX/MAP_RUN_ID/manifest.json</c> where MAP_RUN_ID is the last part of the Map Run ARN.
    /// </summary>
    private static JsonObject WrittenResults(string mapRunArn, ResultWriterTarget writer)
    {
        var mapRunId = mapRunArn[(mapRunArn.LastIndexOf(':') + 1)..];
        var key = writer.Prefix is null ? $"{mapRunId}/manifest.json" : $"{writer.Prefix.TrimEnd('/')}/{mapRunId}/manifest.json";
        return new JsonObject
        {
            ["MapRunArn"] = mapRunArn,
            ["ResultWriterDetails"] = new JsonObject { ["Bucket"] = writer.Bucket, ["Key"] = key },
        };
    }
}
