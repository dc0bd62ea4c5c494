using System;
using AwsStepFunctions.Local.Asl;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>Creates the Map Runs of one execution (each execution, a child too, has its own, so Map Runs can nest).</summary>
internal sealed class MapRunHost(StepFunctionsStore store, ExecutionRecord execution, TimeProvider time, string region) : IMapRunHost
{
    public IMapRun StartMapRun(MapRunStart start)
    {
        // A redriven parent redrives the Map Run that did not succeed rather than starting another (as the service does).
        if (execution.RedriveCount > 0)
        {
            foreach (var earlier in store.MapRunsOf(execution.Arn))
                if (earlier.StateName == start.StateName && earlier.TryRedrive(execution.RedriveCount)) return earlier;
        }
        var mapRun = new MapRunRecord(store, execution, time, region, start);
        store.AddMapRun(mapRun);
        return mapRun;
    }
}
