using System;
using System.Management.Automation;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Lets a [DateTime] parameter take a DateTimeOffset, the type of every date the module writes (StartDate, StopDate, a
    /// history event's Timestamp): PowerShell has no conversion between the two, so an execution's own StartDate was refused
    /// at binding. The offset is kept as the instant it names (a UTC DateTime); anything else passes through to the binder.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class InstantTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
            => (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is DateTimeOffset instant ? instant.UtcDateTime : inputData;
    }
}
