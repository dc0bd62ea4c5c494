using System;
using System.Globalization;

namespace AwsStepFunctions.Local.Asl.Jsonata;

internal static partial class JsonataLibrary
{
    private static void AddDateTimeFunctions(Register add)
    {
        add("now", 0, 2, false, call => DateTimePicture.Format(call.Evaluator.Now, call.String(0), call.String(1)));
        add("millis", 0, 0, false, call => (double)call.Evaluator.Now.ToUnixTimeMilliseconds());
        add("fromMillis", 1, 3, true, call =>
        {
            if (call.Number(0) is not { } millis) return null;
            DateTimeOffset time;
            try
            {
                time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(millis));
            }
            catch (ArgumentOutOfRangeException)
            {
                throw call.Error("D3110", $"{NumberText.Format(millis)} milliseconds is outside the supported date range");
            }
            return DateTimePicture.Format(time, call.String(1), call.String(2));
        });
        add("toMillis", 1, 2, true, call =>
        {
            if (call.String(0) is not { } text) return null;
            if (call.String(1) is { } picture)
                throw new JsonataEvaluationException("U1002", $"$toMillis with a picture string ('{picture}') is not supported by this engine; only ISO 8601 timestamps are");
            if (!TryParseIso(text, out var time))
                throw JsonataEvaluationException.Reference("D3110", new() { Value = text });
            return (double)time.ToUnixTimeMilliseconds();
        });
    }

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd", "yyyy-MM", "yyyy",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzz", "yyyy-MM-dd'T'HH:mm:sszz",
    ];

    private static bool TryParseIso(string text, out DateTimeOffset time)
    {
        // "+0100" is ISO 8601 too; .NET wants "+01:00".
        var normalised = text.Length > 5 && (text[^5] is '+' or '-') && char.IsAsciiDigit(text[^1]) && text.Contains('T')
            ? text[..^2] + ":" + text[^2..]
            : text;
        return DateTimeOffset.TryParseExact(normalised, IsoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
