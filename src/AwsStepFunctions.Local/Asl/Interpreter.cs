using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>Runs states for one execution: the block loop, the simple states and the path pipeline.</summary>
internal sealed partial class Interpreter(ExecutionContext context, EngineOptions options, EventLog log, CancellationToken executionToken)
{
    // Task.Delay cannot wait longer than about 49 days in one go.
    private static readonly TimeSpan LongestDelay = TimeSpan.FromDays(30);

    // Invocation numbers for the mock config, per Task state name (names are unique in a machine).
    // Created on the first Task only: most waiting executions never need it.
    private ConcurrentDictionary<string, int>? _invocations;

    public EngineOptions Options { get; } = options;

    private ExecutionContext Context { get; } = context;

    public JsonNode? ExecutionInput { get; set; }

    /// <summary>
    /// TestState's context object (the request's, or the one TestState makes up), used as is for every <c>$$</c>. Its
    /// presence also marks a TestState run, in which nothing waits: the state is run once for its outcome.
    /// </summary>
    public JsonObject? FixedContext { get; init; }

    /// <summary>Where a Map item's <c>$$.Map.Item</c> comes from (only inside ItemSelector).</summary>
    private sealed record MapItem(int Index, JsonNode? Value);

    // The top-level state now running and its input (and, inside a Parallel or inline Map, its branches'): where a redrive
    // resumes. Read by Stop or the timeout from another thread.
    private readonly BlockProgress _progress = new();

    // The resume point a redrive continues at (its Parallel or Map branches are picked up from it).
    private ResumePoint? _resume;

    // The machine's own variables when a redrive resumes (those assigned before the state it resumes at).
    private VariableScope? _resumeVariables;

    /// <summary>
    /// Runs the machine's own block from <paramref name="startAt"/> (StartAt, or the resume state of a redrive) to its end,
    /// remembering each top-level state entered so <see cref="ResumePoint"/> can say where it stopped.
    /// </summary>
    /// <param name="inputText">The input as the caller sent it: the first StateEntered shows it as it is, spacing included,
    /// as the service's histories do (later states show their input serialised).</param>
    public Task<JsonNode?> RunMachineAsync(StatesBlock block, string startAt, JsonNode? input, string inputText, Lane lane) =>
        RunBlockAsync(block, startAt, input, lane, _resumeVariables ?? new VariableScope(), executionToken, _progress, _resume, inputText);

    /// <summary>Continues an earlier run (redrive): its mock invocation numbering and its variables.</summary>
    public void Continue(ResumePoint resume)
    {
        _invocations = new ConcurrentDictionary<string, int>(resume.Invocations, StringComparer.Ordinal);
        _resume = resume;
        _resumeVariables = VariableScope.FromSnapshot(resume.Variables is null ? null : (JsonObject?)JsonNode.Parse(resume.Variables));
    }

    /// <summary>A Distributed Map child counts mock invocations with its parent (one numbering per execution tree).</summary>
    internal void ShareInvocations(ConcurrentDictionary<string, int> shared) => _invocations = shared;

    /// <summary>The mock invocation numbers of this execution, created on first use.</summary>
    private ConcurrentDictionary<string, int> Invocations =>
        LazyInitializer.EnsureInitialized(ref _invocations, () => new ConcurrentDictionary<string, int>(StringComparer.Ordinal));

    /// <summary>Where a redrive should resume, or null when no top-level state was entered.</summary>
    public ResumePoint? ResumePoint()
    {
        var used = _invocations is { } counts ? new Dictionary<string, int>(counts, StringComparer.Ordinal) : new Dictionary<string, int>();
        return _progress.Snapshot(used);
    }

    /// <summary>
    /// Runs a Parallel branch or a Map iteration in a scope inside <paramref name="outer"/>: from its StartAt, or, when a
    /// redrive resumes it, from the state it stopped in, with that state's input and the branch's own variables as they were then.
    /// </summary>
    private Task<JsonNode?> RunInnerBlockAsync(StatesBlock block, JsonNode? input, Lane lane, VariableScope outer, BlockProgress? progress,
        ResumePoint? resume, CancellationToken ct)
    {
        if (resume is null || !block.States.ContainsKey(resume.StateName))
            return RunBlockAsync(block, block.StartAt, input, lane, outer.Inner(), ct, progress, resume: null);
        var variables = outer.Inner(resume.Variables is null ? null : (JsonObject?)JsonNode.Parse(resume.Variables));
        return RunBlockAsync(block, resume.StateName, JsonNode.Parse(resume.Input), lane, variables, ct, progress, resume);
    }

    private async Task<JsonNode?> RunBlockAsync(StatesBlock block, string startAt, JsonNode? input, Lane lane, VariableScope variables,
        CancellationToken ct, BlockProgress? progress, ResumePoint? resume, string? inputText = null)
    {
        // Only the state a redrive resumes at picks up its branches' earlier outcomes (and only its first attempt: see StateScope).
        var redrive = resume is not null && resume.StateName == startAt ? resume.Branches : null;
        var name = startAt;
        var data = input;
        var steps = 0;
        // The machine's variables as JSON for a redrive, serialised again only when a state has assigned some.
        string? variablesText = null;
        var variablesVersion = -1;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            // A loop of Pass/Choice states never awaits a timer: hand the thread back now and then.
            if (++steps % 64 == 0) await Task.Yield();
            var state = block.States[name];
            EndIfTerminated();
            if (progress is not null)
            {
                if (variables.Version != variablesVersion)
                {
                    variablesText = variables.IsEmpty ? null : variables.Snapshot().ToJsonString();
                    variablesVersion = variables.Version;
                }
                progress.Enter(name, JsonValues.Serialize(data), variablesText);
            }
            var (output, next) = await RunStateAsync(state, data, inputText, lane, variables, progress, redrive, ct).ConfigureAwait(false);
            inputText = null;
            redrive = null;
            if (next is null) return output;
            data = output;
            name = next;
        }
    }

    private async Task<(JsonNode? Output, string? Next)> RunStateAsync(StateSpec state, JsonNode? input, string? inputText, Lane lane,
        VariableScope variables, BlockProgress? progress, IReadOnlyList<BranchResume?>? redrive, CancellationToken ct)
    {
        var entered = Options.Time.GetUtcNow();
        var enteredFrom = lane.PreviousId;
        Record(lane, state.Type + "StateEntered", new JsonObject
        {
            ["name"] = state.Name,
            ["input"] = inputText ?? JsonValues.Serialize(input),
            ["inputDetails"] = new JsonObject { ["truncated"] = false },
        }, ct);
        var scope = new StateScope(this, state, entered, variables)
        {
            EnteredEventId = lane.PreviousId, EnteredFrom = enteredFrom, Progress = progress, Redrive = redrive,
        };
        lane.OpenState = state.Type;
        try
        {
            var done = await RunEnteredStateAsync(state, input, lane, scope, ct).ConfigureAwait(false);
            // Only a state that exited is closed: one that failed stays open for its branch's *StateAborted event.
            lane.OpenState = null;
            return done;
        }
        catch (StatesError e) when (e.Error == ErrorNames.Runtime && !e.Located)
        {
            // As the service words it: the cause names the state (the innermost one: a branch's error keeps its own).
            throw new StatesError(e.Error, $"An error occurred while executing the state '{state.Name}' (entered at the event id #{scope.EnteredEventId}). {e.Cause}")
            {
                FromBranch = e.FromBranch,
                Located = true,
            };
        }
    }

    private async Task<(JsonNode? Output, string? Next)> RunEnteredStateAsync(StateSpec state, JsonNode? input, Lane lane, StateScope scope, CancellationToken ct)
    {
        if (state.Jsonata is not null && state.Type is not ("Task" or "Parallel" or "Map"))
            return Exit(state, lane, scope, await RunJsonataFlowAsync(state, input, lane, scope, ct).ConfigureAwait(false), ct);
        switch (state.Type)
        {
            case "Pass": return Exit(state, lane, scope, RunPass(state, input, scope), ct);
            case "Wait": return Exit(state, lane, scope, await RunWaitAsync(state, input, scope, ct).ConfigureAwait(false), ct);
            case "Choice": return Exit(state, lane, scope, RunChoice(state, input, scope), ct);
            case "Succeed": return Exit(state, lane, scope, new Completion(ApplyOutputPath(state, SelectInput(state, input, scope), scope), null), ct);
            case "Fail": throw FailState(state, input, scope);
            default: return await RunWithRetryAsync(state, input, lane, scope, ct).ConfigureAwait(false);
        }
    }

    /// <summary>How a state ends: its output, the next state (null = the block ends) and the variables it assigns.</summary>
    private sealed record Completion(JsonNode? Output, string? Next, IReadOnlyList<KeyValuePair<string, JsonNode?>>? Assigned = null);

    /// <summary>Stores the state's assignments (only now: its OutputPath still read the old values) and records StateExited.</summary>
    private (JsonNode?, string?) Exit(StateSpec state, Lane lane, StateScope scope, Completion done, CancellationToken ct)
    {
        var output = JsonValues.Serialize(done.Output);
        // AWS fails the execution before StateExited when a state's output is over the quota (no catcher takes it).
        if (OverPayloadLimit(output)) throw StatesError.DataLimitExceeded(state.Name, terminal: true);
        var exited = new JsonObject
        {
            ["name"] = state.Name,
            ["output"] = output,
            ["outputDetails"] = new JsonObject { ["truncated"] = false },
        };
        if (done.Assigned is { Count: > 0 } assigned)
        {
            scope.Variables.Assign(assigned, state.Name);
            var shown = new JsonObject();
            foreach (var kv in assigned) shown[kv.Key] = JsonValues.Serialize(kv.Value);
            exited["assignedVariables"] = shown;
            exited["assignedVariablesDetails"] = new JsonObject { ["truncated"] = false };
        }
        Record(lane, state.Type + "StateExited", exited, ct);
        return (done.Output, done.Next);
    }

    // A UTF-16 character is at most three UTF-8 bytes: shorter text cannot be over the quota, and is not counted.
    private static bool OverPayloadLimit(string json) =>
        json.Length > StatesError.PayloadLimitBytes / 3 && Encoding.UTF8.GetByteCount(json) > StatesError.PayloadLimitBytes;

    private void Record(Lane lane, string type, JsonObject? details, CancellationToken ct) =>
        Record(lane, lane.PreviousId, type, details, advance: true, ct);

    /// <summary>Records an event linked to <paramref name="previousId"/> (the rule is on <see cref="Lane"/>).</summary>
    private long Record(Lane lane, long previousId, string type, JsonObject? details, bool advance, CancellationToken ct)
    {
        var id = log.Record(lane, previousId, type, details, advance);
        // 0 = the execution already ended (stopped, timed out): stop this line of work as well.
        if (id == 0) throw new OperationCanceledException(ct);
        ct.ThrowIfCancellationRequested();
        return id;
    }

    private Completion RunPass(StateSpec state, JsonNode? input, StateScope scope)
    {
        var effective = ApplyParameters(state, SelectInput(state, input, scope), scope);
        var result = state.HasResult ? JsonValues.Clone(state.Result) : effective;
        return new Completion(ApplyOutputPath(state, ApplyResultPath(state.ResultPath, input, result), scope), state.Next,
            state.Assign?.Evaluate(scope.For(result)));
    }

    /// <summary>The longest wait the service accepts, in seconds.</summary>
    private const long MostWaitSeconds = int.MaxValue;

    private async Task<Completion> RunWaitAsync(StateSpec state, JsonNode? input, StateScope scope, CancellationToken ct)
    {
        var effective = SelectInput(state, input, scope);
        TimeSpan duration;
        if (state.Seconds is { } seconds) duration = TimeSpan.FromSeconds(seconds);
        else if (state.Timestamp is { } at) duration = at - Options.Time.GetUtcNow();
        // The causes are AWS's (LocalStack's test_wait and test_base_scenarios snapshots).
        else if (state.SecondsPath is { } secondsPath)
        {
            if (!scope.For(effective).TryRead(secondsPath, out var value))
                throw StatesError.Runtime($"The SecondsPath parameter does not reference an input value: {secondsPath.Text}");
            if (!JsonValues.TryGetInteger(value, out var n))
                throw StatesError.Runtime($"The SecondsPath parameter cannot be parsed as a long value: {secondsPath.Text} == {PathValueText(value)}");
            if (n < 0) throw StatesError.Runtime($"The SecondsPath parameter references a negative value: {secondsPath.Text} == {n}");
            duration = TimeSpan.FromSeconds(Math.Min(n, MostWaitSeconds + 1));
        }
        else
        {
            var path = state.TimestampPath!;
            if (!scope.For(effective).TryRead(path, out var value))
                throw StatesError.Runtime($"The TimestampPath parameter does not reference an input value: {path.Text}");
            if (!JsonValues.TryGetTimestamp(value, out var target))
                throw StatesError.Runtime(
                    $"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path.Text} == {PathValueText(value)}");
            duration = target - Options.Time.GetUtcNow();
        }
        // AWS refuses a wait beyond 2^31 - 1 seconds (24,855 days wait, 24,856 fail: test_timestamp_too_far_in_future_boundary).
        if (duration > TimeSpan.FromSeconds(MostWaitSeconds)) throw StatesError.Runtime("Wait state delay is too long.");
        await ScaledDelayAsync(duration, ct).ConfigureAwait(false);
        return new Completion(ApplyOutputPath(state, effective, scope), state.Next, state.Assign?.Evaluate(scope.For(effective)));
    }

    /// <summary>Waits duration / TimeScale on the engine's clock; cancellation (Stop, timeout) ends it at once.</summary>
    /// <summary>
    /// A machine being deleted ends its executions at their next state transition, as the service documents (and before a
    /// retry's next attempt). The error is terminal (no Retry or Catch takes States.Runtime) and already says where it comes from.
    /// </summary>
    private void EndIfTerminated()
    {
        if (log.TerminationCause is { } terminated) throw new StatesError(ErrorNames.Runtime, terminated) { Located = true };
    }

    /// <summary>A duration of the machine's time as the endpoint runs it (--time-scale).</summary>
    private TimeSpan Scaled(TimeSpan duration) => TimeSpan.FromTicks((long)(duration.Ticks / (Options.TimeScale > 0 ? Options.TimeScale : 1)));

    private async Task ScaledDelayAsync(TimeSpan duration, CancellationToken ct)
    {
        if (FixedContext is not null) return;
        var remaining = Scaled(duration);
        while (remaining > TimeSpan.Zero)
        {
            var step = remaining < LongestDelay ? remaining : LongestDelay;
            await Task.Delay(step, Options.Time, ct).ConfigureAwait(false);
            remaining -= step;
        }
    }

    // The matched rule's Assign, or the state's own when Default is taken.
    private Completion RunChoice(StateSpec state, JsonNode? input, StateScope scope)
    {
        var effective = SelectInput(state, input, scope);
        var evalScope = scope.For(effective);
        foreach (var choice in state.Choices)
            if (choice.Rule!.Evaluate(evalScope)) return new Completion(ApplyOutputPath(state, effective, scope), choice.Next, choice.Assign?.Evaluate(evalScope));
        if (state.Default is not null) return new Completion(ApplyOutputPath(state, effective, scope), state.Default, state.Assign?.Evaluate(evalScope));
        throw new StatesError(ErrorNames.NoChoiceMatched, $"No Choice rule of state '{state.Name}' matched the input and the state has no Default");
    }

    private StatesError FailState(StateSpec state, JsonNode? input, StateScope scope)
    {
        var error = state.Error ?? FailText(state, state.ErrorPath, input, scope, "ErrorPath");
        var cause = state.Cause ?? FailText(state, state.CausePath, input, scope, "CausePath");
        return new StatesError(error ?? "", cause);
    }

    private static string? FailText(StateSpec state, ValueExpression? expression, JsonNode? input, StateScope scope, string field)
    {
        if (expression is null) return null;
        var value = expression.Evaluate(scope.For(input), field);
        return JsonValues.AsString(value)
            ?? throw StatesError.Runtime($"State '{state.Name}': {field} '{expression.Text}' must produce a string, got {JsonValues.Serialize(value)}");
    }

    // ---- the path pipeline: InputPath, Parameters, (work), ResultSelector, ResultPath, OutputPath ----

    private JsonNode? SelectInput(StateSpec state, JsonNode? input, StateScope scope) =>
        state.InputPath is null ? new JsonObject() : Evaluate(state.InputPath, input, scope, "InputPath");

    private static JsonNode? ApplyParameters(StateSpec state, JsonNode? effective, StateScope scope) =>
        state.Parameters is null ? effective : state.Parameters.Evaluate(scope.For(effective));

    private static JsonNode? ApplyResultSelector(StateSpec state, JsonNode? result, StateScope scope) =>
        state.ResultSelector is null ? result : state.ResultSelector.Evaluate(scope.For(result));

    private static JsonNode? ApplyResultPath(JsonPath? resultPath, JsonNode? rawInput, JsonNode? result) =>
        resultPath is null ? JsonValues.Clone(rawInput) : resultPath.Assign(rawInput, result);

    private JsonNode? ApplyOutputPath(StateSpec state, JsonNode? value, StateScope scope) =>
        state.OutputPath is null ? new JsonObject() : Evaluate(state.OutputPath, value, scope, "OutputPath");

    private static JsonNode? Evaluate(JsonPath path, JsonNode? data, StateScope scope, string field)
    {
        var at = scope.For(data);
        if (!at.TryRead(path, out var value))
            throw StatesError.Runtime(path.IsContext || path.Variable is not null || path.Missing(data) is not { } missing
                ? $"Invalid path '{path.Text}' in field '{field}' of state '{scope.State.Name}': no results for this path in {at.Where(path)}"
                // AWS's words for a path into the input (test_invalid_jsonpath, test_catch_states_runtime).
                : $"Invalid path '{path.Text}' : {missing}");
        return JsonValues.Clone(value);
    }

    /// <summary>Builds the context object (<c>$$</c>) for one state entry, on demand.</summary>
    private sealed class StateScope(Interpreter owner, StateSpec state, DateTimeOffset entered, VariableScope variables)
    {
        public StateSpec State => state;
        public VariableScope Variables => variables;
        public int RetryCount { get; set; }
        public MapItem? Item { get; init; }

        /// <summary>The id of the state's StateEntered event (JSONata error causes name it).</summary>
        public long EnteredEventId { get; init; }

        /// <summary>What the StateEntered event links to (an EvaluationFailed at entry links there too).</summary>
        public long EnteredFrom { get; init; }

        /// <summary>The progress of the block this state runs in (null in TestState): a Parallel or Map registers its branches there.</summary>
        public BlockProgress? Progress { get; init; }

        /// <summary>A redrive's earlier outcomes of this Parallel's or Map's branches/iterations; see <see cref="TakeRedrive"/>.</summary>
        public IReadOnlyList<BranchResume?>? Redrive { private get; init; }

        private bool _redriveTaken;

        /// <summary>
        /// The earlier outcomes for a Parallel or Map with <paramref name="count"/> branches/iterations, for its first attempt
        /// only (a retry after the redrive runs everything again); null when there are none or the count differs.
        /// </summary>
        public IReadOnlyList<BranchResume?>? TakeRedrive(int count)
        {
            if (_redriveTaken) return null;
            _redriveTaken = true;
            return Redrive is { } earlier && earlier.Count == count ? earlier : null;
        }

        public EvalScope For(JsonNode? data) => new(data, BuildContext, variables);

        public StateScope WithItem(MapItem item) =>
            new(owner, state, entered, variables) { RetryCount = RetryCount, Item = item, EnteredEventId = EnteredEventId, EnteredFrom = EnteredFrom };

        private JsonNode BuildContext()
        {
            if (owner.FixedContext is { } given)
            {
                // TestState: the given context, plus the item ItemSelector is evaluated for.
                var copy = (JsonObject)given.DeepClone();
                if (Item is not null) copy["Map"] = ItemNode();
                return copy;
            }
            var c = owner.Context;
            var root = new JsonObject
            {
                ["Execution"] = new JsonObject
                {
                    ["Id"] = c.ExecutionArn,
                    ["Input"] = JsonValues.Clone(owner.ExecutionInput),
                    ["Name"] = c.ExecutionName,
                    ["RoleArn"] = c.RoleArn,
                    ["StartTime"] = JsonValues.Iso(c.StartTime),
                    ["RedriveCount"] = c.RedriveCount,
                },
                ["StateMachine"] = new JsonObject { ["Id"] = c.StateMachineArn, ["Name"] = c.StateMachineName },
                ["State"] = new JsonObject { ["EnteredTime"] = JsonValues.Iso(entered), ["Name"] = state.Name },
            };
            // Only states that can retry have a RetryCount (AWS's context of a Pass state has EnteredTime and Name).
            if (state.Type is "Task" or "Parallel" or "Map") ((JsonObject)root["State"]!)["RetryCount"] = RetryCount;
            if (c.RedriveTime is { } redriven) ((JsonObject)root["Execution"]!)["RedriveTime"] = JsonValues.Iso(redriven);
            if (Item is not null) root["Map"] = ItemNode();
            if (state.Type == "Task" && state.Resource?.EndsWith(".waitForTaskToken", StringComparison.Ordinal) == true)
                root["Task"] = new JsonObject { ["Token"] = TaskToken(c) };
            return root;
        }

        /// <summary>The callback token of this attempt of a .waitForTaskToken Task (see <see cref="TaskTokens"/>).</summary>
        private string TaskToken(ExecutionContext c) => TaskTokens.Create(c.ExecutionArn, EnteredEventId, RetryCount);

        /// <summary>The token SendTaskSuccess/SendTaskFailure answer this attempt with (the one <c>$$.Task.Token</c> shows).</summary>
        public string CallbackToken => TaskToken(owner.Context);

        private JsonObject ItemNode() => new() { ["Item"] = new JsonObject { ["Index"] = Item!.Index, ["Value"] = JsonValues.Clone(Item.Value) } };
    }
}
