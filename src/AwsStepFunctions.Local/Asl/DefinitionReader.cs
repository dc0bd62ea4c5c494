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
        ["Task"] = new[] { "Assign", "Next", "End", "Output", "Arguments", "Resource", "Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds",
            "Credentials" },
        ["Parallel"] = new[] { "Assign", "Next", "End", "Output", "Arguments", "Branches", "Retry", "Catch" },
        ["Map"] = new[] { "Assign", "Next", "End", "Output", "Items", "ItemSelector", "ItemProcessor", "Iterator", "MaxConcurrency", "Retry", "Catch",
            "Label", "ToleratedFailurePercentage", "ToleratedFailureCount", "ItemBatcher", "ItemReader", "ResultWriter" },
    };

    private static readonly HashSet<string> JsonPathOnly = new(StringComparer.Ordinal)
    {
        "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Result", "ItemsPath", "SecondsPath", "TimestampPath",
        "ErrorPath", "CausePath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath", "MaxConcurrencyPath",
        "TimeoutSecondsPath", "HeartbeatSecondsPath",
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
            "Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds", "TimeoutSecondsPath", "HeartbeatSecondsPath", "Credentials" },
        ["Parallel"] = new[] { "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Branches",
            "Retry", "Catch" },
        ["Map"] = new[] { "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ItemSelector", "ResultSelector",
            "ItemsPath", "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath", "Retry", "Catch",
            "Label", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath",
            "ItemBatcher", "ItemReader", "ResultWriter" },
    };

    // Every state name in the machine, including those inside branches and item processors (names are global).
    private readonly HashSet<string> _allNames = new(StringComparer.Ordinal);

    /// <summary>The machine itself may also carry TimeoutSeconds, Version and QueryLanguage; an item processor ProcessorConfig.</summary>
    public enum BlockKind { Machine, Branch, ItemProcessor }

    /// <summary>
    /// Reads one States block. <paramref name="pointer"/> is its JSON pointer ("" for the machine, e.g.
    /// "/States/P/Branches/0" for a branch); every problem found is located under it.
    /// </summary>
    public StatesBlock ReadBlock(JsonObject node, string where, BlockKind kind, string pointer)
    {
        var at = pointer.Length == 0 ? "/" : pointer;
        foreach (var kv in node)
        {
            var allowed = kv.Key switch
            {
                "StartAt" or "States" or "Comment" => true,
                "TimeoutSeconds" or "Version" or "QueryLanguage" => kind == BlockKind.Machine,
                "ProcessorConfig" => kind == BlockKind.ItemProcessor,
                _ => false,
            };
            if (!allowed) throw new AslDefinitionException($"{where}: field '{kv.Key}' is not supported here", $"{pointer}/{kv.Key}");
        }
        if (kind == BlockKind.Machine) _machineIsJsonata = IsJsonata(node, where, at);
        if (node.TryGetPropertyValue("ProcessorConfig", out var processorConfig)) ReadProcessorConfig(processorConfig, where, pointer + "/ProcessorConfig");
        // A missing StartAt or States is located at the block itself, as AWS's "These fields are required" is at "/".
        var startAt = JsonValues.AsString(node["StartAt"])
            ?? throw new AslDefinitionException($"{where}: 'StartAt' must be a string naming a state", node.ContainsKey("StartAt") ? $"{pointer}/StartAt" : at);
        if (node["States"] is not JsonObject statesNode || statesNode.Count == 0)
            throw new AslDefinitionException($"{where}: 'States' must be a non-empty object", node.ContainsKey("States") ? $"{pointer}/States" : at);
        var states = new Dictionary<string, StateSpec>(StringComparer.Ordinal);
        foreach (var kv in statesNode)
        {
            var statePointer = $"{pointer}/States/{kv.Key}";
            if (kv.Key.Length is 0 or > 80)
                throw new AslDefinitionException($"{where}: state name '{kv.Key}' must be 1 to 80 characters", statePointer, DefinitionProblem.InvalidStateName);
            if (!_allNames.Add(kv.Key))
                throw new AslDefinitionException($"State '{kv.Key}': state names must be unique in the whole state machine", statePointer, DefinitionProblem.DuplicateStateName);
            if (kv.Value is not JsonObject stateNode) throw new AslDefinitionException($"State '{kv.Key}': must be an object", statePointer);
            states[kv.Key] = ReadState(kv.Key, stateNode, statePointer);
        }
        CheckTransitions(where, pointer, states, startAt);
        return new StatesBlock(startAt, states);
    }

    /// <summary>
    /// The item processor's mode: INLINE (the default) or DISTRIBUTED, which needs ExecutionType STANDARD or EXPRESS for its
    /// child executions. True for DISTRIBUTED.
    /// </summary>
    public static bool ReadProcessorConfig(JsonNode? config, string where, string pointer)
    {
        if (config is not JsonObject pc) throw new AslDefinitionException($"{where}: 'ProcessorConfig' must be an object", pointer);
        foreach (var kv in pc)
            if (kv.Key is not ("Mode" or "ExecutionType"))
                throw new AslDefinitionException($"{where}: field '{kv.Key}' is not supported in ProcessorConfig (it has Mode and ExecutionType)", $"{pointer}/{kv.Key}");
        var mode = pc.ContainsKey("Mode") ? JsonValues.AsString(pc["Mode"]) : "INLINE";
        if (mode is not ("INLINE" or "DISTRIBUTED"))
            throw new AslDefinitionException($"{where}: ProcessorConfig.Mode must be INLINE or DISTRIBUTED, got {JsonValues.Serialize(pc["Mode"])}", pointer + "/Mode");
        var hasType = pc.TryGetPropertyValue("ExecutionType", out var type);
        if (mode == "INLINE")
        {
            if (hasType) throw new AslDefinitionException($"{where}: ProcessorConfig.ExecutionType is only allowed when Mode is DISTRIBUTED", pointer + "/ExecutionType");
            return false;
        }
        if (!hasType) throw new AslDefinitionException($"{where}: ProcessorConfig.ExecutionType (STANDARD or EXPRESS) is required when Mode is DISTRIBUTED", pointer);
        if (JsonValues.AsString(type) is not ("STANDARD" or "EXPRESS"))
            throw new AslDefinitionException($"{where}: ProcessorConfig.ExecutionType must be STANDARD or EXPRESS, got {JsonValues.Serialize(type)}", pointer + "/ExecutionType");
        return true;
    }

    /// <summary>
    /// Every target that names no state of the block, then every state not reachable from StartAt: all of them at once, as
    /// AWS reports a dangling Next together with the state it leaves unreachable (one InvalidDefinition message).
    /// </summary>
    private static void CheckTransitions(string where, string pointer, Dictionary<string, StateSpec> states, string startAt)
    {
        var problems = new List<DefinitionProblem>();
        if (!states.ContainsKey(startAt))
            problems.Add(new(DefinitionProblem.MissingTransitionTarget, $"{where}: StartAt '{startAt}' does not name a state in this scope", $"{pointer}/StartAt"));
        foreach (var state in states.Values)
            foreach (var (field, target) in Targets(state))
                if (!states.ContainsKey(target))
                    problems.Add(new(DefinitionProblem.MissingTransitionTarget, $"State '{state.Name}': transition target '{target}' does not name a state in this scope",
                        $"{pointer}/States/{state.Name}/{field}"));
        if (states.ContainsKey(startAt))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { startAt };
            var queue = new Queue<string>(new[] { startAt });
            while (queue.Count > 0)
                foreach (var (_, target) in Targets(states[queue.Dequeue()]))
                    if (states.ContainsKey(target) && seen.Add(target)) queue.Enqueue(target);
            foreach (var unreachable in states.Keys.Where(k => !seen.Contains(k)))
                problems.Add(new(DefinitionProblem.MissingTransitionTarget, $"State '{unreachable}': is not reachable from StartAt '{startAt}'", $"{pointer}/States/{unreachable}"));
        }
        if (problems.Count > 0) throw new AslDefinitionException(problems);
    }

    /// <summary>Each transition with the field that holds it, written as AWS locates it (Choices[0]/Next, Catch[1]/Next).</summary>
    private static IEnumerable<(string Field, string Target)> Targets(StateSpec state)
    {
        if (state.Next is not null) yield return ("Next", state.Next);
        if (state.Default is not null) yield return ("Default", state.Default);
        for (var i = 0; i < state.Choices.Count; i++) yield return ($"Choices[{i}]/Next", state.Choices[i].Next);
        for (var i = 0; i < state.Catch.Count; i++) yield return ($"Catch[{i}]/Next", state.Catch[i].Next);
    }

    /// <summary>QueryLanguage: absent or "JSONPath" (false), "JSONata" (true); anything else is refused.</summary>
    private static bool IsJsonata(JsonObject node, string where, string pointer)
    {
        if (!node.TryGetPropertyValue("QueryLanguage", out var value)) return false;
        return JsonValues.AsString(value) switch
        {
            "JSONPath" => false,
            "JSONata" => true,
            _ => throw new AslDefinitionException($"{where}: 'QueryLanguage' must be \"JSONPath\" or \"JSONata\", got {JsonValues.Serialize(value)}",
                pointer.TrimEnd('/') + "/QueryLanguage"),
        };
    }

    private StateSpec ReadState(string name, JsonObject node, string pointer)
    {
        var type = JsonValues.AsString(node["Type"])
            ?? throw new AslDefinitionException($"State '{name}': 'Type' must be a string", node.ContainsKey("Type") ? pointer + "/Type" : pointer);
        if (!FieldsByType.TryGetValue(type, out var jsonPathFields))
            throw new AslDefinitionException($"State '{name}': Type '{type}' is not one of {string.Join(", ", FieldsByType.Keys)}", pointer + "/Type");
        var jsonata = node.ContainsKey("QueryLanguage") ? IsJsonata(node, $"State '{name}'", pointer) : _machineIsJsonata;
        // AWS locates this one at the state (recorded: /States/Pass).
        if (_machineIsJsonata && !jsonata)
            throw new AslDefinitionException($"State '{name}': 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", pointer);
        var fields = jsonata ? JsonataFieldsByType[type] : jsonPathFields;
        foreach (var kv in node)
        {
            if (Common.Contains(kv.Key) || Array.IndexOf(fields, kv.Key) >= 0) continue;
            if (jsonata && JsonPathOnly.Contains(kv.Key))
                throw new AslDefinitionException($"State '{name}': field '{kv.Key}' is a JSONPath field; a JSONata state uses Arguments, Output and {{% %}} expressions instead",
                    $"{pointer}/{kv.Key}");
            if (!jsonata && Array.IndexOf(JsonataFieldsByType[type], kv.Key) >= 0)
                throw new AslDefinitionException($"State '{name}': field '{kv.Key}' needs \"QueryLanguage\": \"JSONata\" (on the state or the machine)", $"{pointer}/{kv.Key}");
            throw new AslDefinitionException($"State '{name}': field '{kv.Key}' is not supported in a {type} state", $"{pointer}/{kv.Key}");
        }
        var reader = new StateReader(this, name, type, node, pointer);
        return jsonata ? reader.ReadJsonata() : reader.Read();
    }
}
