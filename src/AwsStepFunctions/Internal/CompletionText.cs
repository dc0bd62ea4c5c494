using System.Text.RegularExpressions;

namespace AwsStepFunctions.Internal
{
    /// <summary>How a completed value is written on the command line.</summary>
    internal static class CompletionText
    {
        /// <summary>
        /// What a typed word completes to: the names it starts (any case), or, with a wildcard in it (<c>*Fail</c>), the names
        /// the pattern matches with a '*' after it, as the parameter itself takes wildcards (-Type *Failed, -Name Nightly*).
        /// </summary>
        public static System.Func<string, bool> Matcher(string? wordToComplete)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            if (!System.Management.Automation.WildcardPattern.ContainsWildcardCharacters(word))
                return name => name.StartsWith(word, System.StringComparison.OrdinalIgnoreCase);
            var pattern = new System.Management.Automation.WildcardPattern(word.EndsWith("*", System.StringComparison.Ordinal) ? word : word + "*",
                System.Management.Automation.WildcardOptions.IgnoreCase);
            return pattern.IsMatch;
        }

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
