using System;
using AwsStepFunctions.Local.Asl;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>Creates the Map Runs of one execution (each execution, a child too, has its own, so Map Runs can nest).</summary>
internal sealed class MapRunHost(StepFunctionsStore store, ExecutionRecord execution, TimeProvider time, string region) : IMapRunHost
{
    public IMapRun StartMapRun(MapRunStart start)
    {
        var mapRun = new MapRunRecord(store, execution, time, region, start);
        store.AddMapRun(mapRun);
        return mapRun;
    }
}
