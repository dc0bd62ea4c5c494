using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// Reads and checks the fields of one state; every message starts with "State '&lt;name&gt;':" and is located at the state's
/// JSON pointer, or at the field's when the problem is one field's (<c>field</c> is a path below the state, e.g. "Retry[0]").
/// </summary>
internal sealed partial class StateReader(DefinitionReader owner, string name, string type, JsonObject node, string pointer)
{
    private AslDefinitionException Error(string message, string? field = null) =>
        new($"State '{name}': {message}", field is null ? pointer : $"{pointer}/{field}");

    private (string? Next, bool End) ReadTransition()
    {
        if (Array.IndexOf(DefinitionReader.FieldsByType[type], "End") < 0) return (null, false);
        var next = OptionalString("Next");
        var end = node["End"] is { } e && (JsonValues.IsBoolean(e) ? e.GetValue<bool>() : throw Error("'End' must be a boolean", "End"));
        if ((next is null) == !end) throw Error("needs exactly one of 'Next' or 'End': true");
        return (next, end);
    }

    public StateSpec Read()
    {
        var (next, end) = ReadTransition();
        var retry = ReadRetry();
        var waitCount = new[] { "Seconds", "SecondsPath", "Timestamp", "TimestampPath" }.Count(node.ContainsKey);
        if (type == "Wait" && waitCount != 1) throw Error("Wait needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
        if (type == "Fail" && node.ContainsKey("Error") && node.ContainsKey("ErrorPath")) throw Error("Fail takes 'Error' or 'ErrorPath', not both");
        if (type == "Fail" && node.ContainsKey("Cause") && node.ContainsKey("CausePath")) throw Error("Fail takes 'Cause' or 'CausePath', not both");

        var spec = new StateSpec
        {
            Name = name,
            Type = type,
            Next = next,
            End = end,
            InputPath = OptionalPath("InputPath", allowWildcards: true),
            OutputPath = OptionalPath("OutputPath", allowWildcards: true),
            ResultPath = OptionalPath("ResultPath", allowWildcards: false),
            // For Map, Parameters is the older name of ItemSelector (applied per item), not a state-level template.
            Parameters = type == "Map" ? null : Template("Parameters"),
            ResultSelector = Template("ResultSelector"),
            Assign = Assignments(node, where: null),
            HasResult = node.ContainsKey("Result"),
            Result = node["Result"]?.DeepClone(),
            Seconds = NonNegativeInteger("Seconds"),
            SecondsPath = RequiredPath("SecondsPath"),
            Timestamp = ReadTimestamp(),
            TimestampPath = RequiredPath("TimestampPath"),
            Choices = type == "Choice" ? ReadChoices() : Array.Empty<ChoiceBranch>(),
            Default = OptionalString("Default"),
            Error = OptionalString("Error"),
            Cause = OptionalString("Cause"),
            ErrorPath = Expression("ErrorPath"),
            CausePath = Expression("CausePath"),
            Resource = type == "Task" ? RequiredString("Resource") : null,
            TimeoutSeconds = PositiveInteger("TimeoutSeconds"),
            HeartbeatSeconds = PositiveInteger("HeartbeatSeconds"),
            TimeoutSecondsPath = type == "Task" ? RequiredPath("TimeoutSecondsPath") : null,
            HeartbeatSecondsPath = type == "Task" ? RequiredPath("HeartbeatSecondsPath") : null,
            Credentials = ReadCredentials(),
            Retry = retry,
            Catch = ReadCatch(jsonata: false),
            Branches = type == "Parallel" ? ReadBranches() : Array.Empty<StatesBlock>(),
            ItemsPath = OptionalPath("ItemsPath", allowWildcards: true),
            ItemSelector = type == "Map" ? Template("ItemSelector") ?? Template("Parameters") : null,
            ItemProcessor = type == "Map" ? ReadItemProcessor() : null,
            Distributed = type == "Map" ? ReadDistributed(jsonata: false) : null,
            MaxConcurrency = (int)(NonNegativeInteger("MaxConcurrency") ?? 0),
            MaxConcurrencyPath = type == "Map" ? RequiredPath("MaxConcurrencyPath") : null,
        };
        if (spec.HeartbeatSeconds is { } hb && hb >= (spec.TimeoutSeconds ?? 99999999))
            throw Error("'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'");
        if (type == "Map" && node.ContainsKey("ItemSelector") && node.ContainsKey("Parameters"))
            throw Error("Map takes 'ItemSelector' or the older 'Parameters', not both");
        foreach (var field in new[] { "TimeoutSeconds", "HeartbeatSeconds" })
            if (type == "Task" && node.ContainsKey(field) && node.ContainsKey(field + "Path"))
                throw Error($"Task takes '{field}' or '{field}Path', not both");
        if (type == "Map" && node.ContainsKey("MaxConcurrency") && node.ContainsKey("MaxConcurrencyPath"))
            throw Error("Map takes 'MaxConcurrency' or 'MaxConcurrencyPath', not both");
        return spec;
    }

    /// <summary>A Task's Credentials: one member, RoleArn (a literal, checked now) or RoleArn.$ (a path or intrinsic function).</summary>
    private PayloadTemplate? ReadCredentials()
    {
        if (!node.TryGetPropertyValue("Credentials", out var value)) return null;
        if (value is not JsonObject credentials || credentials.Count != 1 || !(credentials.ContainsKey("RoleArn") || credentials.ContainsKey("RoleArn.$")))
            throw Error($"'Credentials' must be an object with one member, RoleArn (or RoleArn.$ with a path or intrinsic function), got {JsonValues.Serialize(value)}",
                "Credentials");
        if (credentials.ContainsKey("RoleArn") && TaskCredentials.Problem(credentials, out _) is { } problem) throw Error($"'Credentials' {problem}", "Credentials");
        return Template("Credentials");
    }

    private string? OptionalString(string field) => node[field] switch
    {
        null when !node.ContainsKey(field) => null,
        var v when JsonValues.IsString(v) => v!.GetValue<string>(),
        _ => throw Error($"'{field}' must be a string", field),
    };

    private string RequiredString(string field) => OptionalString(field) ?? throw Error($"'{field}' is required");

    private JsonPath? OptionalPath(string field, bool allowWildcards)
    {
        if (!node.TryGetPropertyValue(field, out var value)) return StateSpec.Root;
        if (value is null) return null;
        var path = ParsePath(field, value);
        if (!allowWildcards && (!path.IsReference || path.IsContext || path.Variable is not null))
            throw Error($"'{field}' must be a reference path (no wildcards, not the context object, not a variable), got '{path.Text}'", field);
        return path;
    }

    private JsonPath? RequiredPath(string field) => node.TryGetPropertyValue(field, out var v) ? ParsePath(field, v) : null;

    private JsonPath ParsePath(string field, JsonNode? value)
    {
        // A catcher's ResultPath comes as "Catch[0].ResultPath"; its pointer is Catch[0]/ResultPath.
        var at = field.Replace('.', '/');
        var text = JsonValues.AsString(value) ?? throw Error($"'{field}' must be a path string or null", at);
        try { return JsonPath.Parse(text); }
        catch (FormatException ex) { throw Error($"{field}: {ex.Message}", at); }
    }

    private ValueExpression? Expression(string field)
    {
        if (!node.TryGetPropertyValue(field, out var value)) return null;
        var text = JsonValues.AsString(value) ?? throw Error($"'{field}' must be a path or intrinsic function string", field);
        try { return ValueExpression.Compile(text); }
        catch (FormatException ex) { throw Error($"{field}: {ex.Message}", field); }
    }

    private PayloadTemplate? Template(string field)
    {
        if (!node.TryGetPropertyValue(field, out var value)) return null;
        try { return PayloadTemplate.Compile(value); }
        catch (FormatException ex) { throw Error($"{field}: {ex.Message}", field); }
    }

    /// <summary>The Assign field of the state, of a Choice rule or of a catcher (<paramref name="where"/> names the catcher).</summary>
    private AssignTemplate? Assignments(JsonObject owner, string? where)
    {
        if (!owner.TryGetPropertyValue("Assign", out var value)) return null;
        try { return AssignTemplate.Compile(value); }
        catch (FormatException ex) { throw Error(where is null ? ex.Message : $"{where}: {ex.Message}", where is null ? "Assign" : $"{where}/Assign"); }
    }

    private long? NonNegativeInteger(string field)
    {
        if (!node.TryGetPropertyValue(field, out var value)) return null;
        if (!JsonValues.TryGetInteger(value, out var n) || n < 0 || n > 99999999) throw Error($"'{field}' must be an integer from 0 to 99999999", field);
        return n;
    }

    private long? PositiveInteger(string field)
    {
        var n = NonNegativeInteger(field);
        if (n == 0) throw Error($"'{field}' must be a positive integer", field);
        return n;
    }

    private DateTimeOffset? ReadTimestamp()
    {
        if (!node.TryGetPropertyValue("Timestamp", out var value)) return null;
        return JsonValues.TryGetTimestamp(value, out var ts) ? ts
            : throw Error($"'Timestamp' must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z, got {JsonValues.Serialize(value)}", "Timestamp");
    }

    private IReadOnlyList<ChoiceBranch> ReadChoices()
    {
        if (node["Choices"] is not JsonArray list || list.Count == 0) throw Error("'Choices' must be a non-empty array", "Choices");
        var result = new List<ChoiceBranch>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject rule) throw Error($"Choices[{i}] must be an object", $"Choices[{i}]");
            try { result.Add(new ChoiceBranch(ChoiceRule.Parse(rule, top: true), rule["Next"]!.GetValue<string>(), Assignments(rule, $"Choices[{i}]"))); }
            catch (FormatException ex) { throw Error($"Choices[{i}]: {ex.Message}", $"Choices[{i}]"); }
        }
        return result;
    }

    private IReadOnlyList<Retrier> ReadRetry()
    {
        if (!node.TryGetPropertyValue("Retry", out var value)) return Array.Empty<Retrier>();
        if (value is not JsonArray list) throw Error("'Retry' must be an array", "Retry");
        var result = new List<Retrier>();
        for (var i = 0; i < list.Count; i++)
        {
            var where = $"Retry[{i}]";
            if (list[i] is not JsonObject r) throw Error($"{where} must be an object", where);
            foreach (var kv in r)
                if (kv.Key is not ("ErrorEquals" or "IntervalSeconds" or "MaxAttempts" or "BackoffRate" or "MaxDelaySeconds" or "JitterStrategy" or "Comment"))
                    throw Error($"{where}: field '{kv.Key}' is not supported", where);
            var errors = ReadErrorEquals(r, where, i == list.Count - 1);
            var interval = Number(r, "IntervalSeconds", where, 1, min: 1, integer: true);
            var attempts = Number(r, "MaxAttempts", where, 3, min: 0, integer: true);
            var backoff = Number(r, "BackoffRate", where, 2.0, min: 1, integer: false);
            double? maxDelay = r.ContainsKey("MaxDelaySeconds") ? Number(r, "MaxDelaySeconds", where, 0, min: 1, integer: true) : null;
            var jitter = JsonValues.AsString(r["JitterStrategy"]) ?? (r.ContainsKey("JitterStrategy") ? "?" : "NONE");
            if (jitter is not ("FULL" or "NONE")) throw Error($"{where}: 'JitterStrategy' must be FULL or NONE", where);
            result.Add(new Retrier(errors, interval, (int)attempts, backoff, maxDelay, jitter == "FULL"));
        }
        return result;
    }

    private IReadOnlyList<Catcher> ReadCatch(bool jsonata)
    {
        if (!node.TryGetPropertyValue("Catch", out var value)) return Array.Empty<Catcher>();
        if (value is not JsonArray list) throw Error("'Catch' must be an array", "Catch");
        var result = new List<Catcher>();
        for (var i = 0; i < list.Count; i++)
        {
            var where = $"Catch[{i}]";
            if (list[i] is not JsonObject c) throw Error($"{where} must be an object", where);
            foreach (var kv in c)
                if (kv.Key is not ("ErrorEquals" or "Next" or "Assign" or "Comment") && kv.Key != (jsonata ? "Output" : "ResultPath"))
                    throw Error($"{where}: field '{kv.Key}' is not supported{(jsonata ? " in a JSONata state (it has Output and Assign)" : "")}", where);
            var errors = ReadErrorEquals(c, where, i == list.Count - 1);
            var next = JsonValues.AsString(c["Next"]) ?? throw Error($"{where}: 'Next' must be a string", where);
            JsonPath? resultPath = StateSpec.Root;
            if (c.TryGetPropertyValue("ResultPath", out var rp))
            {
                resultPath = rp is null ? null : ParsePath($"{where}.ResultPath", rp);
                if (resultPath is { IsReference: false } or { IsContext: true } or { Variable: not null })
                    throw Error($"{where}: 'ResultPath' must be a reference path", where);
            }
            if (jsonata)
            {
                result.Add(new Catcher(errors, next, null, JsonataAssignments(c, where)) { Output = Jsonata(c, "Output", where: where) });
                continue;
            }
            result.Add(new Catcher(errors, next, resultPath, Assignments(c, where)));
        }
        return result;
    }

    private IReadOnlyList<string> ReadErrorEquals(JsonObject r, string where, bool isLast)
    {
        if (r["ErrorEquals"] is not JsonArray list || list.Count == 0) throw Error($"{where}: 'ErrorEquals' must be a non-empty array of strings", where);
        var names = list.Select(x => JsonValues.AsString(x) ?? throw Error($"{where}: 'ErrorEquals' must hold strings", where)).ToList();
        if (names.Contains(ErrorNames.All))
        {
            if (names.Count != 1) throw Error($"{where}: 'States.ALL' must appear alone in ErrorEquals", where);
            if (!isLast) throw Error($"{where}: a rule with 'States.ALL' must be the last one", where);
        }
        return names;
    }

    private double Number(JsonObject r, string field, string where, double fallback, double min, bool integer)
    {
        if (!r.TryGetPropertyValue(field, out var value)) return fallback;
        if (!JsonValues.IsNumber(value)) throw Error($"{where}: '{field}' must be a number", where);
        var n = JsonValues.ToDouble(value!);
        if (n < min || (integer && Math.Floor(n) != n) || n > 99999999)
            throw Error($"{where}: '{field}' must be {(integer ? "an integer" : "a number")} of at least {min}", where);
        return n;
    }

    private IReadOnlyList<StatesBlock> ReadBranches()
    {
        if (node["Branches"] is not JsonArray list || list.Count == 0) throw Error("'Branches' must be a non-empty array", "Branches");
        return list.Select((b, i) => b is JsonObject o ? owner.ReadBlock(o, $"State '{name}' Branches[{i}]", DefinitionReader.BlockKind.Branch, $"{pointer}/Branches/{i}")
            : throw Error($"Branches[{i}] must be an object", $"Branches/{i}")).ToList();
    }

    private StatesBlock ReadItemProcessor()
    {
        var hasProcessor = node.ContainsKey("ItemProcessor");
        if (hasProcessor == node.ContainsKey("Iterator")) throw Error("Map needs exactly one of 'ItemProcessor' or 'Iterator'");
        var field = hasProcessor ? "ItemProcessor" : "Iterator";
        return node[field] is JsonObject o ? owner.ReadBlock(o, $"State '{name}' {field}", DefinitionReader.BlockKind.ItemProcessor, $"{pointer}/{field}")
            : throw Error($"'{field}' must be an object", field);
    }
}
