using System;
using System.Threading;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>The side inputs that a few functions need; tests replace them to make results repeatable.</summary>
internal sealed class JsonataEnvironment
{
    /// <summary>Read by $now() and $millis(); one reading per evaluation, so every call in an expression agrees.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Used by $random() without a seed, $shuffle() and $uuid().</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>Checked in loops and on every function call so a runaway expression can be stopped.</summary>
    public CancellationToken Cancellation { get; init; }
}
