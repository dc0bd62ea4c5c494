using System;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    public class ValidationTests
    {
        private static StepFunctionsFailure Fails(Action action, string field)
        {
            var failure = Assert.Throws<StepFunctionsFailure>(action);
            Assert.Equal(FailureKind.Validation, failure.Kind);
            Assert.Equal(ExitCode.DataValidationError, failure.ExitCode);
            Assert.Equal(field, failure.Field);
            Assert.Contains(field, failure.Message);
            return failure;
        }

        [Theory]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello:1")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello:PROD")]
        [InlineData("arn:aws-cn:states:cn-north-1:123456789012:stateMachine:Hello")]
        [InlineData("arn:aws-us-gov:states:us-gov-west-1:123456789012:stateMachine:Hello")]
        // The isolated and sovereign partitions, named by the SDK's partition table.
        [InlineData("arn:aws-iso-b:states:us-isob-east-1:123456789012:stateMachine:Hello")]
        [InlineData("arn:aws-eusc:states:eusc-de-east-1:123456789012:stateMachine:Hello")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello#HappyPath")]
        public void Good_state_machine_arns_pass(string arn) => Validate.StateMachineArn(arn);

        [Theory]
        [InlineData("", "required")]
        [InlineData("not-an-arn", "must look like")]
        [InlineData("arn:aws:lambda:us-east-1:123456789012:function:Hello", "must look like")]
        [InlineData("arn:aws-iso:states:us-east-1:123456789012:stateMachine:Hello", "partition")]
        [InlineData("arn:aws:states:cn-north-1:123456789012:stateMachine:Hello", "belongs to 'aws-cn'")]
        [InlineData("arn:aws-cn:states:us-east-1:123456789012:stateMachine:Hello", "belongs to 'aws'")]
        [InlineData("arn:aws:states:eusc-de-east-1:123456789012:stateMachine:Hello", "belongs to 'aws-eusc'")]
        [InlineData("arn:amazon:states:us-east-1:123456789012:stateMachine:Hello", "partition name")]
        [InlineData("arn:aws:states:useast1:123456789012:stateMachine:Hello", "region")]
        [InlineData("arn:aws:states:us-east-1:12345678901:stateMachine:Hello", "12-digit")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hel lo", "invalid state machine name")]
        [InlineData("arn:aws:states:us-east-1:123456789012:execution:Hello:run-1", "is an execution ARN")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello#", "test case")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello#Happy Path", "test case")]
        public void Bad_state_machine_arns_fail_with_the_rule(string arn, string rule)
        {
            var failure = Fails(() => Validate.StateMachineArn(arn), "state_machine_arn");
            Assert.Equal("InvalidStateMachineArn", failure.ErrorId);
            Assert.Contains(rule, failure.Message);
        }

        [Theory]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello#HappyPath", "arn:aws:states:us-east-1:123456789012:stateMachine:Hello")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello", "arn:aws:states:us-east-1:123456789012:stateMachine:Hello")]
        public void Test_case_suffix_is_removed_for_everything_but_the_start(string arn, string expected)
            => Assert.Equal(expected, Validate.WithoutTestCase(arn));

        [Fact]
        public void Over_long_state_machine_arn_fails()
            => Assert.Contains("at most 256", Fails(() => Validate.StateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:" + new string('a', 220)), "state_machine_arn").Message);

        [Theory]
        [InlineData(" arn:aws:states:us-east-1:123456789012:stateMachine:Nightly")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Nightly\t")]
        public void A_padded_arn_is_named_as_such(string arn)
        {
            Assert.Contains("leading or trailing whitespace", Fails(() => Validate.StateMachineArn(arn), "state_machine_arn").Message);
            var execution = arn.Replace("stateMachine:Nightly", "execution:Nightly:run");
            Assert.Contains("leading or trailing whitespace", Fails(() => Validate.ExecutionArn(execution), "execution_arn").Message);
        }

        [Theory]
        [InlineData("arn:aws:states:eu-west-1:123456789012:stateMachine:Nightly:prod", "eu-west-1")]
        [InlineData("arn:aws:states:us-east-1:123456789012:execution:Nightly/Doubler:abc", "us-east-1")]
        [InlineData("arn:aws:states:us-east-1:123456789012:express:Nightly:run:id", "us-east-1")]
        [InlineData("not-an-arn", null)]
        public void The_region_of_an_arn_is_read_from_it(string arn, string? region) => Assert.Equal(region, Validate.RegionOfArn(arn));

        [Fact]
        public void A_region_other_than_the_arns_is_refused()
        {
            Validate.ArnInRegion("arn:aws:states:us-east-1:123456789012:stateMachine:N", "us-east-1", "-Region", "state_machine_arn");
            var failure = Fails(() => Validate.ArnInRegion("arn:aws:states:us-east-1:123456789012:stateMachine:N", "eu-west-1", "-Region", "state_machine_arn"), "state_machine_arn");
            Assert.Equal("RegionMismatch", failure.ErrorId);
        }

        [Theory]
        [InlineData("arn:aws:states:us-east-1:123456789012:execution:Hello:run-1")]
        [InlineData("arn:aws:states:us-east-1:123456789012:express:Hello:run-1:0a1b2c3d-1111-2222-3333-444455556666")]
        public void Good_execution_arns_pass(string arn) => Validate.ExecutionArn(arn);

        [Theory]
        [InlineData("", "required")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello", "is a state machine ARN")]
        [InlineData("arn:aws:states:us-east-1:123456789012:express:Hello:run-1", "must look like")]
        [InlineData("arn:aws:states:us-east-1:1234:execution:Hello:run-1", "12-digit")]
        public void Bad_execution_arns_fail(string arn, string rule)
            => Assert.Contains(rule, Fails(() => Validate.ExecutionArn(arn), "execution_arn").Message);

        /// <summary>Validate remembers the last ARN of each kind it passed (every call is checked twice): what it remembers
        /// must never let a different ARN through, nor an ARN of the other kind.</summary>
        [Fact]
        public void A_remembered_valid_arn_lets_no_other_arn_through()
        {
            const string machine = "arn:aws:states:us-east-1:123456789012:stateMachine:Remembered";
            const string execution = "arn:aws:states:us-east-1:123456789012:execution:Remembered:run-1";
            Validate.StateMachineArn(machine);
            Validate.StateMachineArn(machine, "other_field");
            Assert.Contains("12-digit", Fails(() => Validate.StateMachineArn(machine.Replace("123456789012", "1234")), "state_machine_arn").Message);
            Assert.Contains("is a state machine ARN", Fails(() => Validate.ExecutionArn(machine), "execution_arn").Message);
            Validate.ExecutionArn(execution);
            Validate.ExecutionArn(execution);
            Assert.Contains("is an execution ARN", Fails(() => Validate.StateMachineArn(execution), "state_machine_arn").Message);
            Assert.Contains("must look like", Fails(() => Validate.ExecutionArn(execution + ":x:y"), "execution_arn").Message);
        }

        private const string ExpressArn = "arn:aws:states:us-east-1:123456789012:express:Hello:run-1:0a1b2c3d-1111-2222-3333-444455556666";
        private const string MapRunChildArn = "arn:aws:states:us-east-1:123456789012:express:Hello/Map1:run-1:0a1b2c3d-1111-2222-3333-444455556666";

        [Theory]
        [InlineData(false, "cannot be read or waited for (DescribeExecution does not support EXPRESS executions). Start an EXPRESS machine and wait for it in one call (-Wait: StartSyncExecution)")]
        [InlineData(true, "cannot be stopped (StopExecution does not support EXPRESS executions). It ends on its own within 5 minutes")]
        public void Express_executions_cannot_be_read_waited_for_or_stopped(bool stopping, string rule)
        {
            var failure = Fails(() => Validate.TrackedExecutionArn(ExpressArn, stopping), "execution_arn");
            Assert.Equal("ExpressExecutionNotTracked", failure.ErrorId);
            Assert.Equal(ExpressArn, failure.Target);
            Assert.Contains($"execution_arn '{ExpressArn}' is an EXPRESS execution", failure.Message);
            Assert.Contains(rule, failure.Message);
            Assert.EndsWith("; its history is in the machine's CloudWatch Logs.", failure.Message);
        }

        [Fact]
        public void A_map_runs_express_child_can_be_read_but_not_stopped()
        {
            Validate.TrackedExecutionArn(MapRunChildArn, stopping: false);
            Assert.Equal("ExpressExecutionNotTracked", Fails(() => Validate.TrackedExecutionArn(MapRunChildArn, stopping: true), "execution_arn").ErrorId);
        }

        [Theory]
        [InlineData("arn:aws:states:us-east-1:123456789012:execution:Hello:run-1")]
        [InlineData("arn:aws:states:us-east-1:123456789012:execution:express:express")]
        public void Standard_executions_are_tracked_whatever_their_names(string arn)
        {
            Validate.TrackedExecutionArn(arn, stopping: false);
            Validate.TrackedExecutionArn(arn, stopping: true);
            Validate.HistoricExecutionArn(arn);
            Assert.False(Validate.IsExpressExecutionArn(arn));
            Assert.True(Validate.IsExpressExecutionArn(ExpressArn));
        }

        private const string MapRunArn = "arn:aws:states:us-east-1:123456789012:mapRun:Hello/Map1:0a1b2c3d-1111-2222-3333-444455556666";

        [Fact]
        public void A_map_run_arn_names_the_machine_and_label_and_the_label_is_read_from_it()
        {
            Validate.MapRunArn(MapRunArn);
            Assert.Equal("Map1", MapRun.LabelOf(MapRunArn));
            // The model allows a Map Run ARN 2,000 characters, not the 256 of other ARNs: a long machine name and label fit.
            Validate.MapRunArn($"arn:aws:states:us-east-1:123456789012:mapRun:{new string('m', 80)}/{new string('l', 200)}:0a1b2c3d-1111-2222-3333-444455556666");
        }

        [Theory]
        [InlineData("arn:aws:states:us-east-1:123456789012:execution:Hello:run-1", "is an execution ARN; a Map Run ARN is expected")]
        [InlineData("arn:aws:states:us-east-1:123456789012:mapRun:Hello:0a1b2c3d", "must look like arn:<partition>:states:<region>:<12-digit account>:mapRun:<state machine>/<Map label>:<id>")]
        [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:Hello", "must look like")]
        [InlineData("arn:aws:states:us-east-1:12345:mapRun:Hello/Map1:0a1b2c3d", "must carry a 12-digit account id")]
        [InlineData("arn:aws-cn:states:us-east-1:123456789012:mapRun:Hello/Map1:0a1b2c3d", "that region belongs to 'aws'")]
        [InlineData(" arn:aws:states:us-east-1:123456789012:mapRun:Hello/Map1:0a1b2c3d", "leading or trailing whitespace")]
        [InlineData("", "map_run_arn is required")]
        [InlineData(null, "map_run_arn is required: an execution that no Distributed Map started has none")]
        public void A_map_run_arn_is_refused_naming_the_field_and_the_rule(string? arn, string rule)
        {
            var failure = Fails(() => Validate.MapRunArn(arn), "map_run_arn");
            Assert.Equal("InvalidMapRunArn", failure.ErrorId);
            Assert.Contains(rule, failure.Message);
        }

        [Fact]
        public void A_start_time_window_that_holds_no_time_is_refused_naming_both_ends()
        {
            var at = new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.FromHours(1));
            var failure = Fails(() => Validate.StartedWindow(at, at), "started_after");
            Assert.Equal("InvalidStartedWindow", failure.ErrorId);
            // Both ends in UTC, whatever offset they were given in.
            Assert.Equal("started_after (2026-12-01 07:30:00.000Z) must be earlier than started_before (2026-12-01 07:30:00.000Z): "
                + "no execution can have started in between.", failure.Message);
            Fails(() => Validate.StartedWindow(at, at.AddMilliseconds(-1)), "started_after");
            Validate.StartedWindow(at, at.AddMilliseconds(1));
            Validate.StartedWindow(at, null);
            Validate.StartedWindow(null, at);
            Validate.StartedWindow(null, null);
        }

        [Theory]
        [InlineData(null, null, null, "NoMapRunSetting", "max_concurrency", "Give at least one of max_concurrency, tolerated_failure_percentage or tolerated_failure_count")]
        [InlineData(-1, null, null, "InvalidMaxConcurrency", "max_concurrency", "max_concurrency must be 0 or more (got -1)")]
        [InlineData(null, -0.5, null, "InvalidToleratedFailurePercentage", "tolerated_failure_percentage", "tolerated_failure_percentage must be from 0 to 100 (got -0.5)")]
        [InlineData(null, 100.01, null, "InvalidToleratedFailurePercentage", "tolerated_failure_percentage", "(got 100.01)")]
        [InlineData(null, double.NaN, null, "InvalidToleratedFailurePercentage", "tolerated_failure_percentage", "(got NaN)")]
        [InlineData(null, null, -1L, "InvalidToleratedFailureCount", "tolerated_failure_count", "tolerated_failure_count must be 0 or more (got -1)")]
        public void Map_run_settings_out_of_the_models_bounds_are_refused_naming_the_field(int? concurrency, double? percentage, long? count,
            string errorId, string field, string rule)
        {
            var settings = new MapRunSettings { MaxConcurrency = concurrency, ToleratedFailurePercentage = percentage, ToleratedFailureCount = count };
            var failure = Fails(() => Validate.MapRunSettings(settings), field);
            Assert.Equal(errorId, failure.ErrorId);
            Assert.Contains(rule, failure.Message);
        }

        [Fact]
        public void Map_run_settings_at_the_models_bounds_are_taken_and_shown_as_given()
        {
            var settings = new MapRunSettings { MaxConcurrency = 0, ToleratedFailurePercentage = 100, ToleratedFailureCount = 0 };
            Validate.MapRunSettings(settings);
            Validate.MapRunSettings(new MapRunSettings { ToleratedFailurePercentage = 0 });
            Assert.Equal("MaxConcurrency 0, ToleratedFailurePercentage 100, ToleratedFailureCount 0", settings.ToString());
            Assert.Equal("ToleratedFailurePercentage 12.5", new MapRunSettings { ToleratedFailurePercentage = 12.5 }.ToString());
        }

        [Fact]
        public void A_map_run_arn_longer_than_the_model_allows_is_refused_with_the_bound()
        {
            var arn = $"arn:aws:states:us-east-1:123456789012:mapRun:Hello/{new string('l', 2000)}:0a1b2c3d";
            Assert.Contains("must be at most 2000 characters", Fails(() => Validate.MapRunArn(arn), "map_run_arn").Message);
        }

        [Fact]
        public void No_express_execution_has_a_history_to_read_not_even_a_map_runs_child()
        {
            foreach (var arn in new[] { ExpressArn, MapRunChildArn })
            {
                var failure = Fails(() => Validate.HistoricExecutionArn(arn), "execution_arn");
                Assert.Equal("ExpressExecutionHistoryNotKept", failure.ErrorId);
                Assert.Equal(arn, failure.Target);
                Assert.StartsWith($"execution_arn '{arn}' is an EXPRESS execution: Step Functions keeps no history", failure.Message);
            }
        }

        [Fact]
        public void A_malformed_arn_is_refused_for_its_shape_before_its_type()
            => Assert.Contains("must look like", Fails(() => Validate.TrackedExecutionArn("arn:aws:states:us-east-1:123456789012:express:Hello:run-1", stopping: false), "execution_arn").Message);

        [Theory]
        [InlineData("{")]
        [InlineData("not json")]
        [InlineData("{\"a\":1} trailing")]
        public void Input_must_be_json(string input)
            => Assert.Contains("valid JSON", Fails(() => Validate.Input(input), "input").Message);

        // Built at run time: an attribute's string argument is stored as UTF-8, which turns half a pair into U+FFFD.
        [Theory]
        [InlineData("{\"e\":\"", 0xD800, "\"}", 6)]
        [InlineData("{\"e\":\"x", 0xDC00, "\"}", 7)]
        [InlineData("\"", 0xD83D, "\"", 1)]
        public void Input_with_half_a_surrogate_pair_is_refused_naming_where(string before, int surrogate, string after, int index)
        {
            var message = Fails(() => Validate.Input(before + (char)surrogate + after), "input").Message;
            Assert.Contains($"U+{surrogate:X4} at character {index}", message);
            // The message itself must be valid text: it reaches the output's JSON.
            Assert.Equal(-1, Validate.IndexOfUnpairedSurrogate(message));
        }

        [Fact]
        public void A_whole_surrogate_pair_is_fine_in_input_and_names()
        {
            Validate.Input("{\"emoji\":\"\uD83D\uDE00\"}");
            Validate.ExecutionName("run-\uD83D\uDE00");
            var message = Fails(() => Validate.ExecutionName("run-" + (char)0xD83D), "execution_name").Message;
            Assert.Contains("run-\\ud83d", message);
            Assert.Equal(-1, Validate.IndexOfUnpairedSurrogate(message));
        }

        [Fact]
        public void Input_is_limited_to_262144_utf8_bytes()
        {
            var justFits = "\"" + new string('a', 262142) + "\"";
            Validate.Input(justFits);
            // 'é' is two UTF-8 bytes: fewer characters than the limit but too many bytes.
            var tooBig = "\"" + new string('é', 131072) + "\"";
            Assert.Contains("262144 UTF-8 bytes", Fails(() => Validate.Input(tooBig), "input").Message);
        }

        [Theory]
        [InlineData("has space")]
        [InlineData("tab\there")]
        [InlineData("bell\u0007")]
        [InlineData("c1\u0085")]
        [InlineData("a<b")] [InlineData("a>b")] [InlineData("a{b")] [InlineData("a}b")] [InlineData("a[b")] [InlineData("a]b")]
        [InlineData("a?b")] [InlineData("a*b")] [InlineData("a\"b")] [InlineData("a#b")] [InlineData("a%b")] [InlineData("a\\b")]
        [InlineData("a^b")] [InlineData("a|b")] [InlineData("a~b")] [InlineData("a`b")] [InlineData("a$b")] [InlineData("a&b")]
        [InlineData("a,b")] [InlineData("a;b")] [InlineData("a:b")] [InlineData("a/b")]
        public void Execution_names_reject_forbidden_characters(string name)
        {
            var failure = Fails(() => Validate.ExecutionName(name), "execution_name");
            Assert.Equal("InvalidExecutionName", failure.ErrorId);
            Assert.DoesNotContain("\u0007", failure.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Execution_name_length_is_1_to_80()
        {
            Validate.ExecutionName(new string('a', 80));
            Fails(() => Validate.ExecutionName(new string('a', 81)), "execution_name");
            Fails(() => Validate.ExecutionName(""), "execution_name");
        }

        [Theory]
        [InlineData(0)] [InlineData(-1)] [InlineData(3600.5)] [InlineData(double.NaN)] [InlineData(double.PositiveInfinity)]
        public void Polling_interval_must_be_positive_and_sane(double seconds)
            => Assert.Contains("greater than 0", Fails(() => Validate.PollingInterval(seconds), "polling_interval").Message);

        [Fact]
        public void Fractional_polling_interval_is_allowed() => Validate.PollingInterval(0.05);

        [Theory]
        [InlineData(0)] [InlineData(-5)] [InlineData(1e9)]
        public void Timeout_must_be_positive(double seconds) => Fails(() => Validate.Timeout(seconds), "timeout");

        [Fact]
        public void Run_count_must_be_at_least_1() => Fails(() => Validate.RunCount(0), "run_count");

        [Theory]
        [InlineData("arn:aws:iam::123456789012:role/Deploy")]
        [InlineData("arn:aws:iam::123456789012:role/service-role/path/Deploy_Role+=,.@-")]
        [InlineData("arn:aws-cn:iam::123456789012:role/Deploy")]
        public void Good_role_arns_pass(string arn) => Validate.RoleArn(arn);

        [Theory]
        [InlineData("arn:aws:iam::123456789012:user/Deploy")]
        [InlineData("arn:aws:iam::12345:role/Deploy")]
        [InlineData("arn:aws:sts::123456789012:assumed-role/Deploy/s")]
        [InlineData("Deploy")]
        [InlineData("")]
        [InlineData("arn:aws:iam::123456789012:role/D\u00e9ploiement")]
        [InlineData("arn:aws:iam::123456789012:role/Deploy\n")]
        public void Bad_role_arns_fail(string arn) => Assert.Equal("InvalidRoleArn", Fails(() => Validate.RoleArn(arn), "role_arn").ErrorId);

        [Theory]
        [InlineData("a")] [InlineData("has space")] [InlineData("semi;colon")]
        // STS's rules are ASCII, and a trailing newline is not part of a name.
        [InlineData("sesi\u00f3n")] [InlineData("nightly\n")]
        public void Role_session_names_follow_sts_rules(string name) => Fails(() => Validate.RoleSessionName(name), "role_session_name");

        [Fact]
        public void External_id_is_2_to_1224_characters()
        {
            Validate.ExternalId("tenant:42/a=b");
            Fails(() => Validate.ExternalId("x"), "external_id");
            Fails(() => Validate.ExternalId(new string('x', 1225)), "external_id");
            Fails(() => Validate.ExternalId("has space"), "external_id");
            Fails(() => Validate.ExternalId("kunde-\u00e4"), "external_id");
            Fails(() => Validate.ExternalId("tenant42\n"), "external_id");
        }

        [Theory]
        [InlineData("US-EAST-1")] [InlineData("useast1")] [InlineData("us-east-")] [InlineData("us east 1")]
        public void Region_format(string region) => Assert.Equal("InvalidRegion", Fails(() => Validate.RegionName(region), "region").ErrorId);

        [Theory]
        [InlineData("us-east-1")] [InlineData("ap-southeast-5")] [InlineData("us-isob-east-1")] [InlineData("eusc-de-east-1")]
        public void Region_names_of_every_partition_pass(string region) => Validate.RegionName(region);

        [Theory]
        [InlineData("localhost:8083")] [InlineData("ftp://host/")] [InlineData("/relative")] [InlineData("http://user:pw@host/")]
        public void Endpoint_url_must_be_absolute_http(string url)
        {
            var failure = Fails(() => Validate.EndpointUrl(url), "endpoint_url");
            Assert.DoesNotContain("pw@", failure.Message.Replace("user:pw@host", "").Replace("'http://user:pw@host/'", ""));
        }

        [Theory]
        [InlineData("http://127.0.0.1:8083/?x=1", "must not carry a query (?...)")]
        [InlineData("https://states.example.com/#frag", "must not carry a fragment (#...)")]
        public void Endpoint_url_carries_no_query_or_fragment(string url, string rule)
        {
            // A query is signed into every request and answered as a signature mismatch: exit 2, not the 20 it is.
            var failure = Fails(() => Validate.EndpointUrl(url), "endpoint_url");
            Assert.Equal("InvalidEndpointUrl", failure.ErrorId);
            Assert.Contains(rule, failure.Message);
        }

        [Fact]
        public void Credentials_need_both_parts()
        {
            Fails(() => Validate.Credentials("AKIDEXAMPLE", TestConnections.Secure("")), "credentials_password");
            Fails(() => Validate.Credentials("AKIDEXAMPLE", null), "credentials_password");
            Fails(() => Validate.Credentials("", TestConnections.Secure("secret")), "credentials_user");
            Fails(() => Validate.Credentials("AKID EXAMPLE", TestConnections.Secure("secret")), "credentials_user");
            Validate.Credentials("AKIDEXAMPLE", TestConnections.Secure("secret"));
            Validate.Credentials(null, null);
        }

        [Fact]
        public void Stop_reason_lengths()
        {
            Fails(() => Validate.StopReason(new string('e', 257), null), "error");
            Fails(() => Validate.StopReason(null, new string('c', 32769)), "cause");
        }
    }
}
