using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>What the TestState operation needs to know about the state it tests before running it.</summary>
public sealed record TestStateTarget(string Name, string Type, int BranchCount)
{
    /// <summary>A Task calling a .sync or .waitForTaskToken integration (its context object may have Task.Token).</summary>
    public bool WaitsForCompletion { get; init; }

    /// <summary>An Activity, or a .sync or .waitForTaskToken integration: AWS's TestState runs these only with a mock.</summary>
    public bool RunsOnlyMocked => WaitsForCompletion || IsActivity;

    public bool IsActivity { get; init; }

    /// <summary>A Distributed Map with an ItemReader: its items come from stateConfiguration.mapItemReaderData.</summary>
    public bool ReadsItems { get; init; }

    /// <summary>A Distributed Map with a ResultWriter: its result (and a mock of it) is an object naming where results went.</summary>
    public bool WritesResults { get; init; }
}

/// <summary>
/// TestState: one state run on its own. A definition of a single state is tested under the name "StateName", the name
/// AWS gives it (its context object in LocalStack's recordings of AWS says State.Name "StateName"); a whole machine's
/// state is found by name, inside Parallel branches and Map item processors too.
/// </summary>
public static class TestStateRunner
{
    public const string SingleStateName = "StateName";

    /// <summary>
    /// Validates one state's definition as the only state of a machine. Its transitions (Next, Default, a Choice rule's
    /// or a catcher's Next) name states that are not there; stand-ins make them valid targets, since only the name is
    /// reported (as nextState). Throws AslDefinitionException like StateMachineDefinition.Parse.
    /// </summary>
    public static StateMachineDefinition ParseSingleState(string stateJson)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(stateJson); }
        catch (System.Text.Json.JsonException ex) { throw new AslDefinitionException($"Definition is not valid JSON: {ex.Message}", null, DefinitionProblem.InvalidJson); }
        // Before the state is copied into a machine: written out again, half a surrogate pair would quietly become U+FFFD.
        if (Wire.UnicodeJson.FindBrokenString(stateJson) is { } broken)
            throw new AslDefinitionException($"Definition is not valid JSON: {broken}", null, DefinitionProblem.InvalidJson);
        if (node is not JsonObject state) throw new AslDefinitionException("Definition must be a JSON object");
        var states = new JsonObject { [SingleStateName] = state.DeepClone() };
        foreach (var target in Targets(state))
            if (target != SingleStateName && !states.ContainsKey(target))
                states[target] = new JsonObject { ["Type"] = "Succeed" };
        var machine = new JsonObject { ["StartAt"] = SingleStateName, ["States"] = states };
        return StateMachineDefinition.Parse(machine.ToJsonString());
    }

    private static IEnumerable<string> Targets(JsonObject state)
    {
        if (JsonValues.AsString(state["Next"]) is { } next) yield return next;
        if (JsonValues.AsString(state["Default"]) is { } fallback) yield return fallback;
        foreach (var list in new[] { state["Choices"], state["Catch"] })
            if (list is JsonArray entries)
                foreach (var entry in entries)
                    if (entry is JsonObject o && JsonValues.AsString(o["Next"]) is { } target)
                        yield return target;
    }

    /// <summary>The named state anywhere in the machine, or null.</summary>
    public static TestStateTarget? Find(StateMachineDefinition definition, string name)
    {
        if (FindSpec(definition.Block, name) is not { } state) return null;
        var resource = state.Resource ?? "";
        var isTask = state.Type == "Task";
        return new TestStateTarget(state.Name, state.Type, state.Branches.Count)
        {
            IsActivity = isTask && resource.Contains(":activity:", StringComparison.Ordinal),
            WaitsForCompletion = isTask && (resource.EndsWith(".sync", StringComparison.Ordinal) || resource.Contains(".sync:", StringComparison.Ordinal)
                || resource.EndsWith(".waitForTaskToken", StringComparison.Ordinal)),
            ReadsItems = state.Distributed?.Reader is not null,
            WritesResults = state.Distributed?.Writer is not null,
        };
    }

    private static StateSpec? FindSpec(StatesBlock block, string name)
    {
        if (block.States.TryGetValue(name, out var found)) return found;
        foreach (var state in block.States.Values)
        {
            foreach (var branch in state.Branches)
                if (FindSpec(branch, name) is { } inBranch) return inBranch;
            if (state.ItemProcessor is { } processor && FindSpec(processor, name) is { } inProcessor) return inProcessor;
        }
        return null;
    }

    /// <summary>
    /// Runs the state once. Nothing waits (a Wait state's duration is read and checked, not slept) and nothing is retried:
    /// a retrier that would run the state again makes the outcome RETRIABLE, as AWS reports it.
    /// </summary>
    public static Task<TestStateOutcome> RunAsync(StateMachineDefinition definition, string name, TestStateRequest request, EngineOptions options,
        string region, CancellationToken cancel)
    {
        var state = FindSpec(definition.Block, name) ?? throw new ArgumentException($"No state '{name}' in the definition", nameof(name));
        var machineName = "TestState-" + Guid.NewGuid().ToString("N");
        var executionName = Guid.NewGuid().ToString();
        var prefix = $"arn:aws:states:{region}:{Auth.Principal.AccountId}:";
        var now = options.Time.GetUtcNow();
        var context = new ExecutionContext(prefix + "express:" + machineName + ":" + executionName, executionName, prefix + "stateMachine:" + machineName,
            machineName, request.RoleArn ?? "", now, null);
        var interpreter = new Interpreter(context, options, new EventLog(NoHistory.Instance, options.Time), cancel)
        {
            ExecutionInput = JsonValues.Clone(request.Input),
            FixedContext = request.Context ?? MadeUpContext(state, context, request, now),
        };
        return interpreter.TestStateAsync(state, request, cancel);
    }

    /// <summary>
    /// The context object AWS's TestState makes up (LocalStack's recordings): an EXPRESS-style execution of a machine of its
    /// own, RoleArn null when no role was given, no RedriveCount, and State.RetryCount only for Task, Parallel and Map.
    /// </summary>
    private static JsonObject MadeUpContext(StateSpec state, ExecutionContext c, TestStateRequest request, DateTimeOffset now)
    {
        var stateNode = new JsonObject { ["Name"] = state.Name, ["EnteredTime"] = JsonValues.Iso(now) };
        if (state.Type is "Task" or "Parallel" or "Map") stateNode["RetryCount"] = request.RetrierRetryCount;
        return new JsonObject
        {
            ["Execution"] = new JsonObject
            {
                ["Id"] = c.ExecutionArn,
                ["Input"] = JsonValues.Clone(request.Input),
                ["Name"] = c.ExecutionName,
                ["RoleArn"] = request.RoleArn,
                ["StartTime"] = JsonValues.Iso(now),
            },
            ["StateMachine"] = new JsonObject { ["Id"] = c.StateMachineArn, ["Name"] = c.StateMachineName },
            ["State"] = stateNode,
        };
    }

    /// <summary>TestState keeps no history: the interpreter's events go nowhere.</summary>
    private sealed class NoHistory : IExecutionHost
    {
        public static readonly NoHistory Instance = new();

        public void Record(HistoryEventRecord historyEvent)
        {
            // Nothing to keep: TestState answers with its outcome only.
        }

        public void Complete(ExecutionOutcome outcome)
        {
            // A tested state never completes an execution.
        }
    }
}
