using System;
using AwsStepFunctions.Local.Asl;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// One revision of a state machine. UpdateStateMachine stores a new record instead of changing this one, so a running
/// execution and a published version keep the definition they were given. RevisionId is null until the first change,
/// as the service reports it.
/// </summary>
public sealed record StateMachineRecord(
    string Name,
    string Arn,
    string Definition,
    StateMachineDefinition Parsed,
    string RoleArn,
    string Type,
    DateTimeOffset CreationDate,
    string? RevisionId = null)
{
    public bool IsExpress => Type == "EXPRESS";

    public MachineConfiguration Configuration { get; init; } = MachineConfiguration.Default;

    /// <summary>When UpdateStateMachine made this revision; null for the first (DescribeStateMachineForExecution's updateDate).</summary>
    public DateTimeOffset? UpdateDate { get; init; }

    /// <summary>The CreateStateMachine request's publish and versionDescription: its idempotency check includes them.</summary>
    public CreateOptions Created { get; init; } = CreateOptions.None;

    /// <summary>
    /// Which machine this revision belongs to: its revisions share it (UpdateStateMachine copies it), a machine created again
    /// under the same name after a deletion gets a new one, so the old machine's executions are never taken for its.
    /// </summary>
    public MachineLineage Lineage { get; init; } = new();
}

/// <summary>The identity of one created machine across its revisions (see <see cref="StateMachineRecord.Lineage"/>).</summary>
public sealed class MachineLineage;

/// <summary>How a machine was created: whether CreateStateMachine published version 1, and with what description.</summary>
public sealed record CreateOptions(bool Publish, string? VersionDescription)
{
    public static CreateOptions None { get; } = new(false, null);
}
