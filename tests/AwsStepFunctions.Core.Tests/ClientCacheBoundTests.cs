using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>
    /// Floods the process-wide client cache: run alone, after the parallel tests, so its evictions cannot take another test's
    /// client between two of its lookups, and other tests' clients cannot change the count it checks.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ClientCacheCollection
    {
        public const string Name = "Client cache flood";
    }

    [Collection(ClientCacheCollection.Name)]
    public class ClientCacheBoundTests
    {
        private static ConnectionSettings Base() => TestConnections.Local("http://127.0.0.1:9");

        [Fact]
        public void The_client_cache_stays_bounded_and_keeps_the_client_in_use()
        {
            // A runbook that rotates keys (or names every role session anew) makes a new client per call.
            var inUse = StepFunctionsClients.Get(Base());
            for (var i = 0; i < StepFunctionsClients.MaxClients * 2; i++)
            {
                var rotated = Base();
                rotated.SecretAccessKey = TestConnections.Secure("rotated-secret-" + i);
                StepFunctionsClients.Get(rotated);
                Assert.Same(inUse, StepFunctionsClients.Get(Base()));
            }
            Assert.InRange(StepFunctionsClients.Count, 1, StepFunctionsClients.MaxClients);
        }
    }
}
