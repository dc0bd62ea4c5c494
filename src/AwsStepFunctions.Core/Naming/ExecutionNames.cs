using System;
using System.Globalization;
using System.Security.Cryptography;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Execution names: a given base or a unique generated one, always with the "-&lt;RunCount&gt;" suffix, at most 80
    /// characters. A given base that cannot fit with its suffix is refused rather than cut: two bases that differ only in
    /// what a cut removed would name one execution, and StartExecution answers a repeated name and input with the
    /// execution that holds it, so the second start would be reported as started without starting anything.
    /// </summary>
    public static class ExecutionNames
    {
        public static string Build(string? baseName, int runCount) => Build(baseName, runCount, DateTime.UtcNow);

        internal static string Build(string? baseName, int runCount, DateTime utcNow)
        {
            Validate.RunCount(runCount);
            var suffix = "-" + runCount.ToString(CultureInfo.InvariantCulture);
            if (string.IsNullOrWhiteSpace(baseName)) return Generate(utcNow) + suffix;
            Validate.ExecutionNameWithRunCount(baseName!, runCount);
            return baseName + suffix;
        }

        /// <summary>Thread-safe, and one for the process: a generator per name cost more than the name.</summary>
        private static readonly RandomNumberGenerator Random = RandomNumberGenerator.Create();

        /// <summary>
        /// ue-yyyyMMddTHHmmss-16hex: sortable and CloudWatch-safe. 64 random bits, because a name must be unique among the
        /// names of the same second across every caller: two starts that drew the same name and input would be answered as
        /// one execution (StartExecution is idempotent), so one start would silently be lost. With 32 bits, thousands of
        /// starts per second (pipeline input with -ThrottleLimit, many runbooks) made that a matter of time.
        /// </summary>
        internal static string Generate(DateTime utcNow)
        {
            const string digits = "0123456789abcdef";
            var bytes = new byte[8];
            Random.GetBytes(bytes);
            var hex = new char[bytes.Length * 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                hex[2 * i] = digits[bytes[i] >> 4];
                hex[2 * i + 1] = digits[bytes[i] & 0xF];
            }
            return "ue-" + utcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + new string(hex);
        }
    }
}
