using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace AwsStepFunctions.Loader
{
    /// <summary>
    /// Runs when PowerShell imports the loader (the manifest's first nested module, so before the cmdlet
    /// assembly). On PowerShell 7 it routes exactly one name, AwsStepFunctions.Core, from the default
    /// context into the module's own context; the rest of the dependency graph follows from there.
    /// Windows PowerShell 5.1 has no load contexts: there the dependencies resolve from bin/deps through
    /// the AppDomain, and a different AWSSDK.Core already loaded in the session wins (see about_AwsStepFunctions).
    /// Nothing here touches the AWS SDK, so import stays cheap.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string CoreAssemblyName = "AwsStepFunctions.Core";

        private static readonly string DependencyDirectory = Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "deps");

        private static readonly bool IsNetFramework =
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        // Runspaces (ForEach-Object -Parallel, thread jobs) may import the module at the same time.
        private static readonly object Gate = new object();
        private static object? _context;

        public void OnImport()
        {
            if (IsNetFramework) AttachDesktop();
            else AttachCore();
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsNetFramework) DetachDesktop();
            else DetachCore();
        }

        // The Core/Desktop halves are separate, non-inlined methods so .NET Framework never JITs a method
        // that mentions AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void AttachCore()
        {
            lock (Gate)
            {
                // One context per process, however often the module is imported: a second context would
                // load a second, incompatible copy of AwsStepFunctions.Core.
                _context ??= new DependencyLoadContext(DependencyDirectory);
                AssemblyLoadContext.Default.Resolving -= ResolveIntoModuleContext;
                AssemblyLoadContext.Default.Resolving += ResolveIntoModuleContext;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void DetachCore() => AssemblyLoadContext.Default.Resolving -= ResolveIntoModuleContext;

        /// <summary>Set while this thread asks the module's context for the core (see ResolveIntoModuleContext).</summary>
        [ThreadStatic]
        private static bool _resolvingCore;

        private static Assembly? ResolveIntoModuleContext(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            // Only our own core goes to our context; every other miss stays someone else's business.
            if (!string.Equals(name.Name, CoreAssemblyName, StringComparison.Ordinal)) return null;
            // When bin/deps has no core (a broken copy of the module), our context finds nothing and the runtime asks the
            // default context again, which raises this event again: without the guard that recursion overflows the stack and
            // kills the process. With it, the load fails with FileNotFoundException, an error PowerShell can report.
            if (_resolvingCore) return null;
            _resolvingCore = true;
            try
            {
                return ((DependencyLoadContext)_context!).LoadFromAssemblyName(name);
            }
            catch (FileNotFoundException)
            {
                // A handler returns null for what it cannot find; the runtime then fails the load as the caller asked. Thrown
                // from here, the exception also reached lookups that asked not to throw (PowerShell's own type lookups on
                // other threads), where nothing catches it: the process ended with an unhandled exception.
                return null;
            }
            finally
            {
                _resolvingCore = false;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void AttachDesktop()
        {
            lock (Gate)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencyDirectory;
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencyDirectory;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void DetachDesktop() => AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencyDirectory;

        private static Assembly? ResolveFromDependencyDirectory(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            var path = Path.Combine(DependencyDirectory, name + ".dll");
            // Windows PowerShell has a single context: LoadFrom is the only way to bind from our folder there.
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
