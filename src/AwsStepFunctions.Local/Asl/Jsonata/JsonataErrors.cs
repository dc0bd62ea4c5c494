using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>A JSONata expression that cannot be parsed; thrown at CreateStateMachine time, never while a run is under way.</summary>
internal sealed class JsonataSyntaxException : FormatException
{
    public JsonataSyntaxException(string code, int position, string problem)
        : base($"Syntax error at position {position}: {code}: {problem}")
    {
        Code = code;
        Position = position;
    }

    /// <summary>The reference implementation's message for <paramref name="code"/>, filled from the offending token.</summary>
    public static JsonataSyntaxException Reference(string code, int position, object? token = null, object? value = null) =>
        new(code, position, JsonataMessages.Fill(code, new JsonataMessages.Inserts { Token = token, Value = value }));

    /// <summary>The JSONata error code (S0xxx) that the reference implementation would report.</summary>
    public string Code { get; }

    public int Position { get; }
}

/// <summary>
/// A failure while evaluating; Code follows the JSONata reference (T for type, D for dynamic). U codes are this engine's:
/// limits (U1001), what it refuses (U1002), and where the reference fails with a JavaScript error (U1003).
/// </summary>
internal sealed class JsonataEvaluationException : Exception
{
    public JsonataEvaluationException(string code, string message)
        : base($"{code}: {message}")
    {
        Code = code;
    }

    /// <summary>The reference implementation's message for <paramref name="code"/>, word for word.</summary>
    public static JsonataEvaluationException Reference(string code, JsonataMessages.Inserts inserts = default) =>
        new(code, JsonataMessages.Fill(code, inserts));

    public string Code { get; }
}

/// <summary>
/// The messages of jsonata-js 2.0.6 (its errorCodes table), the version Step Functions documents. AWS passes them
/// through unchanged in an error's cause, so they are kept word for word, double spaces and all.
/// </summary>
internal static class JsonataMessages
{
    /// <summary>The properties a jsonata-js error carries; null is JavaScript's undefined.</summary>
    public readonly record struct Inserts(object? Token = null, object? Value = null, object? Value2 = null, object? Index = null,
        object? Type = null, object? Exp = null, string? Message = null, string? FunctionName = null);

    private static readonly Dictionary<string, string> Templates = new(StringComparer.Ordinal)
    {
        ["S0101"] = "String literal must be terminated by a matching quote",
        ["S0102"] = "Number out of range: {{token}}",
        ["S0103"] = "Unsupported escape sequence: \\{{token}}",
        ["S0104"] = "The escape sequence \\u must be followed by 4 hex digits",
        ["S0105"] = "Quoted property name must be terminated with a backquote (`)",
        ["S0106"] = "Comment has no closing tag",
        ["S0201"] = "Syntax error: {{token}}",
        ["S0202"] = "Expected {{value}}, got {{token}}",
        ["S0203"] = "Expected {{value}} before end of expression",
        ["S0204"] = "Unknown operator: {{token}}",
        ["S0207"] = "Unexpected end of expression",
        ["S0208"] = "Parameter {{value}} of function definition must be a variable name (start with $)",
        ["S0209"] = "A predicate cannot follow a grouping expression in a step",
        ["S0210"] = "Each step can only have one grouping expression",
        ["S0211"] = "The symbol {{token}} cannot be used as a unary operator",
        ["S0212"] = "The left side of := must be a variable name (start with $)",
        ["S0213"] = "The literal value {{value}} cannot be used as a step within a path expression",
        ["S0214"] = "The right side of {{token}} must be a variable name (start with $)",
        ["S0215"] = "A context variable binding must precede any predicates on a step",
        ["S0216"] = "A context variable binding must precede the 'order-by' clause on a step",
        ["S0217"] = "The object representing the 'parent' cannot be derived from this expression",
        ["S0301"] = "Empty regular expressions are not allowed",
        ["S0302"] = "No terminating / in regular expression",
        ["T0410"] = "Argument {{index}} of function {{token}} does not match function signature",
        ["T0411"] = "Context value is not a compatible type with argument {{index}} of function {{token}}",
        ["T0412"] = "Argument {{index}} of function {{token}} must be an array of {{type}}",
        ["D1001"] = "Number out of range: {{value}}",
        ["D1002"] = "Cannot negate a non-numeric value: {{value}}",
        ["T1003"] = "Key in object structure must evaluate to a string; got: {{value}}",
        ["D1004"] = "Regular expression matches zero length string",
        ["T1005"] = "Attempted to invoke a non-function. Did you mean ${{{token}}}?",
        ["T1006"] = "Attempted to invoke a non-function",
        ["T1007"] = "Attempted to partially apply a non-function. Did you mean ${{{token}}}?",
        ["T1008"] = "Attempted to partially apply a non-function",
        ["D1009"] = "Multiple key definitions evaluate to same key: {{value}}",
        ["T2001"] = "The left side of the {{token}} operator must evaluate to a number",
        ["T2002"] = "The right side of the {{token}} operator must evaluate to a number",
        ["T2003"] = "The left side of the range operator (..) must evaluate to an integer",
        ["T2004"] = "The right side of the range operator (..) must evaluate to an integer",
        ["T2006"] = "The right side of the function application operator ~> must be a function",
        ["T2007"] = "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause",
        ["T2008"] = "The expressions within an order-by clause must evaluate to numeric or string values",
        ["T2009"] = "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type",
        ["T2010"] = "The expressions either side of operator {{token}} must evaluate to numeric or string values",
        ["T2011"] = "The insert/update clause of the transform expression must evaluate to an object: {{value}}",
        ["T2012"] = "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}",
        // 2.0.6 says 1e6 although it allows ten million; 2.1 corrected the text. AWS runs 2.0.6.
        ["D2014"] = "The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate {{value}}.",
        ["D3001"] = "Attempting to invoke string function on Infinity or NaN",
        ["D3010"] = "Second argument of replace function cannot be an empty string",
        ["D3011"] = "Fourth argument of replace function must evaluate to a positive number",
        ["D3012"] = "Attempted to replace a matched string with a non-string value",
        ["D3020"] = "Third argument of split function must evaluate to a positive number",
        ["D3030"] = "Unable to cast value to a number: {{value}}",
        ["D3040"] = "Third argument of match function must evaluate to a positive number",
        ["D3050"] = "The second argument of reduce function must be a function with at least two arguments",
        ["D3060"] = "The sqrt function cannot be applied to a negative number: {{value}}",
        ["D3061"] = "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}",
        ["D3070"] = "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
        ["D3080"] = "The picture string must only contain a maximum of two sub-pictures",
        ["D3081"] = "The sub-picture must not contain more than one instance of the 'decimal-separator' character",
        ["D3082"] = "The sub-picture must not contain more than one instance of the 'percent' character",
        ["D3083"] = "The sub-picture must not contain more than one instance of the 'per-mille' character",
        ["D3084"] = "The sub-picture must not contain both a 'percent' and a 'per-mille' character",
        ["D3085"] = "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'",
        ["D3086"] = "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character",
        ["D3087"] = "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character",
        ["D3088"] = "The sub-picture must not contain a 'grouping-separator' at the end of the integer part",
        ["D3089"] = "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character",
        ["D3090"] = "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'",
        ["D3091"] = "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'",
        ["D3092"] = "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'",
        ["D3093"] = "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'",
        ["D3100"] = "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}",
        ["D3110"] = "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}",
        ["D3130"] = "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation",
        ["D3132"] = "Unknown component specifier {{value}} in date/time picture string",
        ["D3135"] = "No matching closing bracket ']' in date/time picture string",
        ["D3137"] = "{{{message}}}",
        ["D3138"] = "The $single() function expected exactly 1 matching result.  Instead it matched more.",
        ["D3139"] = "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
        ["D3140"] = "Malformed URL passed to ${{{functionName}}}(): {{value}}",
        ["D3141"] = "{{{message}}}",
    };

    /// <summary>
    /// The template with its inserts: <c>{{{name}}}</c> takes the property as text, then <c>{{name}}</c> takes it as
    /// JavaScript's JSON.stringify writes it (a string is quoted, undefined reads "undefined"). Two passes, as in the
    /// reference, so braces inside an $error() message are filled too.
    /// </summary>
    public static string Fill(string code, Inserts inserts)
    {
        var message = RawInsert.Replace(Templates[code], m => Property(code, inserts, m.Groups[1].Value) is string text
            ? text
            : Stringify(Property(code, inserts, m.Groups[1].Value)));
        return JsonInsert.Replace(message, m => Stringify(Property(code, inserts, m.Groups[1].Value)));
    }

    private static readonly Regex RawInsert = new(@"\{\{\{([^}]+)}}}", RegexOptions.CultureInvariant);
    private static readonly Regex JsonInsert = new(@"\{\{([^}]+)}}", RegexOptions.CultureInvariant);

    private static object? Property(string code, Inserts inserts, string name) => name switch
    {
        "code" => code,
        "token" => inserts.Token,
        "value" => inserts.Value,
        "value2" => inserts.Value2,
        "index" => inserts.Index,
        "type" => inserts.Type,
        "exp" => inserts.Exp,
        "message" => inserts.Message,
        "functionName" => inserts.FunctionName,
        _ => null,
    };

    /// <summary>JSON.stringify without a replacer: unlike $string, numbers keep every digit and NaN or infinity is null.</summary>
    public static string Stringify(object? value)
    {
        if (value is null or JsonataFunction) return "undefined";
        var builder = new StringBuilder();
        Write(builder, value);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, object? value)
    {
        switch (value)
        {
            // Inside an array, undefined and functions become null; object members holding them are skipped.
            case null or JsonataNull or JsonataFunction:
                builder.Append("null");
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case double d:
                builder.Append(double.IsFinite(d) ? NumberText.JavaScriptLayout(d) : "null");
                break;
            case int n:
                builder.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case string s:
                NumberText.Quote(builder, s);
                break;
            case JsonataArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) builder.Append(',');
                    Write(builder, array[i]);
                }
                builder.Append(']');
                break;
            case JsonataObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, item) in obj)
                {
                    if (item is null or JsonataFunction) continue;
                    if (!first) builder.Append(',');
                    first = false;
                    NumberText.Quote(builder, key);
                    builder.Append(':');
                    Write(builder, item);
                }
                builder.Append('}');
                break;
            default:
                throw new InvalidOperationException($"Unexpected JSONata value {value.GetType().Name}");
        }
    }
}
