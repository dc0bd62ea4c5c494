using System.Linq;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// A revision's logging, tracing and encryption configuration. The endpoint does not act on them (DescribeStateMachine
/// reports the defaults), but a revision is a snapshot of the definition and configuration: UpdateStateMachine makes a
/// new revision when they change, and CreateStateMachine's idempotency check includes them. Each is kept as canonical
/// JSON (sorted keys) with the service's defaults filled in, so {"level":"OFF"} is the same as no loggingConfiguration.
/// </summary>
public sealed record MachineConfiguration(string Logging, string Tracing, string Encryption)
{
    private static readonly JsonObject LoggingDefaults = new() { ["level"] = "OFF", ["includeExecutionData"] = false, ["destinations"] = new JsonArray() };
    private static readonly JsonObject TracingDefaults = new() { ["enabled"] = false };
    private static readonly JsonObject EncryptionDefaults = new() { ["type"] = "AWS_OWNED_KEY" };

    public static MachineConfiguration Default { get; } = new(Canonical(null, LoggingDefaults), Canonical(null, TracingDefaults), Canonical(null, EncryptionDefaults));

    /// <summary>
    /// This configuration with the members a request gives replacing the ones it has (null: unchanged). The request's
    /// members are checked by the caller first (<see cref="ConfigurationCheck.All"/>), before anything is stored.
    /// </summary>
    public MachineConfiguration With(JsonObject? logging, JsonObject? tracing, JsonObject? encryption) => new(
        logging is null ? Logging : Canonical(logging, LoggingDefaults),
        tracing is null ? Tracing : Canonical(tracing, TracingDefaults),
        encryption is null ? Encryption : Canonical(encryption, EncryptionDefaults));

    private static string Canonical(JsonObject? given, JsonObject defaults)
    {
        var merged = (JsonObject)defaults.DeepClone();
        if (given is not null)
            foreach (var (name, value) in given) merged[name] = value?.DeepClone();
        return Sorted(merged)!.ToJsonString();
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, System.StringComparer.Ordinal)
            .Select(p => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
