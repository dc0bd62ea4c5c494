using System.Text;
using System.Text.Encodings.Web;

namespace AwsStepFunctions.Local.Asl.Json;

/// <summary>
/// Escapes JSON text as the service writes it: quotes, backslashes and control characters, and nothing a user would read
/// as text. UnsafeRelaxedJsonEscaping, the nearest built-in encoder, keeps '&lt;' and letters such as 'é' as they are but
/// still writes a character outside the Basic Multilingual Plane as two escapes ("🚀" as "\uD83D\uDE80"): the same JSON,
/// but not the text an execution's output is compared with. Those characters, when whole, are written as they are here;
/// everything else is left to the relaxed encoder and the writer (which turns a lone surrogate, which no UTF-8 text can
/// carry, into U+FFFD).
/// </summary>
internal sealed class ServiceJsonEncoder : JavaScriptEncoder
{
    public static readonly ServiceJsonEncoder Instance = new();

    private static readonly JavaScriptEncoder Relaxed = UnsafeRelaxedJsonEscaping;

    private ServiceJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => Relaxed.MaxOutputCharactersPerInputCharacter;

    /// <summary>Whole supplementary characters never; the rest as the relaxed encoder decides.</summary>
    public override bool WillEncode(int unicodeScalar) => unicodeScalar <= char.MaxValue && Relaxed.WillEncode(unicodeScalar);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || Relaxed.WillEncode(c)) return i;
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (unicodeScalar > char.MaxValue && Rune.IsValid(unicodeScalar))
        {
            // A whole supplementary character is written as its two UTF-16 units, unescaped.
            return new Rune(unicodeScalar).TryEncodeToUtf16(new System.Span<char>(buffer, bufferLength), out numberOfCharactersWritten);
        }
        return Relaxed.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);
    }
}
