using System;
using System.IO;
using System.Runtime.InteropServices;

namespace AwsStepFunctions.Loader
{
    /// <summary>
    /// Picks bin/deps/&lt;rid&gt;/, the ReadyToRun (precompiled) copies of AwsStepFunctions.Core and the AWS SDK that
    /// tools/Build-Module.ps1 makes with the .NET 10 crossgen2, and bin/&lt;rid&gt;/, the cmdlet assembly's. Precompiled
    /// code spares the first call after import most of its JIT time. The images are only offered to a runtime that can
    /// use them: the same OS and architecture, and .NET 10 or later (an older runtime would ignore the code anyway and JIT
    /// the IL the image still carries, but the IL copy says plainly what runs there). Anything else, or a missing folder,
    /// gets the IL copies.
    /// </summary>
    internal static class ReadyToRunImages
    {
        /// <summary>The .NET major version whose crossgen2 compiled the images (Directory.Packages.props pins it).</summary>
        private const int CompiledForRuntimeMajor = 10;

        /// <summary>Set to any value to load the IL copies only (to compare, or to rule the images out when diagnosing).</summary>
        internal const string DisableVariable = "AWSSTEPFUNCTIONS_DISABLE_READYTORUN";

        /// <summary>The folder of images beside <paramref name="ilDirectory"/>'s IL copies; null when this runtime should load the IL.</summary>
        public static string? DirectoryFor(string ilDirectory)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DisableVariable))) return null;
            if (Environment.Version.Major < CompiledForRuntimeMajor) return null;
            var rid = CurrentRid();
            if (rid == null) return null;
            var directory = Path.Combine(ilDirectory, rid);
            return Directory.Exists(directory) ? directory : null;
        }

        /// <summary>The runtime identifiers the build compiles for; null for every other platform.</summary>
        private static string? CurrentRid()
        {
            if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return "win-x64";
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return "linux-x64";
            return null;
        }
    }
}
