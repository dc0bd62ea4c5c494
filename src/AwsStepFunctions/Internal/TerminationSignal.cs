using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// SIGTERM while one of this module's cmdlets starts or waits for an execution is taken as Ctrl+C: the pipeline stops, the
    /// start or the wait ends (a start in flight is read back), -StopOnCancel stops the execution, and a task process reports
    /// the cancellation. Universal Agent on Linux
    /// cancels a task with SIGTERM; before, pwsh died at once (exit 143, no output) and the execution ran on. Only the
    /// first SIGTERM is taken so, and only while such a cmdlet runs: a second one, or one at any other time, ends the
    /// process as usual, so a wait that Ctrl+C cannot reach (in a thread job) never makes the process unkillable. Where
    /// SIGINT is ignored (a process started in the background by a shell without job control) nothing is registered.
    /// PowerShell 7 on Linux and macOS only: PosixSignalRegistration (.NET 6) is reached through Core.PosixSignals because this
    /// assembly targets netstandard2.0, and Windows sends a console process no SIGTERM.
    /// </summary>
    internal static class TerminationSignal
    {
        private const int SigInt = 2; // the same number on Linux and macOS

        private static int _waiting;
        private static int _signalled;
        private static readonly object Gate = new object();
        private static bool _registered;

        // Kept for the process's life: one handler, consulted on each signal.
        private static volatile object? _registration;

        /// <summary>Marks a wait as under way until the returned token is disposed; null where the signal cannot be handled.</summary>
        public static IDisposable? Enter()
        {
            if (!Register()) return null;
            Interlocked.Increment(ref _waiting);
            return new Waiting();
        }

        private static bool Register()
        {
            lock (Gate)
            {
                if (!_registered)
                {
                    _registered = true;
                    try { _registration = Create(); }
                    catch (Exception) { _registration = null; }
                    if (_registration is not null) AwsStepFunctions.Core.ChildProcesses.SignalTakenAsInterrupt = SignalTakenAsInterrupt;
                }
                return _registration is not null;
            }
        }

        private static object? Create()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && !RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return null;
            if (InterruptIgnored()) return null;
            return AwsStepFunctions.Core.PosixSignals.Register("SIGTERM", OnSignal);
        }

        /// <summary>Linux: SIGINT (bit 1 of SigIgn in /proc/self/status) ignored, so Ctrl+C could not stop anything.</summary>
        private static bool InterruptIgnored()
        {
            try
            {
                foreach (var line in System.IO.File.ReadLines("/proc/self/status"))
                    if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                        return (Convert.ToUInt64(line.Substring(7).Trim(), 16) & (1UL << (SigInt - 1))) != 0;
            }
            catch (Exception)
            {
                // macOS has no /proc: SIGINT is taken as not ignored.
            }
            return false;
        }

        /// <summary>When the first SIGTERM was taken as Ctrl+C (Stopwatch ticks; 0: never).</summary>
        private static long _takenAt;

        /// <summary>
        /// For the core's own SIGTERM handler, which runs before or after this one: whether this signal is (or, within a
        /// second, was) taken as Ctrl+C. It then leaves credential_process runs alive for the cancelled wait's stop.
        /// </summary>
        private static bool SignalTakenAsInterrupt()
        {
            if (Volatile.Read(ref _waiting) != 0 && Volatile.Read(ref _signalled) == 0) return true;
            var taken = Interlocked.Read(ref _takenAt);
            return taken != 0 && Stopwatch.GetTimestamp() - taken < Stopwatch.Frequency;
        }

        /// <summary>
        /// Set by the Universal task, which ends its process with the exit code of the JSON it wrote (1 for a cancel): the
        /// process's exit code is then the task's to choose, not <see cref="ExitCodeAfterSignal"/>.
        /// </summary>
        public static bool ExitCodeReportedByCaller { get; set; }

        /// <summary>128 + SIGTERM's 15: what a process that SIGTERM ends exits with, and what a scheduler reads as "killed".</summary>
        public const int ExitCodeAfterSignal = 143;

        private static void OnSignal(object context)
        {
            if (Volatile.Read(ref _waiting) == 0) return;
            // Only the first SIGTERM becomes Ctrl+C; if that could not end the wait, the next one ends the process.
            if (Interlocked.Exchange(ref _signalled, 1) != 0) return;
            Interlocked.Exchange(ref _takenAt, Stopwatch.GetTimestamp());
            // A pwsh -File or -Command whose pipeline Ctrl+C stopped exits 0, so a runbook ended by SIGTERM would look
            // successful to whatever started it. Once the cancel has done its work (the stop of -StopOnCancel, the record in
            // $Error) and the script has ended as it does on Ctrl+C (its finally blocks run), the process still exits as a
            // terminated one, unless the script chose a failing exit code of its own.
            if (!ExitCodeReportedByCaller) AppDomain.CurrentDomain.ProcessExit += ExitAsTerminated;
            // Keep the process, and let PowerShell stop the pipeline as for Ctrl+C (its host handles SIGINT).
            AwsStepFunctions.Core.PosixSignals.Cancel(context);
            kill(Process.GetCurrentProcess().Id, SigInt);
        }

        // The exit code set here is the one the process ends with: .NET's host reads it after the exit handlers have run.
        // pwsh itself exits 0 after a stopped pipeline, and now and then 1 (seen in CI and in a soak: its Ctrl+C handling
        // races the script's end), so both become 143; a script's own `exit 1` is taken the same way, one failing code for
        // another. Any other code is the script's choice and stays.
        private static void ExitAsTerminated(object? sender, EventArgs e)
        {
            if (Environment.ExitCode is 0 or 1 && !ExitCodeReportedByCaller) Environment.ExitCode = ExitCodeAfterSignal;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int signal);

        private sealed class Waiting : IDisposable
        {
            private int _left;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _left, 1) == 0) Interlocked.Decrement(ref _waiting);
            }
        }
    }
}
