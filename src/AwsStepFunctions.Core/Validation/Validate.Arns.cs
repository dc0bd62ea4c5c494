using System;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Core
{
    // The ARNs the cmdlets and the task take: state machines (with versions, aliases and test cases), executions, Map Runs.
    public static partial class Validate
    {
        public static void StateMachineArn(string? arn, string field = "state_machine_arn")
        {
            arn = ArnText(arn, field, "InvalidStateMachineArn", MaxArnLength);
            if (string.Equals(arn, _lastValidStateMachineArn, StringComparison.Ordinal)) return;
            // The two patterns exclude each other (the sixth part is stateMachine, or execution/express), so the execution
            // pattern is asked only to word the refusal of an ARN that is no state machine's.
            var match = StateMachineArnPattern.Match(arn);
            if (!match.Success)
            {
                if (ExecutionArnPattern.IsMatch(arn))
                    throw Fail(field, "InvalidStateMachineArn",
                        $"{field} '{arn}' is an execution ARN; a state machine ARN (arn:<partition>:states:<region>:<account>:stateMachine:<name>) is expected.", arn);
                throw Fail(field, "InvalidStateMachineArn",
                    $"{field} '{arn}' must look like arn:<partition>:states:<region>:<12-digit account>:stateMachine:<name>[:<version or alias>].", arn);
            }
            CheckArnParts(field, "InvalidStateMachineArn", arn, match);
            CheckArnName(field, "InvalidStateMachineArn", arn, match.Groups["n"].Value, "state machine name");
            if (match.Groups["q"].Success)
                CheckArnName(field, "InvalidStateMachineArn", arn, match.Groups["q"].Value, "version or alias");
            if (match.Groups["case"].Success)
                CheckArnName(field, "InvalidStateMachineArn", arn, match.Groups["case"].Value, "test case after '#'");
            _lastValidStateMachineArn = arn;
        }

        /// <summary>
        /// The state machine ARN without a Step Functions Local "#TestCase" suffix. The suffix selects a mocked test
        /// case when the execution starts; every other call (describe, the execution's ARN) names the machine itself.
        /// </summary>
        public static string WithoutTestCase(string stateMachineArn)
        {
            var hash = stateMachineArn.IndexOf('#');
            return hash < 0 ? stateMachineArn : stateMachineArn.Substring(0, hash);
        }

        public static void ExecutionArn(string? arn, string field = "execution_arn")
        {
            arn = ArnText(arn, field, "InvalidExecutionArn", MaxArnLength);
            if (string.Equals(arn, _lastValidExecutionArn, StringComparison.Ordinal)) return;
            var match = ExecutionArnPattern.Match(arn);
            if (!match.Success || (match.Groups["kind"].Value == "express" && !match.Groups["id"].Success))
            {
                if (StateMachineArnPattern.IsMatch(arn))
                    throw Fail(field, "InvalidExecutionArn",
                        $"{field} '{arn}' is a state machine ARN; an execution ARN (arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>) is expected.", arn);
                throw Fail(field, "InvalidExecutionArn",
                    $"{field} '{arn}' must look like arn:<partition>:states:<region>:<12-digit account>:execution:<state machine>:<name> (or :express:<state machine>:<name>:<id>).", arn);
            }
            CheckArnParts(field, "InvalidExecutionArn", arn, match);
            _lastValidExecutionArn = arn;
        }

        /// <summary>A Distributed Map's run: arn:partition:states:region:account:mapRun:machine/label:id.</summary>
        public static void MapRunArn(string? arn, string field = "map_run_arn")
        {
            // Most often an execution piped in that no Distributed Map started: say where Map Run ARNs come from.
            if (string.IsNullOrWhiteSpace(arn))
                throw Fail(field, "InvalidMapRunArn",
                    $"{field} is required: an execution that no Distributed Map started has none (Get-UeStepFunctionMapRun lists an execution's Map Runs).");
            arn = ArnText(arn, field, "InvalidMapRunArn", MaxMapRunArnLength);
            var match = MapRunArnPattern.Match(arn);
            if (!match.Success)
            {
                if (ExecutionArnPattern.IsMatch(arn))
                    throw Fail(field, "InvalidMapRunArn",
                        $"{field} '{arn}' is an execution ARN; a Map Run ARN is expected (Get-UeStepFunctionMapRun -ExecutionArn lists an execution's Map Runs).", arn);
                throw Fail(field, "InvalidMapRunArn",
                    $"{field} '{Printable(arn)}' must look like arn:<partition>:states:<region>:<12-digit account>:mapRun:<state machine>/<Map label>:<id>.", arn);
            }
            CheckArnParts(field, "InvalidMapRunArn", arn, match);
        }

        /// <summary>
        /// An execution DescribeExecution (<paramref name="stopping"/>: StopExecution) accepts. Step Functions keeps no state
        /// for EXPRESS executions and refuses their ARNs, so a read, a wait or a stop of one could never work: it is refused
        /// here, saying what does. A Map Run's EXPRESS children (machine/label where the machine is) can be read, not stopped.
        /// </summary>
        public static void TrackedExecutionArn(string? arn, bool stopping, string field = "execution_arn")
        {
            ExecutionArn(arn, field);
            if (!IsExpressExecutionArn(arn!, out var machine) || (!stopping && machine.IndexOf('/') >= 0)) return;
            throw Fail(field, "ExpressExecutionNotTracked",
                $"{field} '{arn}' is an EXPRESS execution: Step Functions keeps no state for those, so it cannot be "
                + (stopping
                    ? "stopped (StopExecution does not support EXPRESS executions). It ends on its own within 5 minutes, the longest an EXPRESS execution runs"
                    : "read or waited for (DescribeExecution does not support EXPRESS executions). Start an EXPRESS machine and wait for it in one call (-Wait: StartSyncExecution) to get its result")
                + "; its history is in the machine's CloudWatch Logs.",
                arn);
        }

        /// <summary>
        /// An execution RedriveExecution can take: a STANDARD one. An EXPRESS execution (a Distributed Map's child included)
        /// has no state to continue from; the service would refuse it after the credentials and the request.
        /// </summary>
        public static void RedrivableExecutionArn(string? arn, string field = "execution_arn")
            => StandardExecutionArn(arn, field, "ExpressExecutionNotRedrivable",
                "RedriveExecution continues STANDARD executions only. A Distributed Map's EXPRESS children run again when their parent "
                + "execution is redriven; any other EXPRESS workflow is started again instead.");

        /// <summary>An execution whose history the service keeps: a STANDARD one (EXPRESS executions have none to read).</summary>
        public static void HistoricExecutionArn(string? arn, string field = "execution_arn")
            => StandardExecutionArn(arn, field, "ExpressExecutionHistoryNotKept",
                "Step Functions keeps no history of EXPRESS executions (GetExecutionHistory reads STANDARD ones only); their events are "
                + "in the state machine's CloudWatch Logs, when its logging is on.");

        /// <summary>A valid execution ARN that is not an EXPRESS one; <paramref name="why"/> says what an EXPRESS one cannot do.</summary>
        private static void StandardExecutionArn(string? arn, string field, string errorId, string why)
        {
            ExecutionArn(arn, field);
            if (IsExpressExecutionArn(arn!)) throw Fail(field, errorId, $"{field} '{arn}' is an EXPRESS execution: {why}", arn);
        }

        /// <summary>An EXPRESS execution's ARN (arn:...:express:machine:name:id), not a STANDARD one whose machine or name
        /// happens to be "express".</summary>
        public static bool IsExpressExecutionArn(string arn) => IsExpressExecutionArn(arn, out _);

        private static bool IsExpressExecutionArn(string arn, out string machine)
        {
            machine = "";
            // Get is a warm-path call: the pattern runs only for what may be an EXPRESS ARN.
            if (arn.IndexOf(":express:", StringComparison.Ordinal) < 0) return false;
            var match = ExecutionArnPattern.Match(arn);
            if (!match.Success || match.Groups["kind"].Value != "express") return false;
            machine = match.Groups["sm"].Value;
            return true;
        }

        /// <summary>What every ARN must be before its pattern is tried: given, within the model's length, and unpadded.</summary>
        /// <returns>The ARN, known not to be null.</returns>
        private static string ArnText(string? arn, string field, string errorId, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(arn))
                throw Fail(field, errorId, $"{field} is required.");
            if (arn!.Length > maxLength)
                throw Fail(field, errorId, $"{field} must be at most {maxLength} characters (got {arn.Length}).", arn);
            if (arn.Trim().Length != arn.Length)
                throw Fail(field, errorId, $"{field} '{Printable(arn)}' has leading or trailing whitespace (a padded CSV cell?); an ARN has none.", arn);
            return arn;
        }

        private static void CheckArnParts(string field, string errorId, string arn, Match match)
        {
            var partition = match.Groups["p"].Value;
            var region = match.Groups["r"].Value;
            if (!PartitionPattern.IsMatch(partition))
                throw Fail(field, errorId, $"{field} '{arn}' has partition '{partition}'; it must be a partition name such as aws, aws-cn or aws-us-gov.", arn);
            if (!RegionPattern.IsMatch(region))
                throw Fail(field, errorId, $"{field} '{arn}' has region '{region}', which is not a region name like us-east-1.", arn);
            var expected = Sdk.SfnEndpointProvider.PartitionOf(region);
            if (partition != expected)
                throw Fail(field, errorId, $"{field} '{arn}' puts region '{region}' in partition '{partition}'; that region belongs to '{expected}'.", arn);
            if (!AccountPattern.IsMatch(match.Groups["a"].Value))
                throw Fail(field, errorId, $"{field} '{arn}' must carry a 12-digit account id (got '{match.Groups["a"].Value}').", arn);
        }

        private static void CheckArnName(string field, string errorId, string arn, string name, string what)
        {
            if (name.Length == 0 || name.Length > MaxNameLength || FirstForbidden(name) != null)
                throw Fail(field, errorId, $"{field} '{Printable(arn)}' has an invalid {what} '{Printable(name)}' (1-{MaxNameLength} characters, no whitespace or forbidden characters).", arn);
        }
    }
}
