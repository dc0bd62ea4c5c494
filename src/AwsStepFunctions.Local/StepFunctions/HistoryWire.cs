using System;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>Renders history events as GetExecutionHistory's wire shape.</summary>
public static class HistoryWire
{
    /// <summary>
    /// The member that carries an event's details: every *StateEntered event shares stateEnteredEventDetails,
    /// every *StateExited shares stateExitedEventDetails, the rest are lowerCamel(type)+EventDetails.
    /// </summary>
    public static string DetailsKey(string type)
    {
        if (type.EndsWith("StateEntered", StringComparison.Ordinal)) return "stateEnteredEventDetails";
        if (type.EndsWith("StateExited", StringComparison.Ordinal)) return "stateExitedEventDetails";
        return char.ToLowerInvariant(type[0]) + type[1..] + "EventDetails";
    }

    public static JsonObject ToJson(HistoryEventRecord e, bool includeExecutionData)
    {
        var json = new JsonObject
        {
            ["timestamp"] = EpochTime.ToEpochSeconds(e.Timestamp),
            ["type"] = e.Type,
            ["id"] = e.Id,
            ["previousEventId"] = e.PreviousEventId,
        };
        if (e.Details is not null)
        {
            var details = (JsonObject)e.Details.DeepClone();
            if (!includeExecutionData)
            {
                // Only the data is withheld (variables' values are data too); the *Details members still say whether
                // there was any.
                foreach (var key in details.Select(p => p.Key).Where(k => k is "input" or "output" or "assignedVariables").ToList())
                    details.Remove(key);
            }
            json[DetailsKey(e.Type)] = details;
        }
        return json;
    }
}
