using Amazon.Runtime.Internal;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>The SDK's process-wide settings from the environment and the shared config file.</summary>
    internal static class SdkSettings
    {
        /// <summary>Reads them again now (they are otherwise read once per process, at first use).</summary>
        public static void RereadEnvironment() => FallbackInternalConfigurationFactory.Reset();
    }
}
