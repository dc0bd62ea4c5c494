using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

// CreateActivity, DescribeActivity, DeleteActivity, ListActivities and GetActivityTask. A Task whose Resource is an
// activity and that the mock config does not answer is scheduled by the engine (Interpreter.Activity.cs); a worker takes
// it here and answers with SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat (StepFunctionsService.Callbacks.cs).
public sealed partial class StepFunctionsService
{
    /// <summary>How long GetActivityTask holds a poll that finds no task: AWS's 60 seconds unless --activity-poll-seconds says less.</summary>
    public TimeSpan ActivityPollTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The model: CreateActivity is idempotent on the name, and a repeat with other tags is answered as the original
    /// without changing the tags; ActivityAlreadyExists is documented for a different encryption configuration
    /// ("EncryptionConfiguration may not be updated").
    /// </summary>
    private JsonObject CreateActivity(JsonMembers m)
    {
        var name = m.RequiredString("name");
        Names.Require(name);
        var encryption = ReadEncryption(m.Object("encryptionConfiguration"));
        var arn = arns.Activity(name);
        var tags = ReadCreateTags(m, arn);
        var activity = store.AddOrGet(new ActivityRecord(name, arn, Now(), encryption), tags);
        if (activity.Encryption != encryption)
            throw new AwsApiException("ActivityAlreadyExists", $"Activity Already Exists: '{arn}'");
        return new JsonObject { ["activityArn"] = activity.Arn, ["creationDate"] = EpochTime.ToEpochSeconds(activity.CreationDate) };
    }

    /// <summary>The model's EncryptionConfiguration, checked (<see cref="ConfigurationCheck"/>) and kept as canonical JSON.</summary>
    private static string ReadEncryption(JsonObject? given)
    {
        if (given is null) return MachineConfiguration.Default.Encryption;
        ConfigurationCheck.Encryption(given);
        return MachineConfiguration.Default.With(null, null, given).Encryption;
    }

    private JsonObject DescribeActivity(JsonMembers m)
    {
        var activity = RequireExistingActivity(m.RequiredString("activityArn"));
        var result = new JsonObject
        {
            ["activityArn"] = activity.Arn,
            ["name"] = activity.Name,
            ["creationDate"] = EpochTime.ToEpochSeconds(activity.CreationDate),
        };
        // AWS's recorded answer for an activity created without one has no encryptionConfiguration member.
        if (activity.Encryption != MachineConfiguration.Default.Encryption) result["encryptionConfiguration"] = JsonNode.Parse(activity.Encryption);
        return result;
    }

    /// <summary>
    /// Deleting is idempotent, as AWS's recorded answers show (a second delete answers 200). Tasks already scheduled are
    /// left as they are (an assumption: we found no record of what AWS does with them): one a worker holds can still be
    /// answered; the others wait, as nobody can poll a deleted activity, until their TimeoutSeconds or a stop ends them,
    /// or an activity of the same name is created again and polled.
    /// </summary>
    private JsonObject DeleteActivity(JsonMembers m)
    {
        var arn = m.RequiredString("activityArn");
        Arns.RequireActivity(arn);
        store.DeleteActivity(arn);
        return new JsonObject();
    }

    private JsonObject ListActivities(JsonMembers m)
    {
        return PageToken.PageByPosition(store.Activities(), m.String("nextToken"), m.PageSize(), "activities", "ListActivities", a => new JsonObject
        {
            ["activityArn"] = a.Arn,
            ["name"] = a.Name,
            ["creationDate"] = EpochTime.ToEpochSeconds(a.CreationDate),
        });
    }

    /// <summary>
    /// The long poll: answers the oldest task scheduled for the activity, or the first one scheduled while it waits, with
    /// its token and input; after <see cref="ActivityPollTime"/> without one (or when the caller goes away or the endpoint
    /// shuts down) it answers no taskToken, the model's "taskToken with a null string".
    /// </summary>
    private async Task<JsonObject> GetActivityTaskAsync(JsonMembers m, CancellationToken cancel)
    {
        var arn = m.RequiredString("activityArn");
        var worker = m.String("workerName");
        // The model's Name shape: 1-80 characters (no pattern: workerName is free text).
        if (worker is { Length: 0 or > 80 })
            throw AwsApiException.Validation($"1 validation error detected: Value '{worker}' at 'workerName' failed to satisfy constraint: Member must have length "
                + (worker.Length == 0 ? "greater than or equal to 1" : "less than or equal to 80"));
        RequireExistingActivity(arn);
        var assignment = await Activities.PollAsync(arn, worker, ActivityPollTime, cancel).ConfigureAwait(false);
        // A caller that went away gets no answer (the request log shows it as closed by the client); its place in the line
        // is already given up, so no task is handed to it.
        if (assignment is null) cancel.ThrowIfCancellationRequested();
        return assignment is null ? new JsonObject() : new JsonObject { ["taskToken"] = assignment.TaskToken, ["input"] = assignment.Input };
    }

    private ActivityRecord RequireExistingActivity(string arn)
    {
        Arns.RequireActivity(arn);
        // AWS's words, as recorded for DescribeActivity and GetActivityTask of a deleted activity.
        return store.FindActivity(arn) ?? throw new AwsApiException("ActivityDoesNotExist", $"Activity Does Not Exist: '{arn}'");
    }

    private ActivityTasks Activities => engine.Activities ?? throw new InvalidOperationException("The endpoint was built without an activity registry");
}
