using System.Text.Json;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>A parsed, fully validated state machine definition (immutable; shared by all its executions).</summary>
public sealed class StateMachineDefinition
{
    private StateMachineDefinition(JsonObject root, StatesBlock block, long? timeoutSeconds)
    {
        Root = root;
        Block = block;
        TimeoutSeconds = timeoutSeconds;
    }

    public JsonObject Root { get; }

    internal StatesBlock Block { get; }

    /// <summary>The machine-level TimeoutSeconds (real seconds), or null for none.</summary>
    public long? TimeoutSeconds { get; }

    /// <summary>Parse and validate; throws AslDefinitionException naming what is wrong or unsupported.</summary>
    public static StateMachineDefinition Parse(string json)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException ex) { throw new AslDefinitionException($"Definition is not valid JSON: {ex.Message}"); }
        if (node is not JsonObject root) throw new AslDefinitionException("Definition must be a JSON object");

        long? timeout = null;
        if (root.TryGetPropertyValue("TimeoutSeconds", out var t))
        {
            if (!JsonValues.TryGetInteger(t, out var seconds) || seconds <= 0 || seconds > 99999999)
                throw new AslDefinitionException("Definition: 'TimeoutSeconds' must be a positive integer up to 99999999");
            timeout = seconds;
        }
        if (root["Version"] is { } v && JsonValues.AsString(v) != "1.0")
            throw new AslDefinitionException("Definition: 'Version' must be \"1.0\"");
        var block = new DefinitionReader().ReadBlock(root, "Definition", DefinitionReader.BlockKind.Machine);
        return new StateMachineDefinition(root, block, timeout);
    }
}
