using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.StepFunctions;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// Runs a definition with the server's store behind it (no HTTP), so a Distributed Map's Map Run and child executions are
/// stored and can be inspected as DescribeMapRun and DescribeExecution would see them.
/// </summary>
internal sealed class DistributedMapKit
{
    private DistributedMapKit(StepFunctionsStore store, ExecutionRecord parent)
    {
        Store = store;
        Parent = parent;
    }

    public StepFunctionsStore Store { get; }
    public ExecutionRecord Parent { get; }
    public ExecutionSnapshot Outcome => Parent.Snapshot();
    public IReadOnlyList<string> Types => Parent.History().Select(e => e.Type).ToList();
    public MapRunRecord MapRun => Store.MapRunsOf(Parent.Arn).Single();

    /// <summary>The Map Run's children in start order.</summary>
    public IReadOnlyList<ExecutionRecord> Children => MapRun.Children().Reverse().ToList();

    public static DistributedMapKit Start(string definition, string input = "{}", EngineOptions? options = null, string? testCase = null)
    {
        options ??= new EngineOptions { TimeScale = 10_000 };
        var store = new StepFunctionsStore();
        var now = options.Time.GetUtcNow();
        var machine = new StateMachineRecord("Machine", AslKit.MachineArn, definition, StateMachineDefinition.Parse(definition),
            "arn:aws:iam::123456789012:role/StepFunctionsRole", "STANDARD", now);
        store.AddOrGet(machine);
        var context = AslKit.Context(testCase);
        var parent = new ExecutionRecord(store.NextSequence(), context.ExecutionArn, context.ExecutionName, machine, input, null, now, testCase);
        parent.MapRuns = new MapRunHost(store, parent, options.Time, "eu-west-1");
        store.AddOrGet(parent);
        parent.Run(options, context);
        return new DistributedMapKit(store, parent);
    }

    public static async Task<DistributedMapKit> RunAsync(string definition, string input = "{}", EngineOptions? options = null, string? testCase = null)
    {
        var kit = Start(definition, input, options, testCase);
        await kit.Parent.Completion().WaitAsync(TimeSpan.FromSeconds(20));
        return kit;
    }

    /// <summary>Polls until the condition holds (children finish on their own tasks, after their parent may have).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    /// <summary>A one-state machine whose Map (named Map) runs <paramref name="processor"/> per item in DISTRIBUTED mode.</summary>
    public static string Machine(string mapFields, string processorStates, string startAt = "Work", string executionType = "STANDARD") =>
        "{\"StartAt\":\"Map\",\"States\":{\"Map\":{\"Type\":\"Map\",\"End\":true," + mapFields
        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"" + executionType + "\"},"
        + "\"StartAt\":\"" + startAt + "\",\"States\":{" + processorStates + "}}}}}";
}
