using System.Text.RegularExpressions;

namespace AwsStepFunctions.Internal
{
    /// <summary>How a completed value is written on the command line.</summary>
    internal static class CompletionText
    {
        // Letters, digits and _ . - / : only, and not a leading '-' (a parameter name): anything else could end the argument
        // or run code once the line is entered. State machine and execution names may hold ( ) @ ! = ' and more.
        private static readonly Regex Bareword = new Regex(@"^[\w.\-/:]+$", RegexOptions.CultureInvariant);

        /// <summary>
        /// The value as a bare word where that is safe, otherwise single-quoted with every quote inside doubled: PowerShell's
        /// own escaping, which also doubles the typographic single quotes (U+2018-U+201B) its parser takes as quotes.
        /// </summary>
        public static string Quote(string value)
            => value.Length > 0 && value[0] != '-' && Bareword.IsMatch(value)
                ? value
                : "'" + System.Management.Automation.Language.CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
    }
}
