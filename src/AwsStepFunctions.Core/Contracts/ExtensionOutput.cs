using System.Collections.Generic;
using System.Linq;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// The seed's "Extension Output". Property names are the seed's own, so the object and its JSON agree.
    /// </summary>
    public sealed class ExtensionOutput
    {
        public int exit_code { get; set; }
        public string status_description { get; set; } = "";
        public bool changed { get; set; }
        public Invocation invocation { get; set; } = new Invocation();
        public ExecutionResult? result { get; set; }

        /// <summary>The canonical JSON (seed member names, dates as 2023-08-15 16:27:58.977000+03:00).</summary>
        public string ToJson() => OutputJson.Write(this);

        /// <summary>
        /// Build the output for a finished call: exit code and status_description from the result. A final status decides
        /// (SUCCEEDED 0, FAILED 23, ABORTED 24, TIMED_OUT 25) whether or not this call waited; a running execution is 0.
        /// </summary>
        public static ExtensionOutput FromResult(Invocation invocation, ExecutionResult result, bool changed, bool waited)
        {
            var code = Outcomes.ForStatus(result.Status);
            string description;
            if (code != ExitCode.Success)
                description = $"FAILED: Step Function is in {result.Status} state.";
            else if (result.Status == "SUCCEEDED")
                description = "SUCCESS: Step Function is in SUCCEEDED state.";
            else if (changed && !waited)
                description = $"SUCCESS: Step Function execution '{result.Name ?? result.ExecutionArn}' started; it is in {result.Status} state.";
            else
                description = $"SUCCESS: Step Function is in {result.Status} state.";
            return new ExtensionOutput
            {
                exit_code = (int)code,
                status_description = description,
                changed = changed,
                invocation = invocation,
                result = result,
            };
        }

        /// <summary>Build the output for a failure. A failure after the start (wait timeout, cancel) still reports the execution.</summary>
        public static ExtensionOutput FromFailure(Invocation invocation, StepFunctionsFailure failure)
            => new ExtensionOutput
            {
                exit_code = (int)failure.ExitCode,
                status_description = Outcomes.Prefix(failure.ExitCode) + " " + failure.Message,
                changed = failure.ExecutionStarted,
                invocation = invocation,
                result = failure.Execution,
            };
    }

    public sealed class Invocation
    {
        public const string Masked = "****";

        public string extension { get; set; } = "ue-aws-stepfunctions";
        public string version { get; set; } = "";
        /// <summary>Every input field under the seed's names; secrets are already "****".</summary>
        public IDictionary<string, object?> fields { get; set; } = new SortedDictionary<string, object?>();

        /// <summary>
        /// The invocation for a call. Both credential pairs are shown as "****" when set (user names too: the issue asks for
        /// "credentials shown as ****", and an access key id identifies the account), null when not given.
        /// </summary>
        public static Invocation For(string action, ConnectionSettings settings, StartRequest? request, string version)
        {
            var proxy = settings.Proxy == null ? null : string.Join(",", settings.Proxy.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()));
            var fields = new SortedDictionary<string, object?>
            {
                ["action"] = action,
                ["credentials_user"] = string.IsNullOrEmpty(settings.AccessKeyId) ? null : Masked,
                ["credentials_password"] = settings.SecretAccessKey == null ? null : Masked,
                ["region"] = settings.Region,
                ["role_based_access"] = !string.IsNullOrEmpty(settings.RoleArn),
                ["role_arn"] = settings.RoleArn,
                ["state_machine_arn"] = request?.StateMachineArn,
                ["execution_name"] = request?.ExecutionName,
                ["input"] = request?.Input,
                ["use_proxy"] = !string.IsNullOrEmpty(proxy),
                ["wait_for_success_or_failure"] = request?.Wait ?? false,
                ["polling_interval"] = request?.WaitOptions.PollingIntervalSeconds,
                ["proxy_type"] = string.IsNullOrEmpty(proxy) ? null : ProxyTypeName(settings.ProxyKind),
                ["proxy"] = string.IsNullOrEmpty(proxy) ? null : ProxyPlan.Display(proxy!),
                ["proxy_credentials_user"] = string.IsNullOrEmpty(settings.ProxyUserName) ? null : Masked,
                ["proxy_credentials_password"] = settings.ProxyPassword == null ? null : Masked,
                ["proxy_ca_bundle_file"] = settings.ProxyCaBundleFile,
            };
            return new Invocation { version = version, fields = fields };
        }

        /// <summary>The seed's proxy_type values.</summary>
        public static string ProxyTypeName(ProxyKind kind) => kind switch
        {
            ProxyKind.Https => "https",
            ProxyKind.HttpsWithCredentials => "https_with_credentials",
            _ => "http",
        };
    }
}
