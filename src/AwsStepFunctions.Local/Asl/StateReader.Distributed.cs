using System;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// The fields only a Distributed Map has; ItemReader and ResultWriter are read in their own files.
internal sealed partial class StateReader
{
    // The tolerated failure thresholds are not here: AWS accepts them on an INLINE Map and runs it (a JSONata one,
    // LocalStack's test_base_map[TOLERATED_FAILURE_PERCENTAGE] recording), where any failed iteration fails the Map anyway.
    private static readonly string[] DistributedOnly = ["Label", "ItemBatcher", "ItemReader", "ResultWriter"];

    // Characters a Map Run label cannot hold: they would break the Map Run and child execution ARNs it becomes part of.
    private const string LabelForbidden = " ?*<>{}[]:;,\\|^~$#%&`\"";

    private DistributedMapSpec? ReadDistributed(bool jsonata)
    {
        var processor = node["ItemProcessor"] ?? node["Iterator"];
        var distributed = processor is JsonObject p && p.TryGetPropertyValue("ProcessorConfig", out var config)
                          && DefinitionReader.ReadProcessorConfig(config, $"State '{name}'",
                              $"{pointer}/{(node.ContainsKey("ItemProcessor") ? "ItemProcessor" : "Iterator")}/ProcessorConfig");
        if (!distributed)
        {
            if (DistributedOnly.FirstOrDefault(node.ContainsKey) is { } field)
                throw Error($"field '{field}' is only supported when the Map's ProcessorConfig.Mode is DISTRIBUTED");
            return null;
        }
        var executionType = JsonValues.AsString(((JsonObject)processor!)["ProcessorConfig"]!["ExecutionType"]);
        if (node.ContainsKey("ToleratedFailurePercentage") && node.ContainsKey("ToleratedFailurePercentagePath"))
            throw Error("Map takes 'ToleratedFailurePercentage' or 'ToleratedFailurePercentagePath', not both");
        if (node.ContainsKey("ToleratedFailureCount") && node.ContainsKey("ToleratedFailureCountPath"))
            throw Error("Map takes 'ToleratedFailureCount' or 'ToleratedFailureCountPath', not both");
        return new DistributedMapSpec
        {
            Express = executionType == "EXPRESS",
            Label = ReadLabel(),
            ToleratedFailurePercentage = jsonata ? null : ReadPercentage(node["ToleratedFailurePercentage"], node.ContainsKey("ToleratedFailurePercentage")),
            ToleratedFailurePercentagePath = jsonata ? null : RequiredPath("ToleratedFailurePercentagePath"),
            ToleratedFailurePercentageJsonata = jsonata ? Jsonata(node, "ToleratedFailurePercentage", DistributedRules.Percentage) : null,
            ToleratedFailureCount = jsonata ? null : NonNegativeInteger("ToleratedFailureCount"),
            ToleratedFailureCountPath = jsonata ? null : RequiredPath("ToleratedFailureCountPath"),
            ToleratedFailureCountJsonata = jsonata ? Jsonata(node, "ToleratedFailureCount", JsonataRules.NonNegativeInteger) : null,
            Batcher = ReadBatcher(jsonata),
            Reader = ReadItemReader(jsonata),
            Writer = ReadResultWriter(jsonata),
        };
    }

    private string? ReadLabel()
    {
        if (!node.ContainsKey("Label")) return null;
        var label = OptionalString("Label")!;
        if (label.Length == 0) throw Error("Label cannot be empty");
        if (label.Length > 40) throw Error("Label cannot exceed 40 characters");
        foreach (var c in label)
            if (LabelForbidden.Contains(c) || c <= 0x1F || c is >= (char)0x7F and <= (char)0x9F)
                throw Error($"Label contains invalid character: '{c}'");
        return label;
    }

    private double? ReadPercentage(JsonNode? value, bool present)
    {
        if (!present) return null;
        if (DistributedRules.Percentage(value) is { } problem) throw Error($"'ToleratedFailurePercentage' {problem}");
        return JsonValues.ToDouble(value!);
    }

    private ItemBatcherSpec? ReadBatcher(bool jsonata)
    {
        if (!node.TryGetPropertyValue("ItemBatcher", out var value)) return null;
        if (value is not JsonObject batcher) throw Error("'ItemBatcher' must be an object");
        string[] fields = jsonata
            ? ["MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"]
            : ["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"];
        foreach (var kv in batcher)
            if (Array.IndexOf(fields, kv.Key) < 0) throw Error($"ItemBatcher: field '{kv.Key}' is not supported (it has {string.Join(", ", fields)})");
        if (!batcher.ContainsKey("MaxItemsPerBatch") && !batcher.ContainsKey("MaxItemsPerBatchPath")
            && !batcher.ContainsKey("MaxInputBytesPerBatch") && !batcher.ContainsKey("MaxInputBytesPerBatchPath"))
            throw Error("ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or their ...Path forms)");
        // A reader of the batcher object, so its fields are located below ItemBatcher.
        var reader = new StateReader(owner, name, type, batcher, pointer + "/ItemBatcher");
        if (jsonata)
            return new ItemBatcherSpec
            {
                MaxItemsPerBatchJsonata = reader.Jsonata(batcher, "MaxItemsPerBatch", JsonataRules.PositiveInteger, "ItemBatcher"),
                MaxInputBytesPerBatchJsonata = reader.Jsonata(batcher, "MaxInputBytesPerBatch", DistributedRules.BatchBytes, "ItemBatcher"),
                BatchInputJsonata = reader.Jsonata(batcher, "BatchInput", DistributedRules.Object, "ItemBatcher"),
            };
        if (batcher["BatchInput"] is { } input && input is not JsonObject) throw Error("ItemBatcher: 'BatchInput' must be an object");
        var bytes = reader.PositiveInteger("MaxInputBytesPerBatch");
        if (bytes > DistributedRules.MaxBatchBytes) throw Error($"ItemBatcher: 'MaxInputBytesPerBatch' must be at most {DistributedRules.MaxBatchBytes}");
        return new ItemBatcherSpec
        {
            MaxItemsPerBatch = reader.PositiveInteger("MaxItemsPerBatch"),
            MaxItemsPerBatchPath = reader.RequiredPath("MaxItemsPerBatchPath"),
            MaxInputBytesPerBatch = bytes,
            MaxInputBytesPerBatchPath = reader.RequiredPath("MaxInputBytesPerBatchPath"),
            BatchInput = reader.Template("BatchInput"),
        };
    }
}

/// <summary>What the Distributed Map's values must be (null when fine, else the problem), for literals and for values read when it runs.</summary>
internal static class DistributedRules
{
    /// <summary>A batch's input is at most 256 KiB, like any execution input.</summary>
    public const long MaxBatchBytes = 262_144;

    public static string? Percentage(JsonNode? value) =>
        JsonValues.IsNumber(value) && JsonValues.ToDouble(value!) is >= 0 and <= 100 ? null : "must be a number from 0 to 100";

    public static string? BatchBytes(JsonNode? value) =>
        JsonValues.TryGetInteger(value, out var n) && n is > 0 and <= MaxBatchBytes ? null : $"must be an integer from 1 to {MaxBatchBytes}";

    public static string? Object(JsonNode? value) => value is JsonObject ? null : "must be an object";
}
