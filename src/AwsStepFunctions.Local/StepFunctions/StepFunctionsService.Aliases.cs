using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>The alias operations, with the validation messages the service answers.</summary>
public sealed partial class StepFunctionsService
{
    // The model's CharacterRestrictedName: at least one non-digit, so an alias can never be mistaken for a version.
    private const string AliasNamePattern = @"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$";

    [GeneratedRegex(AliasNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex AliasName();

    private static AwsApiException AliasNotFound() => new("ResourceNotFound", "Request references a resource that does not exist.");

    private JsonObject CreateStateMachineAlias(JsonMembers m)
    {
        var name = m.RequiredString("name");
        var description = m.String("description");
        var routing = ReadRouting(m) ?? throw AwsApiException.MissingMember("routingConfiguration");
        // The members' model constraints first (the "1 validation error detected" answers), then the service's own rules.
        RequireAliasName(name);
        RequireDescription(description, "description");
        RequireRoutingRules(routing);
        var machineArn = Arns.ParseQualified(routing[0].VersionArn).MachineArn;
        var alias = store.WithVersions(machineArn, (machine, versions) =>
        {
            if (machine is null || routing.Any(r => versions.FindByArn(r.VersionArn) is null)) throw AliasNotFound();
            if (versions.FindAlias(name) is { } existing)
            {
                return existing.SameConfiguration(description, routing)
                    ? existing
                    : throw Conflict("Failed to create alias because an alias with the same name and a different routing configuration already exists.");
            }
            var now = Now();
            var created = new AliasRecord(name, machineArn + ":" + name, description, routing, now, now, store.NextSequence());
            versions.PutAlias(created);
            return created;
        });
        return new JsonObject
        {
            ["stateMachineAliasArn"] = alias.Arn,
            ["creationDate"] = EpochTime.ToEpochSeconds(alias.CreationDate),
        };
    }

    private JsonObject DescribeStateMachineAlias(JsonMembers m)
    {
        var target = RequireAliasArn(m.RequiredString("stateMachineAliasArn"));
        var alias = store.WithVersions(target.MachineArn, (machine, versions) => machine is null ? null : versions.FindAlias(target.Qualifier!))
                    ?? throw AliasNotFound();
        var result = new JsonObject
        {
            ["stateMachineAliasArn"] = alias.Arn,
            ["name"] = alias.Name,
        };
        if (alias.Description is not null) result["description"] = alias.Description;
        result["routingConfiguration"] = RoutingJson(alias.Routing);
        result["creationDate"] = EpochTime.ToEpochSeconds(alias.CreationDate);
        result["updateDate"] = EpochTime.ToEpochSeconds(alias.UpdateDate);
        return result;
    }

    private JsonObject UpdateStateMachineAlias(JsonMembers m)
    {
        var target = RequireAliasArn(m.RequiredString("stateMachineAliasArn"));
        var description = m.String("description");
        var routing = ReadRouting(m);
        RequireDescription(description, "description");
        if (description is null && routing is null)
            throw AwsApiException.Validation("Either the description or the routingConfiguration must be specified");
        if (routing is not null)
        {
            RequireRoutingRules(routing);
            RequireSameMachine(routing, target.MachineArn);
        }
        var alias = store.WithVersions(target.MachineArn, (machine, versions) =>
        {
            if (machine is null || versions.FindAlias(target.Qualifier!) is not { } current) throw AliasNotFound();
            if (routing is not null && routing.Any(r => versions.FindByArn(r.VersionArn) is null)) throw AliasNotFound();
            var newDescription = description ?? current.Description;
            var newRouting = routing ?? current.Routing;
            if (current.SameConfiguration(newDescription, newRouting)) return current;
            var updated = current with { Description = newDescription, Routing = newRouting, UpdateDate = Now() };
            versions.PutAlias(updated);
            return updated;
        });
        return new JsonObject { ["updateDate"] = EpochTime.ToEpochSeconds(alias.UpdateDate) };
    }

    private JsonObject DeleteStateMachineAlias(JsonMembers m)
    {
        var target = RequireAliasArn(m.RequiredString("stateMachineAliasArn"));
        // Deleting an alias that does not exist succeeds, as in the service; the versions it routed to stay.
        store.WithVersions(target.MachineArn, (machine, versions) =>
        {
            if (machine is not null) versions.RemoveAlias(target.Qualifier!);
            return true;
        });
        return new JsonObject();
    }

    private JsonObject ListStateMachineAliases(JsonMembers m)
    {
        var arn = m.RequiredString("stateMachineArn");
        var pageSize = m.PageSize();
        var target = Arns.ParseQualified(arn);
        if (target.IsAlias) throw Arns.InvalidArn(arn);
        var scope = "ListStateMachineAliases:" + target.Arn;
        var after = PageToken.Read(m.String("nextToken"), scope) ?? 0;
        // A version ARN lists the aliases routing to that version.
        var aliases = store.WithVersions(target.MachineArn, (machine, versions) =>
        {
            if (machine is null) throw MachineDoesNotExist(target.MachineArn);
            if (target.Qualifier is null) return versions.Aliases();
            var version = versions.Find(target.Qualifier) ?? throw AliasNotFound();
            return versions.Aliases().Where(a => a.RoutesTo(version.Arn)).ToList();
        });
        return PageToken.Page(aliases.Where(a => a.Sequence > after), pageSize, "stateMachineAliases", scope, a => a.Sequence,
            a => new JsonObject { ["stateMachineAliasArn"] = a.Arn, ["creationDate"] = EpochTime.ToEpochSeconds(a.CreationDate) });
    }

    private static StateMachineRef RequireAliasArn(string arn)
    {
        var target = Arns.ParseQualified(arn);
        return target.IsAlias ? target : throw Arns.InvalidArn(arn);
    }

    private static void RequireAliasName(string name)
    {
        string? broken = name.Length switch
        {
            0 => "Member must have length greater than or equal to 1",
            > 80 => "Member must have length less than or equal to 80",
            _ => AliasName().IsMatch(name) ? null : "Member must satisfy regular expression pattern: " + AliasNamePattern,
        };
        if (broken is not null) throw AwsApiException.Validation($"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: {broken}");
    }

    /// <summary>
    /// routingConfiguration with its model constraints checked (the list's size, then each weight), as the service's
    /// request validation answers them ("1 validation error detected"). The service's own rules on the entries come
    /// after every member's constraints, the alias name's included: see <see cref="RequireRoutingRules"/>. That order
    /// is inferred from the two kinds of message, not recorded: no LocalStack snapshot combines a bad name with bad routing.
    /// </summary>
    private static IReadOnlyList<RoutingEntry>? ReadRouting(JsonMembers m)
    {
        if (m.Array("routingConfiguration") is not { } array) return null;
        var routing = new List<RoutingEntry>();
        for (var i = 0; i < array.Count; i++)
        {
            var member = $"routingConfiguration.{i + 1}.member";
            if (array[i] is not JsonObject o) throw AwsApiException.Serialization($"Member '{member}' must be an object.");
            var item = new JsonMembers(o);
            routing.Add(new RoutingEntry(
                item.String("stateMachineVersionArn") ?? throw AwsApiException.MissingMember(member + ".stateMachineVersionArn"),
                item.Int("weight") ?? throw AwsApiException.MissingMember(member + ".weight")));
        }
        if (routing.Count == 0)
            throw AwsApiException.Validation("1 validation error detected: Value '[]' at 'routingConfiguration' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (routing.Count > 2)
        {
            var shown = string.Join(", ", routing.Select(r => $"RoutingConfigurationListItem(stateMachineVersionArn={r.VersionArn}, weight={r.Weight})"));
            throw AwsApiException.Validation($"1 validation error detected: Value '[{shown}]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2");
        }
        for (var i = 0; i < routing.Count; i++)
        {
            var weight = routing[i].Weight;
            if (weight is < 0 or > 100)
                throw AwsApiException.Validation($"1 validation error detected: Value '{weight}' at 'routingConfiguration.{i + 1}.member.weight' failed to satisfy constraint: " +
                                                 (weight < 0 ? "Member must have value greater than or equal to 0" : "Member must have value less than or equal to 100"));
        }
        return routing;
    }

    /// <summary>The service's rules on a routing configuration: distinct version ARNs of one machine, weights adding up to 100.</summary>
    private static void RequireRoutingRules(IReadOnlyList<RoutingEntry> routing)
    {
        var arns = $"[{string.Join(", ", routing.Select(r => r.VersionArn))}]";
        if (!routing.All(r => Arns.ParseQualified(r.VersionArn).IsVersion))
            throw AwsApiException.Validation($"Routing configuration must contain state machine version ARNs. Received: {arns}");
        if (routing.Select(r => r.VersionArn).Distinct().Count() != routing.Count)
            throw AwsApiException.Validation($"Routing configuration must contain distinct state machine version ARNs. Received: {arns}");
        if (routing.Sum(r => r.Weight) != 100)
            throw AwsApiException.Validation($"Sum of routing configuration weights must equal 100. Received: [{string.Join(", ", routing.Select(r => r.Weight))}]");
        RequireSameMachine(routing, Arns.ParseQualified(routing[0].VersionArn).MachineArn);
    }

    private static void RequireSameMachine(IReadOnlyList<RoutingEntry> routing, string machineArn)
    {
        if (routing.Any(r => Arns.ParseQualified(r.VersionArn).MachineArn != machineArn))
            throw AwsApiException.Validation(
                $"Routing configuration must contain versions of the same state machine. Received: [{string.Join(", ", routing.Select(r => r.VersionArn))}]");
    }

    private static JsonArray RoutingJson(IReadOnlyList<RoutingEntry> routing) =>
        new(routing.Select(r => (JsonNode)new JsonObject { ["stateMachineVersionArn"] = r.VersionArn, ["weight"] = r.Weight }).ToArray());
}
