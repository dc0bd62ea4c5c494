using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

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
        /// without it (.NET Framework: Windows PowerShell 5.1) only the process itself is killed, not its children.
        /// </summary>
        private static readonly Action<Process, bool>? KillWithDescendants = FindTreeKill();

        private static readonly ConcurrentDictionary<Process, bool> Running = new ConcurrentDictionary<Process, bool>();

        /// <summary>
        /// One kill at a time. A tree kill stops each process, lists its children, then kills it, one level after the other:
        /// when pwsh exited during a kill started by a run's timer (the module reports the timeout at the same moment), the
        /// grandchild was left stopped, forever. The exit handler waits here for such a kill to finish.
        /// </summary>
        private static readonly object KillGate = new object();

        static ProcessTree()
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var process in Running.Keys) Kill(process);
            };
        }

        /// <summary>Whether this runtime kills a process's children with it.</summary>
        internal static bool KillsDescendants => KillWithDescendants != null;

        /// <summary>Remembers a started process until <see cref="Forget"/>, to kill it if the host exits first.</summary>
        public static void Track(Process process) => Running[process] = true;

        public static void Forget(Process process) => Running.TryRemove(process, out _);

        /// <summary>Kills the process and its descendants where the runtime can; one that has already exited is left alone.</summary>
        public static void Kill(Process process)
        {
            try
            {
                lock (KillGate)
                {
                    if (KillWithDescendants != null) KillWithDescendants(process, true);
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

        private static Action<Process, bool>? FindTreeKill()
        {
            var method = typeof(Process).GetMethod(nameof(Process.Kill), new[] { typeof(bool) });
            // An open delegate rather than MethodInfo.Invoke: the kill's own exceptions arrive unwrapped.
            return method == null ? null : (Action<Process, bool>)Delegate.CreateDelegate(typeof(Action<Process, bool>), method);
        }
    }
}
