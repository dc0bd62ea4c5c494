using System.Reflection;

namespace AwsStepFunctions.Internal
{
    /// <summary>The module's version for invocation.version (the assembly's informational version, no build metadata).</summary>
    internal static class ModuleVersion
    {
        public static readonly string Value = Read();

        private static string Read()
        {
            var assembly = typeof(ModuleVersion).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (string.IsNullOrEmpty(informational)) return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
            var plus = informational!.IndexOf('+');
            return plus < 0 ? informational : informational.Substring(0, plus);
        }
    }
}
