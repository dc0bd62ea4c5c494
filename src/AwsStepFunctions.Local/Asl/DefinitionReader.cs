using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// Turns definition JSON into validated <see cref="StateSpec"/>s. Everything is checked here so an execution
/// never meets a definition error half-way: unknown or unsupported fields, missing targets, bad paths,
/// unreachable states, misplaced States.ALL. Messages name the state and the field.
/// </summary>
internal sealed class DefinitionReader
{
    private static readonly HashSet<string> Common = new(StringComparer.Ordinal) { "Type", "Comment", "QueryLanguage" };

    // JSONata states replace InputPath, Parameters, ResultSelector, ResultPath and OutputPath with Arguments and Output,
    // ItemsPath with Items, the ...Path fields with expressions in the plain ones, and Choice rules with Condition.
    internal static readonly Dictionary<string, string[]> JsonataFieldsByType = new(StringComparer.Ordinal)
    {
        ["Pass"] = new[] { "Assign", "Next", "End", "Output" },
        ["Wait"] = new[] { "Assign", "Next", "End", "Output", "Seconds", "Timestamp" },
        ["Choice"] = new[] { "Assign", "Output", "Choices", "Default" },
        ["Succeed"] = new[] { "Output" },
        ["Fail"] = new[] { "Error", "Cause" },
        ["Task"] = new[] { "Assign", "Next", "End", "Output", "Arguments", "Resource", "Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds" },
        ["Parallel"] = new[] { "Assign", "Next", "End", "Output", "Arguments", "Branches", "Retry", "Catch" },
        ["Map"] = new[] { "Assign", "Next", "End", "Output", "Items", "ItemSelector", "ItemProcessor", "Iterator", "MaxConcurrency", "Retry", "Catch",
            "Label", "ToleratedFailurePercentage", "ToleratedFailureCount", "ItemBatcher", "ItemReader", "ResultWriter" },
    };

    private static readonly HashSet<string> JsonPathOnly = new(StringComparer.Ordinal)
    {
        "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Result", "ItemsPath", "SecondsPath", "TimestampPath",
        "ErrorPath", "CausePath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
    };

    // The machine's QueryLanguage, which every state without its own inherits.
    private bool _machineIsJsonata;

    internal static readonly Dictionary<string, string[]> FieldsByType = new(StringComparer.Ordinal)
    {
        ["Pass"] = new[] { "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result" },
        ["Wait"] = new[] { "Assign", "Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath" },
        ["Choice"] = new[] { "Assign", "InputPath", "OutputPath", "Choices", "Default" },
        ["Succeed"] = new[] { "InputPath", "OutputPath" },
        ["Fail"] = new[] { "Error", "Cause", "ErrorPath", "CausePath" },
        ["Task"] = new[] { "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Resource",
            "Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds" },
        ["Parallel"] = new[] { "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Branches",
            "Retry", "Catch" },
        ["Map"] = new[] { "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ItemSelector", "ResultSelector",
            "ItemsPath", "ItemProcessor", "Iterator", "MaxConcurrency", "Retry", "Catch",
            "Label", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath",
            "ItemBatcher", "ItemReader", "ResultWriter" },
    };

    // Every state name in the machine, including those inside branches and item processors (names are global).
    private readonly HashSet<string> _allNames = new(StringComparer.Ordinal);

    /// <summary>The machine itself may also carry TimeoutSeconds, Version and QueryLanguage; an item processor ProcessorConfig.</summary>
    public enum BlockKind { Machine, Branch, ItemProcessor }

    public StatesBlock ReadBlock(JsonObject node, string where, BlockKind kind)
    {
        foreach (var kv in node)
        {
            var allowed = kv.Key switch
            {
                "StartAt" or "States" or "Comment" => true,
                "TimeoutSeconds" or "Version" or "QueryLanguage" => kind == BlockKind.Machine,
                "ProcessorConfig" => kind == BlockKind.ItemProcessor,
                _ => false,
            };
            if (!allowed) throw new AslDefinitionException($"{where}: field '{kv.Key}' is not supported here");
        }
        if (kind == BlockKind.Machine) _machineIsJsonata = IsJsonata(node, where);
        if (node.TryGetPropertyValue("ProcessorConfig", out var processorConfig)) ReadProcessorConfig(processorConfig, where);
        var startAt = JsonValues.AsString(node["StartAt"]) ?? throw new AslDefinitionException($"{where}: 'StartAt' must be a string naming a state");
        if (node["States"] is not JsonObject statesNode || statesNode.Count == 0)
            throw new AslDefinitionException($"{where}: 'States' must be a non-empty object");
        var states = new Dictionary<string, StateSpec>(StringComparer.Ordinal);
        foreach (var kv in statesNode)
        {
            if (kv.Key.Length is 0 or > 80) throw new AslDefinitionException($"{where}: state name '{kv.Key}' must be 1 to 80 characters");
            if (!_allNames.Add(kv.Key)) throw new AslDefinitionException($"State '{kv.Key}': state names must be unique in the whole state machine");
            if (kv.Value is not JsonObject stateNode) throw new AslDefinitionException($"State '{kv.Key}': must be an object");
            states[kv.Key] = ReadState(kv.Key, stateNode);
        }
        if (!states.ContainsKey(startAt)) throw new AslDefinitionException($"{where}: StartAt '{startAt}' does not name a state in this scope");
        CheckTransitions(states, startAt);
        return new StatesBlock(startAt, states);
    }

    /// <summary>
    /// The item processor's mode: INLINE (the default) or DISTRIBUTED, which needs ExecutionType STANDARD or EXPRESS for its
    /// child executions. True for DISTRIBUTED.
    /// </summary>
    public static bool ReadProcessorConfig(JsonNode? config, string where)
    {
        if (config is not JsonObject pc) throw new AslDefinitionException($"{where}: 'ProcessorConfig' must be an object");
        foreach (var kv in pc)
            if (kv.Key is not ("Mode" or "ExecutionType"))
                throw new AslDefinitionException($"{where}: field '{kv.Key}' is not supported in ProcessorConfig (it has Mode and ExecutionType)");
        var mode = pc.ContainsKey("Mode") ? JsonValues.AsString(pc["Mode"]) : "INLINE";
        if (mode is not ("INLINE" or "DISTRIBUTED"))
            throw new AslDefinitionException($"{where}: ProcessorConfig.Mode must be INLINE or DISTRIBUTED, got {JsonValues.Serialize(pc["Mode"])}");
        var hasType = pc.TryGetPropertyValue("ExecutionType", out var type);
        if (mode == "INLINE")
        {
            if (hasType) throw new AslDefinitionException($"{where}: ProcessorConfig.ExecutionType is only allowed when Mode is DISTRIBUTED");
            return false;
        }
        if (!hasType) throw new AslDefinitionException($"{where}: ProcessorConfig.ExecutionType (STANDARD or EXPRESS) is required when Mode is DISTRIBUTED");
        if (JsonValues.AsString(type) is not ("STANDARD" or "EXPRESS"))
            throw new AslDefinitionException($"{where}: ProcessorConfig.ExecutionType must be STANDARD or EXPRESS, got {JsonValues.Serialize(type)}");
        return true;
    }

    private static void CheckTransitions(Dictionary<string, StateSpec> states, string startAt)
    {
        foreach (var state in states.Values)
            foreach (var target in Targets(state))
                if (!states.ContainsKey(target))
                    throw new AslDefinitionException($"State '{state.Name}': transition target '{target}' does not name a state in this scope");
        var seen = new HashSet<string>(StringComparer.Ordinal) { startAt };
        var queue = new Queue<string>(new[] { startAt });
        while (queue.Count > 0)
            foreach (var target in Targets(states[queue.Dequeue()]))
                if (seen.Add(target)) queue.Enqueue(target);
        var unreachable = states.Keys.FirstOrDefault(k => !seen.Contains(k));
        if (unreachable is not null) throw new AslDefinitionException($"State '{unreachable}': is not reachable from StartAt '{startAt}'");
    }

    private static IEnumerable<string> Targets(StateSpec state)
    {
        if (state.Next is not null) yield return state.Next;
        if (state.Default is not null) yield return state.Default;
        foreach (var c in state.Choices) yield return c.Next;
        foreach (var c in state.Catch) yield return c.Next;
    }

    /// <summary>QueryLanguage: absent or "JSONPath" (false), "JSONata" (true); anything else is refused.</summary>
    private static bool IsJsonata(JsonObject node, string where)
    {
        if (!node.TryGetPropertyValue("QueryLanguage", out var value)) return false;
        return JsonValues.AsString(value) switch
        {
            "JSONPath" => false,
            "JSONata" => true,
            _ => throw new AslDefinitionException($"{where}: 'QueryLanguage' must be \"JSONPath\" or \"JSONata\", got {JsonValues.Serialize(value)}"),
        };
    }

    private StateSpec ReadState(string name, JsonObject node)
    {
        var type = JsonValues.AsString(node["Type"]) ?? throw new AslDefinitionException($"State '{name}': 'Type' must be a string");
        if (!FieldsByType.TryGetValue(type, out var jsonPathFields))
            throw new AslDefinitionException($"State '{name}': Type '{type}' is not one of {string.Join(", ", FieldsByType.Keys)}");
        var jsonata = node.ContainsKey("QueryLanguage") ? IsJsonata(node, $"State '{name}'") : _machineIsJsonata;
        if (_machineIsJsonata && !jsonata)
            throw new AslDefinitionException($"State '{name}': 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
        var fields = jsonata ? JsonataFieldsByType[type] : jsonPathFields;
        foreach (var kv in node)
        {
            if (Common.Contains(kv.Key) || Array.IndexOf(fields, kv.Key) >= 0) continue;
            if (jsonata && JsonPathOnly.Contains(kv.Key))
                throw new AslDefinitionException($"State '{name}': field '{kv.Key}' is a JSONPath field; a JSONata state uses Arguments, Output and {{% %}} expressions instead");
            if (!jsonata && Array.IndexOf(JsonataFieldsByType[type], kv.Key) >= 0)
                throw new AslDefinitionException($"State '{name}': field '{kv.Key}' needs \"QueryLanguage\": \"JSONata\" (on the state or the machine)");
            throw new AslDefinitionException($"State '{name}': field '{kv.Key}' is not supported in a {type} state");
        }
        var reader = new StateReader(this, name, type, node);
        return jsonata ? reader.ReadJsonata() : reader.Read();
    }
}
