using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>IStepFunctionsClient over the SDK pipeline. Every failure leaves as StepFunctionsFailure.</summary>
    internal sealed partial class SdkStepFunctionsClient : IStepFunctionsClient, IDisposable
    {
        private readonly SfnServiceClient _client;
        private readonly FailureContext _failureContext;
        private readonly Lazy<SfnServiceClient> _syncClient;
        private readonly FailureContext _syncFailureContext;
        /// <summary>For starts that must not be repeated blindly: no free repeat after a reset connection (ClientBuilder).</summary>
        private readonly Lazy<SfnServiceClient> _guardedStartClient;
        /// <summary>Attempts of StartSyncExecution when the service throttles (and so did not start anything).</summary>
        internal const int SyncThrottleAttempts = 4;
        internal static readonly TimeSpan SyncThrottleBaseDelay = TimeSpan.FromMilliseconds(500);

        /// <summary>Marks the session the client signs with as spent when it is one the module renews; false otherwise.</summary>
        internal Func<bool>? RenewExpiredSession { get; set; }

        public SdkStepFunctionsClient(SfnServiceClient client, FailureContext failureContext, Lazy<SfnServiceClient>? syncClient = null,
            FailureContext? syncFailureContext = null, Lazy<SfnServiceClient>? guardedStartClient = null)
        {
            _client = client;
            _failureContext = failureContext;
            _syncClient = syncClient ?? new Lazy<SfnServiceClient>(() => client);
            _syncFailureContext = syncFailureContext ?? failureContext;
            _guardedStartClient = guardedStartClient ?? new Lazy<SfnServiceClient>(() => client);
        }

        /// <summary>Where, as whom and through what this client connects (for -Verbose); no secret.</summary>
        public string? Description { get; set; }

        public async Task<ExecutionResult> StartExecutionAsync(string stateMachineArn, string name, string? input, Func<Task<MachineTypeLookup>>? lookUpType,
            CancellationToken cancellationToken)
        {
            var request = SfnRequest.Create("StartExecution", w => WriteStart(w, stateMachineArn, name, input));
            if (lookUpType != null)
            {
                request.Repeatable = false;
                request.LookUpType = lookUpType;
            }
            try
            {
                return await CallAsync(request, stateMachineArn,
                    body =>
                    {
                        // Named as DescribeExecution will name it: the machine, and what the start went through.
                        var machine = StateMachineReference.Parse(stateMachineArn);
                        return new ExecutionResult
                        {
                            ExecutionArn = RequiredString(body, "executionArn"),
                            StartDate = Timestamp(body, "startDate"),
                            StateMachineArn = machine.MachineArn,
                            StateMachineVersionArn = machine.VersionArn,
                            StateMachineAliasArn = machine.AliasArn,
                            Name = name,
                            Status = "RUNNING",
                            Input = input,
                        };
                    }, cancellationToken, via: _guardedStartClient.Value).ConfigureAwait(false);
            }
            catch (StepFunctionsFailure failure) when (request.RepeatedAfterUnknownOutcome)
            {
                failure.AfterUnansweredAttempt = true;
                throw;
            }
            // Not a proxy failure: the proxy could not be reached or turned the request away (exit 11 is only that), so nothing
            // reached the service.
            catch (StepFunctionsFailure lost) when (request.TypeLookedUp && !request.Repeatable && lost.Kind != FailureKind.Cancelled
                && lost.Kind != FailureKind.Proxy)
            {
                // Never repeated, so never after an unanswered attempt of its own: the flag above cannot apply here.
                var why = request.TypeFound?.Type == null
                    ? $"its state machine's type could not be read (DescribeStateMachine: {(request.TypeFound?.Problem ?? "no answer").TrimEnd('.')}) to tell whether a repeat is safe"
                    : $"{stateMachineArn} is an {request.TypeFound.Type} state machine, whose starts are not idempotent";
                throw new StepFunctionsFailure(lost.Kind, lost.ExitCode, lost.ErrorId,
                    $"{lost.Message} The request may have reached the service, and {why}, so it was not repeated: an execution named {name} may have started.",
                    lost.Field, lost.Target, lost.InnerException) { Detail = lost.Detail };
            }
        }

        /// <summary>
        /// StartSyncExecution is not idempotent: Express executions have no name uniqueness, so a repeat after a 5xx, a
        /// timeout or a dropped connection (the request may have reached the service and started an execution) could run
        /// the workflow twice. The SDK client used here therefore never retries (MaxErrorRetry 0), and only throttling is
        /// retried here: a throttling error is the service refusing the request before processing it, so nothing started.
        /// Any other failure is reported at once (5xx and timeouts as exit 10, saying the execution may have started).
        /// </summary>
        public async Task<ExecutionResult> StartSyncExecutionAsync(string stateMachineArn, string name, string? input, CancellationToken cancellationToken)
        {
            var random = new Random();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await CallAsync(SfnRequest.Create("StartSyncExecution", w => WriteStart(w, stateMachineArn, name, input), hostPrefix: "sync-"),
                        stateMachineArn, body => WithStartReference(ReadExecution(body), stateMachineArn), cancellationToken, _syncClient.Value,
                        _syncFailureContext).ConfigureAwait(false);
                }
                catch (StepFunctionsFailure failure) when (failure.Kind == FailureKind.Throttled && attempt < SyncThrottleAttempts
                    && !cancellationToken.IsCancellationRequested)
                {
                    var ceiling = SyncThrottleBaseDelay.Ticks * (1L << (attempt - 1));
                    await Task.Delay(TimeSpan.FromTicks((long)(ceiling * (0.5 + random.NextDouble() * 0.5))), cancellationToken).ConfigureAwait(false);
                }
                // Refused unprocessed as expired: a session the module renews is renewed and the start repeated once (the SDK
                // repeats nothing for this client, so SfnRetryPolicy cannot).
                catch (StepFunctionsFailure failure) when (attempt == 1 && FailureMapper.IsExpiredToken(failure.ErrorId)
                    && RenewExpiredSession?.Invoke() == true && !cancellationToken.IsCancellationRequested)
                {
                }
                catch (StepFunctionsFailure failure) when (failure.Kind == FailureKind.Connection)
                {
                    throw new StepFunctionsFailure(failure.Kind, failure.ExitCode, failure.ErrorId,
                        failure.Message + $" The request may have reached the service, so it was not repeated: a repeat could start a second Express execution. One named {name} may have started.",
                        failure.Field, failure.Target, failure.InnerException) { Detail = failure.Detail };
                }
            }
        }

        public Task<ExecutionResult> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken)
            => CallAsync(DescribeExecutionRequest(executionArn), executionArn, ReadExecution, cancellationToken);

        private static SfnRequest DescribeExecutionRequest(string executionArn)
            => SfnRequest.Create("DescribeExecution", w => w.WriteString("executionArn", executionArn));

        /// <summary>DescribeExecution, with the service's clock at the answer (its Date header), for telling whether an
        /// execution started before or after a moment of this machine's clock when the two clocks may disagree.</summary>
        internal async Task<(ExecutionResult Execution, DateTimeOffset? ServiceDate)> DescribeExecutionWithDateAsync(string executionArn,
            CancellationToken cancellationToken)
        {
            DateTimeOffset? date = null;
            var execution = await CallAsync(DescribeExecutionRequest(executionArn), executionArn, ReadExecution, cancellationToken,
                seen: response => date = response.ServiceDate).ConfigureAwait(false);
            return (execution, date);
        }

        public Task<DateTimeOffset> StopExecutionAsync(string executionArn, string? error, string? cause, CancellationToken cancellationToken)
            => CallAsync(SfnRequest.Create("StopExecution", w =>
                {
                    w.WriteString("executionArn", executionArn);
                    if (error != null) w.WriteString("error", error);
                    if (cause != null) w.WriteString("cause", cause);
                }), executionArn,
                body => Timestamp(body, "stopDate") ?? DateTimeOffset.Now, cancellationToken);

        /// <summary>
        /// RedriveExecution with the caller's client token: the SDK's retries of a request whose answer was lost send the same
        /// token, and the service answers a token it has already redriven with that redrive instead of refusing a running
        /// execution (or, had it ended again meanwhile, redriving it a second time).
        /// </summary>
        public Task<DateTimeOffset> RedriveExecutionAsync(string executionArn, string clientToken, CancellationToken cancellationToken)
            => CallAsync(SfnRequest.Create("RedriveExecution", w =>
                {
                    w.WriteString("executionArn", executionArn);
                    w.WriteString("clientToken", clientToken);
                }), executionArn,
                body => Timestamp(body, "redriveDate") ?? throw new FormatException("the required member 'redriveDate' is missing"), cancellationToken);

        /// <summary>Set once an endpoint refused includedData (an emulator older than the member): later calls leave it out.</summary>
        private volatile bool _includedDataRefused;

        /// <summary>
        /// The machine's name and type only: METADATA_ONLY leaves the definition out, which a machine encrypted with a
        /// customer-managed KMS key would otherwise return only to a caller allowed kms:Decrypt. An endpoint that does not
        /// know the member (AWS added it in 2024; emulators may predate it) is asked again without it.
        /// </summary>
        public async Task<StateMachineSummary> DescribeStateMachineAsync(string stateMachineArn, CancellationToken cancellationToken)
        {
            if (!_includedDataRefused)
            {
                try
                {
                    return await DescribeStateMachineAsync(stateMachineArn, metadataOnly: true, cancellationToken).ConfigureAwait(false);
                }
                catch (StepFunctionsFailure refused) when (refused.Kind == FailureKind.Validation
                    && refused.Message.IndexOf("includedData", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    _includedDataRefused = true;
                }
            }
            return await DescribeStateMachineAsync(stateMachineArn, metadataOnly: false, cancellationToken).ConfigureAwait(false);
        }

        private Task<StateMachineSummary> DescribeStateMachineAsync(string stateMachineArn, bool metadataOnly, CancellationToken cancellationToken)
            => CallAsync(SfnRequest.Create("DescribeStateMachine", w =>
                {
                    w.WriteString("stateMachineArn", stateMachineArn);
                    if (metadataOnly) w.WriteString("includedData", "METADATA_ONLY");
                }),
                stateMachineArn, ReadStateMachine, cancellationToken);

        public async Task<IReadOnlyList<StateMachineSummary>> ListStateMachinesAsync(CancellationToken cancellationToken)
        {
            var all = new List<StateMachineSummary>();
            string? nextToken = null;
            do
            {
                var token = nextToken;
                var page = await CallAsync(SfnRequest.Create("ListStateMachines", w =>
                    {
                        w.WriteNumber("maxResults", 1000);
                        if (token != null) w.WriteString("nextToken", token);
                    }), null,
                    body =>
                    {
                        var items = new List<StateMachineSummary>();
                        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("stateMachines", out var list) && list.ValueKind == JsonValueKind.Array)
                            foreach (var item in list.EnumerateArray()) items.Add(ReadStateMachine(item));
                        return (items, OptionalString(body, "nextToken"));
                    }, cancellationToken).ConfigureAwait(false);
                all.AddRange(page.items);
                nextToken = page.Item2;
            }
            while (!string.IsNullOrEmpty(nextToken));
            return all;
        }

        public Task<ExecutionPage> ListExecutionsAsync(string listedArn, string? statusFilter, string? redriveFilter, int maxResults,
            string? nextToken, CancellationToken cancellationToken, bool ofMapRun = false)
            => CallAsync(SfnRequest.Create("ListExecutions", w =>
                {
                    w.WriteString(ofMapRun ? "mapRunArn" : "stateMachineArn", listedArn);
                    if (statusFilter != null) w.WriteString("statusFilter", statusFilter);
                    if (redriveFilter != null) w.WriteString("redriveFilter", redriveFilter);
                    w.WriteNumber("maxResults", maxResults);
                    if (nextToken != null) w.WriteString("nextToken", nextToken);
                }), listedArn,
                body =>
                {
                    var items = new List<ExecutionSummary>();
                    if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("executions", out var list) && list.ValueKind == JsonValueKind.Array)
                        foreach (var item in list.EnumerateArray()) items.Add(ReadExecutionSummary(item));
                    var next = OptionalString(body, "nextToken");
                    return new ExecutionPage(items, string.IsNullOrEmpty(next) ? null : next);
                }, cancellationToken);

        public async Task<IReadOnlyList<StateMachineQualifier>> ListQualifiersAsync(string stateMachineArn, CancellationToken cancellationToken)
        {
            // Both lists at once: completion has a budget of a few seconds.
            var aliases = ListQualifierPageAsync("ListStateMachineAliases", "stateMachineAliases", "stateMachineAliasArn", "alias",
                stateMachineArn, cancellationToken);
            var versions = ListQualifierPageAsync("ListStateMachineVersions", "stateMachineVersions", "stateMachineVersionArn", "version",
                stateMachineArn, cancellationToken);
            var all = new List<StateMachineQualifier>(await aliases.ConfigureAwait(false));
            all.AddRange(await versions.ConfigureAwait(false));
            return all;
        }

        private Task<List<StateMachineQualifier>> ListQualifierPageAsync(string operation, string listMember, string arnMember, string kind,
            string stateMachineArn, CancellationToken cancellationToken)
            => CallAsync(SfnRequest.Create(operation, w =>
                {
                    w.WriteString("stateMachineArn", stateMachineArn);
                    w.WriteNumber("maxResults", 1000);
                }), stateMachineArn,
                body =>
                {
                    var items = new List<StateMachineQualifier>();
                    if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(listMember, out var list) && list.ValueKind == JsonValueKind.Array)
                        foreach (var item in list.EnumerateArray())
                        {
                            var arn = RequiredString(item, arnMember);
                            items.Add(new StateMachineQualifier
                            {
                                Arn = arn,
                                Kind = kind,
                                Qualifier = arn.Substring(arn.LastIndexOf(':') + 1),
                                CreationDate = Timestamp(item, "creationDate") ?? default,
                            });
                        }
                    return items;
                }, cancellationToken);

        public void Dispose()
        {
            if (_syncClient.IsValueCreated && !ReferenceEquals(_syncClient.Value, _client)) _syncClient.Value.Dispose();
            if (_guardedStartClient.IsValueCreated && !ReferenceEquals(_guardedStartClient.Value, _client)) _guardedStartClient.Value.Dispose();
            _client.Dispose();
        }

        private async Task<T> CallAsync<T>(SfnRequest request, string? target, Func<JsonElement, T> read, CancellationToken cancellationToken,
            SfnServiceClient? via = null, FailureContext? context = null, Action<SfnResponse>? seen = null)
        {
            SfnResponse response;
            request.Target = target;
            try
            {
                response = await (via ?? _client).CallAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is StepFunctionsFailure))
            {
                // A request the policy did not let the SDK repeat must not be described as retried.
                throw FailureMapper.Map(ex, context ?? (request.Repeatable ? _failureContext : _failureContext.WithoutRetries()), target, cancellationToken);
            }
            seen?.Invoke(response);
            try
            {
                return read(response.Body);
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is FormatException || ex is KeyNotFoundException)
            {
                throw new StepFunctionsFailure(FailureKind.Unexpected, ExitCode.Fail, "MalformedResponse",
                    $"The {request.Operation} response could not be read: {ex.Message}", target: target, inner: ex);
            }
        }

        private static void WriteStart(Utf8JsonWriter writer, string stateMachineArn, string name, string? input)
        {
            writer.WriteString("stateMachineArn", stateMachineArn);
            writer.WriteString("name", name);
            if (input != null) writer.WriteString("input", input);
        }

        /// <summary>
        /// StartSyncExecution's answer has no version or alias members: the start's own ARN says what it went through. Its
        /// stateMachineArn is reduced to the machine itself, should the service ever echo the alias there.
        /// </summary>
        private static ExecutionResult WithStartReference(ExecutionResult result, string stateMachineArn)
        {
            var machine = StateMachineReference.Parse(stateMachineArn);
            result.StateMachineArn = result.StateMachineArn == null ? machine.MachineArn : StateMachineReference.Parse(result.StateMachineArn).MachineArn;
            result.StateMachineVersionArn ??= machine.VersionArn;
            result.StateMachineAliasArn ??= machine.AliasArn;
            return result;
        }

        internal static ExecutionResult ReadExecution(JsonElement body)
        {
            var result = new ExecutionResult
            {
                ExecutionArn = RequiredString(body, "executionArn"),
                StateMachineArn = OptionalString(body, "stateMachineArn"),
                StateMachineVersionArn = OptionalString(body, "stateMachineVersionArn"),
                StateMachineAliasArn = OptionalString(body, "stateMachineAliasArn"),
                Name = OptionalString(body, "name"),
                Status = RequiredString(body, "status"),
                StartDate = Timestamp(body, "startDate"),
                StopDate = Timestamp(body, "stopDate"),
                Input = OptionalString(body, "input"),
                Output = OptionalString(body, "output"),
                Error = OptionalString(body, "error"),
                Cause = OptionalString(body, "cause"),
                RedriveCount = OptionalInt(body, "redriveCount"),
                RedriveDate = Timestamp(body, "redriveDate"),
                RedriveStatus = OptionalString(body, "redriveStatus"),
                RedriveStatusReason = OptionalString(body, "redriveStatusReason"),
            };
            if (body.TryGetProperty("outputDetails", out var details) && details.ValueKind == JsonValueKind.Object
                && details.TryGetProperty("included", out var included)
                && (included.ValueKind == JsonValueKind.True || included.ValueKind == JsonValueKind.False))
                result.OutputIncluded = included.GetBoolean();
            return result;
        }

        internal static ExecutionSummary ReadExecutionSummary(JsonElement item) => new ExecutionSummary
        {
            ExecutionArn = RequiredString(item, "executionArn"),
            Name = OptionalString(item, "name") ?? "",
            Status = RequiredString(item, "status"),
            StartDate = Timestamp(item, "startDate"),
            StopDate = Timestamp(item, "stopDate"),
            StateMachineArn = OptionalString(item, "stateMachineArn") ?? "",
            StateMachineVersionArn = OptionalString(item, "stateMachineVersionArn"),
            StateMachineAliasArn = OptionalString(item, "stateMachineAliasArn"),
            RedriveCount = OptionalInt(item, "redriveCount") ?? 0,
            RedriveDate = Timestamp(item, "redriveDate"),
            MapRunArn = OptionalString(item, "mapRunArn"),
            ItemCount = OptionalInt(item, "itemCount"),
        };

        internal static StateMachineSummary ReadStateMachine(JsonElement body) => new StateMachineSummary
        {
            StateMachineArn = RequiredString(body, "stateMachineArn"),
            Name = OptionalString(body, "name") ?? "",
            Type = OptionalString(body, "type") ?? "STANDARD",
            CreationDate = Timestamp(body, "creationDate") ?? default,
        };

        private static string RequiredString(JsonElement body, string name)
            => OptionalString(body, name) ?? throw new FormatException($"the required member '{name}' is missing");

        private static int? OptionalInt(JsonElement body, string name)
            => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
                ? value.GetInt32()
                : (int?)null;

        private static string? OptionalString(JsonElement body, string name)
            => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        /// <summary>
        /// awsJson timestamps are epoch seconds as a JSON number, with milliseconds, often in exponent form
        /// (1.686509515191E9). Rounded to whole milliseconds, the service's own precision. In the machine's time zone, as
        /// Get-Date and the Extension Output's JSON show times: the same instant, with the offset a reader expects.
        /// </summary>
        internal static DateTimeOffset? Timestamp(JsonElement body, string name)
        {
            if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var value)) return null;
            double seconds;
            if (value.ValueKind == JsonValueKind.Number)
                seconds = value.GetDouble();
            else if (value.ValueKind == JsonValueKind.String)
            {
                var text = value.GetString()!;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds))
                    return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToLocalTime();
            }
            else
                return null;
            var milliseconds = (long)Math.Round(seconds * 1000.0, MidpointRounding.AwayFromZero);
            return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).ToLocalTime();
        }
    }
}
