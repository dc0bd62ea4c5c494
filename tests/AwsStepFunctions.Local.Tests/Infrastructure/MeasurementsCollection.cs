using Xunit;

namespace AwsStepFunctions.Local.Tests.Infrastructure;

/// <summary>
/// Tests that measure process-wide threads, memory or wall time join this collection: xunit runs it
/// alone, after the parallel tests, so other tests' servers and clients cannot skew the numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasurementsCollection
{
    public const string Name = "Measurements";
}
