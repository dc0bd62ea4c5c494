using System;

namespace AwsStepFunctions.Local.Wire;

/// <summary>Which JSON namespace an error code lives in: the service's own model or coral's common errors.</summary>
public enum AwsErrorFamily
{
    /// <summary>Step Functions' modelled errors: <c>com.amazonaws.swf.service.v2.model#Code</c>.</summary>
    Service,
    /// <summary>Errors shared by all AWS JSON services: <c>com.amazon.coral.service#Code</c>.</summary>
    Common,
}

/// <summary>An error the Step Functions API answers with; the pipeline turns it into the AWS JSON error shape.</summary>
public sealed class AwsApiException(string code, string message, AwsErrorFamily family = AwsErrorFamily.Service, int statusCode = 400)
    : Exception(message)
{
    public string Code { get; } = code;
    public AwsErrorFamily Family { get; } = family;
    public int StatusCode { get; } = statusCode;

    public string TypeName => (Family == AwsErrorFamily.Service ? "com.amazonaws.swf.service.v2.model#" : "com.amazon.coral.service#") + Code;

    /// <summary>The resourceName member some error shapes of the model carry (ResourceNotFound, TooManyTags); null: none.</summary>
    public string? ResourceName { get; init; }

    /// <summary>The reason member of the model's own ValidationException (CANNOT_UPDATE_COMPLETED_MAP_RUN...); null: none.</summary>
    public string? Reason { get; init; }

    /// <summary>A request well formed but refused by the model's rules: coral's common ValidationException, no reason.</summary>
    public static AwsApiException Validation(string message) => new("ValidationException", message, AwsErrorFamily.Common);

    /// <summary>The service model's own ValidationException, which names its reason (a ValidationExceptionReason value).</summary>
    public static AwsApiException Validation(string message, string reason) => new("ValidationException", message) { Reason = reason };

    public static AwsApiException Serialization(string message) => new("SerializationException", message, AwsErrorFamily.Common);

    public static AwsApiException MissingMember(string member) =>
        Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");
}

/// <summary>An STS (awsQuery) error: rendered as an XML ErrorResponse with its own HTTP status.</summary>
public sealed class StsApiException(string code, string message, int statusCode = 400, string type = "Sender") : Exception(message)
{
    public string Code { get; } = code;
    public int StatusCode { get; } = statusCode;
    public string Type { get; } = type;
}
