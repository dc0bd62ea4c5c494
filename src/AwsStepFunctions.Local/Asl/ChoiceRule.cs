using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>A Choice rule: a comparison on a Variable, or And/Or/Not of nested rules. Top-level rules carry Next.</summary>
internal abstract class ChoiceRule
{
    public abstract bool Evaluate(EvalScope scope);

    private static readonly string[] ComparisonKinds = { "String", "Numeric", "Boolean", "Timestamp" };

    private static readonly HashSet<string> Operators = BuildOperators();

    private static HashSet<string> BuildOperators()
    {
        var set = new HashSet<string>(StringComparer.Ordinal) { "StringMatches", "BooleanEquals", "BooleanEqualsPath",
            "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp" };
        foreach (var kind in new[] { "String", "Numeric", "Timestamp" })
            foreach (var op in new[] { "Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals" })
            {
                set.Add(kind + op);
                set.Add(kind + op + "Path");
            }
        return set;
    }

    /// <summary>Parses one rule object; throws FormatException naming the field. <paramref name="top"/> rules need Next.</summary>
    public static ChoiceRule Parse(JsonObject rule, bool top)
    {
        if (!top && rule.ContainsKey("Next")) throw new FormatException("'Next' is only allowed on top-level Choice rules");
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "Variable", "And", "Or", "Not", "Comment" };
        if (top) { allowed.Add("Next"); allowed.Add("Assign"); }
        allowed.UnionWith(Operators);
        foreach (var kv in rule)
            if (!allowed.Contains(kv.Key)) throw new FormatException($"field '{kv.Key}' is not supported in a Choice rule");

        if (top && JsonValues.AsString(rule["Next"]) is null) throw new FormatException("every top-level Choice rule needs a string 'Next'");
        if (!top && rule.ContainsKey("Next")) throw new FormatException("'Next' is only allowed on top-level Choice rules");

        var present = rule.Where(kv => kv.Key is "And" or "Or" or "Not" || Operators.Contains(kv.Key)).Select(kv => kv.Key).ToList();
        if (present.Count != 1)
            throw new FormatException($"a Choice rule needs exactly one comparison operator or And/Or/Not, found {(present.Count == 0 ? "none" : string.Join(", ", present))}");
        var op = present[0];
        var operand = rule[op];

        switch (op)
        {
            case "And" or "Or":
                if (rule.ContainsKey("Variable")) throw new FormatException($"'{op}' rules do not take 'Variable'");
                if (operand is not JsonArray list || list.Count == 0) throw new FormatException($"'{op}' needs a non-empty array of rules");
                var children = list.Select(x => x is JsonObject o ? Parse(o, false) : throw new FormatException($"'{op}' items must be objects")).ToArray();
                return op == "And" ? new AllRule(children) : new AnyRule(children);
            case "Not":
                if (rule.ContainsKey("Variable")) throw new FormatException("'Not' rules do not take 'Variable'");
                return new NotRule(operand is JsonObject n ? Parse(n, false) : throw new FormatException("'Not' needs a rule object"));
        }

        var variableText = JsonValues.AsString(rule["Variable"]) ?? throw new FormatException($"'{op}' needs a string 'Variable'");
        JsonPath variable;
        try { variable = JsonPath.Parse(variableText); }
        catch (FormatException ex) { throw new FormatException($"Variable: {ex.Message}"); }

        if (op.EndsWith("Path", StringComparison.Ordinal))
        {
            var pathText = JsonValues.AsString(operand) ?? throw new FormatException($"'{op}' needs a path string");
            try { return new Comparison(variable, op.Substring(0, op.Length - 4), null, JsonPath.Parse(pathText)); }
            catch (FormatException ex) { throw new FormatException($"{op}: {ex.Message}"); }
        }
        CheckOperand(op, operand);
        return new Comparison(variable, op, operand?.DeepClone(), null);
    }

    private static void CheckOperand(string op, JsonNode? operand)
    {
        bool ok = op switch
        {
            "IsNull" or "IsPresent" or "IsNumeric" or "IsString" or "IsBoolean" or "IsTimestamp" or "BooleanEquals" => JsonValues.IsBoolean(operand),
            _ when op.StartsWith("String", StringComparison.Ordinal) => JsonValues.IsString(operand),
            _ when op.StartsWith("Numeric", StringComparison.Ordinal) => JsonValues.IsNumber(operand),
            _ when op.StartsWith("Timestamp", StringComparison.Ordinal) => JsonValues.TryGetTimestamp(operand, out _),
            _ => false,
        };
        if (!ok)
        {
            var expected = op switch
            {
                _ when op.StartsWith("Is", StringComparison.Ordinal) || op == "BooleanEquals" => "a boolean",
                _ when op.StartsWith("String", StringComparison.Ordinal) => "a string",
                _ when op.StartsWith("Numeric", StringComparison.Ordinal) => "a number",
                _ => "an RFC 3339 timestamp string",
            };
            throw new FormatException($"'{op}' needs {expected}, got {JsonValues.Serialize(operand)}");
        }
    }

    private sealed class AllRule(ChoiceRule[] rules) : ChoiceRule
    {
        public override bool Evaluate(EvalScope scope) => rules.All(r => r.Evaluate(scope));
    }

    private sealed class AnyRule(ChoiceRule[] rules) : ChoiceRule
    {
        public override bool Evaluate(EvalScope scope) => rules.Any(r => r.Evaluate(scope));
    }

    private sealed class NotRule(ChoiceRule rule) : ChoiceRule
    {
        public override bool Evaluate(EvalScope scope) => !rule.Evaluate(scope);
    }

    private sealed class Comparison(JsonPath variable, string op, JsonNode? operand, JsonPath? operandPath) : ChoiceRule
    {
        public override bool Evaluate(EvalScope scope)
        {
            var found = scope.TryRead(variable, out var value);
            if (op == "IsPresent") return found == operand!.GetValue<bool>();
            if (!found)
                throw StatesError.Runtime($"Invalid path '{variable.Text}': The choice state's condition path references an invalid value.");

            switch (op)
            {
                case "IsNull": return (JsonValues.Kind(value) == JsonValueKind.Null) == operand!.GetValue<bool>();
                case "IsNumeric": return JsonValues.IsNumber(value) == operand!.GetValue<bool>();
                case "IsString": return JsonValues.IsString(value) == operand!.GetValue<bool>();
                case "IsBoolean": return JsonValues.IsBoolean(value) == operand!.GetValue<bool>();
                case "IsTimestamp": return JsonValues.TryGetTimestamp(value, out _) == operand!.GetValue<bool>();
                case "StringMatches": return JsonValues.AsString(value) is { } s && Wildcard.Matches(operand!.GetValue<string>(), s);
            }

            var expected = operand;
            if (operandPath is not null && !scope.TryRead(operandPath, out expected))
                throw StatesError.Runtime($"Invalid path '{operandPath.Text}': The choice state's condition path references an invalid value.");

            var kind = ComparisonKinds.First(k => op.StartsWith(k, StringComparison.Ordinal));
            var relation = op.Substring(kind.Length);
            int? order = kind switch
            {
                "String" when JsonValues.IsString(value) && JsonValues.IsString(expected) =>
                    string.CompareOrdinal(value!.GetValue<string>(), expected!.GetValue<string>()),
                "Numeric" when JsonValues.IsNumber(value) && JsonValues.IsNumber(expected) =>
                    JsonValues.ToDouble(value!).CompareTo(JsonValues.ToDouble(expected!)),
                "Boolean" when JsonValues.IsBoolean(value) && JsonValues.IsBoolean(expected) =>
                    value!.GetValue<bool>() == expected!.GetValue<bool>() ? 0 : 1,
                "Timestamp" when JsonValues.TryGetTimestamp(value, out var a) && JsonValues.TryGetTimestamp(expected, out var b) =>
                    a.CompareTo(b),
                // Mismatched types never match (the service does not coerce).
                _ => null,
            };
            if (order is null) return false;
            return relation switch
            {
                "Equals" => order == 0,
                "LessThan" => order < 0,
                "GreaterThan" => order > 0,
                "LessThanEquals" => order <= 0,
                "GreaterThanEquals" => order >= 0,
                _ => false,
            };
        }
    }
}

/// <summary>StringMatches: <c>*</c> matches any run of characters; <c>\*</c> and <c>\\</c> are literal.</summary>
internal static class Wildcard
{
    public static bool Matches(string pattern, string text)
    {
        // Tokenise into literal chars and wildcards, then match greedily with backtracking.
        var tokens = new List<(bool Star, char C)>();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length) { tokens.Add((false, pattern[++i])); continue; }
            tokens.Add((pattern[i] == '*', pattern[i]));
        }
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < tokens.Count && !tokens[p].Star && tokens[p].C == text[t]) { p++; t++; }
            else if (p < tokens.Count && tokens[p].Star) { starP = p++; starT = t; }
            else if (starP >= 0) { p = starP + 1; t = ++starT; }
            else return false;
        }
        while (p < tokens.Count && tokens[p].Star) p++;
        return p == tokens.Count;
    }
}
