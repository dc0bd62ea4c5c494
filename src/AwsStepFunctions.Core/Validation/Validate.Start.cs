using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AwsStepFunctions.Core
{
    // What a start and a wait take: the input, the name and run count, the polling interval and timeout, a stop's reason.
    public static partial class Validate
    {
        /// <summary>-Input given as something other than JSON text or plain data (the cmdlet layer says what).</summary>
        public static StepFunctionsFailure InvalidInput(string problem, string field = "input") =>
            Fail(field, "InvalidExecutionInput", $"{field} must be JSON text or plain data (a hashtable, [pscustomobject], array, string, number, boolean or date): {problem}.");

        /// <summary>True when <paramref name="text"/> is one JSON object or array.</summary>
        public static bool IsJsonContainer(string text)
        {
            var start = text.TrimStart();
            if (start.Length == 0 || (start[0] != '{' && start[0] != '[')) return false;
            try
            {
                using var _ = JsonDocument.Parse(text);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>UTF-8 that refuses text without a UTF-8 form, so measuring the input also finds half surrogate pairs.</summary>
        private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public static void Input(string? input, string field = "input")
        {
            if (input == null) return;
            int bytes;
            try
            {
                bytes = StrictUtf8.GetByteCount(input);
            }
            catch (EncoderFallbackException broken)
            {
                // Text that is not valid UTF-16 (half a surrogate pair, as a string sliced mid-character leaves) has no UTF-8
                // form: it could be neither parsed nor sent.
                throw Fail(field, "InvalidExecutionInput",
                    $"{field} contains half of a UTF-16 surrogate pair (U+{(int)input[broken.Index]:X4} at character {broken.Index}), which has no UTF-8 form; it must be valid Unicode text.");
            }
            if (bytes > MaxInputBytes)
                throw Fail(field, "InvalidExecutionInput", $"{field} must be at most {MaxInputBytes} UTF-8 bytes (got {bytes}).");
            try
            {
                using var _ = JsonDocument.Parse(input);
            }
            catch (JsonException ex)
            {
                throw Fail(field, "InvalidExecutionInput", $"{field} must be a valid JSON document: {ex.Message}");
            }
        }

        /// <summary>An execution name as the service accepts it: 1-80 characters, no whitespace, no forbidden or control characters.</summary>
        public static void ExecutionName(string? name, string field = "execution_name")
        {
            if (string.IsNullOrEmpty(name))
                throw Fail(field, "InvalidExecutionName", $"{field} must not be empty.");
            if (name!.Length > MaxNameLength)
                throw Fail(field, "InvalidExecutionName", $"{field} must be at most {MaxNameLength} characters (got {name.Length}).", name);
            var bad = FirstForbidden(name);
            if (bad != null)
                throw Fail(field, "InvalidExecutionName",
                    $"{field} '{Printable(name)}' contains {bad}; names may not contain whitespace, control characters or any of < > {{ }} [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /.", Printable(name));
        }

        /// <summary>A given base name: legal, and short enough that "-RunCount" still fits in the 80 characters of a name.</summary>
        public static void ExecutionNameWithRunCount(string baseName, int runCount, string field = "execution_name")
        {
            ExecutionName(baseName, field);
            var suffix = "-" + runCount.ToString(CultureInfo.InvariantCulture);
            var room = MaxNameLength - suffix.Length;
            if (baseName.Length > room)
                throw Fail(field, "InvalidExecutionName",
                    $"{field} is {baseName.Length} characters; with the suffix '{suffix}' (run_count {runCount}) it may have at most {room}, so that the execution name stays within {MaxNameLength}.",
                    baseName);
        }

        public static void RunCount(int runCount, string field = "run_count")
        {
            if (runCount < 1)
                throw Fail(field, "InvalidRunCount", $"{field} must be 1 or more (got {runCount}).");
        }

        public static void PollingInterval(double seconds, string field = "polling_interval")
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds < MinPollingIntervalSeconds || seconds > MaxPollingIntervalSeconds)
                throw Fail(field, "InvalidPollingInterval",
                    $"{field} must be greater than 0 (at least {MinPollingIntervalSeconds.ToString(CultureInfo.InvariantCulture)}) and at most {MaxPollingIntervalSeconds} seconds (got {seconds.ToString(CultureInfo.InvariantCulture)}).");
        }

        public static void Timeout(double? seconds, string field = "timeout")
        {
            if (seconds == null) return;
            var value = seconds.Value;
            if (double.IsNaN(value) || double.IsInfinity(value) || value <= 0 || value > MaxTimeoutSeconds)
                throw Fail(field, "InvalidTimeout",
                    $"{field} must be greater than 0 and at most {MaxTimeoutSeconds} seconds (got {value.ToString(CultureInfo.InvariantCulture)}).");
        }

        public static void WaitOptions(WaitOptions options)
        {
            PollingInterval(options.PollingIntervalSeconds);
            Timeout(options.TimeoutSeconds);
            if (double.IsNaN(options.UnreachableTimeoutSeconds) || options.UnreachableTimeoutSeconds <= 0 || options.UnreachableTimeoutSeconds > MaxTimeoutSeconds)
                throw Fail("unreachable_timeout", "InvalidUnreachableTimeout",
                    $"unreachable_timeout must be greater than 0 and at most {MaxTimeoutSeconds} seconds (got {options.UnreachableTimeoutSeconds.ToString(CultureInfo.InvariantCulture)}).");
        }

        public static void StopReason(string? error, string? cause)
        {
            if (error != null && error.Length > 256)
                throw Fail("error", "InvalidStopError", $"error must be at most 256 characters (got {error.Length}).");
            if (cause != null && cause.Length > 32768)
                throw Fail("cause", "InvalidStopCause", $"cause must be at most 32768 characters (got {cause.Length}).");
        }
    }
}
