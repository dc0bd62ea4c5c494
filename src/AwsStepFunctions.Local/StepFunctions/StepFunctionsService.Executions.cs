using System;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>The operations on executions once started: describe, list, history, stop and redrive.</summary>
public sealed partial class StepFunctionsService
{
    private static readonly string[] Statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];

    /// <summary>The qualifier members of an execution started through a version or alias (DescribeExecution, ListExecutions).</summary>
    private static void AddQualifiers(JsonObject json, ExecutionRecord e)
    {
        if (e.VersionArn is not null) json["stateMachineVersionArn"] = e.VersionArn;
        if (e.AliasArn is not null) json["stateMachineAliasArn"] = e.AliasArn;
    }

    private ExecutionRecord RequireExecution(string arn)
    {
        Arns.RequireExecution(arn);
        return store.FindExecution(arn) ?? throw new AwsApiException("ExecutionDoesNotExist", $"Execution Does Not Exist: '{arn}'");
    }

    /// <summary>
    /// An execution DescribeExecution, StopExecution and GetExecutionHistory accept. AWS keeps no state for EXPRESS
    /// executions and refuses their ARNs as the wrong resource type, except that DescribeExecution answers for the EXPRESS
    /// children a Map Run dispatched (API reference: "not supported by EXPRESS state machine executions unless they were
    /// dispatched by a Map Run").
    /// </summary>
    private ExecutionRecord RequireReadableExecution(string arn, bool allowMapRunExpress = false)
    {
        Arns.RequireExecution(arn);
        if (Arns.IsExpressExecution(arn))
        {
            if (allowMapRunExpress && store.FindExecution(arn) is { IsExpressChild: true } child) return child;
            throw Arns.ResourceTypeNotValid("express");
        }
        return RequireExecution(arn);
    }

    private JsonObject DescribeExecution(JsonMembers m)
    {
        var arn = m.RequiredString("executionArn");
        var data = IncludesData(m);
        var e = RequireReadableExecution(arn, allowMapRunExpress: true);
        var s = e.Snapshot();
        var result = new JsonObject
        {
            ["executionArn"] = e.Arn,
            ["stateMachineArn"] = e.StateMachineArn,
            ["name"] = e.Name,
            ["status"] = s.Status,
            ["startDate"] = EpochTime.ToEpochSeconds(e.StartDate),
        };
        if (s.StopDate is { } stop) result["stopDate"] = EpochTime.ToEpochSeconds(stop);
        if (data) result["input"] = e.Input;
        result["inputDetails"] = new JsonObject { ["included"] = data };
        if (s.Status == "SUCCEEDED" && s.Output is not null)
        {
            if (data) result["output"] = s.Output;
            result["outputDetails"] = new JsonObject { ["included"] = data };
        }
        if (e.TraceHeader is not null) result["traceHeader"] = e.TraceHeader;
        if (e.MapRunArn is not null) result["mapRunArn"] = e.MapRunArn;
        if (s.Error is not null) result["error"] = s.Error;
        if (s.Cause is not null) result["cause"] = s.Cause;
        result["redriveCount"] = s.RedriveCount;
        if (s.RedriveDate is { } redrive) result["redriveDate"] = EpochTime.ToEpochSeconds(redrive);
        var (redriveStatus, reason) = RedriveStatus(e, s);
        result["redriveStatus"] = redriveStatus;
        if (reason is not null) result["redriveStatusReason"] = reason;
        AddQualifiers(result, e);
        return result;
    }

    /// <summary>
    /// Redrive eligibility, with the service's documented redriveStatusReason texts where one exists. The redrivable
    /// period is 14 days from the moment the execution closed (API reference: "starts from the day a state machine
    /// completes its execution"). A redrive needs room for ExecutionRedriven and at least one more event.
    /// </summary>
    private (string Status, string? Reason) RedriveStatus(ExecutionRecord e, ExecutionSnapshot s)
    {
        if (e.StateMachine.IsExpress && e.MapRunArn is null) return ("NOT_REDRIVABLE", "Execution is an EXPRESS execution and cannot be redriven.");
        // A Map Run's unsuccessful children run again only through a redrive of their parent (REDRIVABLE_BY_MAP_RUN), never on their own.
        if (e.MapRunArn is not null)
            return s.Status is "FAILED" or "TIMED_OUT" or "ABORTED" && store.FindMapRun(e.MapRunArn) is { FailuresRedrivable: true }
                ? ("REDRIVABLE_BY_MAP_RUN", null)
                : ("NOT_REDRIVABLE", "Execution is a child execution of a Map Run; redrive its parent execution instead.");
        if (s.Status is "RUNNING" or "SUCCEEDED") return ("NOT_REDRIVABLE", $"Execution is {s.Status} and cannot be redriven.");
        if (store.FindMachine(e.StateMachine.Arn) is null || store.IsDeleting(e.StateMachine.Arn)) return ("NOT_REDRIVABLE", "State machine is in DELETING status.");
        if (s.StopDate is { } stop && Now() - stop > RedrivablePeriod) return ("NOT_REDRIVABLE", "Execution redrivable period exceeded.");
        if (e.HistoryCount >= MaxEventsBeforeRedrive) return ("NOT_REDRIVABLE", "Execution history event limit exceeded.");
        if (s.RedriveCount >= MaxRedrives) return ("NOT_REDRIVABLE", $"Execution has reached the maximum of {MaxRedrives} redrives.");
        return ("REDRIVABLE", null);
    }

    public static readonly TimeSpan RedrivablePeriod = TimeSpan.FromDays(14);
    private const int MaxEventsBeforeRedrive = 24_999;
    private const int MaxRedrives = 1000;

    private JsonObject StopExecution(JsonMembers m)
    {
        var arn = m.RequiredString("executionArn");
        var error = m.String("error");
        var cause = m.String("cause");
        if (error is { Length: > 256 })
            throw AwsApiException.Validation("1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256");
        if (cause is { Length: > 32_768 })
            throw AwsApiException.Validation("1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768");
        var e = RequireReadableExecution(arn);
        if (e.Snapshot().Status == "RUNNING") e.Stop(error, cause);
        // A closed execution answers with the date it already stopped at, as the real service does.
        var stop = e.Snapshot().StopDate ?? Now();
        return new JsonObject { ["stopDate"] = EpochTime.ToEpochSeconds(stop) };
    }

    private JsonObject ListExecutions(JsonMembers m)
    {
        var machineArn = m.String("stateMachineArn");
        var mapRunArn = m.String("mapRunArn");
        var statusFilter = m.String("statusFilter");
        var redriveFilter = m.String("redriveFilter");
        var pageSize = m.PageSize();
        // The enum in the order AWS lists it (test_state_machine_status_filter recording).
        if (statusFilter is not null && !Statuses.Contains(statusFilter))
            throw AwsApiException.Validation($"1 validation error detected: Value '{statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]");
        if (redriveFilter is not null && redriveFilter is not ("REDRIVEN" or "NOT_REDRIVEN"))
            throw AwsApiException.Validation($"1 validation error detected: Value '{redriveFilter}' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]");
        if (machineArn is not null && mapRunArn is not null)
            throw AwsApiException.Validation("Must provide either a StateMachine ARN or a MapRun ARN, not both");
        if (mapRunArn is not null) return ListMapRunExecutions(mapRunArn, statusFilter, redriveFilter, pageSize, m.String("nextToken"));
        if (machineArn is null) throw AwsApiException.Validation("Must provide a StateMachine ARN or MapRun ARN");
        // A version or alias ARN lists the executions started through it.
        var target = Arns.ParseQualified(machineArn);
        var machine = store.FindMachine(target.MachineArn) ?? throw MachineDoesNotExist(target.Arn);
        if (!store.Exists(target)) throw MachineDoesNotExist(target.Arn);
        // AWS keeps no list of EXPRESS executions (they are in CloudWatch Logs); tests see them through /_local/executions.
        if (machine.IsExpress) throw Arns.TypeNotSupported();
        var scope = "ListExecutions:" + target.Arn;
        var before = PageToken.Read(m.String("nextToken"), scope, maxLength: 3096) ?? long.MaxValue;

        var page = store.ExecutionsOf(machine.Arn)
            .Where(e => e.StateMachine.Lineage == machine.Lineage)
            .Where(e => e.Sequence < before)
            .Where(target.Ran)
            .Select(e => (Execution: e, Snapshot: e.Snapshot()))
            .Where(x => statusFilter is null || x.Snapshot.Status == statusFilter)
            .Where(x => redriveFilter is null || (x.Snapshot.RedriveCount > 0) == (redriveFilter == "REDRIVEN"))
            .Take(pageSize + 1)
            .ToList();
        var items = page.Take(pageSize).Select(x =>
        {
            var json = new JsonObject
            {
                ["executionArn"] = x.Execution.Arn,
                ["stateMachineArn"] = machine.Arn,
                ["name"] = x.Execution.Name,
                ["status"] = x.Snapshot.Status,
                ["startDate"] = EpochTime.ToEpochSeconds(x.Execution.StartDate),
            };
            if (x.Snapshot.StopDate is { } stop) json["stopDate"] = EpochTime.ToEpochSeconds(stop);
            if (x.Snapshot.RedriveCount > 0) json["redriveCount"] = x.Snapshot.RedriveCount;
            if (x.Snapshot.RedriveDate is { } redrive) json["redriveDate"] = EpochTime.ToEpochSeconds(redrive);
            AddQualifiers(json, x.Execution);
            return (JsonNode)json;
        }).ToArray();
        var result = new JsonObject { ["executions"] = new JsonArray(items) };
        if (page.Count > pageSize) result["nextToken"] = PageToken.Create(scope, page[pageSize - 1].Execution.Sequence);
        return result;
    }

    private JsonObject GetExecutionHistory(JsonMembers m)
    {
        var arn = m.RequiredString("executionArn");
        var pageSize = m.PageSize();
        var reverse = m.Bool("reverseOrder") ?? false;
        var includeData = m.Bool("includeExecutionData") ?? true;
        var e = RequireReadableExecution(arn);
        var scope = $"History:{arn}:{(reverse ? "r" : "f")}";
        var events = e.History();
        var ordered = reverse ? events.Reverse().ToArray() : events;
        return PageToken.PageByPosition(ordered, m.String("nextToken"), pageSize, "events", scope, ev => HistoryWire.ToJson(ev, includeData));
    }

    private JsonObject RedriveExecution(JsonMembers m)
    {
        var arn = m.RequiredString("executionArn");
        var clientToken = m.String("clientToken");
        if (clientToken is { Length: < 1 or > 64 })
            throw AwsApiException.Validation("1 validation error detected: Value at 'clientToken' failed to satisfy constraint: Member must have length between 1 and 64");
        if (clientToken is not null && !clientToken.All(c => c is >= '!' and <= '~'))
            throw AwsApiException.Validation("1 validation error detected: Value at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [!-~]+");
        var e = RequireExecution(arn);
        var s = e.Snapshot();
        // A retried redrive with the same client token answers the first redrive's date.
        if (clientToken is not null && e.LastRedriveToken == clientToken && s.RedriveDate is { } earlier)
            return new JsonObject { ["redriveDate"] = EpochTime.ToEpochSeconds(earlier) };
        var (status, reason) = RedriveStatus(e, s);
        if (status == "REDRIVABLE_BY_MAP_RUN") reason = "Execution is a child execution of a Map Run; redrive its parent execution instead.";
        if (status != "REDRIVABLE") throw new AwsApiException("ExecutionNotRedrivable", $"Execution not redrivable: '{arn}'. {reason}");
        if (!e.TryBeginRedrive(Now(), clientToken))
            throw new AwsApiException("ExecutionNotRedrivable", $"Execution not redrivable: '{arn}'. Execution is {e.Snapshot().Status} and cannot be redriven.");
        var redrive = e.Snapshot();
        e.RunRedrive(engine, Context(e) with { RedriveCount = redrive.RedriveCount, RedriveTime = redrive.RedriveDate });
        return new JsonObject { ["redriveDate"] = EpochTime.ToEpochSeconds(e.Snapshot().RedriveDate!.Value) };
    }
}
