using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// A Distributed Map's ItemReader, answered by the mock config (the endpoint has no Amazon S3). Contents, definitions and
/// expected items and events are AWS's, recorded in LocalStack's test_base_scenarios snapshots (the test named in each
/// comment); the key order of a CSV item is not compared (AWS's follows its hash map, ours the headers').
/// </summary>
public sealed class ItemReaderTests
{
    // test_map_item_reader_base_csv_headers_first_line's file: a row of empty values, a long row, a blank row, a trailing line break.
    private const string Csv = "Col1,Col2,Col3\nValue1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n";

    private static readonly string[] RunEvents =
        ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"];

    private static readonly string[] ReadFailedEvents =
        ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"];

    private static EngineOptions Mocked(string returnOrThrow) => new()
    {
        TimeScale = 10_000,
        MockConfig = (JsonObject)JsonNode.Parse("""
            {"StateMachines":{"Machine":{"TestCases":{"T":{"Map":"Data"}}}},"MockedResponses":{"Data":{"0":%ENTRY%}}}
            """.Replace("%ENTRY%", returnOrThrow))!,
    };

    private static EngineOptions Returning(JsonNode? data) => Mocked(new JsonObject { ["Return"] = data }.ToJsonString());

    private static string Machine(string readerConfig, string resource = "getObject", string extra = "") =>
        DistributedMapKit.Machine(extra + "\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:" + resource + "\",\"Parameters\":{\"Bucket.$\":\"$.Bucket\",\"Key\":\"k\"}"
            + (readerConfig.Length == 0 ? "" : ",\"ReaderConfig\":" + readerConfig) + "},", "\"Work\":{\"Type\":\"Pass\",\"End\":true}");

    private static async Task<DistributedMapKit> RunAsync(string definition, EngineOptions options, string input = """{"Bucket":"b"}""")
    {
        var kit = await DistributedMapKit.RunAsync(definition, input, options, "T");
        await DistributedMapKit.EventuallyAsync(() => kit.Store.MapRunsOf(kit.Parent.Arn).All(run => run.Status != "RUNNING"), "the Map Run ends");
        return kit;
    }

    [Fact]
    public async Task A_csv_file_with_a_header_row_gives_one_object_of_strings_per_row_and_the_services_events()
    {
        // test_map_item_reader_base_csv_headers_first_line.
        var kit = await RunAsync(Machine("""{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}"""), Returning(Csv));
        Assert.Equal("SUCCEEDED", kit.Outcome.Status);
        AslKit.JsonEqual("""
            [{"Col1":"Value1","Col2":"Value2","Col3":"Value3"},{"Col1":"Value4","Col2":"Value5","Col3":"Value6"},{"Col1":"","Col2":"","Col3":""},
             {"Col1":"true","Col2":"1","Col3":"'HelloWorld'"},{"Col1":"Null","Col2":"None","Col3":""},{"Col1":"   ","Col2":"","Col3":""}]
            """, JsonNode.Parse(kit.Outcome.Output!));
        Assert.Equal(RunEvents, kit.Types);
        // The items are not known when the Map starts: AWS records length 0.
        Assert.Equal(0, kit.Parent.History()[2].Details!["length"]!.GetValue<int>());
        Assert.Equal(6, kit.Children.Count);
        Assert.Equal(6, kit.MapRun.Count(byItem: true).Total);
    }

    [Theory]
    // test_map_item_reader_base_csv_headers_decl and ..._decl_extra_fields.
    [InlineData("""["H1","H2","H3"]""", """[{"H1":"Value1","H2":"Value2","H3":"Value3"},{"H1":"Value4","H2":"Value5","H3":"Value6"},{"H1":"","H2":"","H3":""}]""")]
    [InlineData("""["H1"]""", """[{"H1":"Value1"},{"H1":"Value4"},{"H1":""}]""")]
    public async Task Given_headers_name_every_row_and_values_beyond_them_are_dropped(string headers, string expected)
    {
        var config = """{"InputType":"CSV","CSVHeaderLocation":"GIVEN","MaxItems":3,"CSVHeaders":""" + headers + "}";
        var kit = await RunAsync(Machine(config), Returning("Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\n"));
        AslKit.JsonEqual(expected, JsonNode.Parse(kit.Outcome.Output!));
    }

    [Fact]
    public async Task Quoted_fields_hold_delimiters_line_breaks_and_quotes_and_other_delimiters_are_chosen_by_name()
    {
        var quoted = await RunAsync(Machine("""{"InputType":"CSV"}"""), Returning("name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\r\n\"\",x\r\n"));
        AslKit.JsonEqual("""[{"name":"Smith, J","note":"said \"hi\"\nthen left"},{"name":"","note":"x"}]""", JsonNode.Parse(quoted.Outcome.Output!));

        var piped = await RunAsync(Machine("""{"InputType":"CSV","CSVDelimiter":"PIPE"}"""), Returning("a|b\n1,5|2\n"));
        AslKit.JsonEqual("""[{"a":"1,5","b":"2"}]""", JsonNode.Parse(piped.Outcome.Output!));
    }

    [Theory]
    // test_map_item_reader_csv_headers_decl_duplicate_headers: the Map Run fails after it started, with the service's cause.
    [InlineData("""{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["H1","H1","H3"]}""", "\"a,b,c\\n\"", "CSV headers cannot contain duplicates.")]
    // test_map_item_reader_json_no_json_list_object.
    [InlineData("""{"InputType":"JSON"}""", "\"{\\\"Hello\\\": \\\"world\\\"}\"", "Attempting to map over non-iterable node.")]
    // test_map_item_reader_csv_max_items_paths[-1].
    [InlineData("""{"InputType":"CSV","MaxItemsPath":"$.max"}""", "\"a\\n1\\n\"", "field MaxItems must be positive")]
    [InlineData("""{"InputType":"CSV"}""", "\"a,b\\n\\\"open,1\\n\"", "The CSV content has a quoted field opened on line 2 that is never closed")]
    [InlineData("""{"InputType":"JSONL"}""", "\"{\\\"a\\\":1}\\n{oops}\\n\"", "Line 2 of the JSONL content is not valid JSON")]
    [InlineData("""{"InputType":"CSV"}""", "[1,2]", "The CSV content must be text")]
    public async Task Content_the_reader_cannot_read_fails_the_Map_Run_with_ItemReaderFailed(string config, string data, string cause)
    {
        var kit = await RunAsync(Machine(config), Returning(JsonNode.Parse(data)), """{"Bucket":"b","max":-1}""");
        Assert.Equal("FAILED", kit.Outcome.Status);
        Assert.Equal("States.ItemReaderFailed", kit.Outcome.Error);
        Assert.StartsWith(cause, kit.Outcome.Cause);
        Assert.Equal(ReadFailedEvents, kit.Types);
        Assert.Equal("FAILED", kit.MapRun.Status);
        Assert.Empty(kit.Children);
    }

    [Fact]
    public async Task A_mocked_read_error_fails_the_Map_Run_and_a_catcher_takes_it()
    {
        var thrown = Mocked("""{"Throw":{"Error":"S3.NoSuchKey","Cause":"The specified key does not exist."}}""");
        var failed = await RunAsync(Machine("""{"InputType":"JSON"}"""), thrown);
        Assert.Equal("S3.NoSuchKey", failed.Outcome.Error);
        Assert.Equal(ReadFailedEvents, failed.Types);

        var caught = await RunAsync("""
            {"StartAt":"Map","States":{"Map":{"Type":"Map","Next":"Gone","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Gone"}],
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"k"}},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}}},
             "Gone":{"Type":"Succeed"}}}
            """, thrown);
        Assert.Equal("SUCCEEDED", caught.Outcome.Status);
        AslKit.JsonEqual("""{"Error":"S3.NoSuchKey","Cause":"The specified key does not exist."}""", JsonNode.Parse(caught.Outcome.Output!));
    }

    [Fact]
    public async Task MaxItemsPath_that_is_no_integer_fails_before_the_Map_Run_starts_and_ItemsPath_is_not_read()
    {
        // test_map_item_reader_csv_max_items_paths[1.5]: States.Runtime straight after MapStateStarted.
        var kit = await RunAsync(Machine("""{"InputType":"CSV","MaxItemsPath":"$.max"}"""), Returning("a\n1\n"), """{"Bucket":"b","max":1.5}""");
        Assert.Equal("States.Runtime", kit.Outcome.Error);
        Assert.EndsWith("The MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.max", kit.Outcome.Cause);
        Assert.Equal(["ExecutionStarted", "MapStateEntered", "MapStateStarted", "ExecutionFailed"], kit.Types);

        // test_map_item_reader_base_json_with_items_path[INVALID_ITEMS_PATH]: a path to nothing changes nothing.
        var ignored = await RunAsync(Machine("""{"InputType":"JSON","MaxItemsPath":"$.max"}""", extra: "\"ItemsPath\":\"$.nothing\","),
            Returning(JsonNode.Parse("""[["from-bucket-item-0"],["second"]]""")), """{"Bucket":"b","max":100000001}""");
        AslKit.JsonEqual("""[["from-bucket-item-0"],["second"]]""", JsonNode.Parse(ignored.Outcome.Output!));
    }

    [Fact]
    public async Task Json_items_come_from_text_or_json_at_a_pointer_and_MaxItems_keeps_the_first()
    {
        // test_map_item_reader_base_json_max_items (MaxItems 2 of 3).
        var kit = await RunAsync(Machine("""{"InputType":"JSON","MaxItems":2}"""), Returning("""[{"n":1},{"n":2},{"n":3}]"""));
        AslKit.JsonEqual("""[{"n":1},{"n":2}]""", JsonNode.Parse(kit.Outcome.Output!));

        var pointed = await RunAsync(Machine("""{"InputType":"JSON","ItemsPointer":"/data/a~1b"}"""), Returning(JsonNode.Parse("""{"data":{"a/b":[7,8]}}""")));
        AslKit.JsonEqual("[7,8]", JsonNode.Parse(pointed.Outcome.Output!));

        var lines = await RunAsync(Machine("""{"InputType":"JSONL"}"""), Returning("{\"n\":1}\r\n\n[2]\n"));
        AslKit.JsonEqual("""[{"n":1},[2]]""", JsonNode.Parse(lines.Outcome.Output!));
    }

    [Fact]
    public async Task ListObjectsV2_gives_each_object_as_an_item_from_its_answers_Contents()
    {
        // test_map_item_reader_base_list_objects_v2: Etag, Key, LastModified, Size and StorageClass, as listed.
        var kit = await RunAsync(Machine("", resource: "listObjectsV2"), Returning(JsonNode.Parse("""
            {"Contents":[{"Etag":"\"e0\"","Key":"file_0.txt","LastModified":"2026-12-03T00:00:00Z","Size":12,"StorageClass":"STANDARD"},
                         {"Etag":"\"e1\"","Key":"file_1.txt","LastModified":"2026-12-03T00:00:00Z","Size":12,"StorageClass":"STANDARD"}]}
            """)));
        Assert.Equal(["file_0.txt", "file_1.txt"], JsonNode.Parse(kit.Outcome.Output!)!.AsArray().Select(o => o!["Key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_jsonata_reader_evaluates_its_MaxItems_and_Arguments()
    {
        // test_map_item_reader_base_json_max_items_jsonata.
        var definition = """
            {"QueryLanguage":"JSONata","StartAt":"Map","States":{"Map":{"Type":"Map","End":true,
              "ItemReader":{"ReaderConfig":{"InputType":"JSON","MaxItems":"{% $maxItems := 2 %}"},"Resource":"arn:aws:states:::s3:getObject",
                            "Arguments":{"Bucket":"{% $states.input.Bucket %}","Key":"{% $states.input.Key %}"}},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}}}}}
            """;
        var kit = await RunAsync(definition, Returning("""[{"verdict":"true"},{"verdict":"false"},{"verdict":"mostly-true"}]"""), """{"Bucket":"b","Key":"k"}""");
        AslKit.JsonEqual("""[{"verdict":"true"},{"verdict":"false"}]""", JsonNode.Parse(kit.Outcome.Output!));
    }

    [Theory]
    [InlineData("""{"InputType":"XML"}""", "'InputType' must be CSV, JSON, JSONL, MANIFEST or PARQUET")]
    [InlineData("""{"InputType":"MANIFEST"}""", "InputType MANIFEST is not supported by this local endpoint")]
    [InlineData("""{}""", "'InputType' (CSV, JSON or JSONL) is required with Resource arn:aws:states:::s3:getObject")]
    [InlineData("""{"InputType":"CSV","CSVHeaderLocation":"GIVEN"}""", "CSVHeaderLocation GIVEN needs 'CSVHeaders'")]
    [InlineData("""{"InputType":"CSV","CSVHeaders":["a"]}""", "'CSVHeaders' needs CSVHeaderLocation GIVEN")]
    [InlineData("""{"InputType":"JSON","CSVDelimiter":"PIPE"}""", "'CSVDelimiter' needs InputType CSV")]
    [InlineData("""{"InputType":"CSV","CSVDelimiter":"COLON"}""", "'CSVDelimiter' must be COMMA, PIPE, SEMICOLON, SPACE or TAB")]
    [InlineData("""{"InputType":"CSV","ItemsPointer":"/a"}""", "'ItemsPointer' needs InputType JSON")]
    [InlineData("""{"InputType":"JSON","ItemsPointer":"a"}""", "'ItemsPointer' must be a JSON Pointer")]
    [InlineData("""{"InputType":"JSON","MaxItems":100000001}""", "'MaxItems' must be an integer from 0 to 100000000")]
    [InlineData("""{"InputType":"JSON","MaxItems":1,"MaxItemsPath":"$.m"}""", "takes 'MaxItems' or 'MaxItemsPath', not both")]
    [InlineData("""{"InputType":"JSON","Transformation":"LOAD_AND_FLATTEN"}""", "field 'Transformation' is not supported by this local endpoint")]
    [InlineData("""{"InputType":"JSON","Extra":1}""", "ReaderConfig: field 'Extra' is not supported")]
    public void A_reader_config_that_cannot_be_read_is_refused_naming_the_field(string config, string message)
    {
        var error = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(Machine(config)));
        Assert.Contains(message, error.Message);
        Assert.StartsWith("State 'Map': ItemReader", error.Message);
    }

    [Theory]
    [InlineData("""{"Resource":"arn:aws:states:::s3:putObject","ReaderConfig":{"InputType":"JSON"}}""", "'Resource' must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2")]
    [InlineData("""{"Resource":"arn:aws:states:::s3:listObjectsV2","ReaderConfig":{"InputType":"CSV"}}""", "'InputType' needs Resource arn:aws:states:::s3:getObject")]
    [InlineData("""{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Arguments":{}}""", "field 'Arguments' is not supported (it has Resource, ReaderConfig and Parameters)")]
    [InlineData("""[]""", "'ItemReader' must be an object")]
    public void An_item_reader_that_reads_nothing_the_service_reads_is_refused(string reader, string message)
    {
        var definition = DistributedMapKit.Machine("\"ItemReader\":" + reader + ",", "\"Work\":{\"Type\":\"Pass\",\"End\":true}");
        Assert.Contains(message, Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(definition)).Message);
    }

    [Fact]
    public void An_inline_Map_has_no_ItemReader()
    {
        var definition = """{"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2"},"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}}}}}""";
        Assert.Contains("field 'ItemReader' is only supported when the Map's ProcessorConfig.Mode is DISTRIBUTED",
            Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(definition)).Message);
    }
}
