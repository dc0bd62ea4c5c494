using System.Text;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Local validation, run before any call leaves the machine. Every rule fails with Kind=Validation, exit 20,
    /// the seed's field name and a message that names the field and the rule. This file holds the limits, the patterns and
    /// what the rules share; the rules are in Validate.Arns, .Start, .Connection and .Listing.
    /// </summary>
    public static partial class Validate
    {
        public const int MaxArnLength = 256;
        /// <summary>A Map Run's ARN is longer (the model's LongArn): it holds the machine's name and the Map's label.</summary>
        public const int MaxMapRunArnLength = 2000;
        public const int MaxInputBytes = 262144;
        public const int MaxNameLength = 80;
        public const double MaxPollingIntervalSeconds = 3600;
        /// <summary>Below this a wait is a busy loop (and .NET Framework rounds a sub-millisecond delay to none at all).</summary>
        public const double MinPollingIntervalSeconds = 0.01;
        /// <summary>One year: longer than any Standard execution can run.</summary>
        public const double MaxTimeoutSeconds = 31536000;

        /// <summary>aws, aws-cn, aws-us-gov, and the isolated and sovereign partitions (aws-iso-b, aws-eusc...).</summary>
        private const string Partition = "(aws(-[a-z]+)*)";
        /// <summary>us-east-1, cn-north-1, us-isob-east-1, eusc-de-east-1...</summary>
        private const string Region = "([a-z]{2,4}(-[a-z]+)+-\\d{1,2})";
        private static readonly Regex RegionPattern = new Regex("^" + Region + "\\z", RegexOptions.CultureInvariant);
        private static readonly Regex StateMachineArnPattern = new Regex(
            "^arn:(?<p>[^:]+):states:(?<r>[^:]+):(?<a>[^:]+):stateMachine:(?<n>[^:#]+)(:(?<q>[^:#]+))?(#(?<case>[^#]*))?$", RegexOptions.CultureInvariant);
        private static readonly Regex ExecutionArnPattern = new Regex(
            "^arn:(?<p>[^:]+):states:(?<r>[^:]+):(?<a>[^:]+):(?<kind>execution|express):(?<sm>[^:]+):(?<n>[^:]+)(:(?<id>[^:]+))?$", RegexOptions.CultureInvariant);
        private static readonly Regex MapRunArnPattern = new Regex(
            "^arn:(?<p>[^:]+):states:(?<r>[^:]+):(?<a>[^:]+):mapRun:(?<sm>[^:/]+)/(?<label>[^:]+):(?<id>[^:]+)$", RegexOptions.CultureInvariant);
        private static readonly Regex PartitionPattern = new Regex("^" + Partition + "$", RegexOptions.CultureInvariant);
        private static readonly Regex AccountPattern = new Regex("^\\d{12}$", RegexOptions.CultureInvariant);
        private static readonly Regex RoleArnPattern = new Regex(
            "^arn:" + Partition + ":iam::\\d{12}:role/(?<path>[A-Za-z0-9_+=,.@/-]*/)?(?<name>[A-Za-z0-9_+=,.@-]{1,64})\\z", RegexOptions.CultureInvariant);
        // STS's patterns are ASCII: .NET's \w would also take any Unicode letter, and $ a trailing newline.
        private static readonly Regex SessionNamePattern = new Regex("^[A-Za-z0-9_+=,.@-]{2,64}\\z", RegexOptions.CultureInvariant);
        private static readonly Regex ExternalIdPattern = new Regex("^[A-Za-z0-9_+=,.@:/-]{2,1224}\\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// The last ARN of each kind found valid. Every call is checked twice (by the cmdlet, before -WhatIf, and by the
        /// service for callers that use it directly), and a batch starts the same machine again and again; an ARN's
        /// validity depends on its text alone, so the same text need not run the patterns again. A string reference,
        /// replaced whole: another thread reads either the old ARN or the new one.
        /// </summary>
        private static string? _lastValidStateMachineArn;
        private static string? _lastValidExecutionArn;

        internal static StepFunctionsFailure Fail(string field, string errorId, string message, string? target = null)
            => new StepFunctionsFailure(FailureKind.Validation, ExitCode.DataValidationError, errorId, message, field, target);

        internal static string? FirstForbidden(string name)
        {
            foreach (var c in name)
            {
                if (char.IsWhiteSpace(c)) return "whitespace";
                if (c <= '\u001f' || (c >= '\u007f' && c <= '\u009f')) return $"the control character U+{(int)c:X4}";
                if ("<>{}[]?*\"#%\\^|~`$&,;:/".IndexOf(c) >= 0) return $"the forbidden character '{c}'";
            }
            var broken = IndexOfUnpairedSurrogate(name);
            return broken >= 0 ? $"half of a UTF-16 surrogate pair (U+{(int)name[broken]:X4})" : null;
        }

        /// <summary>The index of the first surrogate without its partner, or -1.</summary>
        internal static int IndexOfUnpairedSurrogate(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                else if (char.IsSurrogate(c)) return i;
            }
            return -1;
        }

        /// <summary>Control characters (and half surrogate pairs) shown as \uXXXX so a message never carries raw terminal
        /// escapes, nor text that has no UTF-8 form.</summary>
        private static string Printable(string text)
        {
            var builder = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var paired = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                    : char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]);
                var shown = c <= '\u001f' || (c >= '\u007f' && c <= '\u009f') || (char.IsSurrogate(c) && !paired);
                builder.Append(shown ? $"\\u{(int)c:x4}" : c.ToString());
            }
            return builder.ToString();
        }
    }
}
