using System;
using AwsStepFunctions.Local.Asl;

namespace AwsStepFunctions.Local.StepFunctions;

public sealed record StateMachineRecord(
    string Name,
    string Arn,
    string Definition,
    StateMachineDefinition Parsed,
    string RoleArn,
    string Type,
    DateTimeOffset CreationDate)
{
    public bool IsExpress => Type == "EXPRESS";
}
