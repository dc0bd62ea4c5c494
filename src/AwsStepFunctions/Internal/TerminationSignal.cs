using System;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// SIGTERM while one of this module's cmdlets waits for an execution is taken as Ctrl+C: the pipeline stops, the wait
    /// ends, -StopOnCancel stops the execution, and a task process reports the cancellation. Universal Agent on Linux
    /// cancels a task with SIGTERM; before, pwsh died at once (exit 143, no output) and the execution ran on. While no
    /// such cmdlet runs the signal keeps its meaning (the process ends), so a session is never made unkillable.
    /// PowerShell 7 on Linux and macOS only: PosixSignalRegistration (.NET 6) is reached by reflection because this
    /// assembly targets netstandard2.0, and Windows sends a console process no SIGTERM.
    /// </summary>
    internal static class TerminationSignal
    {
        private const int SigInt = 2; // the same number on Linux and macOS

        private static int _waiting;
        private static int _registered;
        private static PropertyInfo? _cancel;

        // Kept for the process's life: one handler, consulted on each signal.
        private static object? _registration;

        /// <summary>Marks a wait as under way until the returned token is disposed; null where the signal cannot be handled.</summary>
        public static IDisposable? Enter()
        {
            if (!Register()) return null;
            Interlocked.Increment(ref _waiting);
            return new Waiting();
        }

        private static bool Register()
        {
            if (Interlocked.CompareExchange(ref _registered, 1, 0) == 0)
            {
                try { _registration = Create(); }
                catch (Exception) { _registration = null; }
            }
            return _registration is not null;
        }

        private static object? Create()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && !RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return null;
            var registration = Type.GetType("System.Runtime.InteropServices.PosixSignalRegistration, System.Runtime.InteropServices", false);
            var signal = Type.GetType("System.Runtime.InteropServices.PosixSignal, System.Runtime.InteropServices", false);
            var context = Type.GetType("System.Runtime.InteropServices.PosixSignalContext, System.Runtime.InteropServices", false);
            if (registration is null || signal is null || context is null) return null;
            _cancel = context.GetProperty("Cancel");
            var handlerType = typeof(Action<>).MakeGenericType(context);
            var create = registration.GetMethod("Create", new[] { signal, handlerType });
            if (create is null || _cancel is null) return null;
            // Action<PosixSignalContext> bound to a method taking object: delegate parameters may be more derived.
            var handler = Delegate.CreateDelegate(handlerType, typeof(TerminationSignal).GetMethod(nameof(OnSignal), BindingFlags.NonPublic | BindingFlags.Static)!);
            return create.Invoke(null, new[] { Enum.Parse(signal, "SIGTERM"), (object)handler });
        }

        private static void OnSignal(object context)
        {
            if (Volatile.Read(ref _waiting) == 0) return;
            // Keep the process, and let PowerShell stop the pipeline as for Ctrl+C (its host handles SIGINT).
            _cancel!.SetValue(context, true);
            kill(Process.GetCurrentProcess().Id, SigInt);
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
