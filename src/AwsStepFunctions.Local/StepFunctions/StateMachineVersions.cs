using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>A published version: an immutable snapshot of one revision, numbered per machine.</summary>
public sealed record StateMachineVersion(int Number, string Arn, StateMachineRecord Revision, string? Description, DateTimeOffset CreationDate);

/// <summary>
/// The versions and aliases of one state machine. Not thread-safe on its own: the store hands it out only inside its
/// lock (<see cref="StepFunctionsStore.WithVersions{T}"/>), so publish, delete and alias checks see one consistent state.
/// </summary>
public sealed class StateMachineVersions
{
    private readonly SortedDictionary<int, StateMachineVersion> _versions = [];
    private readonly List<AliasRecord> _aliases = [];
    // Numbers are never reused, even after a delete: version 3 follows a deleted version 2, as in the service.
    private int _lastNumber;

    /// <summary>The version a qualifier names; "01" or "0" name none, as no version ARN is written that way.</summary>
    public StateMachineVersion? Find(string qualifier) =>
        int.TryParse(qualifier, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n.ToString(CultureInfo.InvariantCulture) == qualifier
            ? _versions.GetValueOrDefault(n)
            : null;

    public StateMachineVersion? FindByArn(string versionArn) => _versions.Values.FirstOrDefault(v => v.Arn == versionArn);

    public StateMachineVersion? ForRevision(string? revisionId) => _versions.Values.FirstOrDefault(v => v.Revision.RevisionId == revisionId);

    public StateMachineVersion Add(StateMachineRecord revision, string? description, DateTimeOffset now)
    {
        var number = ++_lastNumber;
        var version = new StateMachineVersion(number, revision.Arn + ":" + number.ToString(CultureInfo.InvariantCulture), revision, description, now);
        _versions[number] = version;
        return version;
    }

    public IReadOnlyList<StateMachineVersion> NewestFirst() => _versions.Values.Reverse().ToList();

    public void Remove(StateMachineVersion version) => _versions.Remove(version.Number);

    public AliasRecord? FindAlias(string name) => _aliases.Find(a => a.Name == name);

    /// <summary>Aliases in creation order (the order the service lists them in).</summary>
    public IReadOnlyList<AliasRecord> Aliases() => _aliases.ToList();

    /// <summary>Adds the alias, or replaces the one with its name in place (an update keeps its position).</summary>
    public void PutAlias(AliasRecord alias)
    {
        var index = _aliases.FindIndex(a => a.Name == alias.Name);
        if (index >= 0) _aliases[index] = alias;
        else _aliases.Add(alias);
    }

    public void RemoveAlias(string name) => _aliases.RemoveAll(a => a.Name == name);
}
