using System.Linq;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// A Parallel or Map nested in a branch that a failing sibling aborts gets ParallelStateAborted/MapStateAborted, linked
/// to the failing event like the TaskStateAborted AWS records (test_service_lambda_map_timeout), after the events of the
/// branches it aborted. No AWS recording shows either event: the order and link are an assumption, written down in
/// Asl/README.md.
/// </summary>
public sealed class NestedAbortTests
{
    private static string Links(RecordingHost host) => string.Join(", ", host.Events.Select(e => $"{e.Type}<{e.PreviousEventId}"));

    private static string Outer(string nested) => """
        {"StartAt":"Outer","States":{"Outer":{"Type":"Parallel","End":true,"Branches":[
          {"StartAt":"Nested","States":{"Nested":%NESTED%}},
          {"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"E"}}}]}}}
        """.Replace("%NESTED%", nested);

    private const string LongWait = """{"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":3600,"End":true}}}""";

    [Fact]
    public async Task A_nested_Parallel_left_open_by_a_failing_sibling_is_aborted()
    {
        var host = await AslKit.RunAsync(Outer("""{"Type":"Parallel","End":true,"Branches":[%W%]}""".Replace("%W%", LongWait)));
        Assert.Equal("ExecutionStarted<0, ParallelStateEntered<0, ParallelStateStarted<2, "
            + "ParallelStateEntered<3, ParallelStateStarted<4, WaitStateEntered<5, FailStateEntered<3, "
            + "WaitStateAborted<6, ParallelStateAborted<7, ParallelStateFailed<7, ExecutionFailed<10", Links(host));
    }

    [Fact]
    public async Task A_nested_Map_left_open_by_a_failing_sibling_is_aborted()
    {
        var host = await AslKit.RunAsync(Outer("""{"Type":"Map","End":true,"ItemsPath":"$.items","ItemProcessor":%W%}""".Replace("%W%", LongWait)),
            """{"items":[1]}""");
        Assert.Equal("ExecutionStarted<0, ParallelStateEntered<0, ParallelStateStarted<2, "
            + "MapStateEntered<3, MapStateStarted<4, MapIterationStarted<5, WaitStateEntered<6, FailStateEntered<3, "
            + "MapIterationAborted<7, WaitStateAborted<7, MapStateAborted<8, ParallelStateFailed<8, ExecutionFailed<12", Links(host));
    }
}
