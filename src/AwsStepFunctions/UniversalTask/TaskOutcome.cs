using System;

namespace AwsStepFunctions.UniversalTask
{
    /// <summary>
    /// What the Universal task ends with: its exit code, the Extension Output as plain ASCII JSON, and the module's warnings
    /// (and its verbose and debug lines, when the task was run with -Verbose or -Debug) as lines for stderr, stdout being
    /// the JSON's alone.
    /// </summary>
    public sealed class TaskOutcome
    {
        internal TaskOutcome(int exitCode, string json, string[]? messages = null)
        {
            ExitCode = exitCode;
            Json = TaskJson.ToAscii(json);
            Messages = messages ?? Array.Empty<string>();
        }

        public int ExitCode { get; }

        public string Json { get; }

        public string[] Messages { get; }
    }
}
