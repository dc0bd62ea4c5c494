using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Local.Asl.Jsonata;

internal static partial class JsonataLibrary
{
    private static readonly Regex JsonNumber = new(@"^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

    private static void AddNumericFunctions(Register add)
    {
        add("number", 1, 1, true, call => ToNumber(call, call[0]));
        add("abs", 1, 1, true, call => call.Number(0) is { } n ? Math.Abs(n) : null);
        add("floor", 1, 1, true, call => call.Number(0) is { } n ? Math.Floor(n) : null);
        add("ceil", 1, 1, true, call => call.Number(0) is { } n ? Math.Ceiling(n) : null);
        add("round", 1, 2, true, call => call.Number(0) is { } n ? RoundHalfEven(n, (int)(call.Number(1) ?? 0)) : null);
        add("sqrt", 1, 1, true, call =>
        {
            if (call.Number(0) is not { } n) return null;
            if (n < 0) throw JsonataEvaluationException.Reference("D3060", new() { Value = n });
            return Math.Sqrt(n);
        });
        add("power", 2, 2, true, call =>
        {
            if (call.Number(0) is not { } x) return null;
            var y = call.Number(1)!.Value;
            var result = Math.Pow(x, y);
            if (double.IsNaN(result) || double.IsInfinity(result))
                throw JsonataEvaluationException.Reference("D3061", new() { Value = x, Exp = y });
            return result;
        });
        add("sum", 1, 1, false, call => call.Array(0) is { } items ? Numbers(call, items).Sum() : null);
        add("max", 1, 1, false, call => call.Array(0) is { Count: > 0 } items ? Numbers(call, items).Max() : null);
        add("min", 1, 1, false, call => call.Array(0) is { Count: > 0 } items ? Numbers(call, items).Min() : null);
        add("average", 1, 1, false, call => call.Array(0) is { Count: > 0 } items ? Numbers(call, items).Average() : null);
        add("formatBase", 1, 2, true, call =>
        {
            if (call.Number(0) is not { } n) return null;
            // Rounded as the reference rounds it, which is also the value its message quotes.
            var radix = call.Number(1) is { } given ? RoundHalfEven(given, 0) : 10;
            if (radix < 2 || radix > 36) throw JsonataEvaluationException.Reference("D3100", new() { Value = radix });
            return ToBase(RoundHalfEven(n, 0), (int)radix);
        });
        add("formatNumber", 2, 3, true, call =>
            call.Number(0) is { } n ? NumberPicture.Format(n, call.String(1)!, call.Object(2)) : null);
        add("formatInteger", 2, 2, true, call =>
            call.Number(0) is { } n ? IntegerPicture.Format(n, call.String(1)!) : null);
        add("parseInteger", 2, 2, true, call =>
            call.String(0) is { } s ? IntegerPicture.Parse(s, call.String(1)!) : null);
    }

    private static object? ToNumber(BuiltinCall call, object? value)
    {
        switch (value)
        {
            case null: return null;
            case double d: return d;
            case bool b: return b ? 1.0 : 0.0;
            case string s when JsonNumber.IsMatch(s):
                var parsed = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!double.IsInfinity(parsed)) return parsed;
                break;
            case string s when s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B':
                var radix = char.ToLowerInvariant(s[1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
                try
                {
                    return (double)Convert.ToInt64(s[2..], radix);
                }
                catch (FormatException)
                {
                    break;
                }
                catch (ArgumentException)
                {
                    break;
                }
            case JsonataArray or JsonataObject or JsonataFunction or JsonataNull:
                throw call.Mismatch(0);
        }
        throw JsonataEvaluationException.Reference("D3030", new() { Value = value });
    }

    private static double[] Numbers(BuiltinCall call, JsonataArray items)
    {
        if (!items.TrueForAll(i => i is double))
            throw call.ArrayMismatch(0, "numbers");
        return items.Cast<double>().ToArray();
    }

    /// <summary>Round half to even at a decimal position, done in decimal so 2.675 behaves as written, not as stored.</summary>
    internal static double RoundHalfEven(double value, int precision)
    {
        try
        {
            // The shortest round-trip text keeps all 17 digits that a cast to decimal would cut to 15.
            var exact = decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
            if (precision >= 0) return (double)Math.Round(exact, Math.Min(precision, 28), MidpointRounding.ToEven);
            var scale = (decimal)Math.Pow(10, -precision);
            return (double)(Math.Round(exact / scale, 0, MidpointRounding.ToEven) * scale);
        }
        catch (OverflowException)
        {
            // Too large for decimal: such numbers have no fractional part to round anyway.
            return precision >= 0 ? value : Math.Round(value / Math.Pow(10, -precision), MidpointRounding.ToEven) * Math.Pow(10, -precision);
        }
    }

    private static string ToBase(double value, int radix)
    {
        var negative = value < 0;
        // BigInteger takes any integral double exactly, however large.
        var n = new System.Numerics.BigInteger(Math.Abs(value));
        if (n.IsZero) return "0";
        var digits = new StringBuilder();
        while (n > 0)
        {
            digits.Insert(0, "0123456789abcdefghijklmnopqrstuvwxyz"[(int)(n % radix)]);
            n /= radix;
        }
        return negative ? "-" + digits : digits.ToString();
    }
}
