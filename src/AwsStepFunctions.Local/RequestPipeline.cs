using System;
using System.IO;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Control;
using AwsStepFunctions.Local.Sso;
using AwsStepFunctions.Local.StepFunctions;
using AwsStepFunctions.Local.Sts;
using AwsStepFunctions.Local.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace AwsStepFunctions.Local;

/// <summary>
/// Every request in one place, in the order the real front end applies: read (capped) body, name the
/// operation, count it, inject faults, authenticate, authorize, run, then answer (or drop the answer).
/// </summary>
public sealed class RequestPipeline(
    int maxBodyBytes,
    ControlPlane control,
    RequestCounters counters,
    RequestLog log,
    FaultInjector faults,
    SigV4Verifier verifier,
    StepFunctionsService stepFunctions,
    StsService sts,
    SsoService sso,
    TimeProvider time)
{
    private const string TargetPrefix = "AWSStepFunctions.";

    private sealed class Call
    {
        public required string RequestId { get; init; }
        public bool IsSts { get; set; }
        /// <summary>The IAM Identity Center portal or SSO OIDC (restJson1, routed by method and path).</summary>
        public bool IsSso { get; set; }
        public string Operation { get; set; } = "(unknown)";
        public StoredCredential? Caller { get; set; }
        /// <summary>Counts the request as in flight (GET /_local/concurrency) until it is answered.</summary>
        public IDisposable? InFlight { get; set; }
    }

    public async Task HandleAsync(HttpContext context)
    {
        var call = new Call { RequestId = Guid.NewGuid().ToString() };
        try
        {
            await HandleCallAsync(context, call);
        }
        finally
        {
            call.InFlight?.Dispose();
        }
    }

    private async Task HandleCallAsync(HttpContext context, Call call)
    {
        var requestId = call.RequestId;
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        context.Response.Headers.Date = time.GetUtcNow().ToString("R");
        var request = context.Request;
        var body = await ReadBodyAsync(request);

        if (request.Path.StartsWithSegments("/_local"))
        {
            await WriteAsync(context, control.Handle(request.Method, request.Path.Value ?? "", key => (string?)request.Query[key], body ?? []));
            return;
        }

        var target = request.Headers["X-Amz-Target"].ToString();
        var ssoOperation = SsoService.OperationFor(request.Method, request.Path.Value);
        call.IsSso = ssoOperation is not null;
        call.IsSts = !call.IsSso && target.Length == 0 && IsForm(request.ContentType);
        AwsResponse response;
        var drop = false;
        try
        {
            if (body is null) throw TooLarge(call);
            var form = call.IsSts ? QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)) : null;
            call.Operation = ssoOperation ?? (call.IsSts ? form!.TryGetValue("Action", out var action) ? action.ToString() : "(none)"
                : target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target.Length == 0 ? "(none)" : target);
            counters.Increment(call.Operation);
            call.InFlight = counters.Enter(call.Operation);

            var fault = faults.Take(call.Operation);
            if (fault is { Kind: FaultKind.Reset })
            {
                Log(call, 0, "ConnectionReset");
                context.Abort();
                return;
            }
            if (fault is { Kind: FaultKind.Delay } delayed) await Task.Delay(delayed.DelayMs, context.RequestAborted);
            if (fault is { Kind: FaultKind.Throttle or FaultKind.Http500 or FaultKind.Http503 } failing) throw Injected(call, failing.Kind);
            drop = fault is { Kind: FaultKind.DropAfterProcessing };

            response = call.IsSso ? sso.Handle(call.Operation, request, body)
                : call.IsSts ? Sts(context, call, body, form!) : await StepFunctionsAsync(context, call, body);
        }
        catch (RestJsonApiException ex)
        {
            response = ex.ToResponse();
        }
        catch (AwsApiException ex)
        {
            response = AwsResponse.JsonError(ex);
        }
        catch (StsApiException ex)
        {
            response = StsService.Error(ex, requestId);
        }
        catch (AuthFailure ex)
        {
            response = call.IsSts ? StsService.Error(StsService.FromAuthFailure(ex), requestId) : AwsResponse.JsonError(ToJsonError(ex));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log(call, 0, "ClientClosedRequest");
            return;
        }
        catch (Exception ex)
        {
            // The server must keep serving: report the bug on stderr (no request data) and answer InternalFailure.
            await Console.Error.WriteLineAsync($"[{requestId}] {call.Operation}: {ex}");
            response = call.IsSso ? RestJsonApiException.Portal("InternalServerException", 500, "The request processing has failed because of an unknown error.").ToResponse()
                : call.IsSts
                ? StsService.Error(new StsApiException("InternalFailure", "The request processing has failed because of an unknown error.", 500, "Receiver"), requestId)
                : AwsResponse.JsonError(new AwsApiException("InternalFailure", "The request processing has failed because of an unknown error.", AwsErrorFamily.Common, 500));
        }

        Log(call, drop ? 0 : response.StatusCode, drop ? "DroppedAfterProcessing" : response.ErrorType);
        if (drop)
        {
            context.Abort();
            return;
        }
        await WriteAsync(context, response);
    }

    private AwsResponse Sts(HttpContext context, Call call, byte[] body, System.Collections.Generic.Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form)
    {
        var parameter = (string name) => form.TryGetValue(name, out var v) ? v : default;
        // As on AWS: the web identity token is the proof, so the request needs no signature (the SDKs send it unsigned).
        if (call.Operation == StsService.WebIdentityAction) return sts.AssumeRoleWithWebIdentity(parameter, call.RequestId);
        call.Caller = verifier.Verify(Signed(context, body), "sts");
        if (!StsService.IsKnownAction(call.Operation))
            throw new StsApiException("InvalidAction", $"Could not find operation {call.Operation} for version 2011-06-15");
        return sts.Handle(call.Operation, parameter, call.Caller.Principal, call.RequestId);
    }

    private async Task<AwsResponse> StepFunctionsAsync(HttpContext context, Call call, byte[] body)
    {
        call.Caller = verifier.Verify(Signed(context, body), "states");
        if (!IsAmzJson(context.Request.ContentType))
            throw AwsApiException.Serialization($"Content-Type must be application/x-amz-json-1.0, not '{context.Request.ContentType}'.");
        if (Array.IndexOf(StepFunctionsService.Operations, call.Operation) < 0)
            throw new AwsApiException("UnknownOperationException", $"Unknown operation: '{context.Request.Headers["X-Amz-Target"]}'", AwsErrorFamily.Common);
        JsonObject json;
        try
        {
            json = body.Length == 0 ? new JsonObject() : LastWinsJson.Parse(body) as JsonObject
                ?? throw AwsApiException.Serialization("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw AwsApiException.Serialization($"Malformed JSON request body: {ex.Message}");
        }
        if (UnicodeJson.FindBrokenString(body) is { } broken) throw AwsApiException.Serialization($"Malformed JSON request body: {broken}.");
        var members = new JsonMembers(json);
        foreach (var action in StepFunctionsService.ActionsFor(call.Operation, members))
        {
            if (call.Caller.Principal.IsAllowed(action)) continue;
            var resource = stepFunctions.ResourceFor(call.Operation, members, action);
            throw new AwsApiException("AccessDeniedException",
                $"User: {call.Caller.Principal.Arn} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action",
                AwsErrorFamily.Common);
        }
        return AwsResponse.Json(await stepFunctions.InvokeAsync(call.Operation, members, context.RequestAborted));
    }

    private static SignedRequest Signed(HttpContext context, byte[] body)
    {
        // The raw target keeps the path and query exactly as the client signed them (no decoding).
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var q = raw.IndexOf('?');
        return new SignedRequest(context.Request.Method, q < 0 ? raw : raw[..q], q < 0 ? "" : raw[(q + 1)..], context.Request.Headers, body);
    }

    private static AwsApiException ToJsonError(AuthFailure failure) => failure.Kind switch
    {
        AuthFailureKind.MissingAuthenticationToken => new("MissingAuthenticationTokenException", failure.Message, AwsErrorFamily.Common),
        AuthFailureKind.IncompleteSignature => new("IncompleteSignatureException", failure.Message, AwsErrorFamily.Common),
        AuthFailureKind.UnrecognizedClient => new("UnrecognizedClientException", failure.Message, AwsErrorFamily.Common),
        AuthFailureKind.ExpiredToken => new("ExpiredTokenException", failure.Message, AwsErrorFamily.Common),
        AuthFailureKind.AccessDenied => new("AccessDeniedException", failure.Message, AwsErrorFamily.Common),
        _ => new("InvalidSignatureException", failure.Message, AwsErrorFamily.Common),
    };

    private Exception TooLarge(Call call)
    {
        var message = $"Request body is larger than the limit of {maxBodyBytes} bytes.";
        if (call.IsSso) return RestJsonApiException.Portal("RequestEntityTooLargeException", 413, message);
        return call.IsSts ? new StsApiException("RequestEntityTooLarge", message, 413) : new AwsApiException("RequestEntityTooLargeException", message, AwsErrorFamily.Common, 413);
    }

    private static Exception Injected(Call call, FaultKind kind) => call.IsSso ? InjectedSso(kind) : (kind, call.IsSts) switch
    {
        (FaultKind.Throttle, false) => new AwsApiException("ThrottlingException", "Rate exceeded", AwsErrorFamily.Common),
        (FaultKind.Throttle, true) => new StsApiException("Throttling", "Rate exceeded"),
        (FaultKind.Http500, false) => new AwsApiException("InternalFailure", "The request processing has failed because of an unknown error.", AwsErrorFamily.Common, 500),
        (FaultKind.Http500, true) => new StsApiException("InternalFailure", "The request processing has failed because of an unknown error.", 500, "Receiver"),
        (_, false) => new AwsApiException("ServiceUnavailableException", "Service Unavailable", AwsErrorFamily.Common, 503),
        (_, true) => new StsApiException("ServiceUnavailable", "Service Unavailable", 503, "Receiver"),
    };

    /// <summary>The portal's and SSO OIDC's own codes for the injected faults (TooManyRequestsException is the portal's 429).</summary>
    private static RestJsonApiException InjectedSso(FaultKind kind) => kind switch
    {
        FaultKind.Throttle => RestJsonApiException.Portal("TooManyRequestsException", 429, "Rate exceeded"),
        FaultKind.Http500 => RestJsonApiException.Portal("InternalServerException", 500, "The request processing has failed because of an unknown error."),
        _ => RestJsonApiException.Portal("ServiceUnavailableException", 503, "Service Unavailable"),
    };

    private void Log(Call call, int status, string? error) =>
        log.Add(new LoggedRequest(time.GetUtcNow(), call.RequestId, call.Operation, call.Caller?.Principal.Arn, call.Caller?.AccessKeyId, status, error));

    /// <summary>Reads at most maxBodyBytes; null when the body is larger (the rest is never buffered).</summary>
    private async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > maxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, AwsResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        if (response.ErrorType is not null && response.ContentType is AwsResponse.AmzJson or AwsResponse.RestJson) context.Response.Headers["x-amzn-ErrorType"] = response.ErrorType;
        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private static bool IsForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var m) && string.Equals(m.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static bool IsAmzJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var m) && m.MediaType is { } t
        && (t.Equals("application/x-amz-json-1.0", StringComparison.OrdinalIgnoreCase) || t.Equals("application/x-amz-json-1.1", StringComparison.OrdinalIgnoreCase));
}
