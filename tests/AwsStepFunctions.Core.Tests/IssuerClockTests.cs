using System;
using System.Collections.Generic;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    public sealed class IssuerClockTests
    {
        private static readonly DateTime Expiry = new DateTime(2026, 12, 3, 14, 0, 0, DateTimeKind.Utc);

        [Theory]
        [InlineData(null)]
        [InlineData(0.0)]
        [InlineData(59.0)]
        [InlineData(-59.0)]
        public void A_difference_under_a_minute_or_unknown_leaves_the_expiry_as_stated(double? aheadSeconds)
            => Assert.Equal(Expiry, IssuerClock.ToLocal(Expiry, aheadSeconds is double s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null));

        [Theory]
        [InlineData(1200.0)]
        [InlineData(-1200.0)]
        [InlineData(60.0)]
        public void A_larger_one_moves_the_expiry_onto_this_clock_and_a_second_earlier_for_the_Date_headers_resolution(double aheadSeconds)
        {
            var local = IssuerClock.ToLocal(Expiry, TimeSpan.FromSeconds(aheadSeconds));
            Assert.Equal(Expiry.AddSeconds(-aheadSeconds - 1), local);
            Assert.Equal(DateTimeKind.Utc, local.Kind);
        }

        [Fact]
        public void The_extremes_stay_representable()
        {
            Assert.Equal(DateTime.MinValue, IssuerClock.ToLocal(DateTime.MinValue.AddMinutes(5), TimeSpan.FromHours(1)));
            Assert.Equal(DateTime.MaxValue, IssuerClock.ToLocal(DateTime.MaxValue.AddMinutes(-5), TimeSpan.FromHours(-1)));
        }

        [Fact]
        public void The_Date_header_is_read_in_any_case_and_a_bad_one_is_ignored()
        {
            Assert.Equal(new DateTime(2026, 12, 3, 13, 20, 12, DateTimeKind.Utc),
                IssuerClock.DateOf(new Dictionary<string, string> { ["date"] = "Thu, 03 Dec 2026 13:20:12 GMT" }));
            Assert.Null(IssuerClock.DateOf(new Dictionary<string, string> { ["Date"] = "yesterday" }));
            Assert.Null(IssuerClock.DateOf(new Dictionary<string, string> { ["x-amzn-RequestId"] = "1" }));
            Assert.Null(IssuerClock.DateOf(null));
        }
    }
}
