using System;
using AwsStepFunctions.Core;

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
        /// <param name="stderrLine">The last line for stderr when it should say more than the description (see ForStderr).</param>
        internal TaskOutcome(int exitCode, string json, string description, string[]? messages = null, string? stderrLine = null)
        {
            ExitCode = exitCode;
            Json = TaskJson.ToAscii(json);
            messages ??= Array.Empty<string>();
            var last = stderrLine ?? description;
            if (exitCode != 0 && !string.IsNullOrEmpty(last))
            {
                Array.Resize(ref messages, messages.Length + 1);
                messages[messages.Length - 1] = last;
            }
            Messages = messages;
        }

        /// <summary>The most of a cause the stderr line carries (the JSON has all of it, up to the service's 32,768).</summary>
        internal const int MaxCauseOnStderr = 1000;

        /// <summary>
        /// The stderr line for an execution that ended FAILED, ABORTED or TIMED_OUT: the extension's status_description is
        /// kept word for word ("FAILED: Step Function is in FAILED state."), which tells an admin reading the task's stderr
        /// nothing of why; the execution's error and cause (on one line, a long cause cut) and its ARN follow it.
        /// </summary>
        internal static string? ForStderr(ExtensionOutput output)
        {
            var execution = output.result;
            if (execution == null || output.exit_code < 23 || output.exit_code > 25) return null;
            var line = new System.Text.StringBuilder(output.status_description);
            if (!string.IsNullOrEmpty(execution.Error)) line.Append(" Error: ").Append(OneLine(execution.Error!)).Append('.');
            if (!string.IsNullOrEmpty(execution.Cause))
            {
                var cause = OneLine(execution.Cause!);
                line.Append(" Cause: ").Append(cause.Length > MaxCauseOnStderr ? cause.Substring(0, MaxCauseOnStderr) + "... (cut; the JSON's result.cause has it whole)" : cause);
                if (!cause.EndsWith(".", StringComparison.Ordinal)) line.Append('.');
            }
            if (execution.ExecutionArn != null) line.Append(" Execution: ").Append(execution.ExecutionArn);
            return line.ToString();
        }

        private static string OneLine(string text) => System.Text.RegularExpressions.Regex.Replace(text.Trim(), @"\s*[\r\n]+\s*", " ");

        public int ExitCode { get; }

        public string Json { get; }

        public string[] Messages { get; }
    }
}
