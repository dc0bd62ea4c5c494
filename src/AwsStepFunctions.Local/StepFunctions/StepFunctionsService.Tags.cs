using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

// TagResource, UntagResource and ListTagsForResource, and the tags CreateStateMachine and CreateActivity take: state
// machines and activities carry tags, as on the service.
public sealed partial class StepFunctionsService
{
    /// <summary>The developer guide's quota: 50 tags per resource.</summary>
    public const int MaxTagsPerResource = 50;

    /// <summary>
    /// The model: "Tags may only contain Unicode letters, digits, white space, or these symbols: _ . : / = + - @". Read by
    /// Unicode scalar, so a letter outside the Basic Multilingual Plane (a surrogate pair in .NET) counts as the letter it is.
    /// </summary>
    private static bool HasTagCharactersOnly(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || Rune.IsNumber(rune) || Rune.IsWhiteSpace(rune)) continue;
            if (rune.IsAscii && "_.:/=+-@".Contains((char)rune.Value)) continue;
            return false;
        }
        return true;
    }

    private JsonObject TagResource(JsonMembers m)
    {
        var arn = RequireTaggable(m.RequiredString("resourceArn"));
        var tags = ReadTags(m.Array("tags") ?? throw AwsApiException.MissingMember("tags"), "tags");
        store.WithTags(arn, current => Merge(current ?? throw ResourceNotFound(arn), tags, arn));
        return new JsonObject();
    }

    private JsonObject UntagResource(JsonMembers m)
    {
        var arn = RequireTaggable(m.RequiredString("resourceArn"));
        var keys = m.Array("tagKeys") ?? throw AwsApiException.MissingMember("tagKeys");
        var removed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++) removed.Add(ReadKey(keys[i], $"tagKeys.{i + 1}.member"));
        store.WithTags(arn, current => (current ?? throw ResourceNotFound(arn)).RemoveAll(t => removed.Contains(t.Key)));
        return new JsonObject();
    }

    private JsonObject ListTagsForResource(JsonMembers m)
    {
        var arn = RequireTaggable(m.RequiredString("resourceArn"));
        var tags = store.WithTags(arn, current => (current ?? throw ResourceNotFound(arn)).ToList());
        return new JsonObject { ["tags"] = TagsJson(tags) };
    }

    /// <summary>CreateStateMachine's and CreateActivity's tags, checked as TagResource checks them (before anything is created).</summary>
    private static List<KeyValuePair<string, string>> ReadCreateTags(JsonMembers m, string resourceArn)
    {
        var tags = new List<KeyValuePair<string, string>>();
        if (m.Array("tags") is { } given) Merge(tags, ReadTags(given, "tags"), resourceArn);
        return tags;
    }

    /// <summary>
    /// A state machine ARN without a qualifier, or an activity ARN: a malformed ARN is InvalidArn; any other kind of
    /// resource (an execution, a version or alias) is ResourceNotFound, whose model text says "Only state machine and
    /// activity ARNs are supported" (the answer for a version or alias is an assumption).
    /// </summary>
    private static string RequireTaggable(string arn)
    {
        var parts = arn.Split(':');
        if (arn.Length > 256 || parts.Length < 7 || parts[0] != "arn" || parts[2] != "states" || parts[4].Length != 12)
            throw Arns.InvalidArn(arn);
        if (parts[5] == "activity")
        {
            Arns.RequireActivity(arn);
            return arn;
        }
        if (parts[5] != "stateMachine") throw ResourceNotFound(arn);
        var target = Arns.ParseQualified(arn);
        if (target.Qualifier is not null || target.TestCase is not null || target.NamesMapState) throw ResourceNotFound(arn);
        return target.MachineArn;
    }

    private static List<KeyValuePair<string, string>> ReadTags(JsonArray given, string member)
    {
        var tags = new List<KeyValuePair<string, string>>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var at = $"{member}.{i + 1}.member";
            if (given[i] is not JsonObject tag) throw AwsApiException.Serialization($"Member '{at}' must be an object.");
            var fields = new JsonMembers(tag);
            var key = ReadKey(tag["key"], at + ".key");
            var value = fields.String("value") ?? "";
            if (value.Length > 256) throw TooLong(value, at + ".value", 256);
            if (!HasTagCharactersOnly(value)) throw BadCharacters(at + ".value");
            tags.Add(new KeyValuePair<string, string>(key, value));
        }
        return tags;
    }

    private static string ReadKey(JsonNode? node, string at)
    {
        var key = node is JsonValue v && v.TryGetValue(out string? text) ? text
            : node is null ? throw AwsApiException.MissingMember(at) : throw AwsApiException.Serialization($"Member '{at}' must be a string.");
        if (key.Length == 0)
            throw AwsApiException.Validation($"1 validation error detected: Value '' at '{at}' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (key.Length > 128) throw TooLong(key, at, 128);
        if (!HasTagCharactersOnly(key)) throw BadCharacters(at);
        return key;
    }

    /// <summary>Adds or replaces (a key already there keeps its place) and refuses a result over the quota, leaving the tags as they were.</summary>
    private static bool Merge(List<KeyValuePair<string, string>> current, List<KeyValuePair<string, string>> added, string arn)
    {
        var merged = current.ToList();
        foreach (var tag in added)
        {
            var at = merged.FindIndex(t => t.Key == tag.Key);
            if (at >= 0) merged[at] = tag;
            else merged.Add(tag);
        }
        if (merged.Count > MaxTagsPerResource)
            throw new AwsApiException("TooManyTags", $"Too many tags: a resource may have at most {MaxTagsPerResource}, and this request would leave '{arn}' with {merged.Count}.")
            {
                ResourceName = arn,
            };
        current.Clear();
        current.AddRange(merged);
        return true;
    }

    private static JsonArray TagsJson(IEnumerable<KeyValuePair<string, string>> tags) =>
        new(tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray());

    private static AwsApiException ResourceNotFound(string arn) => new("ResourceNotFound", $"Resource not found: '{arn}'") { ResourceName = arn };

    private static AwsApiException TooLong(string value, string at, int max) =>
        AwsApiException.Validation($"1 validation error detected: Value '{value}' at '{at}' failed to satisfy constraint: Member must have length less than or equal to {max}");

    private static AwsApiException BadCharacters(string at) =>
        AwsApiException.Validation($"Invalid tag at '{at}': tags may only contain Unicode letters, digits, white space, or these symbols: _ . : / = + - @");
}
