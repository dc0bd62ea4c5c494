using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Wire;

/// <summary>
/// A fully built response. Handlers return one instead of writing to the socket so the pipeline can
/// still decide to drop it (the drop-after-processing fault) after the operation took effect.
/// </summary>
public sealed record AwsResponse(int StatusCode, string ContentType, byte[] Body, string? ErrorType = null)
{
    public const string AmzJson = "application/x-amz-json-1.0";
    /// <summary>restJson1 services (the SSO portal, SSO OIDC) answer plain JSON.</summary>
    public const string RestJson = "application/json";

    public static AwsResponse Json(JsonObject body) =>
        new(200, AmzJson, JsonSerializer.SerializeToUtf8Bytes(body));

    public static AwsResponse JsonError(AwsApiException error)
    {
        var body = new JsonObject { ["__type"] = error.TypeName, ["message"] = error.Message };
        if (error.ResourceName is not null) body["resourceName"] = error.ResourceName;
        if (error.Reason is not null) body["reason"] = error.Reason;
        return new(error.StatusCode, AmzJson, JsonSerializer.SerializeToUtf8Bytes(body), error.Code);
    }

    public static AwsResponse RestJsonOk(JsonObject body) =>
        new(200, RestJson, JsonSerializer.SerializeToUtf8Bytes(body));

    public static AwsResponse Xml(int statusCode, string xml, string? errorType = null) =>
        new(statusCode, "text/xml", Encoding.UTF8.GetBytes(xml), errorType);

    public static AwsResponse ControlJson(int statusCode, JsonNode body) =>
        new(statusCode, "application/json", JsonSerializer.SerializeToUtf8Bytes(body));
}
