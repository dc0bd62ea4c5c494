using System;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// A validated state machine ARN as a start names it: the machine itself, and the version (digits) or alias it may be
    /// qualified with. DescribeExecution reports the same split: stateMachineArn is always the machine, and
    /// stateMachineVersionArn / stateMachineAliasArn say what the start went through.
    /// </summary>
    internal readonly struct StateMachineReference
    {
        private const int MachineParts = 7; // arn:partition:states:region:account:stateMachine:name

        private StateMachineReference(string machineArn, string? versionArn, string? aliasArn)
        {
            MachineArn = machineArn;
            VersionArn = versionArn;
            AliasArn = aliasArn;
        }

        public string MachineArn { get; }
        public string? VersionArn { get; }
        public string? AliasArn { get; }
        public bool IsQualified => VersionArn != null || AliasArn != null;

        /// <param name="stateMachineArn">An ARN Validate.StateMachineArn accepted, or one the service answered with; a Step Functions
        /// Local '#TestCase' suffix is dropped.</param>
        public static StateMachineReference Parse(string stateMachineArn)
        {
            var arn = Validate.WithoutTestCase(stateMachineArn);
            // Every start's result is named through here: find the colon before a qualifier rather than split the ARN.
            var colon = -1;
            for (var found = 0; found < MachineParts; found++)
                if ((colon = arn.IndexOf(':', colon + 1)) < 0) return new StateMachineReference(arn, null, null);
            var machine = arn.Substring(0, colon);
            return IsVersionNumber(arn.Substring(colon + 1)) ? new StateMachineReference(machine, arn, null) : new StateMachineReference(machine, null, arn);
        }

        /// <summary>Versions are numbered; an alias name must contain a non-digit (the service's own rule), so the two never meet.</summary>
        private static bool IsVersionNumber(string qualifier)
        {
            foreach (var c in qualifier)
                if (c < '0' || c > '9') return false;
            return qualifier.Length > 0;
        }
    }
}
