using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>$formatInteger / $parseInteger pictures: decimal digits with grouping, words (w, W, Ww), Roman (I, i), letters (A, a); ";o" for ordinals.</summary>
internal static class IntegerPicture
{
    private static readonly string[] Small =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly (long Value, string Name)[] Scales = [(1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand")];

    private static readonly Dictionary<string, string> OrdinalWords = new()
    {
        ["one"] = "first", ["two"] = "second", ["three"] = "third", ["five"] = "fifth", ["eight"] = "eighth", ["nine"] = "ninth", ["twelve"] = "twelfth",
    };

    private static readonly (int Value, string Numeral)[] Roman =
        [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")];

    public static string Format(double value, string picture)
    {
        var ordinal = false;
        var semicolon = picture.LastIndexOf(';');
        if (semicolon >= 0)
        {
            ordinal = picture[(semicolon + 1)..].StartsWith('o');
            picture = picture[..semicolon];
        }
        var negative = value < 0;
        var magnitude = Math.Truncate(Math.Abs(value));
        string text = picture switch
        {
            "w" => Words(magnitude, ordinal),
            "W" => Words(magnitude, ordinal).ToUpperInvariant(),
            "Ww" => TitleCase(Words(magnitude, ordinal)),
            "I" => RomanNumeral((long)magnitude).ToUpperInvariant(),
            "i" => RomanNumeral((long)magnitude),
            "A" => Letters((long)magnitude, 'A'),
            "a" => Letters((long)magnitude, 'a'),
            _ => Decimal(magnitude, picture, ordinal),
        };
        return negative ? "-" + text : text;
    }

    public static double Parse(string text, string picture)
    {
        var semicolon = picture.LastIndexOf(';');
        if (semicolon >= 0) picture = picture[..semicolon];
        switch (picture)
        {
            case "I" or "i":
                return ParseRoman(text);
            case "A" or "a":
                return text.ToLowerInvariant().Aggregate(0.0, (total, c) => total * 26 + (c - 'a' + 1));
            case "w" or "W" or "Ww":
                return ParseWords(text);
        }
        var digits = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsDigit(c)) digits.Append((char)('0' + (int)char.GetNumericValue(c)));
            else if (c == '-' && digits.Length == 0) digits.Append(c);
        }
        if (digits.Length == 0 || digits.ToString() == "-")
            throw new JsonataEvaluationException("D3137", $"$parseInteger: '{text}' does not match the picture '{picture}'");
        return double.Parse(digits.ToString(), CultureInfo.InvariantCulture);
    }

    /// <summary>A decimal picture: any Unicode digit family (the first digit fixes it), '#' for optional digits, anything else groups.</summary>
    public static string Decimal(double n, string picture, bool ordinal)
    {
        if (picture.Length == 0 || !picture.Any(c => char.IsDigit(c) || c == '#'))
            throw JsonataEvaluationException.Reference("D3130", new() { Value = picture });
        var familyDigit = picture.FirstOrDefault(char.IsDigit);
        var zero = familyDigit == default ? '0' : (char)(familyDigit - (int)char.GetNumericValue(familyDigit));
        var mandatory = picture.Count(char.IsDigit);
        var digits = n.ToString("F0", CultureInfo.InvariantCulture).PadLeft(mandatory, '0');
        // Grouping separators: any non-digit, non-# character, at its distance from the right.
        var separators = new List<(int FromRight, char Symbol)>();
        var seen = 0;
        for (var i = picture.Length - 1; i >= 0; i--)
        {
            var c = picture[i];
            if (char.IsDigit(c) || c == '#') seen++;
            else if (seen > 0) separators.Add((seen, c));
        }
        var regular = separators.Count > 0 && separators.Select((s, i) => s.FromRight == separators[0].FromRight * (i + 1) && s.Symbol == separators[0].Symbol).All(x => x);
        var builder = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            var fromRight = digits.Length - i;
            if (i > 0)
            {
                if (regular && fromRight % separators[0].FromRight == 0) builder.Append(separators[0].Symbol);
                else if (!regular) foreach (var s in separators.Where(s => s.FromRight == fromRight)) builder.Append(s.Symbol);
            }
            builder.Append((char)(zero + (digits[i] - '0')));
        }
        if (ordinal) builder.Append(OrdinalSuffix((long)(n % 100)));
        return builder.ToString();
    }

    private static string OrdinalSuffix(long n)
    {
        if (n % 100 is 11 or 12 or 13) return "th";
        return (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
    }

    public static string Words(double n, bool ordinal)
    {
        var words = CardinalWords(n);
        if (!ordinal) return words;
        // Only the last word changes: "twenty-one" -> "twenty-first", "one hundred" -> "one hundredth".
        var cut = Math.Max(words.LastIndexOf(' '), words.LastIndexOf('-')) + 1;
        var last = words[cut..];
        var ordinalWord = OrdinalWords.TryGetValue(last, out var special) ? special
            : last.EndsWith('y') ? last[..^1] + "ieth"
            : last + "th";
        return words[..cut] + ordinalWord;
    }

    private static string CardinalWords(double n)
    {
        if (n < 20) return Small[(int)n];
        if (n < 100) return Tens[(int)n / 10] + (n % 10 > 0 ? "-" + Small[(int)n % 10] : "");
        if (n < 1000) return Small[(int)n / 100] + " hundred" + (n % 100 > 0 ? " and " + CardinalWords(n % 100) : "");
        foreach (var (value, name) in Scales)
        {
            if (n < value) continue;
            // Beyond a thousand trillion the scales repeat: 1e46 is "ten billion trillion trillion trillion".
            var rest = n % value;
            var head = CardinalWords(Math.Floor(n / value)) + " " + name;
            if (rest == 0) return head;
            return head + (rest < 100 ? " and " : ", ") + CardinalWords(rest);
        }
        throw new InvalidOperationException("unreachable");
    }

    private static double ParseWords(string text)
    {
        var words = text.ToLowerInvariant().Replace(",", " ").Replace("-", " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double total = 0, current = 0;
        // A scale multiplies everything before it when that is smaller ("one thousand trillion"), else adds a part.
        foreach (var raw in words)
        {
            if (raw == "and") continue;
            var word = OrdinalWords.FirstOrDefault(p => p.Value == raw).Key ?? (raw.EndsWith("ieth") ? raw[..^4] + "y" : raw.EndsWith("th") && !Small.Contains(raw) ? raw[..^2] : raw);
            var small = Array.IndexOf(Small, word);
            var tens = Array.IndexOf(Tens, word);
            if (small >= 0) current += small;
            else if (tens >= 2) current += tens * 10;
            else if (word == "hundred") current *= 100;
            else if (Scales.FirstOrDefault(s => s.Name == word) is { Name: not null } scale)
            {
                if (current == 0) total *= scale.Value;
                else if (total + current < scale.Value) total = (total + current) * scale.Value;
                else total += current * scale.Value;
                current = 0;
            }
            else throw new JsonataEvaluationException("D3137", $"$parseInteger: '{text}' is not a number in words");
        }
        return total + current;
    }

    private static string RomanNumeral(long n)
    {
        // Beyond this a Roman numeral is just a long run of M.
        if (n > 100_000 || n < 0) throw new JsonataEvaluationException("D3130", $"$formatInteger: {n} is too large to write as a Roman numeral");
        var builder = new StringBuilder();
        foreach (var (value, numeral) in Roman)
        {
            while (n >= value) { builder.Append(numeral); n -= value; }
        }
        return builder.ToString();
    }

    private static double ParseRoman(string text)
    {
        var lower = text.ToLowerInvariant();
        var total = 0;
        var i = 0;
        foreach (var (value, numeral) in Roman)
        {
            while (lower.AsSpan(i).StartsWith(numeral)) { total += value; i += numeral.Length; }
        }
        if (i != lower.Length) throw new JsonataEvaluationException("D3137", $"$parseInteger: '{text}' is not a Roman numeral");
        return total;
    }

    private static string Letters(long n, char first)
    {
        var builder = new StringBuilder();
        while (n > 0)
        {
            n--;
            builder.Insert(0, (char)(first + n % 26));
            n /= 26;
        }
        return builder.ToString();
    }

    private static string TitleCase(string words) =>
        string.Join(" ", words.Split(' ').Select(w => w == "and" ? w : string.Join("-", w.Split('-').Select(p => p.Length > 0 ? char.ToUpperInvariant(p[0]) + p[1..] : p))));
}
