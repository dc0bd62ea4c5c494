using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>
/// $now/$fromMillis output: ISO 8601 by default, or an XPath picture such as "[Y0001]-[M01]-[D01]" with the
/// components Y M D d F H h m s f P Z z and the presentations digits, N/n/Nn (names) and I/i (Roman); widths like ",3" are ignored.
/// </summary>
internal static class DateTimePicture
{
    private static readonly System.Text.RegularExpressions.Regex WidthModifier = new(@"^(\*|\d+)(-(\*|\d+))?$");

    private const string IsoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

    public static string Format(DateTimeOffset instant, string? picture, string? timezone)
    {
        var offset = timezone is null ? TimeSpan.Zero : ParseOffset(timezone);
        if (picture is null && timezone is null)
            return instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var local = instant.ToOffset(offset);
        picture ??= IsoPicture;
        var builder = new StringBuilder();
        for (var i = 0; i < picture.Length; i++)
        {
            var c = picture[i];
            if (c == '[')
            {
                if (i + 1 < picture.Length && picture[i + 1] == '[') { builder.Append('['); i++; continue; }
                var close = picture.IndexOf(']', i);
                if (close < 0) throw JsonataEvaluationException.Reference("D3135");
                builder.Append(Component(local, picture[(i + 1)..close].Replace(" ", "")));
                i = close;
            }
            else if (c == ']' && i + 1 < picture.Length && picture[i + 1] == ']')
            {
                builder.Append(']');
                i++;
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static TimeSpan ParseOffset(string timezone)
    {
        // The reference also takes "0000" without a sign.
        if (timezone.Length == 4) timezone = "+" + timezone;
        if (timezone.Length == 5 && timezone[0] is '+' or '-'
            && int.TryParse(timezone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(timezone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            var span = new TimeSpan(hours, minutes, 0);
            return timezone[0] == '-' ? -span : span;
        }
        throw new JsonataEvaluationException("D3134", $"the timezone '{timezone}' must be written as ±HHMM");
    }

    private static string Component(DateTimeOffset time, string marker)
    {
        // An empty component has no specifier the reference knows, as [Q] has none.
        if (marker.Length == 0) throw JsonataEvaluationException.Reference("D3132", new() { Value = "" });
        var specifier = marker[0];
        var presentation = marker[1..];
        var comma = presentation.LastIndexOf(',');
        var (minWidth, maxWidth) = (0, int.MaxValue);
        // ",min-max" widths follow the last comma (a "*" means no limit).
        if (comma >= 0 && WidthModifier.IsMatch(presentation[(comma + 1)..]))
        {
            var widths = presentation[(comma + 1)..].Split('-');
            presentation = presentation[..comma];
            if (int.TryParse(widths[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)) minWidth = min;
            if (widths.Length > 1 && int.TryParse(widths[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max)) maxWidth = max;
        }
        switch (specifier)
        {
            case 'Y':
                // [Y,2] (no digits given) means exactly that many: the last two digits of the year.
                if (presentation.Length == 0 && maxWidth == int.MaxValue && minWidth > 0) maxWidth = minWidth;
                var year = Number(time.Year, presentation, "1", specifier);
                // [Y,2] keeps the last two digits of the year.
                if (maxWidth < year.Length && year.All(char.IsAsciiDigit)) year = year[^maxWidth..];
                return Widen(year, minWidth);
            case 'M': return presentation.StartsWith('N') || presentation.StartsWith('n')
                ? Name(CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(time.Month), presentation)
                : Widen(Number(time.Month, presentation, "1", specifier), minWidth);
            case 'D': return Widen(Number(time.Day, presentation, "1", specifier), minWidth);
            case 'd': return Number(time.DayOfYear, presentation, "1", specifier);
            case 'F': return presentation.Length == 0 || presentation.StartsWith('N') || presentation.StartsWith('n')
                ? Name(time.DayOfWeek.ToString(), presentation.Length == 0 ? "n" : presentation)
                : Number(time.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)time.DayOfWeek, presentation, "1", specifier);
            case 'H': return Widen(Number(time.Hour, presentation, "1", specifier), minWidth);
            case 'h': return Number(time.Hour % 12 == 0 ? 12 : time.Hour % 12, presentation, "1", specifier);
            case 'm': return Number(time.Minute, presentation, "01", specifier);
            case 's': return Number(time.Second, presentation, "01", specifier);
            case 'f':
                var digits = presentation.Length == 0 ? 3 : presentation.Length;
                var fraction = time.Millisecond.ToString("000", CultureInfo.InvariantCulture);
                return digits <= 3 ? fraction[..digits] : fraction.PadRight(digits, '0');
            case 'P':
                var meridian = time.Hour < 12 ? "am" : "pm";
                return presentation.StartsWith('N') ? meridian.ToUpperInvariant() : meridian;
            case 'Z' or 'z':
                return Zone(time.Offset, presentation, specifier == 'z');
            case 'E' or 'C' or 'W' or 'w' or 'X' or 'x':
                throw new JsonataEvaluationException("U1002", $"the date/time picture component [{marker}] is not supported by this engine");
            default:
                throw JsonataEvaluationException.Reference("D3132", new() { Value = specifier.ToString() });
        }
    }

    private static string Widen(string text, int minWidth) =>
        text.Length < minWidth && text.All(char.IsAsciiDigit) ? text.PadLeft(minWidth, '0') : text;

    private static string Number(int value, string presentation, string fallback, char specifier)
    {
        if (presentation.Length == 0) presentation = fallback;
        // A trailing 'o' asks for an ordinal: [D1o] is "23rd", [Dwo] "twenty-third".
        var ordinal = presentation.Length > 1 && presentation.EndsWith('o');
        if (ordinal) presentation = presentation[..^1];
        if (presentation is "I" or "i" or "w" or "W" or "Ww" or "A" or "a" || ordinal)
            return IntegerPicture.Format(value, ordinal ? presentation + ";o" : presentation);
        // Digits with grouping separators, such as 9,999.
        if (presentation.Any(c => !char.IsAsciiDigit(c) && c != '#')) return IntegerPicture.Decimal(value, presentation.Replace('9', '0').Replace('1', '0'), false);
        var width = 0;
        foreach (var c in presentation)
        {
            if (char.IsAsciiDigit(c) || c == '#') width++;
            else throw new JsonataEvaluationException("U1002", $"the presentation '{presentation}' of component {specifier} is not supported by this engine");
        }
        var digits = presentation.Count(char.IsAsciiDigit);
        var text = value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
        // A year written with two digits keeps the last two: [Y01] gives "24".
        if (specifier == 'Y' && digits == 2 && width == 2) text = text[^2..];
        return text;
    }

    private static string Name(string name, string presentation) => presentation switch
    {
        _ when presentation.StartsWith("Nn") => name,
        _ when presentation.StartsWith('N') => name.ToUpperInvariant(),
        _ => name.ToLowerInvariant(),
    };

    private static string Zone(TimeSpan offset, string presentation, bool prefixGmt)
    {
        if (presentation.EndsWith('t') && offset == TimeSpan.Zero) return "Z";
        presentation = presentation.TrimEnd('t');
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var hours = Math.Abs(offset.Hours);
        var minutes = Math.Abs(offset.Minutes);
        string text = presentation switch
        {
            "" or "01:01" => $"{hours:00}:{minutes:00}",
            "0101" => $"{hours:00}{minutes:00}",
            "01" => minutes == 0 ? $"{hours:00}" : $"{hours:00}:{minutes:00}",
            "1" => minutes == 0 ? $"{hours}" : $"{hours}:{minutes:00}",
            _ => throw new JsonataEvaluationException("U1002", $"the timezone presentation '{presentation}' is not supported by this engine"),
        };
        return (prefixGmt ? "GMT" : "") + sign + text;
    }
}
