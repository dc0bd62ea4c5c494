using System;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// A Distributed Map's ItemReader: s3:listObjectsV2 (the bucket's objects are the items) or s3:getObject with a
// ReaderConfig.InputType of CSV, JSON or JSONL. The endpoint has no Amazon S3; the mock config answers the read (see
// ItemReaderData), so everything about the definition is checked here as the service would check it.
internal sealed partial class StateReader
{
    private static readonly string[] ReaderFields = ["Resource", "ReaderConfig", "Parameters", "Arguments"];

    // ReaderConfig fields the service has that need more than one object's content; refused, saying why.
    private static readonly string[] UnsupportedReaderConfig = ["ManifestType", "Transformation"];

    private ItemReaderSpec? ReadItemReader(bool jsonata)
    {
        if (!node.TryGetPropertyValue("ItemReader", out var value)) return null;
        if (value is not JsonObject reader) throw Error("'ItemReader' must be an object", "ItemReader");
        foreach (var kv in reader)
            if (Array.IndexOf(ReaderFields, kv.Key) < 0 || kv.Key == (jsonata ? "Parameters" : "Arguments"))
                throw Error($"ItemReader: field '{kv.Key}' is not supported (it has Resource, ReaderConfig and {(jsonata ? "Arguments" : "Parameters")})", "ItemReader");
        var resource = JsonValues.AsString(reader["Resource"]) ?? throw Error("ItemReader: 'Resource' must be a string", "ItemReader");
        var listsObjects = IsS3Action(resource, "listObjectsV2");
        if (!listsObjects && !IsS3Action(resource, "getObject"))
            throw Error($"ItemReader: 'Resource' must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2, got '{resource}'", "ItemReader/Resource");
        var config = reader["ReaderConfig"];
        if (config is not null and not JsonObject || reader.ContainsKey("ReaderConfig") && config is null)
            throw Error("ItemReader: 'ReaderConfig' must be an object", "ItemReader/ReaderConfig");
        var readerConfig = config as JsonObject ?? new JsonObject();
        // A reader of the ReaderConfig object, so its fields are located below it.
        var at = new StateReader(owner, name, type, readerConfig, pointer + "/ItemReader/ReaderConfig");
        var kind = at.ReadSourceKind(listsObjects, jsonata);
        var fields = new StateReader(owner, name, type, reader, pointer + "/ItemReader");
        var spec = new ItemReaderSpec
        {
            Kind = kind,
            Parameters = jsonata ? null : fields.Template("Parameters"),
            Arguments = jsonata ? fields.Jsonata(reader, "Arguments", DistributedRules.Object, "ItemReader") : null,
            CsvHeaders = at.ReadCsvHeaders(kind),
            CsvDelimiter = at.ReadCsvDelimiter(kind),
            ItemsPointer = at.ReadItemsPointer(kind),
            MaxItems = jsonata ? null : at.ReadMaxItems(),
            MaxItemsPath = jsonata ? null : at.RequiredPath("MaxItemsPath"),
            MaxItemsJsonata = jsonata ? at.Jsonata(readerConfig, "MaxItems", ReaderRules.MaxItems, "ItemReader.ReaderConfig") : null,
        };
        if (readerConfig.ContainsKey("MaxItems") && readerConfig.ContainsKey("MaxItemsPath"))
            throw Error("ItemReader.ReaderConfig takes 'MaxItems' or 'MaxItemsPath', not both", "ItemReader/ReaderConfig");
        return spec;
    }

    /// <summary><c>arn:PARTITION:states:::s3:ACTION</c>.</summary>
    private static bool IsS3Action(string resource, string action)
    {
        var parts = resource.Split(':');
        return parts.Length == 7 && parts[0] == "arn" && parts[1].Length > 0 && parts[2] == "states" && parts[3].Length == 0 && parts[4].Length == 0
            && parts[5] == "s3" && parts[6] == action;
    }

    private ItemSourceKind ReadSourceKind(bool listsObjects, bool jsonata)
    {
        string[] fields = ["InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "ItemsPointer", "MaxItems", .. jsonata ? Array.Empty<string>() : ["MaxItemsPath"]];
        foreach (var kv in node)
        {
            if (Array.IndexOf(UnsupportedReaderConfig, kv.Key) >= 0)
                throw Error($"ItemReader.ReaderConfig: field '{kv.Key}' is not supported by this local endpoint: it reads further objects from Amazon S3, which the endpoint does not have");
            if (Array.IndexOf(fields, kv.Key) < 0)
                throw Error($"ItemReader.ReaderConfig: field '{kv.Key}' is not supported (it has {string.Join(", ", fields)})");
        }
        var inputType = OptionalString("InputType");
        if (listsObjects)
        {
            if (inputType is not null)
                throw Error("ItemReader.ReaderConfig: 'InputType' needs Resource arn:aws:states:::s3:getObject (s3:listObjectsV2 reads the bucket's objects themselves)", "InputType");
            return ItemSourceKind.ObjectList;
        }
        return inputType switch
        {
            "CSV" => ItemSourceKind.Csv,
            "JSON" => ItemSourceKind.Json,
            "JSONL" => ItemSourceKind.JsonLines,
            "MANIFEST" or "PARQUET" => throw Error(
                $"ItemReader.ReaderConfig: InputType {inputType} is not supported by this local endpoint: it reads further objects from Amazon S3, which the endpoint does not have", "InputType"),
            null => throw Error("ItemReader.ReaderConfig: 'InputType' (CSV, JSON or JSONL) is required with Resource arn:aws:states:::s3:getObject", "InputType"),
            _ => throw Error($"ItemReader.ReaderConfig: 'InputType' must be CSV, JSON, JSONL, MANIFEST or PARQUET, got '{inputType}'", "InputType"),
        };
    }

    /// <summary>CSVHeaderLocation FIRST_ROW (the default) or GIVEN with CSVHeaders; both only for CSV.</summary>
    private string[]? ReadCsvHeaders(ItemSourceKind kind)
    {
        var location = OptionalString("CSVHeaderLocation");
        if (kind != ItemSourceKind.Csv)
        {
            if (location is not null || node.ContainsKey("CSVHeaders")) throw Error("ItemReader.ReaderConfig: CSVHeaderLocation and CSVHeaders need InputType CSV");
            return null;
        }
        if (location is not (null or "FIRST_ROW" or "GIVEN"))
            throw Error($"ItemReader.ReaderConfig: 'CSVHeaderLocation' must be FIRST_ROW or GIVEN, got '{location}'", "CSVHeaderLocation");
        if (location != "GIVEN")
        {
            if (node.ContainsKey("CSVHeaders")) throw Error("ItemReader.ReaderConfig: 'CSVHeaders' needs CSVHeaderLocation GIVEN", "CSVHeaders");
            return null;
        }
        if (node["CSVHeaders"] is not JsonArray headers || headers.Count == 0 || headers.Any(h => !JsonValues.IsString(h)))
            throw Error("ItemReader.ReaderConfig: CSVHeaderLocation GIVEN needs 'CSVHeaders', a non-empty array of strings", "CSVHeaders");
        return headers.Select(h => h!.GetValue<string>()).ToArray();
    }

    private char ReadCsvDelimiter(ItemSourceKind kind)
    {
        var delimiter = OptionalString("CSVDelimiter");
        if (delimiter is null) return ',';
        if (kind != ItemSourceKind.Csv) throw Error("ItemReader.ReaderConfig: 'CSVDelimiter' needs InputType CSV", "CSVDelimiter");
        return delimiter switch
        {
            "COMMA" => ',',
            "PIPE" => '|',
            "SEMICOLON" => ';',
            "SPACE" => ' ',
            "TAB" => '\t',
            _ => throw Error($"ItemReader.ReaderConfig: 'CSVDelimiter' must be COMMA, PIPE, SEMICOLON, SPACE or TAB, got '{delimiter}'", "CSVDelimiter"),
        };
    }

    private string? ReadItemsPointer(ItemSourceKind kind)
    {
        var itemsPointer = OptionalString("ItemsPointer");
        if (itemsPointer is null) return null;
        if (kind != ItemSourceKind.Json) throw Error("ItemReader.ReaderConfig: 'ItemsPointer' needs InputType JSON", "ItemsPointer");
        if (itemsPointer.Length > 0 && itemsPointer[0] != '/')
            throw Error($"ItemReader.ReaderConfig: 'ItemsPointer' must be a JSON Pointer such as /data/items, got '{itemsPointer}'", "ItemsPointer");
        return itemsPointer;
    }

    private long? ReadMaxItems()
    {
        if (!node.TryGetPropertyValue("MaxItems", out var value)) return null;
        if (ReaderRules.MaxItems(value) is { } problem) throw Error($"ItemReader.ReaderConfig: 'MaxItems' {problem}", "MaxItems");
        JsonValues.TryGetInteger(value, out var n);
        return n;
    }
}

/// <summary>What an ItemReader's values must be, for literals and for values computed when the Map runs.</summary>
internal static class ReaderRules
{
    /// <summary>A literal MaxItems: 0 (no limit) to the service's bound.</summary>
    /// <summary>A computed MaxItems: an integer (a negative one fails the read itself, as the service's does).</summary>
    public static string? Integer(JsonNode? value) => JsonValues.TryGetInteger(value, out _) ? null : $"must be an integer, got {JsonValues.Serialize(value)}";

    public static string? MaxItems(JsonNode? value) =>
        JsonValues.TryGetInteger(value, out var n) && n is >= 0 and <= ItemReaderSpec.MostItems ? null : $"must be an integer from 0 to {ItemReaderSpec.MostItems}, got {JsonValues.Serialize(value)}";
}
