using System;

namespace AwsStepFunctions.Local.Wire;

/// <summary>AWS JSON timestamps: epoch seconds as a number, with millisecond precision.</summary>
public static class EpochTime
{
    public static double ToEpochSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Drops sub-millisecond precision so a stored time equals what the wire shows.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
