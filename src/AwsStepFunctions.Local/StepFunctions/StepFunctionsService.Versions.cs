using System;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>UpdateStateMachine and the version operations, and how a start or describe resolves a version ARN.</summary>
public sealed partial class StepFunctionsService
{
    /// <summary>What PublishStateMachineVersion's revisionId calls a machine that was never updated (its revisionId is null).</summary>
    private const string InitialRevision = "INITIAL";
    private const int MaxDescriptionLength = 256;

    private JsonObject UpdateStateMachine(JsonMembers m)
    {
        var arn = m.RequiredString("stateMachineArn");
        var definition = m.String("definition");
        var roleArn = m.String("roleArn");
        var logging = m.Object("loggingConfiguration");
        var tracing = m.Object("tracingConfiguration");
        var encryption = m.Object("encryptionConfiguration");
        var publish = m.Bool("publish") ?? false;
        var description = m.String("versionDescription");
        RequireDescription(description, "versionDescription");
        if (description is not null && !publish) throw AwsApiException.Validation("Version description can only be set when publish is true");
        var target = Arns.ParseQualified(arn);
        // A version or alias cannot be updated: the service answers as for a machine that does not exist.
        if (target.Qualifier is not null || store.FindMachine(target.MachineArn) is null) throw MachineDoesNotExist(target.Arn);
        RequireNotDeleting(target.MachineArn);
        if (definition is null && roleArn is null && logging is null && tracing is null && encryption is null)
            throw new AwsApiException("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
        if (definition is not null) RequireDefinitionLength(definition);
        if (roleArn is not null) RequireRoleArn(roleArn);
        ConfigurationCheck.All(logging, tracing, encryption);
        var parsed = definition is null ? null : Parse(definition, store.FindMachine(target.MachineArn)!.Type);

        // A revision is a snapshot of the definition, role and configuration: changing any of them makes a new one. An
        // update that changes nothing keeps the revision (and its revisionId), so publishing it again answers its version.
        // The update and its publish are one critical section: a concurrent update cannot slip in between.
        var (updated, version) = store.Update(target.MachineArn,
            current =>
            {
                var configuration = current.Configuration.With(logging, tracing, encryption);
                return (definition ?? current.Definition) == current.Definition && (roleArn ?? current.RoleArn) == current.RoleArn
                       && configuration == current.Configuration
                    ? current
                    : current with
                    {
                        Definition = definition ?? current.Definition,
                        Parsed = parsed ?? current.Parsed,
                        RoleArn = roleArn ?? current.RoleArn,
                        Configuration = configuration,
                        RevisionId = Guid.NewGuid().ToString(),
                        UpdateDate = Now(),
                    };
            },
            (machine, versions) => publish ? PublishCurrent(machine, versions, null, description) : null) ?? throw MachineDoesNotExist(target.Arn);
        var result = new JsonObject { ["updateDate"] = EpochTime.ToEpochSeconds(Now()) };
        if (updated.RevisionId is not null) result["revisionId"] = updated.RevisionId;
        if (version is not null) result["stateMachineVersionArn"] = version.Arn;
        return result;
    }

    private JsonObject PublishStateMachineVersion(JsonMembers m)
    {
        var arn = m.RequiredString("stateMachineArn");
        var revisionId = m.String("revisionId");
        var description = m.String("description");
        RequireDescription(description, "description");
        var target = Arns.ParseQualified(arn);
        if (target.Qualifier is not null) throw MachineDoesNotExist(target.Arn);
        var version = Publish(target.MachineArn, revisionId, description);
        return new JsonObject
        {
            ["creationDate"] = EpochTime.ToEpochSeconds(version.CreationDate),
            ["stateMachineVersionArn"] = version.Arn,
        };
    }

    /// <summary>
    /// The version of the machine's current revision: the existing one if that revision was published already (the
    /// service's idempotency), else a new one. expectedRevision, when given, must be the current revision.
    /// </summary>
    private StateMachineVersion Publish(string machineArn, string? expectedRevision, string? description) =>
        store.WithVersions(machineArn, (machine, versions) =>
            PublishCurrent(machine ?? throw MachineDoesNotExist(machineArn), versions, expectedRevision, description));

    /// <summary>Publish's rule, for a caller already inside the store's lock with the machine and its versions.</summary>
    private StateMachineVersion PublishCurrent(StateMachineRecord machine, StateMachineVersions versions, string? expectedRevision, string? description)
    {
        var current = machine.RevisionId ?? InitialRevision;
        if (expectedRevision is not null && expectedRevision != current)
            throw Conflict($"Failed to publish the State Machine version for revision {expectedRevision}. The current State Machine revision is {current}.");
        return versions.ForRevision(machine.RevisionId) ?? versions.Add(machine, description, Now());
    }

    private JsonObject ListStateMachineVersions(JsonMembers m)
    {
        var arn = m.RequiredString("stateMachineArn");
        var pageSize = m.PageSize();
        var target = Arns.ParseQualified(arn);
        // Versions belong to the machine: a version or alias ARN is the wrong kind of ARN (the model's errors are
        // ValidationException, InvalidArn and InvalidToken; InvalidArn is the one for an ARN of the wrong kind).
        if (target.Qualifier is not null) throw Arns.InvalidArn(arn);
        var scope = "ListStateMachineVersions:" + target.Arn;
        var before = PageToken.Read(m.String("nextToken"), scope) ?? long.MaxValue;
        // The model gives this operation no StateMachineDoesNotExist: an unknown machine simply has no versions.
        var all = store.WithVersions(target.MachineArn, (_, versions) => versions.NewestFirst());
        return PageToken.Page(all.Where(v => v.Number < before), pageSize, "stateMachineVersions", scope, v => v.Number,
            v => new JsonObject { ["stateMachineVersionArn"] = v.Arn, ["creationDate"] = EpochTime.ToEpochSeconds(v.CreationDate) });
    }

    private JsonObject DeleteStateMachineVersion(JsonMembers m)
    {
        var arn = m.RequiredString("stateMachineVersionArn");
        var target = Arns.ParseQualified(arn);
        if (!target.IsVersion) throw Arns.InvalidArn(arn);
        // Deleting a version that does not exist (any more) succeeds, as in the service.
        store.WithVersions(target.MachineArn, (machine, versions) =>
        {
            if (machine is null || versions.Find(target.Qualifier!) is not { } version) return false;
            var routing = versions.Aliases().Where(a => a.RoutesTo(version.Arn)).Select(a => a.Name).ToList();
            if (routing.Count > 0)
                throw Conflict($"Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [{string.Join(", ", routing)}]");
            versions.Remove(version);
            return true;
        });
        return new JsonObject();
    }

    /// <summary>The version a version ARN names; null when the machine or the version does not exist.</summary>
    private StateMachineVersion? FindVersion(StateMachineRef target) =>
        target.IsVersion ? store.WithVersions(target.MachineArn, (machine, versions) => machine is null ? null : versions.Find(target.Qualifier!)) : null;

    /// <summary>
    /// The revision a start runs and the version/alias it is recorded under: the current revision for the unqualified
    /// machine, the version's snapshot for a version, and a version picked by weight for an alias.
    /// </summary>
    private StartTarget ResolveStart(StateMachineRef target)
    {
        RequireNotDeleting(target.MachineArn);
        if (target.Qualifier is null)
            return new StartTarget(store.FindMachine(target.MachineArn) ?? throw MachineDoesNotExist(target.Arn), null, null);
        return store.WithVersions(target.MachineArn, (machine, versions) =>
        {
            if (machine is not null && target.IsVersion && versions.Find(target.Qualifier) is { } version)
                return new StartTarget(version.Revision, version.Arn, null);
            // An alias always routes to existing versions: DeleteStateMachineVersion refuses to delete a routed one.
            if (machine is not null && target.IsAlias && versions.FindAlias(target.Qualifier) is { } alias
                && versions.FindByArn(alias.PickVersion(Random.Shared)) is { } picked)
                return new StartTarget(picked.Revision, picked.Arn, alias.Arn);
            throw MachineDoesNotExist(target.Arn);
        });
    }

    private sealed record StartTarget(StateMachineRecord Machine, string? VersionArn, string? AliasArn);

    private static void RequireDescription(string? description, string member)
    {
        if (description is { Length: > MaxDescriptionLength })
            throw AwsApiException.Validation($"1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {MaxDescriptionLength}");
    }

    /// <summary>ConflictException is HTTP 409 in the API reference.</summary>
    private static AwsApiException Conflict(string message) => new("ConflictException", message, AwsErrorFamily.Service, 409);
}
