using System;
using System.Collections.Generic;
using System.Linq;

namespace AwsStepFunctions.Local.StepFunctions;

// Activities, under the store's one lock (their tags live with the machines' tags, keyed by ARN).
public sealed partial class StepFunctionsStore
{
    private readonly SortedDictionary<string, ActivityRecord> _activities = new(StringComparer.Ordinal);

    /// <summary>Adds the activity with its tags, or returns the existing one of that ARN (its tags unchanged: the caller compares).</summary>
    public ActivityRecord AddOrGet(ActivityRecord activity, List<KeyValuePair<string, string>> tags)
    {
        lock (_gate)
        {
            if (_activities.TryGetValue(activity.Arn, out var existing)) return existing;
            _activities[activity.Arn] = activity;
            if (tags.Count > 0) _tags[activity.Arn] = tags;
            return activity;
        }
    }

    public ActivityRecord? FindActivity(string arn)
    {
        lock (_gate) return _activities.GetValueOrDefault(arn);
    }

    /// <summary>Removes the activity and its tags; an unknown one is no error (DeleteActivity is idempotent).</summary>
    public void DeleteActivity(string arn)
    {
        lock (_gate)
        {
            if (_activities.Remove(arn)) _tags.Remove(arn);
        }
    }

    /// <summary>Every activity, in ARN order (which is name order: paging tokens rely on it).</summary>
    public IReadOnlyList<ActivityRecord> Activities()
    {
        lock (_gate) return _activities.Values.ToList();
    }
}
