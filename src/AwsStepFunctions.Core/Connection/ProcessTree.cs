using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Ends a process the module started, with the processes it started in turn, and keeps a list of the running ones so
    /// that none outlives the module's host: a credential_process still running when pwsh exits (a task given up at its
    /// bound) is killed then, instead of being left to run on under init.
    /// </summary>
    internal static class ProcessTree
    {
        /// <summary>
        /// Process.Kill(bool entireProcessTree), on .NET Core 3.0 and later (PowerShell 7). netstandard2.0 cannot name it;
        /// without it (.NET Framework: Windows PowerShell 5.1) taskkill /T ends the tree on Windows, Kill() the process elsewhere.
        /// </summary>
        private static readonly Action<Process, bool>? KillWithDescendants = FindTreeKill();

        private static readonly bool OnWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private static readonly ConcurrentDictionary<Process, bool> Running = new ConcurrentDictionary<Process, bool>();

        /// <summary>
        /// One kill at a time. A tree kill stops each process, lists its children, then kills it, one level after the other:
        /// when pwsh exited during a kill started by a run's timer (the module reports the timeout at the same moment), the
        /// grandchild was left stopped, forever. The exit handler waits here for such a kill to finish.
        /// </summary>
        private static readonly object KillGate = new object();

        static ProcessTree()
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }

        /// <summary>
        /// PowerShell 7 does not raise ProcessExit when SIGTERM or SIGHUP ends it (a scheduler cancelling a task, a closed
        /// terminal): a handler of those signals kills the tracked processes, and the signal then takes its usual course (the
        /// handler cancels nothing). Registered at the first run, kept for the process's life (PosixSignals: none on Windows
        /// or .NET Framework).
        /// </summary>
        private static readonly Lazy<object?[]> SignalHandlers = new Lazy<object?[]>(RegisterSignalHandlers);

        private static void KillAll()
        {
            foreach (var process in Running.Keys) Kill(process);
        }

        private static object?[] RegisterSignalHandlers()
        {
            if (OnWindows)
                return Array.Empty<object?>();
            try
            {
                return new[] { "SIGTERM", "SIGHUP" }.Select(signal => PosixSignals.Register(signal, OnTerminationSignal)).ToArray();
            }
            catch (Exception)
            {
                // Best effort: without the handlers, a run is still killed at its bound and at an orderly exit.
                return Array.Empty<object?>();
            }
        }

        private static void OnTerminationSignal(object context)
        {
            // A SIGTERM the cmdlets take as Ctrl+C (during a wait) does not end the process: a refresh in flight may be what
            // -StopOnCancel's stop needs. The process's exit kills what is still running then.
            if (ChildProcesses.SignalTakenAsInterrupt?.Invoke() == true) return;
            KillAll();
        }

        /// <summary>Whether this runtime kills a process's children with it.</summary>
        internal static bool KillsDescendants => KillWithDescendants != null;

        /// <summary>Remembers a started process until <see cref="Forget"/>, to kill it if the host exits first.</summary>
        public static void Track(Process process)
        {
            _ = SignalHandlers.Value;
            Running[process] = true;
        }

        public static void Forget(Process process) => Running.TryRemove(process, out _);

        /// <summary>Kills the process and its descendants where the runtime can; one that has already exited is left alone.</summary>
        public static void Kill(Process process)
        {
            try
            {
                lock (KillGate)
                {
                    if (KillWithDescendants != null) KillWithDescendants(process, true);
                    else if (OnWindows)
                        KillWithTaskkill(process);
                    else process.Kill();
                }
            }
            // Exited (or disposed) meanwhile: nothing left to kill.
            catch (InvalidOperationException)
            {
            }
            // The process or one of its children could not be killed (already gone, or not ours to kill): nothing more can be done.
            catch (Win32Exception)
            {
            }
            catch (AggregateException)
            {
            }
        }

        /// <summary>
        /// Windows PowerShell 5.1 (.NET Framework) has no tree kill, and the process started is cmd.exe: Kill() alone ended
        /// cmd.exe and left the credential helper it ran. taskkill /T ends the tree; Kill() still follows, should taskkill
        /// be missing or fail. (Not run here: this machine has no Windows.)
        /// </summary>
        private static void KillWithTaskkill(Process process)
        {
            try
            {
                using var taskkill = Process.Start(new ProcessStartInfo("taskkill.exe", "/T /F /PID " + process.Id)
                {
                    UseShellExecute = false,
                    CreateNoWindow = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                });
                taskkill?.WaitForExit(5000);
            }
            catch (Win32Exception)
            {
            }
            if (!process.HasExited) process.Kill();
        }

        private static Action<Process, bool>? FindTreeKill()
        {
            var method = typeof(Process).GetMethod(nameof(Process.Kill), new[] { typeof(bool) });
            // An open delegate rather than MethodInfo.Invoke: the kill's own exceptions arrive unwrapped.
            return method == null ? null : (Action<Process, bool>)Delegate.CreateDelegate(typeof(Action<Process, bool>), method);
        }
    }

    /// <summary>What the PowerShell layer tells the core about the processes the core starts (credential_process runs).</summary>
    public static class ChildProcesses
    {
        /// <summary>
        /// True while a SIGTERM is (or was just) taken as Ctrl+C and cancelled, so that the process goes on: the core's own
        /// signal handler then leaves credential_process runs alive. Set by the cmdlets' handler, which decides; the two
        /// handlers run in no fixed order, so the answer must not depend on which ran first.
        /// </summary>
        public static Func<bool>? SignalTakenAsInterrupt { get; set; }
    }
}
