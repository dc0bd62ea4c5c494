using System;
using System.Collections.Generic;
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
        // Blank text is not a JSON syntax error to AWS but a schema one, without a location (recorded answer to " ").
        if (string.IsNullOrWhiteSpace(json)) throw new AslDefinitionException("Definition must be a JSON object");
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException ex) { throw new AslDefinitionException($"Definition is not valid JSON: {ex.Message}", null, DefinitionProblem.InvalidJson); }
        if (Wire.UnicodeJson.FindBrokenString(json) is { } broken)
            throw new AslDefinitionException($"Definition is not valid JSON: {broken}", null, DefinitionProblem.InvalidJson);
        if (node is not JsonObject root) throw new AslDefinitionException("Definition must be a JSON object", "/");

        long? timeout = null;
        if (root.TryGetPropertyValue("TimeoutSeconds", out var t))
        {
            if (!JsonValues.TryGetInteger(t, out var seconds) || seconds <= 0 || seconds > 99999999)
                throw new AslDefinitionException("Definition: 'TimeoutSeconds' must be a positive integer up to 99999999", "/TimeoutSeconds");
            timeout = seconds;
        }
        if (root["Version"] is { } v && JsonValues.AsString(v) != "1.0")
            throw new AslDefinitionException("Definition: 'Version' must be \"1.0\"", "/Version");
        var block = new DefinitionReader().ReadBlock(root, "Definition", DefinitionReader.BlockKind.Machine, "");
        return new StateMachineDefinition(root, block, timeout);
    }

    /// <summary>
    /// Every Task state that waits for its work to end (a .sync, .sync:2 or .waitForTaskToken integration, or an activity a
    /// worker takes) and runs in an EXPRESS execution, as the JSON pointer of its Resource: what Express Workflows may not
    /// hold (the developer guide's Standard vs. Express table: no .sync, no callback, no activities). Where the machine is
    /// EXPRESS that is every such Task, in Parallel branches and Map item processors too; in a STANDARD machine, those in the
    /// item processor of a Distributed Map whose ProcessorConfig.ExecutionType is EXPRESS, since each child it starts is an
    /// Express execution.
    /// </summary>
    public IEnumerable<(string Pointer, string Resource)> WaitingTasksInExpress(bool machineIsExpress) =>
        WaitingTasksInExpress(Block, "", machineIsExpress);

    private static IEnumerable<(string, string)> WaitingTasksInExpress(StatesBlock block, string pointer, bool express)
    {
        foreach (var (name, state) in block.States)
        {
            var at = pointer + "/States/" + name;
            if (express && state.Resource is { } resource && (IsWaitingIntegration(resource) || TaskHistory.IsActivity(resource)))
                yield return (at + "/Resource", resource);
            for (var i = 0; i < state.Branches.Count; i++)
                foreach (var found in WaitingTasksInExpress(state.Branches[i], at + "/Branches/" + i, express)) yield return found;
            if (state.ItemProcessor is { } processor)
                foreach (var found in WaitingTasksInExpress(processor, at + "/ItemProcessor", express || state.Distributed?.Express == true))
                    yield return found;
        }
    }

    private static bool IsWaitingIntegration(string resource) => resource.StartsWith("arn:", StringComparison.Ordinal)
        && (resource.EndsWith(".sync", StringComparison.Ordinal) || resource.EndsWith(".sync:2", StringComparison.Ordinal)
            || resource.EndsWith(".waitForTaskToken", StringComparison.Ordinal));
}
