using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// One run of a profile's credential_process: started through the shell as AWS SDK for .NET starts it, with its standard
    /// input closed and its output and error output read here (never inherited: nothing it prints reaches the module's
    /// output or the task's JSON), bounded in time and in size, and killed with its children when the bound passes.
    /// </summary>
    internal static class CredentialProcess
    {
        /// <summary>A credentials document is a few KiB at most (a session token is about 1 KiB): more is not one.</summary>
        internal const int MaxOutputBytes = 64 * 1024;

        /// <summary>Only the start of the error output is kept: the message quotes at most 300 characters of it.</summary>
        private const int KeptErrorBytes = 4 * 1024;

        /// <summary>How long to let a killed process's pipes close before its handles are released anyway.</summary>
        private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(2);

        /// <summary>What a finished run left: its exit code, its output (the credentials: the caller clears it) and the start of its error output.</summary>
        internal sealed class Result
        {
            public Result(int exitCode, byte[] output, string errorOutput)
            {
                ExitCode = exitCode;
                Output = output;
                ErrorOutput = errorOutput;
            }

            public int ExitCode { get; }
            public byte[] Output { get; }
            public string ErrorOutput { get; }
        }

        /// <summary>
        /// How the command is started. The profile's line goes to the shell whole, as AWS SDK for .NET has always done
        /// (ProcessAWSCredentials): cmd.exe on Windows, /bin/sh elsewhere. Profiles that worked with this module before keep
        /// working (pipes, variables, ~ and quoting included), and those written for the AWS CLI, which splits the line
        /// itself (shlex on POSIX, Windows rules on Windows) and starts the program without a shell, do too, since sh and
        /// cmd quote the same way for what such a line holds. Two of the SDK's faults are not copied: on POSIX it doubled
        /// every backslash on its way to sh (printf '%s' 'a\b' gave a\\b); and cmd.exe's /s with outer quotes keeps a line
        /// with several quoted parts intact ("C:\Program Files\x.exe" --name "a b" lost its first and last quote under the
        /// SDK's plain /c), while /d skips the AutoRun commands, whose output would corrupt the JSON.
        /// </summary>
        internal static ProcessStartInfo StartInfo(string command)
        {
            var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            return new ProcessStartInfo
            {
                // Without ComSpec, System32's cmd.exe: a bare name is searched for in the current directory first.
                FileName = windows ? Environment.GetEnvironmentVariable("ComSpec") ?? Path.Combine(Environment.SystemDirectory, "cmd.exe") : "/bin/sh",
                Arguments = windows ? "/d /s /c \"" + command + "\"" : "-c " + QuotedArgument(command),
                UseShellExecute = false,
                CreateNoWindow = true,
                // The process gets an empty input: one that asks for something (a password prompt) reads end-of-file and fails
                // instead of reading what was meant for PowerShell (the SDK left the host's input to it).
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
        }

        /// <summary>
        /// One argument as .NET splits ProcessStartInfo.Arguments on POSIX (the Windows rules: only backslashes before a quote
        /// escape), so /bin/sh receives the text exactly. netstandard2.0 has no ArgumentList.
        /// </summary>
        internal static string QuotedArgument(string text)
        {
            var quoted = new StringBuilder("\"");
            var backslashes = 0;
            foreach (var c in text)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }
                // Backslashes before a quote are doubled and the quote escaped; any others stand for themselves.
                quoted.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
                backslashes = 0;
                quoted.Append(c);
            }
            // Before the closing quote, backslashes are doubled so that it stays a closing quote.
            return quoted.Append('\\', backslashes * 2).Append('"').ToString();
        }

        /// <summary>
        /// Runs the command once. Past <paramref name="bound"/> (or when <paramref name="stop"/> is cancelled) the process and
        /// its children are killed by a timer of this run's own, whether or not anyone still awaits it, and TimeoutException
        /// (OperationCanceledException) is thrown. An output larger than <see cref="MaxOutputBytes"/> kills it too.
        /// </summary>
        public static async Task<Result> RunAsync(string command, string profileName, TimeSpan bound, CancellationToken stop)
        {
            using var process = new Process { StartInfo = StartInfo(command), EnableRaisingEvents = true };
            var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.Exited += (_, _) => exited.TrySetResult(true);
            try
            {
                process.Start();
            }
            catch (Exception ex) when (ex is Win32Exception || ex is InvalidOperationException || ex is IOException)
            {
                throw new CredentialProcessException($"credential_process of profile '{profileName}' could not be started: {ex.Message}");
            }
            ProcessTree.Track(process);
            try
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop);
                var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                // Declared after the process, so disposed before it: Dispose waits for a kill in progress to finish.
                using var killAtBound = timer.Token.Register(() =>
                {
                    // Marked before the kill: the killed process's own end (exit code 137) must not read as its failure.
                    stopped.TrySetResult(true);
                    ProcessTree.Kill(process);
                });
                timer.CancelAfter(bound);
                process.StandardInput.Close();

                var overflowed = 0;
                var output = ReadAsync(process.StandardOutput.BaseStream, MaxOutputBytes, () =>
                {
                    Interlocked.Exchange(ref overflowed, 1);
                    ProcessTree.Kill(process);
                });
                // The error output is read to its end, or a talkative process would block on a full pipe; only its start is kept.
                var error = ReadAsync(process.StandardError.BaseStream, KeptErrorBytes, null);
                var finished = Task.WhenAll(exited.Task, output, error);

                await Task.WhenAny(finished, stopped.Task).ConfigureAwait(false);
                if (stopped.Task.IsCompleted)
                {
                    await Task.WhenAny(finished, Task.Delay(AfterKill)).ConfigureAwait(false);
                    // What a killed process printed may hold part of the credentials: cleared whenever its read ends.
                    _ = output.ContinueWith(read => Array.Clear(read.Result, 0, read.Result.Length), TaskContinuationOptions.OnlyOnRanToCompletion);
                    stop.ThrowIfCancellationRequested();
                    throw new TimeoutException($"credential_process of profile '{profileName}' did not finish within {bound.TotalSeconds:0.###} s.");
                }
                if (overflowed == 1)
                {
                    var flood = await output.ConfigureAwait(false);
                    Array.Clear(flood, 0, flood.Length);
                    throw new CredentialProcessException(
                        $"credential_process of profile '{profileName}' printed more than {MaxOutputBytes / 1024} KiB, which is no credentials document; it was stopped.");
                }
                var errorText = Encoding.UTF8.GetString(await error.ConfigureAwait(false));
                return new Result(process.ExitCode, await output.ConfigureAwait(false), errorText);
            }
            finally
            {
                ProcessTree.Forget(process);
            }
        }

        /// <summary>Reads a stream to its end, keeping the first <paramref name="keep"/> bytes; past them, either calls
        /// <paramref name="tooMuch"/> and stops, or goes on reading and drops the rest.</summary>
        private static async Task<byte[]> ReadAsync(Stream stream, int keep, Action? tooMuch)
        {
            // Sized for all it may keep, so it never grows: a grown stream leaves its old buffers (with part of the secret)
            // behind, uncleared.
            var kept = new MemoryStream(keep);
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
                {
                    var room = keep - (int)kept.Length;
                    kept.Write(buffer, 0, Math.Min(read, room));
                    if (read > room && tooMuch != null)
                    {
                        tooMuch();
                        break;
                    }
                }
            }
            // The pipe closed under the read (the process was killed and its handles released): what was read is all there is.
            catch (IOException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            var bytes = kept.ToArray();
            // The output holds the secret: no copy of it is left behind for the collector.
            Array.Clear(kept.GetBuffer(), 0, (int)kept.Length);
            Array.Clear(buffer, 0, buffer.Length);
            return bytes;
        }
    }

    /// <summary>
    /// A credential_process that failed or printed something unusable. The message says which profile and which rule; it never
    /// holds what the process printed on its output (the credentials), only the start of its error output.
    /// </summary>
    internal sealed class CredentialProcessException : Exception
    {
        public CredentialProcessException(string message) : base(message)
        {
        }
    }
}
