using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl.Json;
using AwsStepFunctions.Local.Asl.Jsonata;

namespace AwsStepFunctions.Local.Asl;

// JSONata states: Arguments instead of InputPath/Parameters, Output instead of ResultSelector/ResultPath/OutputPath,
// expressions that read $states (input, result, errorOutput, context) and the workflow variables. An expression that
// fails or returns nothing is States.QueryEvaluationError, recorded as an EvaluationFailed event first.
internal sealed partial class Interpreter
{
    /// <summary>Pass, Wait, Choice, Succeed and Fail. Output defaults to the state's input.</summary>
    private async Task<Completion> RunJsonataFlowAsync(StateSpec state, JsonNode? input, Lane lane, StateScope scope, CancellationToken ct)
    {
        var fields = state.Jsonata!;
        var frame = new JsonataFrame(this, scope, lane, input, ct);
        switch (state.Type)
        {
            case "Wait":
                TimeSpan duration;
                if (fields.Seconds is { } seconds) duration = TimeSpan.FromSeconds(frame.Integer(seconds, "Seconds", JsonataRules.NonNegativeInteger));
                else
                {
                    var value = frame.Evaluate(fields.Timestamp!);
                    if (!JsonValues.TryGetTimestamp(value, out var at))
                        throw frame.Failure("Timestamp",
                            $"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {JsonValues.AsString(value) ?? JsonValues.Serialize(value)}");
                    duration = at - Options.Time.GetUtcNow();
                }
                if (duration > TimeSpan.FromSeconds(MostWaitSeconds)) throw StatesError.Runtime("Wait state delay is too long.");
                await ScaledDelayAsync(duration, ct).ConfigureAwait(false);
                break;
            case "Choice":
                foreach (var choice in state.Choices)
                {
                    if (!frame.Checked(choice.Condition!, "Condition", JsonataRules.Boolean)!.GetValue<bool>()) continue;
                    return new Completion(frame.OutputOr(choice.Output, input), choice.Next, choice.Assign?.Evaluate(frame.Evaluate));
                }
                if (state.Default is null)
                    throw new StatesError(ErrorNames.NoChoiceMatched, $"No Choice rule of state '{state.Name}' matched and the state has no Default");
                return new Completion(frame.OutputOr(fields.Output, input), state.Default, state.Assign?.Evaluate(frame.Evaluate));
            case "Fail":
                var error = fields.Error is null ? null : frame.Checked(fields.Error, "Error", JsonataRules.Text)!.GetValue<string>();
                var cause = fields.Cause is null ? null : frame.Checked(fields.Cause, "Cause", JsonataRules.Text)!.GetValue<string>();
                throw new StatesError(error ?? "", cause);
        }
        return new Completion(frame.OutputOr(fields.Output, input), state.Next, state.Assign?.Evaluate(frame.Evaluate));
    }

    /// <summary>Task, Parallel and Map (inside the Retry/Catch loop). Output defaults to the result.</summary>
    private async Task<Completion> RunJsonataWorkAsync(StateSpec state, JsonNode? input, Lane lane, StateScope scope, CancellationToken ct)
    {
        var fields = state.Jsonata!;
        var frame = new JsonataFrame(this, scope, lane, input, ct);
        var arguments = fields.Arguments is null ? JsonValues.Clone(input) : frame.Evaluate(fields.Arguments);
        var result = state.Type switch
        {
            "Task" => await RunTaskAsync(state, JsonataTaskCall(fields, frame, arguments), lane, scope, ct).ConfigureAwait(false),
            "Parallel" => await RunParallelAsync(state, arguments, lane, scope, ct).ConfigureAwait(false),
            _ => await RunMapAsync(state, PrepareMap(() => JsonataMapWork(state, input, frame)), lane, scope, ct).ConfigureAwait(false),
        };
        frame.Result = result;
        return new Completion(frame.OutputOr(fields.Output, result), state.Next, state.Assign?.Evaluate(frame.Evaluate));
    }

    /// <summary>
    /// A JSONata Task's call: its Arguments, and TimeoutSeconds, HeartbeatSeconds (below the timeout, as for JSONPath) and
    /// Credentials as they evaluate.
    /// </summary>
    private static TaskCall JsonataTaskCall(JsonataFields fields, JsonataFrame frame, JsonNode? arguments)
    {
        var timeout = fields.TimeoutSeconds is null ? (long?)null : frame.Integer(fields.TimeoutSeconds, "TimeoutSeconds", JsonataRules.PositiveInteger);
        var heartbeat = fields.HeartbeatSeconds is null ? (long?)null : frame.Integer(fields.HeartbeatSeconds, "HeartbeatSeconds", JsonataRules.PositiveInteger);
        if (heartbeat is { } beat && timeout is { } limit && beat >= limit)
            throw StatesError.Runtime($"The HeartbeatSeconds value {beat} must be smaller than the TimeoutSeconds value {limit}");
        string? roleArn = null;
        if (fields.Credentials is { } credentials) TaskCredentials.Problem(frame.Checked(credentials, "Credentials", TaskCredentials.Rule), out roleArn);
        return new TaskCall(arguments, timeout, heartbeat, roleArn);
    }

    /// <summary>Items (default: the state's input) must be an array; ItemSelector sees $states.context.Map.Item.</summary>
    private MapWork JsonataMapWork(StateSpec state, JsonNode? input, JsonataFrame frame)
    {
        var fields = state.Jsonata!;
        JsonArray items;
        // An ItemReader's items come when the Map Run starts; Items is then not read (as ItemsPath is not, in AWS's recordings).
        if (state.Distributed?.Reader is not null) items = new JsonArray();
        else if (fields.Items is null) items = JsonValues.Clone(input) as JsonArray ?? throw frame.Failure(null, NotAnArray(input));
        else
        {
            var value = frame.Evaluate(fields.Items);
            items = value as JsonArray ?? throw frame.Failure("Items", fields.Items.SoleExpression is { } expression
                ? $"The JSONata expression '{expression.Text}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{JsonataRules.Kind(value)}' for value: {JsonValues.Serialize(value)}"
                : $"The field 'Items' must be an array, got {JsonataRules.Kind(value)}.");
        }
        var concurrency = fields.MaxConcurrency is null ? 0 : (int)frame.Integer(fields.MaxConcurrency, "MaxConcurrency", JsonataRules.NonNegativeInteger);
        return new MapWork(items, (at, index, item) => fields.ItemSelector is null
            ? JsonValues.Clone(item)
            : frame.For(at.WithItem(new MapItem(index, item))).Evaluate(fields.ItemSelector), concurrency)
        {
            ReadSettings = state.Distributed is null ? null : () => JsonataMapRunSettings(state, frame, concurrency),
        };
    }

    /// <summary>A JSONata catcher: Output (default: the error output) and Assign read $states.errorOutput.</summary>
    private Completion JsonataCaught(Catcher catcher, JsonNode? input, JsonNode? errorOutput, Lane lane, StateScope scope)
    {
        var frame = new JsonataFrame(this, scope, lane, input, executionToken) { ErrorOutput = errorOutput };
        return new Completion(frame.OutputOr(catcher.Output, errorOutput), catcher.Next, catcher.Assign?.Evaluate(frame.Evaluate));
    }

    /// <summary>What one state's expressions see, and how their failures are reported.</summary>
    private sealed class JsonataFrame(Interpreter owner, StateScope scope, Lane lane, JsonNode? input, CancellationToken ct)
    {
        private Dictionary<string, JsonNode?>? _bindings;
        private JsonNode? _result;
        private JsonNode? _errorOutput;
        private bool _hasResult, _hasErrorOutput;

        public JsonNode? Result
        {
            set { _result = value; _hasResult = true; _bindings = null; }
        }

        public JsonNode? ErrorOutput
        {
            init { _errorOutput = value; _hasErrorOutput = true; }
        }

        /// <summary>The same frame for a Map item (its context has Map.Item).</summary>
        public JsonataFrame For(StateScope itemScope) => new(owner, itemScope, lane, input, ct);

        public JsonNode? OutputOr(JsonataTemplate? output, JsonNode? fallback) => output is null ? JsonValues.Clone(fallback) : Evaluate(output);

        public JsonNode? Evaluate(JsonataTemplate template) => template.Evaluate(Evaluate);

        public JsonNode? Evaluate(JsonataExpression expression, string location)
        {
            bool defined;
            JsonNode? value;
            try
            {
                defined = expression.TryEvaluate(Bindings(), new JsonataEnvironment { Time = owner.Options.Time, Cancellation = ct }, out value);
            }
            catch (JsonataEvaluationException ex) when (ex.Code == "T1011")
            {
                throw Failure(location, $"The JSONata expression '{expression.Text}' specified for the field '{location}' returned an unsupported result type.");
            }
            catch (JsonataEvaluationException ex)
            {
                throw Failure(location, $"The JSONata expression '{expression.Text}' specified for the field '{location}' threw an error during evaluation. {ex.Message}");
            }
            if (!defined) throw Failure(location, $"The JSONata expression '{expression.Text}' specified for the field '{location}' returned nothing (undefined).");
            return value;
        }

        /// <summary>Evaluates a field that must pass <paramref name="rule"/> (its literal already did, at create time).</summary>
        public JsonNode? Checked(JsonataTemplate template, string field, Func<JsonNode?, string?> rule)
        {
            var value = Evaluate(template);
            if (rule(value) is { } problem)
                throw Failure(field, $"The value of the field '{field}' {problem}.");
            return value;
        }

        public long Integer(JsonataTemplate template, string field, Func<JsonNode?, string?> rule)
        {
            JsonValues.TryGetInteger(Checked(template, field, rule), out var n);
            return n;
        }

        private Dictionary<string, JsonNode?> Bindings()
        {
            if (_bindings is not null) return _bindings;
            var states = new JsonObject { ["input"] = JsonValues.Clone(input), ["context"] = JsonValues.Clone(scope.For(input).Context) };
            if (_hasResult) states["result"] = JsonValues.Clone(_result);
            if (_hasErrorOutput) states["errorOutput"] = JsonValues.Clone(_errorOutput);
            var bindings = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            scope.Variables.CopyVisibleTo(bindings);
            bindings[VariableNames.Reserved] = states;
            return _bindings = bindings;
        }

        /// <summary>Records EvaluationFailed (with the field, when the failure has one) and returns the error to throw.</summary>
        public StatesError Failure(string? location, string problem)
        {
            var cause = $"An error occurred while executing the state '{scope.State.Name}' (entered at the event id #{scope.EnteredEventId}). {problem}";
            var details = new JsonObject { ["error"] = ErrorNames.QueryEvaluationError, ["cause"] = cause };
            if (location is not null) details["location"] = location;
            details["state"] = scope.State.Name;
            // At entry (nothing of the state written after StateEntered) the failure links where StateEntered did,
            // except a Wait's: the service evaluates its Seconds/Timestamp after entering (see Lane).
            var atEntry = lane.PreviousId == scope.EnteredEventId && scope.State.Type != "Wait";
            owner.Record(lane, atEntry ? scope.EnteredFrom : lane.PreviousId, "EvaluationFailed", details, advance: true, ct);
            return new StatesError(ErrorNames.QueryEvaluationError, cause) { Located = true };
        }
    }
}
