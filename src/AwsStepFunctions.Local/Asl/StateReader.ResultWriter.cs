using System;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// A Distributed Map's ResultWriter (see ResultWriterSpec). WriterConfig (an output format or transformation of the
// results) is refused: the service's documentation of it is too thin to reproduce its output faithfully.
internal sealed partial class StateReader
{
    private ResultWriterSpec? ReadResultWriter(bool jsonata)
    {
        if (!node.TryGetPropertyValue("ResultWriter", out var value)) return null;
        if (value is not JsonObject writer) throw Error("'ResultWriter' must be an object", "ResultWriter");
        var templateField = jsonata ? "Arguments" : "Parameters";
        foreach (var kv in writer)
        {
            if (kv.Key == "WriterConfig")
                throw Error("ResultWriter: field 'WriterConfig' is not supported by this local endpoint (it has Resource and " + templateField + ")", "ResultWriter");
            if (kv.Key != "Resource" && kv.Key != templateField)
                throw Error($"ResultWriter: field '{kv.Key}' is not supported (it has Resource and {templateField})", "ResultWriter");
        }
        var resource = JsonValues.AsString(writer["Resource"]) ?? throw Error("ResultWriter: 'Resource' must be a string", "ResultWriter");
        if (!IsS3Action(resource, "putObject"))
            throw Error($"ResultWriter: 'Resource' must be arn:aws:states:::s3:putObject, got '{resource}'", "ResultWriter/Resource");
        if (!writer.ContainsKey(templateField)) throw Error($"ResultWriter: '{templateField}' with the Bucket is required", "ResultWriter");
        var reader = new StateReader(owner, name, type, writer, pointer + "/ResultWriter");
        if (jsonata) return new ResultWriterSpec { Arguments = reader.Jsonata(writer, "Arguments", ResultWriterRules.Rule, "ResultWriter") };
        // Bucket and Prefix given as they are are checked now; computed ones (Bucket.$, Prefix.$) when the Map runs.
        if (writer["Parameters"] is not JsonObject parameters || !parameters.ContainsKey("Bucket.$") && !parameters.ContainsKey("Prefix.$"))
        {
            if (ResultWriterRules.Problem(writer["Parameters"], out _) is { } problem) throw Error($"ResultWriter: 'Parameters' {problem}", "ResultWriter/Parameters");
        }
        return new ResultWriterSpec { Parameters = reader.Template("Parameters") };
    }
}

/// <summary>What a ResultWriter's Parameters/Arguments must hold: a Bucket string, and a Prefix string if any.</summary>
internal static class ResultWriterRules
{
    public static string? Problem(JsonNode? value, out ResultWriterTarget? target)
    {
        target = null;
        if (value is not JsonObject members) return $"must be an object with a Bucket, got {JsonValues.Serialize(value)}";
        if (JsonValues.AsString(members["Bucket"]) is not { Length: > 0 } bucket) return $"must have a Bucket string, got {JsonValues.Serialize(members["Bucket"])}";
        string? prefix = null;
        if (members.ContainsKey("Prefix") && (prefix = JsonValues.AsString(members["Prefix"])) is null)
            return $"must have a Prefix string if it has one, got {JsonValues.Serialize(members["Prefix"])}";
        target = new ResultWriterTarget(bucket, string.IsNullOrEmpty(prefix) ? null : prefix);
        return null;
    }

    public static string? Rule(JsonNode? value) => Problem(value, out _);
}
