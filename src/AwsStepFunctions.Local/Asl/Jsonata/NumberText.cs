using System;
using System.Globalization;
using System.Text;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>Numbers and values as text the way JSONata (on JavaScript) writes them: $string, the &amp; operator, keys.</summary>
internal static class NumberText
{
    /// <summary>JSONata rounds to 15 significant digits before writing, so 0.1 + 0.2 reads "0.3".</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "Infinity" : "-Infinity";
        // Integers are exact already; only fractions are rounded (5890840712243076 stays as it is).
        if (Math.Floor(value) == value) return JavaScriptLayout(value);
        var rounded = double.Parse(value.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return JavaScriptLayout(rounded);
    }

    // ECMAScript Number::toString: shortest round-trip digits, positional between 1e-7 and 1e21, exponent otherwise.
    public static string JavaScriptLayout(double value)
    {
        if (value == 0) return "0";
        var negative = value < 0;
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : "";
        var digits = (integerPart + fraction).TrimStart('0');
        var leadingZeros = (integerPart + fraction).Length - digits.Length;
        // n: where the decimal point sits relative to the first significant digit.
        var n = integerPart.Length - leadingZeros + exponent;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) return "0";
        var k = digits.Length;
        var builder = new StringBuilder();
        if (negative) builder.Append('-');
        if (k <= n && n <= 21) builder.Append(digits).Append('0', n - k);
        else if (0 < n && n <= 21) builder.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        else if (-6 < n && n <= 0) builder.Append("0.").Append('0', -n).Append(digits);
        else
        {
            builder.Append(digits[0]);
            if (k > 1) builder.Append('.').Append(digits, 1, k - 1);
            var power = n - 1;
            builder.Append('e').Append(power >= 0 ? '+' : '-').Append(Math.Abs(power).ToString(CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>JSON.stringify with JSONata's number rounding; functions become "" and undefined members are skipped.</summary>
    public static string Stringify(object? value, bool pretty)
    {
        var builder = new StringBuilder();
        Write(builder, value, pretty, 0);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, object? value, bool pretty, int depth)
    {
        switch (value)
        {
            case null or JsonataNull:
                builder.Append("null");
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case double d:
                if (double.IsNaN(d) || double.IsInfinity(d)) builder.Append("null");
                else builder.Append(Format(d));
                break;
            case string s:
                Quote(builder, s);
                break;
            case JsonataFunction:
                builder.Append("\"\"");
                break;
            case JsonataArray array:
                if (array.Count == 0) { builder.Append("[]"); break; }
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) builder.Append(',');
                    NewLine(builder, pretty, depth + 1);
                    Write(builder, array[i], pretty, depth + 1);
                }
                NewLine(builder, pretty, depth);
                builder.Append(']');
                break;
            case JsonataObject obj:
                var first = true;
                builder.Append('{');
                foreach (var (key, item) in obj)
                {
                    if (item is null) continue;
                    if (!first) builder.Append(',');
                    first = false;
                    NewLine(builder, pretty, depth + 1);
                    Quote(builder, key);
                    builder.Append(pretty ? ": " : ":");
                    Write(builder, item, pretty, depth + 1);
                }
                if (!first) NewLine(builder, pretty, depth);
                builder.Append('}');
                break;
        }
    }

    private static void NewLine(StringBuilder builder, bool pretty, int depth)
    {
        if (!pretty) return;
        builder.Append('\n').Append(' ', depth * 2);
    }

    /// <summary>As JSON.stringify quotes: a lone surrogate is escaped (\ud800) rather than written as an invalid character.</summary>
    public static void Quote(StringBuilder builder, string text)
    {
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                : char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]);
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || (char.IsSurrogate(c) && !paired))
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }
        builder.Append('"');
    }
}
