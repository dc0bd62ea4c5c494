using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>$formatNumber: the XPath 3.1 format-number picture (digits 0-9 and #, grouping, fraction, exponent, % and per-mille).</summary>
internal static class NumberPicture
{
    private sealed class Symbols
    {
        public string Decimal = ".";
        public string Grouping = ",";
        public string Exponent = "e";
        public string Minus = "-";
        public string Percent = "%";
        public string PerMille = "\u2030";
        public char Zero = '0';
        public string Digit = "#";
        public string Separator = ";";
        public string Infinity = "Infinity";
        public string NaN = "NaN";
    }

    public static string Format(double value, string picture, JsonataObject? options)
    {
        var symbols = new Symbols();
        if (options is not null) ApplyOptions(symbols, options);
        if (double.IsNaN(value)) return symbols.NaN;
        var parts = picture.Split(symbols.Separator);
        if (parts.Length > 2) throw JsonataEvaluationException.Reference("D3080");
        var negative = value < 0;
        var sub = negative && parts.Length == 2 ? parts[1] : parts[0];
        foreach (var part in parts) Validate(part, symbols);
        var (prefix, body, suffix) = Split(sub, symbols);
        if (double.IsInfinity(value)) return Sign(negative, parts.Length, symbols) + prefix + symbols.Infinity + suffix;
        var magnitude = Math.Abs(value);
        if (prefix.Contains(symbols.Percent) || suffix.Contains(symbols.Percent)) magnitude *= 100;
        else if (prefix.Contains(symbols.PerMille) || suffix.Contains(symbols.PerMille)) magnitude *= 1000;
        var text = FormatBody(magnitude, body, symbols);
        return Sign(negative, parts.Length, symbols) + prefix + text + suffix;
    }

    private static string Sign(bool negative, int subpictures, Symbols symbols) => negative && subpictures == 1 ? symbols.Minus : "";

    // The XPath rules for a well-formed sub-picture, with the reference implementation's error codes.
    private static void Validate(string sub, Symbols symbols)
    {
        if (CountOf(sub, symbols.Decimal) > 1) throw JsonataEvaluationException.Reference("D3081");
        var percents = CountOf(sub, symbols.Percent);
        var perMilles = CountOf(sub, symbols.PerMille);
        if (percents > 1) throw JsonataEvaluationException.Reference("D3082");
        if (perMilles > 1) throw JsonataEvaluationException.Reference("D3083");
        if (percents > 0 && perMilles > 0) throw JsonataEvaluationException.Reference("D3084");
        var (_, body, _) = Split(sub, symbols);
        var exponentAt = ExponentPosition(body, symbols);
        var mantissa = exponentAt >= 0 ? body[..exponentAt] : body;
        if (!mantissa.Any(c => IsDigit(c, symbols) || symbols.Digit.Contains(c)))
            throw JsonataEvaluationException.Reference("D3085");
        for (var i = 0; i < body.Length; i++)
        {
            if (!IsActive(body, i, symbols) && (exponentAt < 0 || i < exponentAt))
                throw JsonataEvaluationException.Reference("D3086");
        }
        var point = mantissa.IndexOf(symbols.Decimal, StringComparison.Ordinal);
        var integerPart = point >= 0 ? mantissa[..point] : mantissa;
        var fractionPart = point >= 0 ? mantissa[(point + symbols.Decimal.Length)..] : "";
        if ((point > 0 && integerPart.EndsWith(symbols.Grouping, StringComparison.Ordinal)) || fractionPart.StartsWith(symbols.Grouping, StringComparison.Ordinal))
            throw JsonataEvaluationException.Reference("D3087");
        if (point < 0 && integerPart.EndsWith(symbols.Grouping, StringComparison.Ordinal))
            throw JsonataEvaluationException.Reference("D3088");
        if (mantissa.Contains(symbols.Grouping + symbols.Grouping, StringComparison.Ordinal))
            throw JsonataEvaluationException.Reference("D3089");
        var firstMandatory = integerPart.IndexOf(integerPart.FirstOrDefault(c => IsDigit(c, symbols)));
        if (firstMandatory >= 0 && integerPart.IndexOf(symbols.Digit, firstMandatory, StringComparison.Ordinal) >= 0)
            throw JsonataEvaluationException.Reference("D3090");
        var firstOptional = fractionPart.IndexOf(symbols.Digit, StringComparison.Ordinal);
        if (firstOptional >= 0 && fractionPart[firstOptional..].Any(c => IsDigit(c, symbols)))
            throw JsonataEvaluationException.Reference("D3091");
        if (exponentAt >= 0 && !body[(exponentAt + symbols.Exponent.Length)..].All(c => IsDigit(c, symbols)))
            throw JsonataEvaluationException.Reference("D3093");
        if (exponentAt >= 0 && (percents > 0 || perMilles > 0))
            throw JsonataEvaluationException.Reference("D3092");
    }

    private static int ExponentPosition(string body, Symbols symbols)
    {
        for (var i = 1; i < body.Length; i++)
        {
            if (string.CompareOrdinal(body, i, symbols.Exponent, 0, symbols.Exponent.Length) == 0
                && i + symbols.Exponent.Length < body.Length && IsDigit(body[i + symbols.Exponent.Length], symbols))
                return i;
        }
        return -1;
    }

    private static void ApplyOptions(Symbols symbols, JsonataObject options)
    {
        foreach (var (key, raw) in options)
        {
            if (raw is not string value) throw new JsonataEvaluationException("T0410", $"$formatNumber: option '{key}' must be a string");
            switch (key)
            {
                case "decimal-separator": symbols.Decimal = value; break;
                case "grouping-separator": symbols.Grouping = value; break;
                case "exponent-separator": symbols.Exponent = value; break;
                case "minus-sign": symbols.Minus = value; break;
                case "percent": symbols.Percent = value; break;
                case "per-mille": symbols.PerMille = value; break;
                case "zero-digit": symbols.Zero = value[0]; break;
                case "digit": symbols.Digit = value; break;
                case "pattern-separator": symbols.Separator = value; break;
                case "infinity": symbols.Infinity = value; break;
                case "NaN": symbols.NaN = value; break;
                default: throw new JsonataEvaluationException("D3080", $"$formatNumber: unknown option '{key}'");
            }
        }
    }

    private static bool IsDigit(char c, Symbols symbols) => c >= symbols.Zero && c <= symbols.Zero + 9;

    private static bool IsActive(string text, int i, Symbols symbols) =>
        IsDigit(text[i], symbols) || string.CompareOrdinal(text, i, symbols.Digit, 0, symbols.Digit.Length) == 0
        || string.CompareOrdinal(text, i, symbols.Decimal, 0, symbols.Decimal.Length) == 0
        || string.CompareOrdinal(text, i, symbols.Grouping, 0, symbols.Grouping.Length) == 0;

    // Prefix: text before the first digit, '#', separator; suffix: text after the last one.
    private static (string Prefix, string Body, string Suffix) Split(string sub, Symbols symbols)
    {
        var first = -1;
        var last = -1;
        for (var i = 0; i < sub.Length; i++)
        {
            if (!IsActive(sub, i, symbols)) continue;
            if (first < 0) first = i;
            last = i;
        }
        if (first < 0) throw JsonataEvaluationException.Reference("D3085");
        // An exponent separator followed by digits belongs to the body.
        var end = last + 1;
        if (string.CompareOrdinal(sub, end, symbols.Exponent, 0, symbols.Exponent.Length) == 0
            && end + symbols.Exponent.Length < sub.Length && IsDigit(sub[end + symbols.Exponent.Length], symbols))
        {
            end += symbols.Exponent.Length;
            while (end < sub.Length && IsDigit(sub[end], symbols)) end++;
            if (end < sub.Length && IsActive(sub, end, symbols))
                throw JsonataEvaluationException.Reference("D3093");
        }
        return (sub[..first], sub[first..end], sub[end..]);
    }

    private static string FormatBody(double magnitude, string body, Symbols symbols)
    {
        var exponentDigits = 0;
        var exponentAt = -1;
        for (var i = 0; i < body.Length; i++)
        {
            if (string.CompareOrdinal(body, i, symbols.Exponent, 0, symbols.Exponent.Length) == 0
                && i + symbols.Exponent.Length < body.Length && IsDigit(body[i + symbols.Exponent.Length], symbols)
                && i > 0)
            {
                exponentAt = i;
                exponentDigits = body.Length - i - symbols.Exponent.Length;
                break;
            }
        }
        var mantissa = exponentAt >= 0 ? body[..exponentAt] : body;
        var point = mantissa.IndexOf(symbols.Decimal, StringComparison.Ordinal);
        var integerPart = point >= 0 ? mantissa[..point] : mantissa;
        var fractionPart = point >= 0 ? mantissa[(point + symbols.Decimal.Length)..] : "";
        var minInteger = integerPart.Count(c => IsDigit(c, symbols));
        var minFraction = fractionPart.Count(c => IsDigit(c, symbols));
        var maxFraction = minFraction + CountOf(fractionPart, symbols.Digit);
        var groups = GroupPositions(integerPart, symbols);
        if (minInteger == 0 && maxFraction == 0)
        {
            if (exponentAt >= 0) { minFraction = 1; maxFraction = 1; }
            else minInteger = 1;
        }
        var exponent = 0;
        decimal value;
        try
        {
            value = decimal.Parse(magnitude.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            throw new JsonataEvaluationException("D3080", "$formatNumber: the number is too large to format with a picture");
        }
        if (exponentAt >= 0 && value != 0)
        {
            // Scale so the mantissa has exactly minInteger integer digits (or is below 1 when there are none).
            var target = minInteger;
            while (value >= Pow10(target)) { value /= 10; exponent++; }
            while (value < Pow10(target - 1) && (target > 0 || value < 0.1m)) { value *= 10; exponent--; }
        }
        value = Math.Round(value, maxFraction, MidpointRounding.ToEven);
        var digits = value.ToString("F" + maxFraction.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var dot = digits.IndexOf('.');
        var integerDigits = dot >= 0 ? digits[..dot] : digits;
        var fractionDigits = dot >= 0 ? digits[(dot + 1)..] : "";
        integerDigits = integerDigits.TrimStart('0').PadLeft(minInteger, '0');
        // The reference writes 0.23e0 rather than .23e0 when the picture has no integer digits.
        if (integerDigits.Length == 0 && exponentAt >= 0 && integerPart.Contains(symbols.Digit, StringComparison.Ordinal)) integerDigits = "0";
        while (fractionDigits.Length > minFraction && fractionDigits.EndsWith('0')) fractionDigits = fractionDigits[..^1];
        var builder = new StringBuilder(Group(integerDigits, groups, symbols));
        if (fractionDigits.Length > 0 || (point >= 0 && minFraction > 0)) builder.Append(symbols.Decimal).Append(fractionDigits);
        if (exponentAt >= 0)
        {
            builder.Append(symbols.Exponent);
            if (exponent < 0) builder.Append(symbols.Minus);
            builder.Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(exponentDigits, '0'));
        }
        return Localise(builder.ToString(), symbols);
    }

    private static decimal Pow10(int power)
    {
        var result = 1m;
        for (var i = 0; i < power; i++) result *= 10;
        for (var i = 0; i > power; i--) result /= 10;
        return result;
    }

    private static int CountOf(string text, string symbol)
    {
        var count = 0;
        for (var i = text.IndexOf(symbol, StringComparison.Ordinal); i >= 0; i = text.IndexOf(symbol, i + symbol.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    // Positions of grouping separators counted in digits from the right; a regular pattern repeats.
    private static (List<int> Positions, int Repeat) GroupPositions(string integerPart, Symbols symbols)
    {
        var positions = new List<int>();
        var digitsSeen = 0;
        for (var i = integerPart.Length - 1; i >= 0; i--)
        {
            if (string.CompareOrdinal(integerPart, i, symbols.Grouping, 0, symbols.Grouping.Length) == 0 && symbols.Grouping.Length == 1) positions.Add(digitsSeen);
            else digitsSeen++;
        }
        var repeat = positions.Count > 0 && positions.Select((p, i) => p == positions[0] * (i + 1)).All(x => x) ? positions[0] : 0;
        return (positions, repeat);
    }

    private static string Group(string digits, (List<int> Positions, int Repeat) groups, Symbols symbols)
    {
        if (groups.Positions.Count == 0) return digits;
        var builder = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            var fromRight = digits.Length - i;
            var separator = i > 0 && (groups.Repeat > 0 ? fromRight % groups.Repeat == 0 : groups.Positions.Contains(fromRight));
            if (separator) builder.Append(symbols.Grouping);
            builder.Append(digits[i]);
        }
        return builder.ToString();
    }

    private static string Localise(string text, Symbols symbols)
    {
        if (symbols.Zero == '0') return text;
        var builder = new StringBuilder();
        foreach (var c in text) builder.Append(char.IsAsciiDigit(c) ? (char)(symbols.Zero + (c - '0')) : c);
        return builder.ToString();
    }
}
