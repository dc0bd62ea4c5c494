using System;

namespace AwsStepFunctions.Local.Hosting;

/// <summary>
/// The endpoint's wall clock set ahead or behind the machine's (--clock-offset): what a client whose own clock is wrong
/// sees of a real service. Signatures are checked against it, responses carry it in their Date header (which clients
/// correct their clocks from) and executions are dated by it; timers and elapsed time stay the machine's.
/// </summary>
public sealed class OffsetClock(TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
