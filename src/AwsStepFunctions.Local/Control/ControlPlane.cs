using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.StepFunctions;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.Control;

/// <summary>
/// The /_local/* paths: health, counters, concurrency, the request log, fault injection, every execution of a machine and,
/// when <paramref name="issued"/> is given (--expose-issued-credentials), every credential the endpoint issued.
/// No SigV4 here by design.
/// </summary>
public sealed class ControlPlane(RequestCounters counters, RequestLog log, FaultInjector faults, StepFunctionsStore store, IssuedCredentials? issued = null)
{
    public const string ExposeIssuedCredentialsOption = "--expose-issued-credentials";

    public AwsResponse Handle(string method, string path, Func<string, string?> query, byte[] body) => (method, path.TrimEnd('/')) switch
    {
        ("GET", "/_local/executions") => Executions(query("stateMachineArn")),
        ("GET", "/_local/health") => Ok(new JsonObject { ["status"] = "ok" }),
        ("GET", "/_local/counters") => Ok(counters.ToJson()),
        ("POST", "/_local/counters/reset") => Reset(),
        ("GET", "/_local/concurrency") => Ok(counters.ConcurrencyToJson()),
        ("GET", "/_local/requests") => Ok(log.ToJson()),
        ("DELETE", "/_local/requests") => ClearLog(),
        ("GET", "/_local/faults") => Ok(faults.ToJson()),
        ("POST", "/_local/faults") => AddFault(body),
        ("DELETE", "/_local/faults") => ClearFaults(),
        ("GET", "/_local/issued-credentials") => issued is null
            ? Message(403, $"The issued credentials are secrets: start the endpoint with {ExposeIssuedCredentialsOption} to serve them here.")
            : Ok(issued.ToJson()),
        _ => AwsResponse.ControlJson(404, new JsonObject { ["message"] = $"No control endpoint {method} {path}" }),
    };

    private static AwsResponse Ok(JsonNode body) => AwsResponse.ControlJson(200, body);

    /// <summary>
    /// Every stored execution of a machine, EXPRESS ones included: the public API cannot list those (AWS keeps them only in
    /// CloudWatch Logs), yet a test must be able to count what a client started. A version or alias ARN lists its
    /// executions as ListExecutions does (a version also those an alias ran it for), and a '#TestCase' suffix is ignored. Tests assert "nothing was started" with this,
    /// so an ARN it cannot answer for is an error, never an empty list: 400 when missing or malformed, 404 when there is
    /// no such machine, version or alias and no stored execution was started through it (a deleted machine's executions
    /// stay listable).
    /// </summary>
    private AwsResponse Executions(string? stateMachineArn)
    {
        if (string.IsNullOrEmpty(stateMachineArn)) return Message(400, "The query parameter stateMachineArn is required.");
        StateMachineRef target;
        try
        {
            target = Arns.ParseQualified(stateMachineArn);
        }
        catch (AwsApiException ex)
        {
            return Message(400, ex.Message);
        }
        var executions = store.ExecutionsOf(target.MachineArn).Where(target.Ran).ToList();
        if (executions.Count == 0 && !store.Exists(target))
            return Message(404, $"No state machine, version or alias '{target.Arn}' exists, and no execution was started through it.");
        var items = executions.Select(e => (JsonNode)new JsonObject
        {
            ["executionArn"] = e.Arn,
            ["name"] = e.Name,
            ["status"] = e.Snapshot().Status,
            ["startDate"] = EpochTime.ToEpochSeconds(e.StartDate),
        }).ToArray();
        return Ok(new JsonObject { ["executions"] = new JsonArray(items) });
    }

    private static AwsResponse Message(int status, string message) => AwsResponse.ControlJson(status, new JsonObject { ["message"] = message });

    private AwsResponse Reset()
    {
        counters.Reset();
        return Ok(new JsonObject { ["status"] = "ok" });
    }

    private AwsResponse ClearLog()
    {
        log.Clear();
        return Ok(new JsonObject { ["status"] = "ok" });
    }

    private AwsResponse ClearFaults()
    {
        faults.Clear();
        return Ok(new JsonObject { ["status"] = "ok" });
    }

    private AwsResponse AddFault(byte[] body)
    {
        try
        {
            faults.Add(FaultInjector.ParseRule(body.Length == 0 ? null : JsonNode.Parse(body)));
            return Ok(new JsonObject { ["status"] = "ok" });
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException)
        {
            return AwsResponse.ControlJson(400, new JsonObject { ["message"] = ex.Message });
        }
    }
}
