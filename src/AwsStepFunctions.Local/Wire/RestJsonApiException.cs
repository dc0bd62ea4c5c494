using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Wire;

/// <summary>
/// An error of a restJson1 service (the IAM Identity Center portal, SSO OIDC): the code travels in the
/// <c>x-amzn-ErrorType</c> header, the HTTP status is the error's own, and the body is the service's error shape.
/// </summary>
public sealed class RestJsonApiException(string code, int statusCode, JsonObject body, string message) : System.Exception(message)
{
    public string Code { get; } = code;
    public int StatusCode { get; } = statusCode;
    public JsonObject Body { get; } = body;

    /// <summary>The portal's shape (the model's errors carry only <c>message</c>).</summary>
    public static RestJsonApiException Portal(string code, int statusCode, string message) =>
        new(code, statusCode, new JsonObject { ["message"] = message }, message);

    /// <summary>SSO OIDC's OAuth-style shape: <c>error</c> (e.g. invalid_grant) and <c>error_description</c>.</summary>
    public static RestJsonApiException Oidc(string code, int statusCode, string error, string description) =>
        new(code, statusCode, new JsonObject { ["error"] = error, ["error_description"] = description }, description);

    public AwsResponse ToResponse() =>
        new(StatusCode, AwsResponse.RestJson, JsonSerializer.SerializeToUtf8Bytes(Body), Code);
}
