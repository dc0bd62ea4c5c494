using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Makes the core's public types nameable in scripts: [AwsStepFunctions.Core.ExtensionOutput] for the cmdlets' output
    /// (and its Invocation and ExecutionResult parts), [AwsStepFunctions.Core.ExecutionSummary],
    /// [AwsStepFunctions.Core.HistoryEvent], [AwsStepFunctions.Core.StateMachineSummary] and [AwsStepFunctions.Core.MapRun]
    /// (and its MapRunCounts) for the listings',
    /// [AwsStepFunctions.Core.ProxyKind] for -ProxyType. On PowerShell 7
    /// the core lives in the module's own load context, and PowerShell resolves a type name only among the assemblies of
    /// the default one, so Get-Member and Get-Help would show names a script cannot use ("Unable to find type"). On Windows
    /// PowerShell a name resolves only once the core happens to be loaded. A type accelerator under each full name is
    /// PowerShell's documented way for a module to publish its types (about_Classes_and_Modules).
    /// </summary>
    internal static class CoreTypeNames
    {
        private static readonly Type[] Published =
        {
            typeof(ExtensionOutput), typeof(Invocation), typeof(ExecutionResult), typeof(ExecutionSummary), typeof(HistoryEvent), typeof(StateMachineSummary),
            typeof(MapRun), typeof(MapRunCounts), typeof(ProxyKind),
        };

        // Imports minus removals, process-wide (the accelerators are too): ForEach-Object -Parallel and thread jobs import
        // the module in runspaces of their own, and removing it from one must not take the names from the others.
        private static int _imports;

        public static void Publish()
        {
            Interlocked.Increment(ref _imports);
            var add = Accelerators()?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
            if (add == null) return;
            foreach (var type in Published) add.Invoke(null, new object[] { type.FullName!, type });
        }

        /// <summary>
        /// Withdraws the names when the module's last import in the process is removed, unless a name now means another
        /// type (a different copy of the module imported meanwhile published its own).
        /// </summary>
        public static void Withdraw()
        {
            if (Interlocked.Decrement(ref _imports) > 0) return;
            var accelerators = Accelerators();
            var remove = accelerators?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
            var current = accelerators?.GetProperty("Get", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as IDictionary<string, Type>;
            if (remove == null || current == null) return;
            foreach (var type in Published)
            {
                if (current.TryGetValue(type.FullName!, out var named) && named == type) remove.Invoke(null, new object[] { type.FullName! });
            }
        }

        // The accelerator table is a class of PowerShell's own, public in shape but not in the reference assemblies; every
        // PowerShell since 2.0 has it under this name.
        private static Type? Accelerators() => typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
    }
}
