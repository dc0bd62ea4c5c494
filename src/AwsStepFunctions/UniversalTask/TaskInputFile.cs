using System;
using System.IO;
using System.Text;

namespace AwsStepFunctions.UniversalTask
{
    /// <summary>
    /// The task's input_file field: the execution's input read from a file. A field passed on a command line is bounded by
    /// the operating system, not by Step Functions (a Windows command line holds 32,767 characters in all, one Linux argument
    /// 128 KiB), so input of up to the service's 256 KiB can only arrive this way. Every problem is a field error naming the
    /// file; what the text says (JSON or not) is the cmdlet's to judge, as for the input field.
    /// </summary>
    internal static class TaskInputFile
    {
        /// <summary>The service's limit, as the core's Validate.MaxInputBytes: repeated because this reader must work without the core.</summary>
        private const int MaxInputBytes = 262144;

        /// <summary>The largest file that can hold that much: every character in UTF-32, after a byte order mark. Larger is not read at all.</summary>
        private const long MaxFileBytes = 4L * MaxInputBytes + 4;

        /// <summary>The input text, or null when input_file is blank. <paramref name="resolve"/> turns the given path into a full one.</summary>
        public static string? Read(string? inputJson, string? inputFile, Func<string, string> resolve)
        {
            if (TaskFieldReader.IsBlank(inputFile)) return null;
            var given = inputFile!.Trim();
            if (!TaskFieldReader.IsBlank(inputJson))
                throw new TaskFieldException("input and input_file are both given: give one of them (input_file for input longer than a command line can carry).");
            string path;
            try
            {
                path = resolve(given);
            }
            catch (Exception notAPath) when (!(notAPath is OutOfMemoryException))
            {
                throw new TaskFieldException($"input_file '{given}' is not a file path: {notAPath.Message}");
            }
            var file = new FileInfo(path);
            if (!file.Exists)
                throw new TaskFieldException(Directory.Exists(path)
                    ? $"input_file '{given}' is a folder; it must be a file holding the execution's input as JSON."
                    : $"input_file '{given}' does not exist (looked for {path}).");
            if (file.Length > MaxFileBytes)
                throw new TaskFieldException($"input_file '{given}' is {file.Length} bytes; the execution's input may be at most {MaxInputBytes} UTF-8 bytes (256 KiB).");
            var text = ReadText(given, path);
            if (TaskFieldReader.IsBlank(text))
                throw new TaskFieldException($"input_file '{given}' is empty; it must hold the execution's input as JSON (an empty object is {{}}).");
            var bytes = Encoding.UTF8.GetByteCount(text);
            if (bytes > MaxInputBytes)
                throw new TaskFieldException($"input_file '{given}' holds {bytes} UTF-8 bytes of input; the execution's input may be at most {MaxInputBytes} (256 KiB).");
            return text;
        }

        /// <summary>
        /// UTF-8, or whatever a byte order mark says: Windows PowerShell 5.1's Out-File and Set-Content -Encoding Unicode
        /// write UTF-16 with one. Bytes that are not UTF-8 are refused rather than read as replacement characters.
        /// </summary>
        private static string ReadText(string given, string path)
        {
            try
            {
                using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
                return reader.ReadToEnd();
            }
            catch (DecoderFallbackException)
            {
                throw new TaskFieldException($"input_file '{given}' is not UTF-8 text (nor UTF-16 or UTF-32 with a byte order mark); save it as UTF-8.");
            }
            catch (Exception unreadable) when (unreadable is IOException || unreadable is UnauthorizedAccessException)
            {
                throw new TaskFieldException($"input_file '{given}' cannot be read: {unreadable.Message}");
            }
        }
    }
}
