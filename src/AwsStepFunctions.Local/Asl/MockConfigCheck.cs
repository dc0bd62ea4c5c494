using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// Checks a MockConfigFile's shape when the endpoint starts (--mock-config, SFN_MOCK_CONFIG), so a mistake is named with its
/// place in the file before any execution runs, instead of failing some Task with States.Runtime later. The rules are the
/// format's (see <see cref="MockResponses"/>): test cases map state names to mocked responses that exist, and every
/// response entry is keyed by a zero-based invocation number or range and holds one Return or one Throw.
/// </summary>
internal static class MockConfigCheck
{
    /// <summary>Every problem found, each naming where it is (e.g. <c>MockedResponses.Declined."1-0"</c>); empty when the config is sound.</summary>
    public static IReadOnlyList<string> Problems(JsonObject config)
    {
        var problems = new List<string>();
        var responses = config["MockedResponses"];
        if (responses is not null and not JsonObject) problems.Add("MockedResponses must be an object of named responses");
        if (responses is JsonObject named)
            foreach (var (name, response) in named) CheckResponse(name, response, problems);

        var machines = config["StateMachines"];
        if (machines is not null and not JsonObject) problems.Add("StateMachines must be an object of state machine names");
        if (machines is JsonObject byName)
        {
            foreach (var (machine, body) in byName)
            {
                var at = $"StateMachines.{Quote(machine)}";
                if (body is not JsonObject machineObject || machineObject["TestCases"] is not JsonObject testCases)
                {
                    problems.Add($"{at} must be an object with a TestCases object");
                    continue;
                }
                foreach (var (testCase, states) in testCases)
                {
                    var caseAt = $"{at}.TestCases.{Quote(testCase)}";
                    if (states is not JsonObject stateMap)
                    {
                        problems.Add($"{caseAt} must be an object mapping Task state names to mocked response names");
                        continue;
                    }
                    foreach (var (state, mock) in stateMap)
                    {
                        var mockName = mock is JsonValue v && v.TryGetValue(out string? text) ? text : null;
                        if (mockName is null) problems.Add($"{caseAt}.{Quote(state)} must be the name of a mocked response (a string)");
                        else if ((responses as JsonObject)?.ContainsKey(mockName) != true)
                            problems.Add($"{caseAt}.{Quote(state)} names the mocked response '{mockName}', which MockedResponses does not define");
                    }
                }
            }
        }
        return problems;
    }

    private static void CheckResponse(string name, JsonNode? response, List<string> problems)
    {
        var at = $"MockedResponses.{Quote(name)}";
        if (response is not JsonObject entries || entries.Count == 0)
        {
            problems.Add($"{at} must be an object of entries keyed by invocation number (\"0\", \"1-2\")");
            return;
        }
        var ranges = new List<(int From, int To, string Key)>();
        foreach (var (key, entry) in entries)
        {
            var entryAt = $"{at}.{Quote(key)}";
            if (!TryRange(key, out var from, out var to))
                problems.Add($"{entryAt}: the key must be a zero-based invocation number or a range such as \"1-2\" (its first number not above its second)");
            else if (ranges.FirstOrDefault(r => from <= r.To && r.From <= to) is { Key: { } other })
                problems.Add($"{entryAt}: its invocations overlap those of \"{other}\" (each invocation must have one entry)");
            else ranges.Add((from, to, key));
            CheckEntry(entryAt, entry, problems);
        }
    }

    private static void CheckEntry(string at, JsonNode? entry, List<string> problems)
    {
        if (entry is not JsonObject body)
        {
            problems.Add($"{at} must be an object with Return or Throw");
            return;
        }
        var returns = body.ContainsKey("Return");
        var throws = body.ContainsKey("Throw");
        if (returns == throws)
        {
            problems.Add(returns ? $"{at} holds both Return and Throw: give one" : $"{at} must hold Return or Throw");
            return;
        }
        if (!throws) return;
        if (body["Throw"] is not JsonObject thrown)
        {
            problems.Add($"{at}.Throw must be an object with Error and Cause");
            return;
        }
        foreach (var field in new[] { "Error", "Cause" })
            if (thrown[field] is { } value && !(value is JsonValue v && v.TryGetValue(out string? _)))
                problems.Add($"{at}.Throw.{field} must be a string");
    }

    private static bool TryRange(string key, out int from, out int to)
    {
        from = to = 0;
        var dash = key.IndexOf('-');
        if (dash < 0) return TryInt(key, out from) && (to = from) >= 0;
        return TryInt(key[..dash], out from) && TryInt(key[(dash + 1)..], out to) && from <= to;
    }

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static string Quote(string name) => name.All(c => char.IsLetterOrDigit(c) || c == '_') && name.Length > 0 ? name : $"\"{name}\"";
}
