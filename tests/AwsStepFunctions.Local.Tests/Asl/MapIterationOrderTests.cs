using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl;

/// <summary>
/// An inline Map with no MaxConcurrency writes every MapIterationStarted (each linked to MapStateStarted) before any
/// iteration's own events, as AWS recorded it (LocalStack's AWS-validated test_service_lambda_map_timeout snapshot).
/// </summary>
public sealed class MapIterationOrderTests
{
    private static string Links(RecordingHost host) => string.Join(", ", host.Events.Select(e => $"{e.Type}<{e.PreviousEventId}"));

    private static string Map(string maxConcurrency, string iteration) => """
        {"StartAt":"Map","States":{"Map":{"Type":"Map",%MC%"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},
          "StartAt":"Step","States":{"Step":%STEP%}},"End":true}}}
        """.Replace("%MC%", maxConcurrency).Replace("%STEP%", iteration);

    [Fact]
    public async Task Without_MaxConcurrency_every_iteration_is_started_first()
    {
        var host = await AslKit.RunAsync(Map("", """{"Type":"Pass","End":true}"""), "[1,2,3]");
        Assert.Equal("ExecutionStarted<0, MapStateEntered<0, MapStateStarted<2, "
            + "MapIterationStarted<3, MapIterationStarted<3, MapIterationStarted<3, "
            + "PassStateEntered<4, PassStateExited<7, MapIterationSucceeded<8, "
            + "PassStateEntered<5, PassStateExited<10, MapIterationSucceeded<11, "
            + "PassStateEntered<6, PassStateExited<13, MapIterationSucceeded<14, "
            + "MapStateSucceeded<15, MapStateExited<15, ExecutionSucceeded<17", Links(host));
        Assert.Equal([0, 1, 2], host.Events.Where(e => e.Type == "MapIterationStarted").Select(e => e.Details!["index"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Without_MaxConcurrency_a_failing_iteration_aborts_every_other_started_one()
    {
        // As recorded: MapIterationFailed, then each sibling's MapIterationAborted, all linked to the failing event.
        var host = await AslKit.RunAsync(Map("", """{"Type":"Fail","Error":"E"}"""), "[1,2,3]");
        Assert.Equal("ExecutionStarted<0, MapStateEntered<0, MapStateStarted<2, "
            + "MapIterationStarted<3, MapIterationStarted<3, MapIterationStarted<3, "
            + "FailStateEntered<4, MapIterationFailed<7, MapIterationAborted<7, MapIterationAborted<7, "
            + "MapStateFailed<7, ExecutionFailed<11", Links(host));
    }

    [Fact]
    public async Task Under_MaxConcurrency_an_iteration_starts_only_when_it_has_a_place()
    {
        var host = await AslKit.RunAsync(Map("\"MaxConcurrency\":1,", """{"Type":"Pass","End":true}"""), "[1,2]");
        Assert.Equal("ExecutionStarted<0, MapStateEntered<0, MapStateStarted<2, "
            + "MapIterationStarted<3, PassStateEntered<4, PassStateExited<5, MapIterationSucceeded<6, "
            + "MapIterationStarted<6, PassStateEntered<8, PassStateExited<9, MapIterationSucceeded<10, "
            + "MapStateSucceeded<11, MapStateExited<11, ExecutionSucceeded<13", Links(host));
    }
}
