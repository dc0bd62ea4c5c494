using System;
using System.Collections.Generic;
using System.Globalization;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// How far the clock of a service that issues sessions (STS, the SSO portal) is from this machine's, read from the Date
    /// header of its answers; and a session's expiry, which the service states by its own clock, put onto this one. Without
    /// it, a machine whose clock runs ahead by more than a session's life took every new session for already expired (every
    /// call failed), and one that runs behind kept each session past its real end (every renewal cost a refused request).
    /// The SDK corrects its signing clock from the same header, but not these expiries.
    /// </summary>
    internal sealed class IssuerClock
    {
        /// <summary>
        /// Below this the refresh margins already absorb the difference (a session of AWS's is at least 15 minutes, refreshed
        /// up to 5 before its end), and the Date header's whole seconds would move short sessions more than the clocks differ.
        /// </summary>
        internal static readonly TimeSpan Threshold = TimeSpan.FromMinutes(1);

        /// <summary>Date has whole seconds, read after the answer traveled: the service's clock may be up to this much later.</summary>
        private static readonly TimeSpan DateResolution = TimeSpan.FromSeconds(1);

        /// <summary>long.MinValue until an answer with a Date came.</summary>
        private long _aheadByTicks = long.MinValue;

        /// <summary>Reads the Date header of every answer <paramref name="client"/> gets.</summary>
        public void Watch(AmazonServiceClient client) => client.AfterResponseEvent += Record;

        /// <summary>The issuer's clock minus this machine's, at its last answer; null before any answer with a Date.</summary>
        public TimeSpan? AheadBy
            => System.Threading.Interlocked.Read(ref _aheadByTicks) is var ticks && ticks != long.MinValue ? TimeSpan.FromTicks(ticks) : (TimeSpan?)null;

        /// <summary><paramref name="issuerUtc"/>, a moment on the issuer's clock, on this machine's clock.</summary>
        public DateTime ToLocal(DateTime issuerUtc) => ToLocal(issuerUtc, AheadBy);

        internal static DateTime ToLocal(DateTime issuerUtc, TimeSpan? aheadBy)
        {
            if (!(aheadBy is TimeSpan ahead) || ahead.Duration() < Threshold) return issuerUtc;
            // Taking the issuer's clock as late as the header allows puts the expiry no later than it really is here.
            var shift = ahead + DateResolution;
            return issuerUtc.Ticks - shift.Ticks <= DateTime.MinValue.Ticks ? DateTime.MinValue
                : issuerUtc.Ticks - shift.Ticks >= DateTime.MaxValue.Ticks ? DateTime.MaxValue
                : new DateTime(issuerUtc.Ticks - shift.Ticks, DateTimeKind.Utc);
        }

        /// <summary>For -Debug: the issuer's clock against this one, when they differ enough to be corrected for.</summary>
        public string? Describe()
            => AheadBy is TimeSpan ahead && ahead.Duration() >= Threshold
                ? string.Format(CultureInfo.InvariantCulture, "the service's clock is {0:0} s {1} this machine's", ahead.Duration().TotalSeconds, ahead > TimeSpan.Zero ? "ahead of" : "behind")
                : null;

        private void Record(object sender, ResponseEventArgs e)
        {
            if (!(e is WebServiceResponseEventArgs web) || !(DateOf(web.ResponseHeaders) is DateTime serverUtc)) return;
            System.Threading.Interlocked.Exchange(ref _aheadByTicks, (serverUtc - DateTime.UtcNow).Ticks);
        }

        internal static DateTime? DateOf(IDictionary<string, string>? headers)
        {
            if (headers == null) return null;
            foreach (var header in headers)
            {
                if (string.Equals(header.Key, "Date", StringComparison.OrdinalIgnoreCase)) return Sdk.HttpDateHeader.Parse(header.Value)?.UtcDateTime;
            }
            return null;
        }
    }
}
