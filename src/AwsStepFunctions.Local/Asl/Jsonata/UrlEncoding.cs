using System;
using System.Globalization;
using System.Text;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>JavaScript's encodeURI/encodeURIComponent and their decoders, which differ from Uri.EscapeDataString in the characters they keep.</summary>
internal static class UrlEncoding
{
    public const string ComponentSafe = "-_.!~*'()";

    public const string UriSafe = "-_.!~*'();/?:@&=+$,#";

    /// <param name="function">The JSONata function name, which the reference quotes when the text cannot be encoded.</param>
    public static string Encode(string text, string safe, string function)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || safe.Contains(c)) { builder.Append(c); continue; }
            string unit;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) throw Malformed(function, text);
                unit = text.Substring(i, 2);
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                throw Malformed(function, text);
            }
            else
            {
                unit = c.ToString();
            }
            foreach (var b in Encoding.UTF8.GetBytes(unit)) builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <param name="keepEscaped">Characters whose escapes stay as they are (decodeURI keeps reserved characters encoded).</param>
    public static string Decode(string text, string keepEscaped, string function)
    {
        var result = new StringBuilder();
        var bytes = new System.Collections.Generic.List<byte>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '%') { result.Append(text[i]); i++; continue; }
            var start = i;
            bytes.Clear();
            while (i < text.Length && text[i] == '%')
            {
                if (i + 3 > text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b)) throw Malformed(function, text);
                bytes.Add(b);
                i += 3;
            }
            string decoded;
            try
            {
                decoded = new UTF8Encoding(false, true).GetString(bytes.ToArray());
            }
            catch (DecoderFallbackException)
            {
                throw Malformed(function, text);
            }
            // Keep reserved characters in their escaped form, copying their original escape text.
            var escape = start;
            foreach (var ch in decoded)
            {
                var length = Encoding.UTF8.GetByteCount(ch.ToString()) * 3;
                if (char.IsSurrogate(ch)) length = 6;
                if (keepEscaped.Contains(ch)) result.Append(text, escape, 3);
                else result.Append(ch);
                escape += keepEscaped.Contains(ch) ? 3 : length;
            }
        }
        return result.ToString();
    }

    private static JsonataEvaluationException Malformed(string function, string text) =>
        JsonataEvaluationException.Reference("D3140", new() { Value = text, FunctionName = function });
}
