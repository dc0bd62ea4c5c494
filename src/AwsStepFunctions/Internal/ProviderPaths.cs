using System;
using System.Management.Automation;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// File parameters are relative to PowerShell's current location, as every cmdlet's -LiteralPath is: the process's own current
    /// directory is not moved by Set-Location, so a relative -ProxyCaBundleFile given after a cd was looked for elsewhere.
    /// </summary>
    internal static class ProviderPaths
    {
        /// <summary>
        /// The file system path <paramref name="path"/> names from <paramref name="paths"/>' current file system location (~ and
        /// PSDrives included, literally: no wildcards). A blank value, or one PowerShell cannot resolve, is returned as given,
        /// for the core to refuse with its own message naming the field.
        /// </summary>
        public static string? FileSystemPath(PathIntrinsics? paths, string? path)
        {
            if (paths == null || string.IsNullOrWhiteSpace(path)) return path;
            try
            {
                var resolved = paths.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return resolved;
                // Another provider's location (Env:, a registry key): a relative file is relative to the current file system one.
                return System.IO.Path.Combine(paths.CurrentFileSystemLocation.ProviderPath, path);
            }
            // ArgumentException covers PSArgumentException.
            catch (Exception e) when (e is ProviderNotFoundException || e is DriveNotFoundException || e is NotSupportedException
                || e is PSInvalidOperationException || e is ArgumentException)
            {
                return path;
            }
        }
    }
}
