using System;
using System.Collections.Generic;
using AwsStepFunctions.Local.StepFunctions;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

/// <summary>
/// An alias's weighted pick, with the random source replaced by chosen values: the boundaries of the split are exact
/// here, where a statistical test over HTTP could only show that both versions run.
/// </summary>
public sealed class AliasRecordTests
{
    private const string V1 = "arn:aws:states:us-east-1:123456789012:stateMachine:m:1";
    private const string V2 = "arn:aws:states:us-east-1:123456789012:stateMachine:m:2";

    /// <summary>Answers Next(maxValue) with a chosen value and remembers the maxValue it was asked for.</summary>
    private sealed class Chosen(int value) : Random
    {
        public List<int> MaxValues { get; } = [];

        public override int Next(int maxValue)
        {
            MaxValues.Add(maxValue);
            return value;
        }

        public override int Next() => throw new NotSupportedException();
        public override int Next(int minValue, int maxValue) => throw new NotSupportedException();
        public override double NextDouble() => throw new NotSupportedException();
    }

    private static AliasRecord Alias(params RoutingEntry[] routing) =>
        new("a", "arn:aws:states:us-east-1:123456789012:stateMachine:m:a", null, routing, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1);

    [Theory]
    [InlineData(0, V1)]
    [InlineData(29, V1)]
    [InlineData(30, V2)]
    [InlineData(99, V2)]
    public void Weights30And70_DrawsBelow30PickTheFirstVersion(int draw, string expected)
    {
        var random = new Chosen(draw);
        Assert.Equal(expected, Alias(new RoutingEntry(V1, 30), new RoutingEntry(V2, 70)).PickVersion(random));
        // One draw from 0..99: Next(101) or a second draw would skew the split.
        Assert.Equal([100], random.MaxValues);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    public void Weight0_IsNeverPicked_Weight100_Always(int draw)
    {
        Assert.Equal(V2, Alias(new RoutingEntry(V1, 0), new RoutingEntry(V2, 100)).PickVersion(new Chosen(draw)));
        Assert.Equal(V1, Alias(new RoutingEntry(V1, 100), new RoutingEntry(V2, 0)).PickVersion(new Chosen(draw)));
    }

    [Fact]
    public void ASingleVersion_IsPickedWithoutADraw()
    {
        var random = new Chosen(99);
        Assert.Equal(V1, Alias(new RoutingEntry(V1, 100)).PickVersion(random));
        Assert.Empty(random.MaxValues);
    }

    [Fact]
    public void SameConfiguration_IgnoresTheOrderOfTheRouting()
    {
        var alias = Alias(new RoutingEntry(V1, 30), new RoutingEntry(V2, 70));
        Assert.True(alias.SameConfiguration(null, [new RoutingEntry(V2, 70), new RoutingEntry(V1, 30)]));
        Assert.False(alias.SameConfiguration(null, [new RoutingEntry(V2, 30), new RoutingEntry(V1, 70)]));
        Assert.False(alias.SameConfiguration(null, [new RoutingEntry(V1, 100)]));
        Assert.False(alias.SameConfiguration("d", [new RoutingEntry(V1, 30), new RoutingEntry(V2, 70)]));
    }
}
