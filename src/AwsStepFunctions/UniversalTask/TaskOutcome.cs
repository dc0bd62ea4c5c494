using System;

namespace AwsStepFunctions.UniversalTask
{
    /// <summary>
    /// What the Universal task ends with: its exit code, the Extension Output as plain ASCII JSON, and the module's warnings
    /// (and its verbose and debug lines, when the task was run with -Verbose or -Debug) and a failure's description as lines
    /// for stderr, stdout being the JSON's alone.
    /// </summary>
    public sealed class TaskOutcome
    {
        /// <param name="description">The JSON's status_description: a failure's is also the last line for stderr, where a
        /// scheduler's admin reads why the task failed without parsing the JSON.</param>
        internal TaskOutcome(int exitCode, string json, string description, string[]? messages = null)
        {
            ExitCode = exitCode;
            Json = TaskJson.ToAscii(json);
            messages ??= Array.Empty<string>();
            if (exitCode != 0 && !string.IsNullOrEmpty(description))
            {
                Array.Resize(ref messages, messages.Length + 1);
                messages[messages.Length - 1] = description;
            }
            Messages = messages;
        }

        public int ExitCode { get; }

        public string Json { get; }

        public string[] Messages { get; }
    }
}
