using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>One history event: its type and its details (null: none).</summary>
internal readonly record struct HistoryEntry(string Type, JsonObject? Details);

/// <summary>
/// The events a Task state's call writes, in the words the service uses for its Resource: a bare Lambda function ARN
/// (<c>arn:aws:lambda:REGION:ACCOUNT:function:NAME</c>, the legacy form) is recorded as LambdaFunctionScheduled,
/// LambdaFunctionStarted and LambdaFunctionSucceeded/Failed/TimedOut; an activity
/// (<c>arn:aws:states:REGION:ACCOUNT:activity:NAME</c>) as ActivityScheduled, ActivityStarted and
/// ActivitySucceeded/Failed/TimedOut; anything else (<c>arn:aws:states:::...</c> integrations) as TaskScheduled,
/// TaskStarted and TaskSucceeded/Failed/TimedOut.
/// </summary>
internal abstract class TaskHistory
{
    public static TaskHistory For(string resource, string region)
    {
        if (IsLambdaFunction(resource)) return new LambdaFunctionHistory(resource);
        if (IsActivity(resource)) return new ActivityHistory(resource);
        return new ServiceTaskHistory(resource, region);
    }

    public abstract HistoryEntry Scheduled(TaskCall call);

    /// <summary>The call started; <paramref name="workerName"/> is the activity worker's name, when it gave one.</summary>
    public abstract HistoryEntry Started(string? workerName = null);

    public abstract HistoryEntry Succeeded(JsonNode? output);

    /// <summary>Failed, or TimedOut for States.Timeout/States.HeartbeatTimeout (how a mock makes a Task time out).</summary>
    public abstract HistoryEntry Failed(StatesError failure);

    /// <summary><c>arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME</c>, optionally with a version or alias.</summary>
    internal static bool IsLambdaFunction(string resource)
    {
        var parts = resource.Split(':');
        return parts.Length is 7 or 8 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" && parts[6].Length > 0;
    }

    /// <summary><c>arn:PARTITION:states:REGION:ACCOUNT:activity:NAME</c>.</summary>
    internal static bool IsActivity(string resource)
    {
        var parts = resource.Split(':');
        return parts.Length == 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity" && parts[6].Length > 0;
    }

    /// <summary>
    /// History names a resource the way the service does: <c>arn:aws:states:::lambda:invoke</c> becomes
    /// type "lambda", resource "invoke"; an SDK integration keeps its service in the type
    /// (<c>arn:aws:states:::aws-sdk:s3:getObject</c>: "aws-sdk:s3", "getObject", as AWS's recorded histories show);
    /// a plain ARN (<c>arn:aws:states:...:activity:a</c>) keeps its service as type.
    /// </summary>
    internal static (string Type, string Resource) SplitResource(string resource)
    {
        var parts = resource.Split(':');
        if (parts.Length >= 6 && parts[0] == "arn" && parts[2] == "states" && parts[3].Length == 0 && parts[4].Length == 0)
        {
            if (parts[5] == "aws-sdk" && parts.Length >= 8) return ($"aws-sdk:{parts[6]}", string.Join(":", parts.Skip(7)));
            return (parts[5], string.Join(":", parts.Skip(6)));
        }
        return (parts.Length > 2 && parts[0] == "arn" ? parts[2] : "unknown", resource);
    }

    /// <summary>
    /// How AWS names a Task's resource in a States.DataLimitExceeded cause: a Lambda function by its ARN, an integration by
    /// its service ("lambda" for <c>arn:aws:states:::lambda:invoke</c>), as recorded. Assumed: an activity by its ARN.
    /// </summary>
    internal static string ResultSource(string resource) =>
        IsLambdaFunction(resource) || IsActivity(resource) ? resource : SplitResource(resource).Type;

    protected static bool TimedOut(StatesError failure) => failure.Error is ErrorNames.Timeout or ErrorNames.HeartbeatTimeout;

    protected static JsonObject ErrorDetails(StatesError failure, JsonObject details)
    {
        details["error"] = failure.Error;
        if (failure.Cause is not null) details["cause"] = failure.Cause;
        return details;
    }

    private static JsonObject NotTruncated() => new() { ["truncated"] = false };

    private sealed class ServiceTaskHistory(string resourceArn, string region) : TaskHistory
    {
        private readonly (string Type, string Name) _resource = SplitResource(resourceArn);

        private JsonObject Resource() => new() { ["resourceType"] = _resource.Type, ["resource"] = _resource.Name };

        public override HistoryEntry Scheduled(TaskCall call)
        {
            var details = Resource();
            details["region"] = region;
            details["parameters"] = JsonValues.Serialize(call.Parameters);
            if (call.TimeoutSeconds is { } timeout) details["timeoutInSeconds"] = timeout;
            if (call.HeartbeatSeconds is { } heartbeat) details["heartbeatInSeconds"] = heartbeat;
            AddCredentials(details, call);
            return new("TaskScheduled", details);
        }

        public override HistoryEntry Started(string? workerName = null) => new("TaskStarted", Resource());

        public override HistoryEntry Succeeded(JsonNode? output)
        {
            var details = Resource();
            details["output"] = JsonValues.Serialize(output);
            details["outputDetails"] = NotTruncated();
            return new("TaskSucceeded", details);
        }

        public override HistoryEntry Failed(StatesError failure) =>
            new(TimedOut(failure) ? "TaskTimedOut" : "TaskFailed", ErrorDetails(failure, Resource()));
    }

    /// <summary>The role from the state's Credentials, as TaskScheduled and LambdaFunctionScheduled report it (taskCredentials).</summary>
    private static void AddCredentials(JsonObject details, TaskCall call)
    {
        if (call.RoleArn is { } role) details["taskCredentials"] = new JsonObject { ["roleArn"] = role };
    }

    /// <summary>What LambdaFunctionScheduled and ActivityScheduled share: the resource, the input and timeoutInSeconds.</summary>
    private static JsonObject ScheduledDetails(string resourceArn, TaskCall call)
    {
        var details = new JsonObject
        {
            ["resource"] = resourceArn,
            ["input"] = JsonValues.Serialize(call.Parameters),
            ["inputDetails"] = NotTruncated(),
        };
        if (call.TimeoutSeconds is { } timeout) details["timeoutInSeconds"] = timeout;
        return details;
    }

    /// <summary>
    /// The service's LambdaFunction*EventDetails: Scheduled has the function ARN, the input, timeoutInSeconds and
    /// taskCredentials (there is no heartbeat member); Started has no details; Succeeded has the function's payload as
    /// output, unwrapped.
    /// </summary>
    private sealed class LambdaFunctionHistory(string functionArn) : TaskHistory
    {
        public override HistoryEntry Scheduled(TaskCall call)
        {
            var details = ScheduledDetails(functionArn, call);
            AddCredentials(details, call);
            return new("LambdaFunctionScheduled", details);
        }

        public override HistoryEntry Started(string? workerName = null) => new("LambdaFunctionStarted", null);

        public override HistoryEntry Succeeded(JsonNode? output) =>
            new("LambdaFunctionSucceeded", new JsonObject { ["output"] = JsonValues.Serialize(output), ["outputDetails"] = NotTruncated() });

        public override HistoryEntry Failed(StatesError failure) =>
            new(TimedOut(failure) ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed", ErrorDetails(failure, new JsonObject()));
    }

    /// <summary>
    /// The service's Activity*EventDetails: Scheduled has the activity ARN, the input, timeoutInSeconds and
    /// heartbeatInSeconds (the service's model has no taskCredentials here: a worker, not the service, does the work);
    /// Started names the worker that GetActivityTask gave the task to (AWS records <c>{}</c> for a worker
    /// that gave no name, and a mock is no worker); Succeeded has the worker's output.
    /// </summary>
    private sealed class ActivityHistory(string activityArn) : TaskHistory
    {
        public override HistoryEntry Scheduled(TaskCall call)
        {
            var details = ScheduledDetails(activityArn, call);
            if (call.HeartbeatSeconds is { } heartbeat) details["heartbeatInSeconds"] = heartbeat;
            return new("ActivityScheduled", details);
        }

        public override HistoryEntry Started(string? workerName = null) =>
            new("ActivityStarted", workerName is null ? new JsonObject() : new JsonObject { ["workerName"] = workerName });

        public override HistoryEntry Succeeded(JsonNode? output) =>
            new("ActivitySucceeded", new JsonObject { ["output"] = JsonValues.Serialize(output), ["outputDetails"] = NotTruncated() });

        public override HistoryEntry Failed(StatesError failure) =>
            new(TimedOut(failure) ? "ActivityTimedOut" : "ActivityFailed", ErrorDetails(failure, new JsonObject()));
    }
}
