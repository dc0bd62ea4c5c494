using System;
using System.Reflection;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// PosixSignalRegistration (.NET 6 and later) for code that targets netstandard2.0 and so cannot name it: reached by
    /// reflection, absent on .NET Framework (Windows PowerShell 5.1). Shared by the core (credential_process runs killed on
    /// SIGTERM and SIGHUP) and the cmdlets (the first SIGTERM of a wait taken as Ctrl+C).
    /// </summary>
    public static class PosixSignals
    {
        private static readonly Type? Registration = Type.GetType("System.Runtime.InteropServices.PosixSignalRegistration, System.Runtime.InteropServices", false);
        private static readonly Type? Signal = Type.GetType("System.Runtime.InteropServices.PosixSignal, System.Runtime.InteropServices", false);
        private static readonly Type? Context = Type.GetType("System.Runtime.InteropServices.PosixSignalContext, System.Runtime.InteropServices", false);
        private static readonly PropertyInfo? CancelProperty = Context?.GetProperty("Cancel");

        /// <summary>
        /// Calls <paramref name="handler"/> with the signal's PosixSignalContext when <paramref name="signal"/> ("SIGTERM",
        /// "SIGHUP") arrives; null where the runtime cannot. The registration lasts while the returned object is kept.
        /// </summary>
        public static object? Register(string signal, Action<object> handler)
        {
            if (Registration == null || Signal == null || Context == null || CancelProperty == null) return null;
            var handlerType = typeof(Action<>).MakeGenericType(Context);
            var create = Registration.GetMethod("Create", new[] { Signal, handlerType });
            if (create == null) return null;
            // Action<PosixSignalContext> bound to a method taking object: a delegate's parameter may be more derived.
            var typed = Delegate.CreateDelegate(handlerType, handler.Target, handler.Method);
            return create.Invoke(null, new[] { Enum.Parse(Signal, signal), (object)typed });
        }

        /// <summary>Keeps the process: the signal's default action (ending it) is not taken.</summary>
        public static void Cancel(object context) => CancelProperty!.SetValue(context, true);
    }
}
