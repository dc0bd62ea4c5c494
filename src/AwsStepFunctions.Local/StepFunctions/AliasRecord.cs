using System;
using System.Collections.Generic;
using System.Linq;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>One entry of an alias's routingConfiguration.</summary>
public sealed record RoutingEntry(string VersionArn, int Weight);

/// <summary>
/// A state machine alias. Immutable: UpdateStateMachineAlias stores a new record, so a start that already picked a
/// version from the old routing is unaffected. Sequence orders ListStateMachineAliases and its page tokens.
/// </summary>
public sealed record AliasRecord(
    string Name,
    string Arn,
    string? Description,
    IReadOnlyList<RoutingEntry> Routing,
    DateTimeOffset CreationDate,
    DateTimeOffset UpdateDate,
    long Sequence)
{
    /// <summary>
    /// The service's idempotency check for CreateStateMachineAlias: description and routing. A routing configuration is
    /// a set of (version, weight), its versions distinct, so the order of its entries does not matter.
    /// </summary>
    public bool SameConfiguration(string? description, IReadOnlyList<RoutingEntry> routing) =>
        Description == description && Routing.Count == routing.Count && routing.All(Routing.Contains);

    public bool RoutesTo(string versionArn) => Routing.Any(r => r.VersionArn == versionArn);

    /// <summary>
    /// The version a start runs: the first entry when a draw from 0..99 is below its weight (probability weight/100),
    /// else the second. The random source is a parameter so tests can pick the draw.
    /// </summary>
    public string PickVersion(Random random) =>
        Routing.Count == 1 || random.Next(100) < Routing[0].Weight ? Routing[0].VersionArn : Routing[1].VersionArn;
}
