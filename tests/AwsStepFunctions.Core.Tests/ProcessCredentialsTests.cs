using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Xunit;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>The module's own credential_process: real shell scripts as the process, run the way a profile runs them.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public class ProcessCredentialsTests : IDisposable
    {
        private const string Secret = "wJalrXUtnFEMI/K7MDENG/SECRETinTHEoutput";
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

        /// <summary>A directory with a space in its name: every command here names its script by a quoted path.</summary>
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "credential process " + Guid.NewGuid().ToString("N"));

        public ProcessCredentialsTests() => Directory.CreateDirectory(_directory);

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        private string PathOf(string name) => Path.Combine(_directory, name);

        /// <summary>An executable sh script; the command that runs it (its path quoted for sh).</summary>
        private string Script(string name, string body)
        {
            var path = PathOf(name);
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return "'" + path + "'";
        }

        /// <summary>A script that notes each run in runs.txt and prints <paramref name="document"/> (kept in a file: no quoting).</summary>
        private string Printing(string document)
        {
            File.WriteAllText(PathOf("document.json"), document);
            return Script("print.sh", $"echo run >> '{PathOf("runs.txt")}'\ncat '{PathOf("document.json")}'");
        }

        private int Runs => File.Exists(PathOf("runs.txt")) ? File.ReadAllLines(PathOf("runs.txt")).Length : 0;

        private static string Document(TimeSpan? lifetime, string extra = "")
            => "{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESSEXAMPLE01\", \"SecretAccessKey\": \"" + Secret + "\""
               + (lifetime is TimeSpan l ? ", \"Expiration\": \"" + DateTime.UtcNow.Add(l).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + "\"" : "")
               + extra + "}";

        /// <summary>The failure the module reports for a source that failed, as the task's status line carries it.</summary>
        private static async Task<StepFunctionsFailure> FailureOf(AWSCredentials credentials)
        {
            var source = new CredentialsSource(credentials, "profile 'ops'", Bound);
            var error = await Assert.ThrowsAnyAsync<Exception>(() => source.GetCredentialsAsync());
            return FailureMapper.Map(new AmazonClientException("signing failed", error), FailureContext.None);
        }

        public static TheoryData<string, string> BadDocuments() => new TheoryData<string, string>
        {
            { "", "printed nothing; it must print the credentials as a JSON object." },
            { "  \n", "printed nothing; it must print the credentials as a JSON object." },
            { "AccessKeyId=AKIA " + Secret, "printed something that is not JSON (line 1, byte 1); it must print a JSON object." },
            { "{\"Version\": 1, \"SecretAccessKey\": \"" + Secret + "\"", "printed something that is not JSON (line 1, byte 76); it must print a JSON object." },
            { "[\"" + Secret + "\"]", "printed JSON that is not an object." },
            { "{\"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"" + Secret + "\"}", "printed no Version; it must be 1." },
            { "{\"Version\": 2, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"" + Secret + "\"}", "printed Version 2; only Version 1 is supported." },
            { "{\"Version\": \"1\", \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"" + Secret + "\"}", "printed a Version that is not the number 1." },
            { "{\"Version\": 1, \"SecretAccessKey\": \"" + Secret + "\"}", "printed no AccessKeyId." },
            { "{\"Version\": 1, \"AccessKeyId\": \"\", \"SecretAccessKey\": \"" + Secret + "\"}", "printed no AccessKeyId." },
            { "{\"Version\": 1, \"AccessKeyId\": 17, \"SecretAccessKey\": \"" + Secret + "\"}", "printed an AccessKeyId that is not a string." },
            { "{\"Version\": 1, \"AccessKeyId\": \"AKIA\"}", "printed no SecretAccessKey." },
            { "{\"Version\": 1, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": null}", "printed no SecretAccessKey." },
            { "{\"Version\": 1, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"" + Secret + "\", \"SessionToken\": 5}", "printed a SessionToken that is not a string." },
            { "{\"Version\": 1, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"" + Secret + "\", \"Expiration\": \"tomorrow\"}",
                "printed an Expiration that is not an ISO 8601 time (such as 2025-01-31T12:00:00Z)." },
            { "{\"Version\": 1, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"" + Secret + "\", \"Expiration\": \"01/02/2099\"}",
                "printed an Expiration that is not an ISO 8601 time (such as 2025-01-31T12:00:00Z)." },
            { "{\"Version\": 1, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"" + Secret + "\", \"Expiration\": \"2001-02-03T04:05:06Z\"}",
                "printed credentials that had already expired (Expiration 2001-02-03T04:05:06Z, now " },
        };

        [Theory]
        [MemberData(nameof(BadDocuments))]
        public async Task Each_broken_rule_has_its_own_message_naming_the_profile_and_never_the_secret(string document, string rule)
        {
            using var credentials = new ProcessCredentials("ops", Printing(document), Bound);

            var failure = await FailureOf(credentials);

            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal("CredentialsUnavailable", failure.ErrorId);
            Assert.True(failure.FromCredentials);
            Assert.StartsWith("Could not get credentials from profile 'ops': credential_process of profile 'ops' " + rule, failure.Message);
            Assert.DoesNotContain(Secret, failure.Message);
            Assert.DoesNotContain(Secret, FailureMapper.Causes(failure));
        }

        [Fact]
        public async Task A_good_document_gives_its_keys_token_and_expiry_and_extra_fields_a_BOM_and_a_trailing_comma_do_no_harm()
        {
            var document = Document(TimeSpan.FromMinutes(15), ", \"SessionToken\": \"token-1\", \"AccountId\": \"123456789012\", \"Future\": {\"a\": [1]},");
            File.WriteAllText(PathOf("document.json"), document, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            using var credentials = new ProcessCredentials("ops", Script("print.sh", $"cat '{PathOf("document.json")}'"), Bound);

            var keys = await credentials.GetCredentialsAsync();

            Assert.Equal("AKIAPROCESSEXAMPLE01", keys.AccessKey);
            Assert.Equal(Secret, keys.SecretKey);
            Assert.Equal("token-1", keys.Token);
            Assert.InRange(credentials.Expiration!.Value, DateTime.UtcNow.AddMinutes(14), DateTime.UtcNow.AddMinutes(15));
            // Version 1.0 is 1, as the AWS CLI compares it; an Expiration without an offset is UTC.
            var parsed = CredentialProcessOutput.Parse(System.Text.Encoding.UTF8.GetBytes(
                "{\"Version\": 1.0, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"s\", \"Expiration\": \"2099-01-02T03:04:05\"}"), "ops", DateTime.UtcNow);
            Assert.Equal(new DateTime(2099, 1, 2, 3, 4, 5, DateTimeKind.Utc), parsed.ExpiresUtc);
        }

        [Fact]
        public async Task A_non_zero_exit_is_exit_2_with_the_start_of_the_error_output_on_one_line()
        {
            var noise = string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i} of the error output\n"));
            File.WriteAllText(PathOf("noise.txt"), noise);
            var command = Script("fails.sh", $"echo 'the token has expired: run login' >&2\ncat '{PathOf("noise.txt")}' >&2\necho '{Document(null)}'\nexit 3");
            using var credentials = new ProcessCredentials("ops", command, Bound);

            var failure = await FailureOf(credentials);

            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.StartsWith("Could not get credentials from profile 'ops': credential_process of profile 'ops' exited with code 3: the token has expired: run login line 0 of the error output line 1", failure.Message);
            Assert.DoesNotContain("\n", failure.Message);
            Assert.Equal(300 + "Could not get credentials from profile 'ops': ".Length, failure.Message.Length);
            Assert.DoesNotContain(Secret, failure.Message);
        }

        [Fact]
        public async Task A_silent_non_zero_exit_says_so()
        {
            using var credentials = new ProcessCredentials("ops", Script("fails.sh", "exit 4"), Bound);
            var failure = await FailureOf(credentials);
            Assert.Equal("Could not get credentials from profile 'ops': credential_process of profile 'ops' exited with code 4 and wrote no error output.", failure.Message);
        }

        [Fact]
        public async Task Credentials_without_an_Expiration_are_fetched_once_and_never_expire()
        {
            using var credentials = new ProcessCredentials("ops", Printing(Document(null)), Bound);

            for (var i = 0; i < 5; i++) Assert.Equal("AKIAPROCESSEXAMPLE01", (await credentials.GetCredentialsAsync()).AccessKey);
            Assert.Equal("AKIAPROCESSEXAMPLE01", credentials.GetCredentials().AccessKey);

            Assert.Equal(1, Runs);
            Assert.Equal(1, credentials.Runs);
            Assert.Null(credentials.Expiration);
        }

        [Fact]
        public async Task Fifteen_minute_credentials_are_fetched_once_for_twenty_calls()
        {
            using var credentials = new ProcessCredentials("ops", Printing(Document(TimeSpan.FromMinutes(15))), Bound);
            for (var i = 0; i < 20; i++)
            {
                await credentials.GetCredentialsAsync();
                credentials.GetCredentials();
            }
            Assert.Equal(1, Runs);
        }

        [Fact]
        public async Task Control_characters_of_the_error_output_never_reach_the_message()
        {
            var command = Script("escapes.sh", "printf '\\033[31mtoken expired\\033[0m\\a\\r\\nrun login\\033[2J' >&2\nexit 1");
            using var credentials = new ProcessCredentials("ops", command, Bound);

            var failure = await FailureOf(credentials);

            Assert.EndsWith("exited with code 1: [31mtoken expired [0m run login [2J", failure.Message);
            Assert.DoesNotContain(failure.Message, c => char.IsControl(c));
        }

        [Fact]
        public async Task Callers_that_need_credentials_at_once_share_one_run_even_when_it_fails()
        {
            // Each caller queued behind a failing run started one of its own: 32 piped inputs, 32 runs one after another.
            var command = Script("fails-slowly.sh", $"echo run >> '{PathOf("runs.txt")}'\nsleep 1\necho 'helper is down' >&2\nexit 4");
            using var credentials = new ProcessCredentials("ops", command, Bound);

            var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(credentials.GetCredentialsAsync)).ToArray();
            foreach (var caller in callers)
                Assert.Contains("exited with code 4", (await Assert.ThrowsAnyAsync<Exception>(() => caller)).Message);

            Assert.Equal(1, Runs);
        }

        [Fact]
        public async Task A_refresh_that_fails_keeps_the_credentials_that_still_live_and_fails_once_they_are_about_to_expire()
        {
            // The first run prints credentials for 40 s (39-40 s from the answer: the expiry is in whole seconds); every later
            // run fails. Refresh due 9.75-10 s before the expiry; kept until an eighth of the life before it (4.875-5 s). The
            // margins leave a loaded machine about 4 s to start the failing run, and the retry pause after it (a quarter of
            // what is left) about 1 s for the next call: with 20 s credentials it was 0.45 s, and a paused CI host missed it.
            var command = Script("fails-after-first.sh", $"if [ -e '{PathOf("runs.txt")}' ]; then echo run >> '{PathOf("runs.txt")}'; echo 'helper is down' >&2; exit 4; fi\n"
                + $"echo run >> '{PathOf("runs.txt")}'\n"
                + "printf '{\"Version\":1,\"AccessKeyId\":\"AKIAKEPT\",\"SecretAccessKey\":\"s\",\"Expiration\":\"%s\"}' \"$(date -u -d '+40 seconds' +%Y-%m-%dT%H:%M:%SZ)\"");
            using var credentials = new ProcessCredentials("ops", command, Bound);
            Assert.Equal("AKIAKEPT", (await credentials.GetCredentialsAsync()).AccessKey);
            var expires = credentials.Expiration!.Value;

            // Due for the refresh, still alive: the refresh fails and the living credentials are used.
            await Task.Delay(Until(expires - TimeSpan.FromSeconds(9)));
            Assert.Equal("AKIAKEPT", (await credentials.GetCredentialsAsync()).AccessKey);
            // The caller that started the refresh waits a second at most: the failing run may still be starting.
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (Runs < 2 && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.Equal(2, Runs);
            // The next try waits a little (a quarter of what is left): not one run per call.
            Assert.Equal("AKIAKEPT", (await credentials.GetCredentialsAsync()).AccessKey);
            Assert.Equal(2, Runs);

            // About to expire (a request signed now could reach the service expired): now the failure is the caller's.
            await Task.Delay(Until(expires - TimeSpan.FromSeconds(3)));
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => credentials.GetCredentialsAsync());
            Assert.Contains("exited with code 4: helper is down", failure.Message);
            Assert.Equal(3, Runs);
        }

        /// <summary>How long until a UTC time; zero once it has passed (a loaded machine may already be there).</summary>
        private static TimeSpan Until(DateTime utc) => TimeSpan.FromTicks(Math.Max(0, (utc - DateTime.UtcNow).Ticks));

        [Fact]
        public async Task Short_lived_credentials_are_fetched_again_a_quarter_of_their_lifetime_before_expiry()
        {
            // Eight seconds to the second: refreshed a quarter of the lifetime before expiry, not at every call.
            var command = Script("short.sh", $"echo run >> '{PathOf("runs.txt")}'\n"
                + "printf '{\"Version\":1,\"AccessKeyId\":\"AKIA%s\",\"SecretAccessKey\":\"s\",\"Expiration\":\"%s\"}' "
                + "\"$(date +%N)\" \"$(date -u -d '+8 seconds' +%Y-%m-%dT%H:%M:%SZ)\"");
            using var credentials = new ProcessCredentials("ops", command, Bound);

            var first = await credentials.GetCredentialsAsync();
            // Not before the refresh: the expiry is in whole seconds and a slow start eats into it, so the refresh comes
            // 1.75 to 2 s before the expiry at the earliest (a quarter of a life of 7 to 8 s, less the start); 3.5 s before
            // leaves a host that loses the CPU for a second 1.5 s (4 s credentials left 0.5 s, and a paused run used it up).
            await Task.Delay(Until(credentials.Expiration!.Value - TimeSpan.FromSeconds(3.5)));
            Assert.Equal(first.AccessKey, (await credentials.GetCredentialsAsync()).AccessKey);
            Assert.Equal(first.AccessKey, credentials.GetCredentials().AccessKey);
            Assert.Equal(1, Runs);

            // After the refresh is due and before the expiry (a margin of at least 0.5 s for any life over 2 s).
            await Task.Delay(Until(credentials.Expiration!.Value - TimeSpan.FromSeconds(0.3)));
            var second = await credentials.GetCredentialsAsync();
            Assert.NotEqual(first.AccessKey, second.AccessKey);
            Assert.Equal(second.AccessKey, credentials.GetCredentials().AccessKey);
            Assert.Equal(2, Runs);
        }

        [Fact]
        public async Task A_process_that_never_exits_is_killed_at_its_bound_even_when_nobody_awaits_it_any_more()
        {
            var command = Script("hangs.sh", $"echo $$ > '{PathOf("pid")}'\nsleep 300");
            using var credentials = new ProcessCredentials("hangs", command, TimeSpan.FromSeconds(1));
            var clock = Stopwatch.StartNew();
            // CredentialsSource gives up at its own bound (the same value) and nothing awaits the run after that.
            var source = new CredentialsSource(credentials, "profile 'hangs'", TimeSpan.FromSeconds(1));

            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => source.GetCredentialsAsync());

            Assert.Equal("CredentialsTimeout", failure.ErrorId);
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            var pid = int.Parse(File.ReadAllText(PathOf("pid")).Trim(), CultureInfo.InvariantCulture);
            Assert.True(await Gone(pid, TimeSpan.FromSeconds(3)), $"the credential_process (pid {pid}) still runs");
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(6));
        }

        [Fact]
        public async Task A_process_whose_child_hangs_is_killed_with_the_child_and_its_own_timeout_is_exit_10()
        {
            var command = Script("spawns.sh", $"sleep 300 &\necho $! > '{PathOf("child")}'\necho $$ > '{PathOf("pid")}'\nwait");
            using var credentials = new ProcessCredentials("spawns", command, TimeSpan.FromSeconds(1));

            var failure = await Assert.ThrowsAsync<StepFunctionsFailure>(() => credentials.GetCredentialsAsync());

            Assert.Equal("CredentialsTimeout", failure.ErrorId);
            Assert.Equal(ExitCode.ConnectionError, failure.ExitCode);
            Assert.Equal("credential_process of profile 'spawns' did not finish within 1 s (three times request_timeout) and was stopped.", failure.Message);
            Assert.True(failure.FromCredentials);
            foreach (var file in new[] { "pid", "child" })
            {
                var pid = int.Parse(File.ReadAllText(PathOf(file)).Trim(), CultureInfo.InvariantCulture);
                Assert.True(await Gone(pid, TimeSpan.FromSeconds(3)), $"the {file} process (pid {pid}) still runs");
            }
        }

        [Fact]
        public async Task A_process_that_prints_without_end_is_stopped_past_64_KiB()
        {
            var command = Script("floods.sh", $"echo $$ > '{PathOf("pid")}'\nwhile :; do echo '{Secret}'; done");
            using var credentials = new ProcessCredentials("floods", command, Bound);

            var failure = await FailureOf(credentials);

            Assert.Equal(ExitCode.AuthenticationError, failure.ExitCode);
            Assert.Equal("Could not get credentials from profile 'ops': credential_process of profile 'floods' printed more than 64 KiB, which is no credentials document; it was stopped.", failure.Message);
            var pid = int.Parse(File.ReadAllText(PathOf("pid")).Trim(), CultureInfo.InvariantCulture);
            Assert.True(await Gone(pid, TimeSpan.FromSeconds(3)), $"the credential_process (pid {pid}) still runs");
        }

        [Fact]
        public async Task The_command_line_goes_to_sh_whole_arguments_quotes_spaces_and_backslashes_included()
        {
            var script = Script("print args.sh", $"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{PathOf("args.txt")}'\necho '{Document(null)}'");
            var command = script + " \"two words\" 'it'\\''s' 'a\\b' \"c:\\dir\" plain\\ space \"$(echo sub)\"";
            using var credentials = new ProcessCredentials("ops", command, Bound);

            Assert.Equal("AKIAPROCESSEXAMPLE01", (await credentials.GetCredentialsAsync()).AccessKey);

            Assert.Equal(new[] { "two words", "it's", "a\\b", "c:\\dir", "plain space", "sub" }, File.ReadAllLines(PathOf("args.txt")));
        }

        [Fact]
        public async Task The_process_reads_an_empty_input_and_its_error_output_is_not_inherited()
        {
            var command = Script("asks.sh", "echo 'a prompt on the error output' >&2\nif read answer; then exit 9; fi\n" + $"echo '{Document(null)}'");
            using var credentials = new ProcessCredentials("ops", command, Bound);
            Assert.Equal("AKIAPROCESSEXAMPLE01", (await credentials.GetCredentialsAsync()).AccessKey);
        }

        [Fact]
        public async Task The_debug_trace_says_when_it_ran_and_until_when_but_never_what_it_printed()
        {
            using var credentials = new ProcessCredentials("ops", Printing(Document(TimeSpan.FromMinutes(15))), Bound);
            var trace = new System.Collections.Generic.List<string>();
            using (RequestTrace.Begin(line => { lock (trace) trace.Add(line); }))
                await credentials.GetCredentialsAsync();
            Assert.Contains(trace, line => line.StartsWith("credential_process of profile 'ops' started at ", StringComparison.Ordinal));
            Assert.Contains(trace, line => line.StartsWith("credential_process of profile 'ops' answered in ", StringComparison.Ordinal) && line.Contains(" UTC"));
            Assert.DoesNotContain(trace, line => line.Contains(Secret) || line.Contains("AKIAPROCESSEXAMPLE01") || line.Contains("print.sh"));
        }

        [Fact]
        public void The_sh_argument_survives_dotnets_own_splitting_of_the_arguments()
        {
            foreach (var text in new[] { "plain", "a b", "'a\\b'", "x\\\\\"y", "ends\\", "ends\\\\", "\"quoted\"", "tab\there" })
            {
                var arguments = "-c " + CredentialProcess.QuotedArgument("printf %s \"$1\"") + " sh " + CredentialProcess.QuotedArgument(text);
                var info = new ProcessStartInfo("/bin/sh", arguments)
                    { RedirectStandardOutput = true, UseShellExecute = false };
                using var process = Process.Start(info)!;
                var echoed = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                Assert.Equal(text, echoed);
            }
        }

        [Fact]
        public void The_profile_holding_the_command_is_found_along_the_source_profile_chain()
        {
            File.WriteAllText(PathOf("credentials"), "[keys]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n");
            File.WriteAllText(PathOf("config"), string.Join("\n",
                "[profile direct]", "credential_process = /opt/helper --profile direct",
                "[profile outer]", "role_arn = arn:aws:iam::123456789012:role/Outer", "source_profile = inner",
                "[profile inner]", "role_arn = arn:aws:iam::123456789012:role/Inner", "source_profile = direct",
                "[profile loop]", "role_arn = arn:aws:iam::123456789012:role/Loop", "source_profile = loop2",
                "[profile loop2]", "role_arn = arn:aws:iam::123456789012:role/Loop", "source_profile = loop",
                "[profile viakeys]", "role_arn = arn:aws:iam::123456789012:role/Keys", "source_profile = keys", ""));
            var profiles = new SharedCredentialsFile(PathOf("credentials"));

            Assert.Equal(("direct", "/opt/helper --profile direct"), ProcessProfileSource.Leaf(profiles, "direct"));
            Assert.Equal(("direct", "/opt/helper --profile direct"), ProcessProfileSource.Leaf(profiles, "outer"));
            Assert.Null(ProcessProfileSource.Leaf(profiles, "viakeys"));
            Assert.Null(ProcessProfileSource.Leaf(profiles, "loop"));
            Assert.Null(ProcessProfileSource.Leaf(profiles, "missing"));

            var sdk = new ProcessAWSCredentials("/opt/helper --profile direct");
            var ours = Assert.IsType<ProcessCredentials>(ProcessProfileSource.InPlaceOf(sdk, "outer", profiles, Bound));
            using (ours) Assert.Equal(0, ours.Runs);
            var keys = new BasicAWSCredentials("AKIA1", "s");
            Assert.Same(keys, ProcessProfileSource.InPlaceOf(keys, "direct", profiles, Bound));
        }

        /// <summary>Whether the process has ended within <paramref name="within"/>: gone, or a zombie that nobody reaped yet.</summary>
        private static async Task<bool> Gone(int pid, TimeSpan within)
        {
            var clock = Stopwatch.StartNew();
            do
            {
                string stat;
                try
                {
                    stat = File.ReadAllText($"/proc/{pid}/stat");
                }
                catch (IOException)
                {
                    return true;
                }
                var state = stat.Substring(stat.LastIndexOf(')') + 2, 1);
                if (state == "Z" || state == "X") return true;
                await Task.Delay(50);
            } while (clock.Elapsed < within);
            return false;
        }
    }
}
