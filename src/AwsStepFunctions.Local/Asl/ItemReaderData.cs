using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// Turns what an ItemReader read into the Map's items, as the service reads each format. The data is the object's content
/// as found in its source: a string holding the file's text (any InputType), or JSON itself for InputType JSON and for
/// s3:listObjectsV2 (an array of the objects, or ListObjectsV2's answer with its Contents). A problem with the data is
/// States.ItemReaderFailed, which fails the Map Run, with the service's cause where a recording shows it.
/// </summary>
internal static class ItemReaderData
{
    public const string ReaderFailed = "States.ItemReaderFailed";

    /// <summary>The items, at most <paramref name="maxItems"/> of them (0: no limit below the service's bound).</summary>
    public static JsonArray Items(ItemReaderSpec spec, JsonNode? data, long maxItems)
    {
        if (maxItems < 0) throw Failed("field MaxItems must be positive");
        var limit = maxItems == 0 || maxItems > ItemReaderSpec.MostItems ? ItemReaderSpec.MostItems : maxItems;
        var items = spec.Kind switch
        {
            ItemSourceKind.Csv => CsvItems(Text(data, "CSV"), spec, limit),
            ItemSourceKind.JsonLines => JsonLineItems(Text(data, "JSONL"), limit),
            ItemSourceKind.Json => ArrayItems(Pointed(JsonContent(data), spec.ItemsPointer), limit),
            _ => ArrayItems(ObjectList(JsonContent(data)), limit),
        };
        return new JsonArray(items.ToArray());
    }

    private static StatesError Failed(string cause) => new(ReaderFailed, cause);

    private static string Text(JsonNode? data, string inputType) =>
        JsonValues.AsString(data) ?? throw Failed($"The {inputType} content must be text (a JSON string in the mock's Return), got {JsonataRules.Kind(data)}");

    private static JsonNode? JsonContent(JsonNode? data)
    {
        if (JsonValues.AsString(data) is not { } text) return data;
        return ServiceJson.Parse(text, reason => Failed($"The content is not valid JSON: {reason}"));
    }

    /// <summary>ListObjectsV2's answer (its Contents) or the objects themselves.</summary>
    private static JsonNode? ObjectList(JsonNode? content) =>
        content is JsonObject answer && answer.ContainsKey("Contents") ? answer["Contents"] : content;

    /// <summary>The value an RFC 6901 JSON Pointer names ("" is the whole content; ~1 is '/', ~0 is '~').</summary>
    private static JsonNode? Pointed(JsonNode? content, string? pointer)
    {
        if (string.IsNullOrEmpty(pointer)) return content;
        var current = content;
        foreach (var token in pointer.Substring(1).Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")))
        {
            current = current switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var member) => member,
                JsonArray a when int.TryParse(token, out var index) && index >= 0 && index < a.Count && token == index.ToString() => a[index],
                _ => throw Failed($"ItemsPointer '{pointer}' names nothing in the content"),
            };
        }
        return current;
    }

    private static IEnumerable<JsonNode?> ArrayItems(JsonNode? content, long limit)
    {
        // The service's cause for content that is not an array (recorded: test_map_item_reader_json_no_json_list_object).
        if (content is not JsonArray array) throw Failed("Attempting to map over non-iterable node.");
        return array.Take((int)Math.Min(limit, array.Count)).Select(JsonValues.Clone);
    }

    private static List<JsonNode?> JsonLineItems(string text, long limit)
    {
        var items = new List<JsonNode?>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length && items.Count < limit; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            items.Add(ServiceJson.Parse(line, reason => Failed($"Line {i + 1} of the JSONL content is not valid JSON: {reason}")));
        }
        return items;
    }

    /// <summary>
    /// Each data row as an object of the headers, every value a string, as the service's recordings show: a short row has
    /// "" for the headers it lacks, a long row's extra values are dropped, an empty line is skipped and a blank one ("   ")
    /// is a row. Fields follow RFC 4180: a quoted field may hold the delimiter, line breaks and "" for a quote.
    /// </summary>
    private static List<JsonNode?> CsvItems(string text, ItemReaderSpec spec, long limit)
    {
        var rows = CsvRows(text, spec.CsvDelimiter);
        IReadOnlyList<string> headers;
        var first = 0;
        if (spec.CsvHeaders is { } given) headers = given;
        else
        {
            if (rows.Count == 0) return new List<JsonNode?>();
            headers = rows[0];
            first = 1;
        }
        // The service's cause (recorded with CSVHeaders ["H1","H1","H3"]).
        if (headers.Distinct(StringComparer.Ordinal).Count() != headers.Count) throw Failed("CSV headers cannot contain duplicates.");
        var items = new List<JsonNode?>();
        for (var r = first; r < rows.Count && items.Count < limit; r++)
        {
            var item = new JsonObject();
            for (var h = 0; h < headers.Count; h++) item[headers[h]] = h < rows[r].Count ? rows[r][h] : "";
            items.Add(item);
        }
        return items;
    }

    private static List<List<string>> CsvRows(string text, char delimiter)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        // The field was quoted: "" is then a value, so a line holding only it is a row, not an empty line.
        var quoted = false;
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0 && !quoted)
            {
                var opened = line;
                quoted = true;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw Failed($"The CSV content has a quoted field opened on line {opened} that is never closed");
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    if (text[i] == '"') { i++; break; }
                    if (text[i] == '\n') line++;
                    field.Append(text[i++]);
                }
                if (i < text.Length && text[i] != delimiter && text[i] != '\n' && text[i] != '\r')
                    throw Failed($"The CSV content has a character after a quoted field's closing quote on line {line}");
                continue;
            }
            if (c == delimiter)
            {
                row.Add(field.ToString());
                field.Clear();
                quoted = false;
                i++;
                continue;
            }
            if (c is '\n' or '\r')
            {
                EndRow(rows, ref row, field, ref quoted);
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
                continue;
            }
            field.Append(c);
            i++;
        }
        EndRow(rows, ref row, field, ref quoted);
        return rows;
    }

    /// <summary>Ends the row at a line break (or the end); a line with nothing on it is no row.</summary>
    private static void EndRow(List<List<string>> rows, ref List<string> row, StringBuilder field, ref bool quoted)
    {
        if (row.Count == 0 && field.Length == 0 && !quoted) return;
        row.Add(field.ToString());
        field.Clear();
        quoted = false;
        rows.Add(row);
        row = new List<string>();
    }
}
