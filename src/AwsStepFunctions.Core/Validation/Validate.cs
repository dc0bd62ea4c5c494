using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Local validation, run before any call leaves the machine. Every rule fails with Kind=Validation, exit 20,
    /// the seed's field name and a message that names the field and the rule.
    /// </summary>
    public static class Validate
    {
        public const int MaxArnLength = 256;
        /// <summary>A Map Run's ARN is longer (the model's LongArn): it holds the machine's name and the Map's label.</summary>
        public const int MaxMapRunArnLength = 2000;
        public const int MaxInputBytes = 262144;
        public const int MaxNameLength = 80;
        public const double MaxPollingIntervalSeconds = 3600;
        /// <summary>Below this a wait is a busy loop (and .NET Framework rounds a sub-millisecond delay to none at all).</summary>
        public const double MinPollingIntervalSeconds = 0.01;
        /// <summary>One year: longer than any Standard execution can run.</summary>
        public const double MaxTimeoutSeconds = 31536000;

        /// <summary>aws, aws-cn, aws-us-gov, and the isolated and sovereign partitions (aws-iso-b, aws-eusc...).</summary>
        private const string Partition = "(aws(-[a-z]+)*)";
        /// <summary>us-east-1, cn-north-1, us-isob-east-1, eusc-de-east-1...</summary>
        private const string Region = "([a-z]{2,4}(-[a-z]+)+-\\d{1,2})";
        private static readonly Regex RegionPattern = new Regex("^" + Region + "\\z", RegexOptions.CultureInvariant);
        private static readonly Regex StateMachineArnPattern = new Regex(
            "^arn:(?<p>[^:]+):states:(?<r>[^:]+):(?<a>[^:]+):stateMachine:(?<n>[^:#]+)(:(?<q>[^:#]+))?(#(?<case>[^#]*))?$", RegexOptions.CultureInvariant);
        private static readonly Regex ExecutionArnPattern = new Regex(
            "^arn:(?<p>[^:]+):states:(?<r>[^:]+):(?<a>[^:]+):(?<kind>execution|express):(?<sm>[^:]+):(?<n>[^:]+)(:(?<id>[^:]+))?$", RegexOptions.CultureInvariant);
        private static readonly Regex MapRunArnPattern = new Regex(
            "^arn:(?<p>[^:]+):states:(?<r>[^:]+):(?<a>[^:]+):mapRun:(?<sm>[^:/]+)/(?<label>[^:]+):(?<id>[^:]+)$", RegexOptions.CultureInvariant);
        private static readonly Regex PartitionPattern = new Regex("^" + Partition + "$", RegexOptions.CultureInvariant);
        private static readonly Regex AccountPattern = new Regex("^\\d{12}$", RegexOptions.CultureInvariant);
        private static readonly Regex RoleArnPattern = new Regex(
            "^arn:" + Partition + ":iam::\\d{12}:role/(?<path>[A-Za-z0-9_+=,.@/-]*/)?(?<name>[A-Za-z0-9_+=,.@-]{1,64})\\z", RegexOptions.CultureInvariant);
        // STS's patterns are ASCII: .NET's \w would also take any Unicode letter, and $ a trailing newline.
        private static readonly Regex SessionNamePattern = new Regex("^[A-Za-z0-9_+=,.@-]{2,64}\\z", RegexOptions.CultureInvariant);
        private static readonly Regex ExternalIdPattern = new Regex("^[A-Za-z0-9_+=,.@:/-]{2,1224}\\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// The last ARN of each kind found valid. Every call is checked twice (by the cmdlet, before -WhatIf, and by the
        /// service for callers that use it directly), and a batch starts the same machine again and again; an ARN's
        /// validity depends on its text alone, so the same text need not run the patterns again. A string reference,
        /// replaced whole: another thread reads either the old ARN or the new one.
        /// </summary>
        private static string? _lastValidStateMachineArn;
        private static string? _lastValidExecutionArn;

        internal static StepFunctionsFailure Fail(string field, string errorId, string message, string? target = null)
            => new StepFunctionsFailure(FailureKind.Validation, ExitCode.DataValidationError, errorId, message, field, target);

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

        /// <summary>-Input given as something other than JSON text or plain data (the cmdlet layer says what).</summary>
        public static StepFunctionsFailure InvalidInput(string problem, string field = "input") =>
            Fail(field, "InvalidExecutionInput", $"{field} must be JSON text or plain data (a hashtable, [pscustomobject], array, string, number, boolean or date): {problem}.");

        /// <summary>True when <paramref name="text"/> is one JSON object or array.</summary>
        public static bool IsJsonContainer(string text)
        {
            var start = text.TrimStart();
            if (start.Length == 0 || (start[0] != '{' && start[0] != '[')) return false;
            try
            {
                using var _ = JsonDocument.Parse(text);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>UTF-8 that refuses text without a UTF-8 form, so measuring the input also finds half surrogate pairs.</summary>
        private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public static void Input(string? input, string field = "input")
        {
            if (input == null) return;
            int bytes;
            try
            {
                bytes = StrictUtf8.GetByteCount(input);
            }
            catch (EncoderFallbackException broken)
            {
                // Text that is not valid UTF-16 (half a surrogate pair, as a string sliced mid-character leaves) has no UTF-8
                // form: it could be neither parsed nor sent.
                throw Fail(field, "InvalidExecutionInput",
                    $"{field} contains half of a UTF-16 surrogate pair (U+{(int)input[broken.Index]:X4} at character {broken.Index}), which has no UTF-8 form; it must be valid Unicode text.");
            }
            if (bytes > MaxInputBytes)
                throw Fail(field, "InvalidExecutionInput", $"{field} must be at most {MaxInputBytes} UTF-8 bytes (got {bytes}).");
            try
            {
                using var _ = JsonDocument.Parse(input);
            }
            catch (JsonException ex)
            {
                throw Fail(field, "InvalidExecutionInput", $"{field} must be a valid JSON document: {ex.Message}");
            }
        }

        /// <summary>An execution name as the service accepts it: 1-80 characters, no whitespace, no forbidden or control characters.</summary>
        public static void ExecutionName(string? name, string field = "execution_name")
        {
            if (string.IsNullOrEmpty(name))
                throw Fail(field, "InvalidExecutionName", $"{field} must not be empty.");
            if (name!.Length > MaxNameLength)
                throw Fail(field, "InvalidExecutionName", $"{field} must be at most {MaxNameLength} characters (got {name.Length}).", name);
            var bad = FirstForbidden(name);
            if (bad != null)
                throw Fail(field, "InvalidExecutionName",
                    $"{field} '{Printable(name)}' contains {bad}; names may not contain whitespace, control characters or any of < > {{ }} [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /.", Printable(name));
        }

        public static void RunCount(int runCount, string field = "run_count")
        {
            if (runCount < 1)
                throw Fail(field, "InvalidRunCount", $"{field} must be 1 or more (got {runCount}).");
        }

        public static void PollingInterval(double seconds, string field = "polling_interval")
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds < MinPollingIntervalSeconds || seconds > MaxPollingIntervalSeconds)
                throw Fail(field, "InvalidPollingInterval",
                    $"{field} must be greater than 0 (at least {MinPollingIntervalSeconds.ToString(CultureInfo.InvariantCulture)}) and at most {MaxPollingIntervalSeconds} seconds (got {seconds.ToString(CultureInfo.InvariantCulture)}).");
        }

        public static void Timeout(double? seconds, string field = "timeout")
        {
            if (seconds == null) return;
            var value = seconds.Value;
            if (double.IsNaN(value) || double.IsInfinity(value) || value <= 0 || value > MaxTimeoutSeconds)
                throw Fail(field, "InvalidTimeout",
                    $"{field} must be greater than 0 and at most {MaxTimeoutSeconds} seconds (got {value.ToString(CultureInfo.InvariantCulture)}).");
        }

        public static void WaitOptions(WaitOptions options)
        {
            PollingInterval(options.PollingIntervalSeconds);
            Timeout(options.TimeoutSeconds);
            if (double.IsNaN(options.UnreachableTimeoutSeconds) || options.UnreachableTimeoutSeconds <= 0 || options.UnreachableTimeoutSeconds > MaxTimeoutSeconds)
                throw Fail("unreachable_timeout", "InvalidUnreachableTimeout",
                    $"unreachable_timeout must be greater than 0 and at most {MaxTimeoutSeconds} seconds (got {options.UnreachableTimeoutSeconds.ToString(CultureInfo.InvariantCulture)}).");
        }

        public static void RoleArn(string? arn, string field = "role_arn")
        {
            if (string.IsNullOrWhiteSpace(arn))
                throw Fail(field, "InvalidRoleArn", $"{field} must not be empty when role based access is used.");
            if (arn!.Length > 2048 || !RoleArnPattern.IsMatch(arn))
                throw Fail(field, "InvalidRoleArn",
                    $"{field} '{arn}' must be an IAM role ARN: arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:role/<optional path/><name of 1-64 characters>.", arn);
        }

        public static void RoleSessionName(string? name, string field = "role_session_name")
        {
            if (name == null) return;
            if (!SessionNamePattern.IsMatch(name))
                throw Fail(field, "InvalidRoleSessionName",
                    $"{field} '{Printable(name)}' must be 2-64 characters of letters, digits and + = , . @ - _.");
        }

        public static void ExternalId(string? externalId, string field = "external_id")
        {
            if (externalId == null) return;
            if (!ExternalIdPattern.IsMatch(externalId))
                throw Fail(field, "InvalidExternalId",
                    $"{field} must be 2-1224 characters of letters, digits and + = , . @ : / - _.");
        }

        /// <summary>
        /// The region a Step Functions ARN names (arn:partition:states:REGION:...), null for anything else. Read by position,
        /// not by pattern: a call's ARN has been validated already, and this runs on every call.
        /// </summary>
        public static string? RegionOfArn(string? arn)
        {
            if (arn is null || !arn.StartsWith("arn:", StringComparison.Ordinal)) return null;
            var service = arn.IndexOf(':', 4) + 1;
            if (service <= 0 || string.CompareOrdinal(arn, service, "states:", 0, 7) != 0) return null;
            var start = service + 7;
            var end = arn.IndexOf(':', start);
            return end > start ? arn.Substring(start, end - start) : null;
        }

        /// <summary>
        /// A call about <paramref name="arn"/> must go to the ARN's own region: Step Functions serves a state machine and its
        /// executions nowhere else, and the service's answer from another region (no such machine, or an invalid ARN) does
        /// not say why. <paramref name="source"/> says where <paramref name="region"/> came from.
        /// </summary>
        public static void ArnInRegion(string arn, string region, string source, string field)
        {
            var own = RegionOfArn(arn);
            if (own is null || string.Equals(own, region, StringComparison.Ordinal)) return;
            // A region that is no region name at all is that, not a mismatch (checked only here: the same name as the ARN's is
            // one, and a call per record pays nothing for it).
            RegionName(region);
            throw Fail(field, "RegionMismatch",
                $"{field} '{arn}' is in region '{own}', but this call goes to '{region}' ({source}): Step Functions serves a state machine "
                + "and its executions only in their own region. Leave out -Region to use the ARN's.", arn);
        }

        /// <summary>Whether <paramref name="region"/> has the shape of a region name (us-east-1), as RegionName requires.</summary>
        internal static bool IsRegionName(string region) => RegionPattern.IsMatch(region);

        public static void RegionName(string? region, string field = "region")
        {
            if (string.IsNullOrWhiteSpace(region))
                throw Fail(field, "MissingRegion",
                    $"{field} is required: pass -Region, or set AWS_REGION or AWS_DEFAULT_REGION, or a 'region' in the AWS profile.");
            if (!RegionPattern.IsMatch(region!))
                throw Fail(field, "InvalidRegion", $"{field} '{Printable(region!)}' must look like 'us-east-1' (lower-case letters, dashes and a number).", region);
        }

        public static Uri EndpointUrl(string? url, string field = "endpoint_url")
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
                throw Fail(field, "InvalidEndpointUrl", $"{field} '{Printable(url ?? "")}' must be an absolute http:// or https:// URL.", url);
            if (uri.UserInfo.Length > 0)
                throw Fail(field, "InvalidEndpointUrl", $"{field} must not carry user information.");
            return uri;
        }

        /// <summary>Explicit credentials: both parts or neither; the key id is shown in messages, the secret never.</summary>
        public static void Credentials(string? accessKeyId, System.Security.SecureString? secret)
        {
            var hasKey = !string.IsNullOrEmpty(accessKeyId);
            var hasSecret = secret != null && secret.Length > 0;
            if (!hasKey && secret != null)
                throw Fail("credentials_user", "InvalidCredentials", "credentials_user (the access key id) must not be empty when a secret access key is given.");
            if (hasKey && !hasSecret)
                throw Fail("credentials_password", "InvalidCredentials", "credentials_password (the secret access key) must not be empty when an access key id is given.");
            if (hasKey && (accessKeyId!.Length > 128 || FirstForbidden(accessKeyId) != null))
                throw Fail("credentials_user", "InvalidCredentials", "credentials_user (the access key id) must be at most 128 characters without whitespace or punctuation.");
        }

        /// <summary>The statuses ListExecutions filters by, as the service spells them.</summary>
        private static readonly string[] ExecutionStatuses = { "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE" };

        /// <summary>A status to list by, in any case (running is RUNNING); null or empty lists every status.</summary>
        public static string? ExecutionStatus(string? status, string field = "status")
            => OneOf(status, ExecutionStatuses, field, "InvalidStatusFilter");

        private static readonly string[] RedriveFilters = { "REDRIVEN", "NOT_REDRIVEN" };

        /// <summary>Whether to list redriven executions or the others, in any case; null or empty lists both.</summary>
        public static string? RedriveFilter(string? filter, string field = "redrive_filter")
            => OneOf(filter, RedriveFilters, field, "InvalidRedriveFilter");

        /// <summary>
        /// A window of start times to list (from <paramref name="startedAfter"/>, inclusive, to <paramref name="startedBefore"/>,
        /// exclusive): one that holds no instant at all is a mistake worth naming, not an empty list.
        /// </summary>
        public static void StartedWindow(DateTimeOffset? startedAfter, DateTimeOffset? startedBefore)
        {
            if (startedAfter is { } after && startedBefore is { } before && after >= before)
                throw Fail("started_after", "InvalidStartedWindow",
                    $"started_after ({after.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z) must be earlier than started_before ({before.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z): "
                    + "no execution can have started in between.");
        }

        private static readonly string[] MachineTypes = { "STANDARD", "EXPRESS" };

        /// <summary>A state machine type in any case; null or empty means both.</summary>
        public static string? MachineType(string? type, string field = "type")
            => OneOf(type, MachineTypes, field, "InvalidStateMachineType");

        /// <summary>A value of a service enum given in any case, as the service spells it; null or empty stays null.</summary>
        private static string? OneOf(string? value, string[] allowed, string field, string errorId)
        {
            if (string.IsNullOrEmpty(value)) return null;
            var upper = value!.Trim().ToUpperInvariant();
            if (Array.IndexOf(allowed, upper) < 0)
                throw Fail(field, errorId, $"{field} '{Printable(value)}' must be one of {string.Join(", ", allowed)}.", value);
            return upper;
        }

        /// <summary>How many items one page of ListExecutions or GetExecutionHistory may hold: the service's own bounds.</summary>
        public static void PageSize(int maxResults, string field = "max_results")
        {
            if (maxResults < 1 || maxResults > 1000)
                throw Fail(field, "InvalidPageSize", $"{field} must be from 1 to 1000 (got {maxResults}).");
        }

        /// <summary>
        /// An UpdateMapRun's settings: at least one (the model makes each optional, and a request with none changes nothing),
        /// each within the model's bounds.
        /// </summary>
        public static void MapRunSettings(MapRunSettings settings)
        {
            if (settings.MaxConcurrency is null && settings.ToleratedFailurePercentage is null && settings.ToleratedFailureCount is null)
                throw Fail("max_concurrency", "NoMapRunSetting",
                    "Give at least one of max_concurrency, tolerated_failure_percentage or tolerated_failure_count: the Map Run's settings to change.");
            if (settings.MaxConcurrency < 0)
                throw Fail("max_concurrency", "InvalidMaxConcurrency",
                    $"max_concurrency must be 0 or more (got {settings.MaxConcurrency}); 0 lets as many children run at once as the service allows.");
            if (settings.ToleratedFailurePercentage is { } percentage && !(percentage >= 0 && percentage <= 100))
                throw Fail("tolerated_failure_percentage", "InvalidToleratedFailurePercentage",
                    $"tolerated_failure_percentage must be from 0 to 100 (got {percentage.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
            if (settings.ToleratedFailureCount < 0)
                throw Fail("tolerated_failure_count", "InvalidToleratedFailureCount",
                    $"tolerated_failure_count must be 0 or more (got {settings.ToleratedFailureCount}).");
        }

        public static void StopReason(string? error, string? cause)
        {
            if (error != null && error.Length > 256)
                throw Fail("error", "InvalidStopError", $"error must be at most 256 characters (got {error.Length}).");
            if (cause != null && cause.Length > 32768)
                throw Fail("cause", "InvalidStopCause", $"cause must be at most 32768 characters (got {cause.Length}).");
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

        internal static string? FirstForbidden(string name)
        {
            foreach (var c in name)
            {
                if (char.IsWhiteSpace(c)) return "whitespace";
                if (c <= '\u001f' || (c >= '\u007f' && c <= '\u009f')) return $"the control character U+{(int)c:X4}";
                if ("<>{}[]?*\"#%\\^|~`$&,;:/".IndexOf(c) >= 0) return $"the forbidden character '{c}'";
            }
            var broken = IndexOfUnpairedSurrogate(name);
            return broken >= 0 ? $"half of a UTF-16 surrogate pair (U+{(int)name[broken]:X4})" : null;
        }

        /// <summary>The index of the first surrogate without its partner, or -1.</summary>
        internal static int IndexOfUnpairedSurrogate(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                else if (char.IsSurrogate(c)) return i;
            }
            return -1;
        }

        /// <summary>Control characters (and half surrogate pairs) shown as \uXXXX so a message never carries raw terminal
        /// escapes, nor text that has no UTF-8 form.</summary>
        private static string Printable(string text)
        {
            var builder = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var paired = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                    : char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]);
                var shown = c <= '\u001f' || (c >= '\u007f' && c <= '\u009f') || (char.IsSurrogate(c) && !paired);
                builder.Append(shown ? $"\\u{(int)c:x4}" : c.ToString());
            }
            return builder.ToString();
        }
    }
}
