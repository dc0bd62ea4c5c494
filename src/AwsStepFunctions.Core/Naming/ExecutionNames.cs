using System;
using System.Globalization;
using System.Security.Cryptography;

namespace AwsStepFunctions.Core
{
    /// <summary>Execution names: a given base or a unique generated one, always with the "-&lt;RunCount&gt;" suffix, at most 80 characters.</summary>
    public static class ExecutionNames
    {
        public static string Build(string? baseName, int runCount) => Build(baseName, runCount, DateTime.UtcNow);

        /// <summary>
        /// How many characters of a given base name survive in the name (Build trims it so that the base and "-RunCount" fit
        /// in 80), or null when all of it does. Two bases that agree on those characters name the same execution.
        /// </summary>
        public static int? KeptOfBaseName(string? baseName, int runCount)
        {
            if (string.IsNullOrEmpty(baseName) || runCount < 1) return null;
            var name = Build(baseName, runCount, DateTime.UtcNow);
            var kept = name.Length - 1 - runCount.ToString(CultureInfo.InvariantCulture).Length;
            return kept < baseName!.Length ? kept : (int?)null;
        }

        internal static string Build(string? baseName, int runCount, DateTime utcNow)
        {
            Validate.RunCount(runCount);
            var suffix = "-" + runCount.ToString(CultureInfo.InvariantCulture);
            string stem;
            if (string.IsNullOrEmpty(baseName))
                stem = Generate(utcNow);
            else
            {
                // The base alone must be a legal name; the suffix only adds digits and a dash.
                Validate.ExecutionName(baseName);
                stem = baseName!;
            }
            var room = Validate.MaxNameLength - suffix.Length;
            if (stem.Length > room)
            {
                stem = stem.Substring(0, room);
                // Never split a surrogate pair: half a character is not a legal name.
                if (char.IsHighSurrogate(stem[stem.Length - 1])) stem = stem.Substring(0, stem.Length - 1);
            }
            return stem + suffix;
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
