using System;
using System.IO;
using System.Linq;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>
    /// For tests of what happens when nothing on the machine configures AWS: the SDK's chains read the environment and
    /// ~/.aws, which a test cannot isolate without changing the whole process. Elsewhere such a test is reported as skipped,
    /// never passed; on CI (the variable CI set) it always runs, since CI machines have no AWS configuration by design.
    /// </summary>
    internal static class MachineAwsConfiguration
    {
        private static readonly string AwsFolder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws");

        public static void SkipUnlessNoRegion() =>
            SkipIfConfigured("a region", new[] { "AWS_REGION", "AWS_DEFAULT_REGION" }, "config");

        public static void SkipUnlessNoCredentials() =>
            SkipIfConfigured("credentials", new[]
            {
                "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
            }, "credentials", "config");

        private static void SkipIfConfigured(string what, string[] variables, params string[] files)
        {
            var source = variables.FirstOrDefault(v => Environment.GetEnvironmentVariable(v) != null)
                ?? files.Select(f => Path.Combine(AwsFolder, f)).FirstOrDefault(File.Exists);
            Skip.If(source != null && Environment.GetEnvironmentVariable("CI") == null,
                $"This machine provides {what} ({source}); the test needs a machine without.");
        }
    }
}
