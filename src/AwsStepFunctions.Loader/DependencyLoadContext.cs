using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AwsStepFunctions.Loader
{
    /// <summary>
    /// The module's private load context (PowerShell 7): AwsStepFunctions.Core and the AWSSDK assemblies
    /// load here from bin/deps, so another AWSSDK.Core already loaded by the session (AWS.Tools, any other
    /// module) never collides with ours. Every AWSSDK.Core 4.x has AssemblyVersion 4.0.0.0, so without this
    /// the first one loaded would silently win.
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly string[] _searchDirectories;
        private readonly HashSet<string> _platformAssemblies;

        // netstandard's view of AssemblyLoadContext has no named constructor; the context stays unnamed.
        public DependencyLoadContext(string dependencyDirectory)
        {
            var readyToRun = ReadyToRunImages.DirectoryFor(dependencyDirectory);
            // The precompiled copy of an assembly wins when this runtime can use it; the IL copy is always there behind it.
            _searchDirectories = readyToRun == null ? new[] { dependencyDirectory } : new[] { readyToRun, dependencyDirectory };
            _platformAssemblies = PlatformAssemblyNames();
        }

        /// <summary>
        /// A dependency we ship loads from bin/deps; anything the runtime itself provides (System.Text.Json
        /// and friends, in newer versions than netstandard asks for) is left to the default context so
        /// there is one copy of the framework.
        /// </summary>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name;
            if (string.IsNullOrEmpty(name) || _platformAssemblies.Contains(name!)) return null;
            var path = PathOf(name!);
            return path == null ? null : LoadFromAssemblyPath(path);
        }

        /// <summary>The file this context loads for an assembly it ships (the precompiled copy first); null when there is none.</summary>
        internal string? PathOf(string assemblyName)
        {
            foreach (var directory in _searchDirectories)
            {
                var path = Path.Combine(directory, assemblyName + ".dll");
                if (File.Exists(path)) return path;
            }
            return null;
        }

        private static HashSet<string> PlatformAssemblyNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
            {
                foreach (var path in list.Split(Path.PathSeparator))
                {
                    if (path.Length > 0) names.Add(Path.GetFileNameWithoutExtension(path));
                }
            }
            return names;
        }
    }
}
