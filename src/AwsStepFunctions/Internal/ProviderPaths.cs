using System;
using System.Management.Automation;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// File parameters are relative to PowerShell's current location, as every cmdlet's -Path is: the process's own current
    /// directory is not moved by Set-Location, so a relative -ProxyCaBundleFile given after a cd was looked for elsewhere.
    /// </summary>
    internal static class ProviderPaths
    {
        /// <summary>
        /// The file system path <paramref name="path"/> names from <paramref name="paths"/>' location (~ and PSDrives
        /// included, no wildcards). A blank value, or one that names no file system path (a registry key), is returned as
        /// given, for the core to refuse with its own message naming the field.
        /// </summary>
        public static string? FileSystemPath(PathIntrinsics? paths, string? path)
        {
            if (paths == null || string.IsNullOrWhiteSpace(path)) return path;
            try
            {
                return paths.GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception e) when (e is ProviderNotFoundException || e is DriveNotFoundException || e is NotSupportedException
                || e is PSInvalidOperationException || e is PSArgumentException || e is ArgumentException)
            {
                return path;
            }
        }
    }
}
