using System;
using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Lets -ExecutionArn take the objects the module writes: an ExtensionOutput (its result.executionArn),
    /// an ExecutionResult, or anything with an ExecutionArn / executionArn property; strings pass through; an array
    /// (-ExecutionArn $outputs) is taken item by item. This is what makes Start | Wait | Get compose without Select-Object.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ExecutionArnTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>
        /// Leaves a Map Run as it is, for a cmdlet that also takes -MapRunArn: a Map Run carries its parent's ExecutionArn
        /// too, and taking that first (pipeline input binds before property names) would read the parent instead of the run.
        /// </summary>
        public bool LeaveMapRuns { get; set; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if ((inputData is PSObject list ? list.BaseObject : inputData) is object[] items)
            {
                var arns = new object?[items.Length];
                for (var i = 0; i < items.Length; i++) arns[i] = TransformOne(items[i]);
                return arns;
            }
            return TransformOne(inputData);
        }

        private object? TransformOne(object? inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case MapRun run:
                    return LeaveMapRuns ? inputData : run.ExecutionArn;
                case string text:
                    return text;
                case ExtensionOutput output:
                    return output.result?.ExecutionArn ?? throw NoArn(value);
                case ExecutionResult result:
                    return result.ExecutionArn;
            }
            if (inputData is PSObject wrapped)
            {
                // PSCustomObjects, e.g. an Extension Output read back with ConvertFrom-Json.
                var direct = wrapped.Properties["ExecutionArn"]?.Value;
                if (direct != null) return Unwrap(direct);
                var nested = wrapped.Properties["result"]?.Value;
                if (nested != null)
                {
                    var inner = PSObject.AsPSObject(nested).Properties["executionArn"]?.Value;
                    if (inner != null) return Unwrap(inner);
                }
            }
            return inputData;
        }

        private static object Unwrap(object value) => value is PSObject p ? p.BaseObject : value;

        private static ArgumentTransformationMetadataException NoArn(object value)
            => new ArgumentTransformationMetadataException(
                $"ExecutionArn: the {value.GetType().Name} given has no result.executionArn (the call that produced it did not start an execution).");
    }
}
