using System;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>A JSONata expression that cannot be parsed; thrown at CreateStateMachine time, never while a run is under way.</summary>
internal sealed class JsonataSyntaxException : FormatException
{
    public JsonataSyntaxException(string code, int position, string problem)
        : base($"Syntax error at position {position}: {problem}")
    {
        Code = code;
        Position = position;
    }

    /// <summary>The JSONata error code (S0xxx) that the reference implementation would report.</summary>
    public string Code { get; }

    public int Position { get; }
}

/// <summary>
/// A failure while evaluating; Code follows the JSONata reference (T for type, D for dynamic). U codes are this engine's:
/// limits (U1001), what it refuses (U1002), and where the reference fails with a JavaScript error (U1003).
/// </summary>
internal sealed class JsonataEvaluationException : Exception
{
    public JsonataEvaluationException(string code, string message)
        : base($"{code}: {message}")
    {
        Code = code;
    }

    public string Code { get; }
}
