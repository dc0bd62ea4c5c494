using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// The core words its failures for the Universal task, in the extension's field names ("proxy_credentials_user must be
    /// set when proxy_type is HttpsWithCredentials"), and the output's status_description keeps that wording, as the task's
    /// JSON must. An error record of a cmdlet speaks to someone who typed parameters: its message names the parameters that
    /// set those fields ("-ProxyCredential must be set when -ProxyType is HttpsWithCredentials").
    /// </summary>
    internal static class ParameterWording
    {
        // Field names with an underscore cannot be prose: they are rewritten wherever they stand.
        private static readonly Dictionary<string, string> CompoundFields = new Dictionary<string, string>
        {
            ["state_machine_arn"] = "-StateMachineArn",
            ["execution_arn"] = "-ExecutionArn",
            ["map_run_arn"] = "-MapRunArn",
            ["started_after"] = "-StartedAfter",
            ["started_before"] = "-StartedBefore",
            ["max_concurrency"] = "-MaxConcurrency",
            ["tolerated_failure_percentage"] = "-ToleratedFailurePercentage",
            ["tolerated_failure_count"] = "-ToleratedFailureCount",
            ["execution_name"] = "-ExecutionName",
            ["run_count"] = "-RunCount",
            ["polling_interval"] = "-PollingInterval",
            ["unreachable_timeout"] = "-UnreachableTimeout",
            ["request_timeout"] = "-RequestTimeout",
            ["credentials_user"] = "-Credential",
            ["credentials_password"] = "-Credential",
            ["profile_name"] = "-ProfileName",
            ["role_arn"] = "-RoleArn",
            ["external_id"] = "-ExternalId",
            ["role_session_name"] = "-RoleSessionName",
            ["endpoint_url"] = "-EndpointUrl",
            ["proxy_type"] = "-ProxyType",
            ["proxy_credentials_user"] = "-ProxyCredential",
            ["proxy_credentials_password"] = "-ProxyCredential",
            ["proxy_ca_bundle_file"] = "-ProxyCaBundleFile",
        };

        // One-word field names are also plain words ("the proxy answered", "input"): only a message's subject is rewritten.
        private static readonly Dictionary<string, string> WordFields = new Dictionary<string, string>
        {
            ["input"] = "-Input",
            ["timeout"] = "-Timeout",
            ["region"] = "-Region",
            ["proxy"] = "-Proxy",
            ["error"] = "-Error",
            ["cause"] = "-Cause",
        };

        // Where a parameter sets several fields, the message names the part (before the fields are rewritten one by one).
        private static readonly (string Said, string Meant)[] Phrases =
        {
            ("credentials_user and credentials_password", "-Credential"),
            ("credentials_user (the access key id)", "-Credential's user name (the access key id)"),
            ("credentials_password (the secret access key)", "-Credential's password (the secret access key)"),
        };

        // A quoted value ('...', not the apostrophe of "the ARN's") is the user's text, kept as it is: a state machine may
        // well be named run_count.
        private static readonly Regex CompoundOrQuoted = new Regex(
            "(?<!\\w)'[^']*'|(?<![\\w-])(?<field>" + string.Join("|", CompoundFields.Keys) + ")(?!\\w)", RegexOptions.CultureInvariant);

        private static readonly Regex Subject = new Regex(
            "^(?<field>" + string.Join("|", WordFields.Keys) + ")(?=[ :'(]|$)", RegexOptions.CultureInvariant);

        // "use proxy_credentials_user/-ProxyCredential" names one parameter twice once rewritten.
        private static readonly Regex Repeated = new Regex("(?<name>-[A-Za-z]+)/\\k<name>(?![\\w-])", RegexOptions.CultureInvariant);

        public static string For(string message)
        {
            foreach (var (said, meant) in Phrases) message = message.Replace(said, meant);
            var worded = CompoundOrQuoted.Replace(message, m => m.Groups["field"].Success ? CompoundFields[m.Groups["field"].Value] : m.Value);
            worded = Repeated.Replace(worded, m => m.Groups["name"].Value);
            return Subject.Replace(worded, m => WordFields[m.Groups["field"].Value]);
        }
    }
}
