using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// A Distributed Map's ResultWriter: <c>arn:aws:states:::s3:putObject</c> with a Bucket and an optional Prefix in its
/// Parameters (JSONPath) or Arguments (JSONata). The service writes the children's results to Amazon S3 and the Map's
/// output says where; this endpoint has no Amazon S3, so it answers the same output and writes nothing.
/// </summary>
internal sealed class ResultWriterSpec
{
    public PayloadTemplate? Parameters { get; init; }
    public JsonataTemplate? Arguments { get; init; }
}

/// <summary>Where the results would go: the bucket and the key prefix (null: the bucket's root).</summary>
internal sealed record ResultWriterTarget(string Bucket, string? Prefix);
