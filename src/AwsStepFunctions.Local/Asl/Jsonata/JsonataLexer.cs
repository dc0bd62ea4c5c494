using System;
using System.Globalization;
using System.Text;

namespace AwsStepFunctions.Local.Asl.Jsonata;

internal enum TokenKind { End, Operator, Name, Variable, String, Number, Regex }

internal readonly record struct Token(TokenKind Kind, string Text, int Position, object? Value = null);

/// <summary>Splits an expression into tokens on demand; a '/' is a regex only where an operand is expected.</summary>
internal sealed class JsonataLexer
{
    // Longest first, so "**" wins over "*" and ":=" over ":".
    private static readonly string[] Operators =
    [
        "..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??",
        ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=", "<", ">", "^", "&", "!", "~",
    ];

    private readonly string text;
    private int pos;
    private Token? previous;

    public JsonataLexer(string text) => this.text = text;

    public Token Next()
    {
        SkipSpaceAndComments();
        var token = Read();
        previous = token;
        return token;
    }

    private Token Read()
    {
        if (pos >= text.Length) return new Token(TokenKind.End, "(end)", pos);
        var start = pos;
        var c = text[pos];
        if (c == '/' && ExpectsOperand()) return ReadRegex();
        if (c is '"' or '\'') return ReadString(c);
        if (c == '`')
        {
            var close = text.IndexOf('`', pos + 1);
            if (close < 0) throw JsonataSyntaxException.Reference("S0105", start);
            pos = close + 1;
            return new Token(TokenKind.Name, text.Substring(start + 1, close - start - 1), start);
        }
        if (char.IsAsciiDigit(c)) return ReadNumber();
        if (c == '$')
        {
            pos++;
            var nameStart = pos;
            // $$ is the root; otherwise a name follows (an empty one is the context $).
            if (pos < text.Length && text[pos] == '$') { pos++; return new Token(TokenKind.Variable, "$", start); }
            while (pos < text.Length && IsNameChar(text[pos])) pos++;
            return new Token(TokenKind.Variable, text[nameStart..pos], start);
        }
        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(text, pos, op, 0, op.Length) == 0)
            {
                pos += op.Length;
                return new Token(TokenKind.Operator, op, start);
            }
        }
        while (pos < text.Length && IsNameChar(text[pos])) pos++;
        if (pos == start) throw JsonataSyntaxException.Reference("S0204", start, token: c.ToString());
        return new Token(TokenKind.Name, text[start..pos], start);
    }

    private bool ExpectsOperand() =>
        previous is not { } token
        || (token.Kind == TokenKind.Operator && token.Text is not (")" or "]" or "}"))
        || (token.Kind == TokenKind.Name && token.Text is "and" or "or" or "in");

    private static bool IsNameChar(char c) =>
        !char.IsWhiteSpace(c) && ".[]{}(),@#;:?+-*/%|=<>^&!~\"'`$".IndexOf(c) < 0;

    private void SkipSpaceAndComments()
    {
        while (pos < text.Length)
        {
            if (char.IsWhiteSpace(text[pos])) { pos++; continue; }
            if (pos + 1 < text.Length && text[pos] == '/' && text[pos + 1] == '*')
            {
                var end = text.IndexOf("*/", pos + 2, StringComparison.Ordinal);
                if (end < 0) throw JsonataSyntaxException.Reference("S0106", pos);
                pos = end + 2;
                continue;
            }
            break;
        }
    }

    private Token ReadNumber()
    {
        var start = pos;
        if (text[pos] == '0') pos++;
        else while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
        // A '.' starts a fraction only when a digit follows: "1..5" is a range.
        if (pos + 1 < text.Length && text[pos] == '.' && char.IsAsciiDigit(text[pos + 1]))
        {
            pos++;
            while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
        }
        if (pos < text.Length && text[pos] is 'e' or 'E')
        {
            var mark = pos;
            pos++;
            if (pos < text.Length && text[pos] is '+' or '-') pos++;
            if (pos < text.Length && char.IsAsciiDigit(text[pos])) { while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++; }
            else pos = mark;
        }
        var literal = text[start..pos];
        var value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value)) throw JsonataSyntaxException.Reference("S0102", start, token: literal);
        return new Token(TokenKind.Number, literal, start, value);
    }

    private Token ReadString(char quote)
    {
        var start = pos;
        pos++;
        var builder = new StringBuilder();
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == quote) { pos++; return new Token(TokenKind.String, builder.ToString(), start, builder.ToString()); }
            if (c == '\\')
            {
                if (pos + 1 >= text.Length) break;
                var escape = text[pos + 1];
                pos += 2;
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\'': builder.Append('\''); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (pos + 4 > text.Length || !int.TryParse(text.AsSpan(pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                            throw JsonataSyntaxException.Reference("S0104", pos - 2);
                        builder.Append((char)code);
                        pos += 4;
                        break;
                    default:
                        throw JsonataSyntaxException.Reference("S0103", pos - 2, token: escape.ToString());
                }
                continue;
            }
            builder.Append(c);
            pos++;
        }
        throw JsonataSyntaxException.Reference("S0101", start);
    }

    private Token ReadRegex()
    {
        var start = pos;
        pos++;
        var inClass = false;
        var patternStart = pos;
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == '\\') { pos += 2; continue; }
            if (c == '[') inClass = true;
            else if (c == ']') inClass = false;
            else if (c == '/' && !inClass) break;
            pos++;
        }
        if (pos >= text.Length) throw JsonataSyntaxException.Reference("S0302", start);
        var pattern = text[patternStart..pos];
        if (pattern.Length == 0) throw JsonataSyntaxException.Reference("S0301", start);
        pos++;
        var flagsStart = pos;
        while (pos < text.Length && char.IsAsciiLetter(text[pos])) pos++;
        var flags = text[flagsStart..pos];
        foreach (var flag in flags)
        {
            if (flag is not ('i' or 'm' or 'g'))
                throw new JsonataSyntaxException("S0302", flagsStart, $"unsupported regular expression flag '{flag}' (i and m are supported)");
        }
        return new Token(TokenKind.Regex, text[start..pos], start, JsonataRegex.Create(pattern, flags, start));
    }
}
