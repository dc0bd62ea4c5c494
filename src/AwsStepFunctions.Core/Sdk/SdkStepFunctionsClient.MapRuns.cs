using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core.Sdk
{
    internal sealed partial class SdkStepFunctionsClient
    {
        public Task<ArnPage> ListMapRunsAsync(string executionArn, int maxResults, string? nextToken, CancellationToken cancellationToken)
            => CallAsync(SfnRequest.Create("ListMapRuns", w =>
                {
                    w.WriteString("executionArn", executionArn);
                    w.WriteNumber("maxResults", maxResults);
                    if (nextToken != null) w.WriteString("nextToken", nextToken);
                }), executionArn,
                body =>
                {
                    var arns = new List<string>();
                    if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("mapRuns", out var list) && list.ValueKind == JsonValueKind.Array)
                        foreach (var item in list.EnumerateArray()) arns.Add(RequiredString(item, "mapRunArn"));
                    var next = OptionalString(body, "nextToken");
                    return new ArnPage(arns, string.IsNullOrEmpty(next) ? null : next);
                }, cancellationToken);

        public Task<MapRun> DescribeMapRunAsync(string mapRunArn, CancellationToken cancellationToken)
            => CallAsync(SfnRequest.Create("DescribeMapRun", w => w.WriteString("mapRunArn", mapRunArn)), mapRunArn, ReadMapRun, cancellationToken);

        /// <summary>Repeatable: the same settings sent twice leave the run as once (the SDK may retry a lost answer).</summary>
        public Task UpdateMapRunAsync(string mapRunArn, MapRunSettings settings, CancellationToken cancellationToken)
            => CallAsync(SfnRequest.Create("UpdateMapRun", w =>
                {
                    w.WriteString("mapRunArn", mapRunArn);
                    if (settings.MaxConcurrency is { } concurrency) w.WriteNumber("maxConcurrency", concurrency);
                    if (settings.ToleratedFailurePercentage is { } percentage) w.WriteNumber("toleratedFailurePercentage", percentage);
                    if (settings.ToleratedFailureCount is { } count) w.WriteNumber("toleratedFailureCount", count);
                }), mapRunArn, _ => true, cancellationToken);

        internal static MapRun ReadMapRun(JsonElement body)
        {
            var arn = RequiredString(body, "mapRunArn");
            return new MapRun
            {
                MapRunArn = arn,
                ExecutionArn = RequiredString(body, "executionArn"),
                Label = MapRun.LabelOf(arn),
                Status = RequiredString(body, "status"),
                StartDate = Timestamp(body, "startDate"),
                StopDate = Timestamp(body, "stopDate"),
                MaxConcurrency = OptionalInt(body, "maxConcurrency") ?? 0,
                ToleratedFailurePercentage = OptionalDouble(body, "toleratedFailurePercentage") ?? 0,
                ToleratedFailureCount = OptionalLong(body, "toleratedFailureCount") ?? 0,
                ItemCounts = ReadCounts(body, "itemCounts"),
                ExecutionCounts = ReadCounts(body, "executionCounts"),
                RedriveCount = OptionalInt(body, "redriveCount") ?? 0,
                RedriveDate = Timestamp(body, "redriveDate"),
            };
        }

        /// <summary>A counts object; one the answer leaves out counts nothing.</summary>
        private static MapRunCounts ReadCounts(JsonElement body, string name)
        {
            if (!body.TryGetProperty(name, out var counts) || counts.ValueKind != JsonValueKind.Object) return new MapRunCounts();
            return new MapRunCounts
            {
                Pending = OptionalLong(counts, "pending") ?? 0,
                Running = OptionalLong(counts, "running") ?? 0,
                Succeeded = OptionalLong(counts, "succeeded") ?? 0,
                Failed = OptionalLong(counts, "failed") ?? 0,
                TimedOut = OptionalLong(counts, "timedOut") ?? 0,
                Aborted = OptionalLong(counts, "aborted") ?? 0,
                Total = OptionalLong(counts, "total") ?? 0,
                ResultsWritten = OptionalLong(counts, "resultsWritten") ?? 0,
                FailuresNotRedrivable = OptionalLong(counts, "failuresNotRedrivable") ?? 0,
                PendingRedrive = OptionalLong(counts, "pendingRedrive") ?? 0,
            };
        }

        private static double? OptionalDouble(JsonElement body, string name)
            => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble()
                : (double?)null;
    }
}
