using System.Collections.Generic;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>What a Distributed Map's ItemReader reads: the objects of a bucket, or one object's content in a format.</summary>
internal enum ItemSourceKind { ObjectList, Csv, Json, JsonLines }

/// <summary>
/// A Distributed Map's ItemReader: where its items come from (Amazon S3 on the service; the mock config here, see
/// <see cref="ItemReaderData"/>), how the content is read, and at most how many items. MaxItems is a literal, a JSONPath
/// MaxItemsPath or a JSONata template; at most one is set.
/// </summary>
internal sealed class ItemReaderSpec
{
    /// <summary>The service's upper bound: a reader stops after this many items whatever MaxItems says.</summary>
    public const long MostItems = 100_000_000;

    public required ItemSourceKind Kind { get; init; }

    /// <summary>The call's Parameters (JSONPath) or Arguments (JSONata), evaluated as the service would before reading.</summary>
    public PayloadTemplate? Parameters { get; init; }
    public JsonataTemplate? Arguments { get; init; }

    /// <summary>CSV: the headers CSVHeaders gives (CSVHeaderLocation GIVEN), or null when the first row holds them.</summary>
    public IReadOnlyList<string>? CsvHeaders { get; init; }
    public char CsvDelimiter { get; init; } = ',';

    /// <summary>JSON: a JSON Pointer (RFC 6901) to the array inside the content, or null for the content itself.</summary>
    public string? ItemsPointer { get; init; }

    public long? MaxItems { get; init; }
    public JsonPath? MaxItemsPath { get; init; }
    public JsonataTemplate? MaxItemsJsonata { get; init; }
}
