using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core.Sdk
{
    internal sealed partial class SdkStepFunctionsClient
    {
        public Task<HistoryPage> GetExecutionHistoryAsync(string executionArn, int maxResults, bool reverseOrder, bool includeExecutionData,
            string? nextToken, CancellationToken cancellationToken)
            => CallAsync(SfnRequest.Create("GetExecutionHistory", w =>
                {
                    w.WriteString("executionArn", executionArn);
                    w.WriteNumber("maxResults", maxResults);
                    // Written only when they differ from the service's defaults: the request is then what the AWS CLI sends.
                    if (reverseOrder) w.WriteBoolean("reverseOrder", true);
                    if (!includeExecutionData) w.WriteBoolean("includeExecutionData", false);
                    if (nextToken != null) w.WriteString("nextToken", nextToken);
                }), executionArn,
                body =>
                {
                    var events = new List<HistoryEvent>();
                    if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array)
                        foreach (var item in list.EnumerateArray()) events.Add(ReadHistoryEvent(executionArn, item));
                    var next = OptionalString(body, "nextToken");
                    return new HistoryPage(events, string.IsNullOrEmpty(next) ? null : next);
                }, cancellationToken);

        /// <summary>
        /// An event and its details: the one member named *EventDetails (stateEnteredEventDetails, taskFailedEventDetails...),
        /// whatever the event's type, so an event type added to the service later is still read whole.
        /// </summary>
        internal static HistoryEvent ReadHistoryEvent(string executionArn, JsonElement item)
        {
            var read = new HistoryEvent
            {
                ExecutionArn = executionArn,
                Id = RequiredLong(item, "id"),
                PreviousEventId = OptionalLong(item, "previousEventId") ?? 0,
                Timestamp = Timestamp(item, "timestamp") ?? throw new FormatException("the required member 'timestamp' is missing"),
                Type = RequiredString(item, "type"),
            };
            foreach (var member in item.EnumerateObject())
            {
                if (!member.Name.EndsWith("EventDetails", StringComparison.Ordinal) || member.Value.ValueKind != JsonValueKind.Object) continue;
                var details = member.Value;
                read.Details = CompactJson(details);
                // Only state events name a state; a Map Run's or a task's "name" would be something else.
                if (read.Type.EndsWith("StateEntered", StringComparison.Ordinal) || read.Type.EndsWith("StateExited", StringComparison.Ordinal))
                    read.StateName = OptionalString(details, "name");
                read.Error = OptionalString(details, "error");
                read.Cause = OptionalString(details, "cause");
                read.Input = OptionalString(details, "input");
                read.Output = OptionalString(details, "output");
                read.Resource = OptionalString(details, "resource");
                break;
            }
            return read;
        }

        /// <summary>
        /// The details as compact JSON that escapes only what JSON requires: a state's input inside them is itself JSON text,
        /// and a sender's escapes (quotes as \u0022) would make it unreadable on screen.
        /// </summary>
        private static string CompactJson(JsonElement element)
        {
            using var stream = new System.IO.MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, SfnRequest.BodyOptions)) element.WriteTo(writer);
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }

        private static long RequiredLong(JsonElement body, string name)
            => OptionalLong(body, name) ?? throw new FormatException($"the required member '{name}' is missing or not a whole number");

        private static long? OptionalLong(JsonElement body, string name)
            => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
                && value.TryGetInt64(out var number)
                ? number
                : (long?)null;
    }
}
