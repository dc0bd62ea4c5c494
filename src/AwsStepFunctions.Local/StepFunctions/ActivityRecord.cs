using System;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// An activity (CreateActivity): its name, ARN, creation date and encryption configuration as canonical JSON (the
/// defaults filled in, so a repeated create compares equal whether or not it spells them out). The endpoint encrypts
/// nothing; the configuration is kept for DescribeActivity and for CreateActivity's idempotency check.
/// </summary>
public sealed record ActivityRecord(string Name, string Arn, DateTimeOffset CreationDate, string Encryption);
