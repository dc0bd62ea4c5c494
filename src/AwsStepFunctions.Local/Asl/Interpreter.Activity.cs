using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

// An activity Task the mock config does not answer: scheduled for a worker, who takes it with GetActivityTask and
// answers with SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat, as on the service.
internal sealed partial class Interpreter
{
    /// <summary>
    /// Schedules the task (ActivityScheduled) and waits for a worker to take it (ActivityStarted, naming the worker), then
    /// for the worker's answer. TimeoutSeconds runs from the scheduling, as it bounds the whole state; HeartbeatSeconds from
    /// the moment a worker has the task (before that nobody could send a heartbeat). Both are scaled by --time-scale.
    /// A task still waiting for a worker when the Task ends (timeout, stop) is withdrawn: no worker gets it afterwards.
    /// </summary>
    private async Task<JsonNode?> RunActivityTaskAsync(ActivityTasks activities, TaskCallbacks callbacks, StateSpec state, TaskCall call,
        Lane lane, string token, CancellationToken ct)
    {
        var activityArn = state.Resource!;
        // AWS's recorded history of a Task on a deleted activity (LocalStack's test_activity_task_on_deleted): no Activity
        // event, the execution fails with States.Runtime; RunStateAsync prefixes the state's name and entry, as recorded.
        if (!activities.Exists(activityArn)) throw StatesError.Runtime($"The activity {activityArn} does not exist.");
        var history = TaskHistory.For(activityArn, Region());
        using var clocks = new TaskClocks(this, call.TimeoutSeconds, call.HeartbeatSeconds);
        var gate = new object();
        TaskCallbacks.Waiting? waiting = null;
        var ended = false;

        // Runs on the worker's GetActivityTask request, before it is answered: the worker can answer as soon as it has the
        // token, and ActivityStarted is then already in the history.
        string? Start(string? workerName)
        {
            lock (gate)
            {
                if (ended) return null;
                try
                {
                    Record(lane, history.Started(workerName), ct);
                }
                catch (System.OperationCanceledException)
                {
                    // The execution ended (stopped, timed out) as the worker came: the task is gone.
                    return null;
                }
                waiting = callbacks.Wait(token, clocks.RestartHeartbeat);
                clocks.StartHeartbeat();
                return token;
            }
        }

        Record(lane, history.Scheduled(call), ct);
        clocks.StartTimeout();
        try
        {
            using var scheduled = activities.Schedule(activityArn, JsonValues.Serialize(call.Parameters), Start);
            var first = await Task.WhenAny(scheduled.Started, clocks.Expired).WaitAsync(ct).ConfigureAwait(false);
            if (first != scheduled.Started && scheduled.Withdraw())
            {
                var expired = await clocks.Expired.ConfigureAwait(false);
                Record(lane, history.Failed(expired), ct);
                throw expired;
            }
            // A worker took it (perhaps as the clock ran out): its ActivityStarted comes first, then the outcome.
            await scheduled.Started.WaitAsync(ct).ConfigureAwait(false);
            return await AwaitAnswerAsync(waiting!, clocks, history, lane, ct).ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                ended = true;
                waiting?.Dispose();
            }
        }
    }
}
