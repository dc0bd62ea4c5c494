using System;
using System.Globalization;
using System.Security.Cryptography;

namespace AwsStepFunctions.Core
{
    /// <summary>Execution names: a given base or a unique generated one, always with the "-&lt;RunCount&gt;" suffix, at most 80 characters.</summary>
    public static class ExecutionNames
    {
        public static string Build(string? baseName, int runCount) => Build(baseName, runCount, DateTime.UtcNow);

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

        /// <summary>ue-yyyyMMddTHHmmss-8hex: sortable, CloudWatch-safe and unique enough across machines for 90 days.</summary>
        internal static string Generate(DateTime utcNow)
        {
            var bytes = new byte[4];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return "ue-" + utcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-"
                   + BitConverter.ToString(bytes).Replace("-", "").ToLowerInvariant();
        }
    }
}
