using System;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>The Map Run operations: DescribeMapRun, ListMapRuns, UpdateMapRun, and ListExecutions of a Map Run's children.</summary>
public sealed partial class StepFunctionsService
{
    private MapRunRecord RequireMapRun(string arn)
    {
        Arns.RequireMapRun(arn);
        return store.FindMapRun(arn) ?? throw new AwsApiException("ResourceNotFound", $"Resource not found: '{arn}'");
    }

    private JsonObject DescribeMapRun(JsonMembers m)
    {
        var run = RequireMapRun(m.RequiredString("mapRunArn"));
        var (percentage, count) = run.ToleratedFailure;
        var result = new JsonObject
        {
            ["mapRunArn"] = run.Arn,
            ["executionArn"] = run.ExecutionArn,
            ["status"] = run.Status,
            ["startDate"] = EpochTime.ToEpochSeconds(run.StartDate),
            ["maxConcurrency"] = run.MaxConcurrency,
            ["toleratedFailurePercentage"] = percentage ?? 0,
            ["toleratedFailureCount"] = count ?? 0,
            ["itemCounts"] = CountsJson(run.Count(byItem: true)),
            ["executionCounts"] = CountsJson(run.Count(byItem: false)),
            ["redriveCount"] = run.RedriveCount,
        };
        if (run.StopDate is { } stop) result["stopDate"] = EpochTime.ToEpochSeconds(stop);
        if (run.RedriveDate is { } redrive) result["redriveDate"] = EpochTime.ToEpochSeconds(redrive);
        return result;
    }

    private static JsonObject CountsJson(MapRunRecord.Counts c) => new()
    {
        ["pending"] = c.Pending,
        ["running"] = c.Running,
        ["succeeded"] = c.Succeeded,
        ["failed"] = c.Failed,
        ["timedOut"] = c.TimedOut,
        ["aborted"] = c.Aborted,
        ["total"] = c.Total,
        ["resultsWritten"] = c.ResultsWritten,
        ["failuresNotRedrivable"] = c.FailuresNotRedrivable,
        ["pendingRedrive"] = c.PendingRedrive,
    };

    private JsonObject ListMapRuns(JsonMembers m)
    {
        var arn = m.RequiredString("executionArn");
        var pageSize = m.PageSize();
        var execution = RequireExecution(arn);
        var scope = "ListMapRuns:" + execution.Arn;
        var after = PageToken.Read(m.String("nextToken"), scope) ?? long.MinValue;
        return PageToken.Page(store.MapRunsOf(execution.Arn).Where(r => r.Sequence > after), pageSize, "mapRuns", scope, r => r.Sequence, r =>
        {
            var json = new JsonObject
            {
                ["executionArn"] = r.ExecutionArn,
                ["mapRunArn"] = r.Arn,
                ["stateMachineArn"] = r.StateMachineArn,
                ["startDate"] = EpochTime.ToEpochSeconds(r.StartDate),
            };
            if (r.StopDate is { } stop) json["stopDate"] = EpochTime.ToEpochSeconds(stop);
            return json;
        });
    }

    private JsonObject UpdateMapRun(JsonMembers m)
    {
        var arn = m.RequiredString("mapRunArn");
        var maxConcurrency = m.Int("maxConcurrency");
        var percentage = m.Double("toleratedFailurePercentage");
        var count = m.Long("toleratedFailureCount");
        if (maxConcurrency is < 0)
            throw AwsApiException.Validation($"1 validation error detected: Value '{maxConcurrency}' at 'maxConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 0");
        if (percentage is < 0 or > 100)
            throw AwsApiException.Validation($"1 validation error detected: Value '{percentage}' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value less than or equal to 100 and greater than or equal to 0");
        if (count is < 0)
            throw AwsApiException.Validation($"1 validation error detected: Value '{count}' at 'toleratedFailureCount' failed to satisfy constraint: Member must have value greater than or equal to 0");
        var run = RequireMapRun(arn);
        // The model makes every setting optional; a request that changes nothing is refused rather than silently accepted.
        if (maxConcurrency is null && percentage is null && count is null)
            throw AwsApiException.Validation("Must provide at least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount");
        // A run that has ended has nothing left to govern: the model names this refusal's reason.
        if (run.Status != "RUNNING")
            throw AwsApiException.Validation($"Map Run '{run.Arn}' has already ended ({run.Status}): only a running Map Run can be updated",
                "CANNOT_UPDATE_COMPLETED_MAP_RUN");
        run.Update(maxConcurrency, percentage, count);
        return new JsonObject();
    }

    /// <summary>ListExecutions with mapRunArn: the Map Run's children, newest first, each with its mapRunArn and itemCount.</summary>
    private JsonObject ListMapRunExecutions(string mapRunArn, string? statusFilter, string? redriveFilter, int pageSize, string? nextToken)
    {
        var run = RequireMapRun(mapRunArn);
        var scope = "ListExecutions:" + run.Arn;
        var before = PageToken.Read(nextToken, scope) ?? long.MaxValue;
        var remaining = run.Children()
            .Where(e => e.Sequence < before)
            .Select(e => (Execution: e, Snapshot: e.Snapshot()))
            .Where(x => statusFilter is null || x.Snapshot.Status == statusFilter)
            .Where(x => redriveFilter is null || (x.Snapshot.RedriveCount > 0) == (redriveFilter == "REDRIVEN"));
        return PageToken.Page(remaining, pageSize, "executions", scope, x => x.Execution.Sequence, x =>
        {
            var json = new JsonObject
            {
                ["executionArn"] = x.Execution.Arn,
                ["stateMachineArn"] = x.Execution.StateMachineArn,
                ["name"] = x.Execution.Name,
                ["status"] = x.Snapshot.Status,
                ["startDate"] = EpochTime.ToEpochSeconds(x.Execution.StartDate),
                ["mapRunArn"] = run.Arn,
                ["itemCount"] = x.Execution.MapRunItemCount,
            };
            if (x.Snapshot.StopDate is { } stop) json["stopDate"] = EpochTime.ToEpochSeconds(stop);
            return json;
        });
    }
}
