using System;
using System.Globalization;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>An answer's Date header: the service's clock, to the second.</summary>
    internal static class HttpDateHeader
    {
        /// <summary>Null when absent or unreadable.</summary>
        public static DateTimeOffset? Parse(string? value)
            => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
    }
}
