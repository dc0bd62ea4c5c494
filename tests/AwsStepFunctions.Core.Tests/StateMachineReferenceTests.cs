using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    public class StateMachineReferenceTests
    {
        private const string Machine = "arn:aws:states:us-east-1:123456789012:stateMachine:Hello";

        [Theory]
        [InlineData(Machine, null, null)]
        [InlineData(Machine + "#HappyPath", null, null)]
        [InlineData(Machine + ":12", Machine + ":12", null)]
        [InlineData(Machine + ":12#HappyPath", Machine + ":12", null)]
        [InlineData(Machine + ":prod", null, Machine + ":prod")]
        [InlineData(Machine + ":v2", null, Machine + ":v2")]
        [InlineData(Machine + ":2024.1", null, Machine + ":2024.1")]
        public void Splits_the_machine_from_its_version_or_alias(string arn, string? version, string? alias)
        {
            var reference = StateMachineReference.Parse(arn);
            Assert.Equal(Machine, reference.MachineArn);
            Assert.Equal(version, reference.VersionArn);
            Assert.Equal(alias, reference.AliasArn);
            Assert.Equal(version != null || alias != null, reference.IsQualified);
        }
    }
}
