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
        private const string CmdletAssemblyName = "AwsStepFunctions";

        /// <summary>bin/: the loader, the cmdlet assembly and bin/&lt;rid&gt;/, its precompiled image.</summary>
        private static readonly string ModuleBinDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        private static readonly string DependencyDirectory = Path.Combine(ModuleBinDirectory, "deps");

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

        /// <summary>
        /// A copy of the module whose core is missing or damaged fails its import here, naming the file, instead of leaving
        /// the runtime to fail a type lookup later with a bare "could not load". Reads the assembly's name only (about 1 ms
        /// of an import of ~95 ms, measured); the core itself loads when the cmdlet assembly publishes its type names.
        /// </summary>
        private static void EnsureCoreReadable(string? path)
        {
            const string Fix = "Reinstall the module (Install-Module or a fresh copy of its folder).";
            if (path == null || !File.Exists(path))
                throw new FileNotFoundException(
                    $"The AwsStepFunctions module is incomplete: its core assembly {Path.Combine(DependencyDirectory, CoreAssemblyName + ".dll")} is missing. {Fix}",
                    path ?? CoreAssemblyName);
            try
            {
                AssemblyName.GetAssemblyName(path);
            }
            catch (Exception ex) when (ex is BadImageFormatException || ex is FileLoadException || ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new FileLoadException($"The AwsStepFunctions module is damaged: its core assembly {path} cannot be read ({ex.Message}). {Fix}", path, ex);
            }
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
                var context = (DependencyLoadContext)(_context ??= new DependencyLoadContext(DependencyDirectory));
                EnsureCoreReadable(context.PathOf(CoreAssemblyName));
                AssemblyLoadContext.Default.Resolving -= ResolveIntoModuleContext;
                AssemblyLoadContext.Default.Resolving += ResolveIntoModuleContext;
                LoadCmdletImage();
            }
        }

        /// <summary>
        /// Loads bin/&lt;rid&gt;/AwsStepFunctions.dll, the cmdlet assembly's precompiled image, when this runtime can use it
        /// (the same rule as the dependencies' images). PowerShell loads the manifest's next nested module,
        /// bin/AwsStepFunctions.dll, after this one, and the assembly of that name already in the default context is the one
        /// it gets: so PowerShell 7 runs the image, and Windows PowerShell, which never comes here, the IL. Without it the JIT
        /// compiles the cmdlet layer during the first call (about 11 ms of ~160, measured on 10 interleaved pairs).
        /// </summary>
        private static void LoadCmdletImage()
        {
            var directory = ReadyToRunImages.DirectoryFor(ModuleBinDirectory);
            if (directory == null) return;
            var path = Path.Combine(directory, CmdletAssemblyName + ".dll");
            if (!File.Exists(path)) return;
            // When the session already runs the cmdlet assembly (the IL copy, from an earlier import with the images switched
            // off), the runtime hands back that one: never a second copy beside the types PowerShell has bound.
            try
            {
                AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
            }
            catch (Exception ex) when (ex is FileLoadException || ex is BadImageFormatException || ex is IOException || ex is UnauthorizedAccessException)
            {
                // An image that cannot load costs only speed: PowerShell loads the IL copy as usual.
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
            catch (Exception ex) when (ex is FileNotFoundException || ex is BadImageFormatException || ex is FileLoadException)
            {
                // A handler returns null for what it cannot load; the runtime then fails the load as the caller asked. Thrown
                // from here, the exception also reached lookups that asked not to throw (PowerShell's own type lookups on
                // other threads), where nothing catches it: the process ended with an unhandled exception. The import's
                // EnsureCoreReadable has already said which file is missing or damaged; this covers a file that changed since.
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
                EnsureCoreReadable(Path.Combine(DependencyDirectory, CoreAssemblyName + ".dll"));
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
            if (!File.Exists(path)) return null;
            try
            {
                // Windows PowerShell has a single context: LoadFrom is the only way to bind from our folder there.
                return Assembly.LoadFrom(path);
            }
            catch (Exception ex) when (ex is FileLoadException || ex is BadImageFormatException || ex is IOException || ex is UnauthorizedAccessException)
            {
                // As in ResolveIntoModuleContext: a handler answers null for what it cannot load (a file blocked as downloaded,
                // locked, damaged), and the runtime fails the load for the one who asked; thrown from here, it would also reach
                // loads of other modules that merely asked this AppDomain-wide event first.
                return null;
            }
        }
    }
}
