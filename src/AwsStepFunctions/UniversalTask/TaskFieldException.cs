using System;

namespace AwsStepFunctions.UniversalTask
{
    /// <summary>A field of the Universal task that cannot be read: the extension's DATA_VALIDATION_ERROR (20).</summary>
    internal sealed class TaskFieldException : Exception
    {
        public TaskFieldException(string message) : base(message) { }
    }
}
