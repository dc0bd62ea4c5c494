using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// A Distributed Map's ItemReader. The service reads Amazon S3; this endpoint has none, so the mock config answers the read
// for the Map state, as it answers a Task: its Return is the data as found in the source (ItemReaderData says how each
// format is read), its Throw fails the read. The reader's Parameters/Arguments and MaxItems are evaluated as the service
// evaluates them, so a definition that cannot run there fails here too.
internal sealed partial class Interpreter
{
    /// <summary>JSONPath: the reader's Parameters, then MaxItemsPath (a non-integer is States.Runtime, as recorded).</summary>
    private static long? JsonPathReaderMaxItems(ItemReaderSpec? reader, JsonNode? effective, StateScope scope)
    {
        if (reader is null) return null;
        reader.Parameters?.Evaluate(scope.For(effective));
        return reader.MaxItemsPath is { } path ? PathInteger(path, effective, scope, "MaxItemsPath") : reader.MaxItems ?? 0;
    }

    /// <summary>JSONata: the reader's Arguments, then MaxItems (an integer; a negative one fails the read, as with JSONPath).</summary>
    private static long? JsonataReaderMaxItems(ItemReaderSpec? reader, JsonataFrame frame)
    {
        if (reader is null) return null;
        if (reader.Arguments is { } arguments) frame.Checked(arguments, "ItemReader/Arguments", DistributedRules.Object);
        return reader.MaxItemsJsonata is { } maxItems ? frame.Integer(maxItems, "ItemReader/ReaderConfig/MaxItems", ReaderRules.Integer) : 0;
    }

    /// <summary>The items the mock config's answer holds for this Map state (the read is one invocation, like a Task's call).</summary>
    private JsonArray ReadItems(StateSpec state, ItemReaderSpec reader, long maxItems)
    {
        var data = MockResponses.Invoke(Options.MockConfig, Context, state.Name, NextInvocation(state.Name), "Map state");
        return ItemReaderData.Items(reader, data, maxItems);
    }
}
