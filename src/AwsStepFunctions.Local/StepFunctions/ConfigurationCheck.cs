using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>
/// The model's rules for loggingConfiguration, tracingConfiguration and encryptionConfiguration, and the ones its
/// documentation states in words (a log destination unless the level is OFF, at most one, a log group ARN ending in
/// <c>:*</c>; a customer managed key needs its kmsKeyId). The endpoint acts on none of them, but a configuration the
/// service refuses must not be kept, reported back by Describe, or make a new revision.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>A request's three configurations (any may be absent).</summary>
    public static void All(JsonObject? logging, JsonObject? tracing, JsonObject? encryption)
    {
        Logging(logging);
        Tracing(tracing);
        Encryption(encryption);
    }

    public static void Logging(JsonObject? logging)
    {
        if (logging is null) return;
        var m = new JsonMembers(logging);
        var level = m.String("level") ?? "OFF";
        if (level is not ("ALL" or "ERROR" or "FATAL" or "OFF"))
            throw Enum(level, "loggingConfiguration.level", "ALL, ERROR, FATAL, OFF");
        m.Bool("includeExecutionData");
        var destinations = m.Array("destinations") ?? new JsonArray();
        for (var i = 0; i < destinations.Count; i++)
        {
            var at = $"loggingConfiguration.destinations.{i + 1}.member";
            var destination = destinations[i] as JsonObject ?? throw AwsApiException.Serialization($"Member '{at}' must be an object.");
            var group = new JsonMembers(destination).Object("cloudWatchLogsLogGroup");
            var arn = group is null ? null : new JsonMembers(group).String("logGroupArn");
            if (arn is { Length: < 1 or > 256 })
                throw AwsApiException.Validation($"1 validation error detected: Value at '{at}.cloudWatchLogsLogGroup.logGroupArn' failed to satisfy constraint: Member must have length between 1 and 256");
            if (arn is null || !arn.EndsWith(":*", System.StringComparison.Ordinal))
                throw Invalid("InvalidLoggingConfiguration", $"Invalid Logging Configuration: {at}.cloudWatchLogsLogGroup.logGroupArn must be a CloudWatch Logs log group ARN ending in ':*'");
        }
        if (level != "OFF" && destinations.Count != 1 || destinations.Count > 1)
            throw Invalid("InvalidLoggingConfiguration", "Invalid Logging Configuration: Must specify exactly one Log Destination.");
    }

    public static void Tracing(JsonObject? tracing)
    {
        if (tracing is not null) new JsonMembers(tracing).Bool("enabled");
    }

    public static void Encryption(JsonObject? encryption)
    {
        if (encryption is null) return;
        var m = new JsonMembers(encryption);
        var type = m.String("type") ?? throw AwsApiException.MissingMember("encryptionConfiguration.type");
        if (type is not ("AWS_OWNED_KEY" or "CUSTOMER_MANAGED_KMS_KEY"))
            throw Enum(type, "encryptionConfiguration.type", "AWS_OWNED_KEY, CUSTOMER_MANAGED_KMS_KEY");
        var key = m.String("kmsKeyId");
        if (key is { Length: < 1 or > 2048 })
            throw AwsApiException.Validation("1 validation error detected: Value at 'encryptionConfiguration.kmsKeyId' failed to satisfy constraint: Member must have length between 1 and 2048");
        if (m.Int("kmsDataKeyReusePeriodSeconds") is { } period and (< 60 or > 900))
            throw AwsApiException.Validation($"1 validation error detected: Value '{period}' at 'encryptionConfiguration.kmsDataKeyReusePeriodSeconds' failed to satisfy constraint: Member must have value between 60 and 900");
        if (type == "CUSTOMER_MANAGED_KMS_KEY" && key is null)
            throw Invalid("InvalidEncryptionConfiguration", "Invalid Encryption Configuration: kmsKeyId is required when type is CUSTOMER_MANAGED_KMS_KEY.");
    }

    private static AwsApiException Enum(string value, string member, string values) =>
        AwsApiException.Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{values}]");

    private static AwsApiException Invalid(string code, string message) => new(code, message);
}
