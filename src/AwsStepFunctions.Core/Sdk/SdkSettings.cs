using System;
using System.IO;
using System.Reflection;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Internal;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>The SDK's process-wide settings from the environment and the shared config file.</summary>
    internal static class SdkSettings
    {
        /// <summary>Reads them again now (they are otherwise read once per process, at first use).</summary>
        public static void RereadEnvironment()
        {
            FollowSharedFileVariables();
            FallbackInternalConfigurationFactory.Reset();
        }

        /// <summary>
        /// Points the SDK's shared credentials and config file paths at AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE as
        /// they are now. The SDK fixes both paths the first time anything looks (SharedCredentialsFile's static
        /// constructor), which the import-time warm-up does: a variable set after Import-Module went unseen, so a profile's
        /// region or keys were "not found". Unset, a path is the SDK's own default (~/.aws/credentials, ~/.aws/config).
        /// </summary>
        public static void FollowSharedFileVariables()
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home)) home = Environment.GetEnvironmentVariable("USERPROFILE");
            if (string.IsNullOrEmpty(home)) home = Directory.GetCurrentDirectory();
            SetDefaultPath(nameof(SharedCredentialsFile.DefaultFilePath), SharedCredentialsFile.SharedCredentialsFileEnvVar, Path.Combine(home, ".aws", "credentials"));
            SetDefaultPath(nameof(SharedCredentialsFile.DefaultConfigFilePath), SharedCredentialsFile.SharedConfigFileEnvVar, Path.Combine(home, ".aws", "config"));
        }

        private static void SetDefaultPath(string property, string variable, string fallback)
        {
            var path = Environment.GetEnvironmentVariable(variable);
            // As the SDK does: a variable naming no file leaves the default.
            if (string.IsNullOrEmpty(path) || !File.Exists(path)) path = fallback;
            var setter = typeof(SharedCredentialsFile).GetProperty(property, BindingFlags.Public | BindingFlags.Static)?.GetSetMethod(nonPublic: true);
            setter?.Invoke(null, new object[] { path! });
        }
    }
}
