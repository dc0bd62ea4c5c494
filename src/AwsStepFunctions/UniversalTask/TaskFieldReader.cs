using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.UniversalTask
{
    /// <summary>
    /// The Universal task's fields, given as text the way a Universal Agent passes them, read into Start-UeStepFunction's
    /// parameters. Blank is unset (the cmdlet's default applies) for every field, and a value is read without the blanks
    /// around it; a field that cannot be read is a TaskFieldException naming the field and the rule. Values that read fine
    /// but are wrong (a malformed ARN, input that is no JSON) are the cmdlet's to refuse, with the module's own words.
    /// Nothing here touches the core: a copy of the module whose core is missing still tells a bad field from a good one.
    /// </summary>
    internal static class TaskFieldReader
    {
        public const string Action = "Start Asynchronous Execution";

        public static Dictionary<string, object> Read(InvokeUeStepFunctionTaskCommand fields)
        {
            if (fields.UnexpectedArguments is { Length: > 0 } unexpected)
            {
                // Names only (a dash and letters): a stray value may be a secret typed in the wrong place.
                var names = new List<string>();
                foreach (var argument in unexpected)
                    if (argument != null && Regex.IsMatch(argument, @"^-[A-Za-z][A-Za-z0-9]*:?$", RegexOptions.CultureInvariant)) names.Add(argument);
                var shown = names.Count > 0 ? " (" + string.Join(", ", names) + ")" : "";
                throw new TaskFieldException($"unexpected argument(s){shown}; every field is a named parameter such as -StateMachineArn, and switches take no value (-Wait, or -WaitForSuccessOrFailure true).");
            }
            // Read as the boolean fields are: case and surrounding blanks do not matter to a choice made in a form.
            if (!IsBlank(fields.Action) && !string.Equals(fields.Action!.Trim(), Action, StringComparison.OrdinalIgnoreCase))
                throw new TaskFieldException($"action must be '{Action}'; got '{fields.Action}'.");
            if (IsBlank(fields.StateMachineArn))
                throw new TaskFieldException("state_machine_arn is required: the ARN of the state machine to start.");

            var waitField = ReadBoolean("wait_for_success_or_failure", fields.WaitForSuccessOrFailure);
            // Two answers to one question that disagree: a template that says both is wrong somewhere, and which one was meant
            // cannot be told (an empty field is no answer).
            if (fields.Wait.IsPresent && !waitField && !IsBlank(fields.WaitForSuccessOrFailure))
                throw new TaskFieldException($"wait_for_success_or_failure is '{fields.WaitForSuccessOrFailure!.Trim()}' but -Wait is given too: give one of them.");
            var wait = fields.Wait.IsPresent || waitField;
            var parameters = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
            {
                ["StateMachineArn"] = fields.StateMachineArn!,
                ["Wait"] = wait,
                ["StopOnCancel"] = wait && fields.StopOnCancel.IsPresent,
            };
            // An empty field is an unset one (the cmdlet's default applies); given means given: '-1' or '0' reach the module,
            // which says what a value must be.
            if (!IsBlank(fields.RunCount)) parameters["RunCount"] = (int)ReadNumber("run_count", fields.RunCount!, wholeNumber: true);
            if (!IsBlank(fields.PollingInterval)) parameters["PollingInterval"] = ReadNumber("polling_interval", fields.PollingInterval!);
            // A timeout is read (a non-number is still a field error) but passed only to a wait, on purpose: given without
            // -Wait the cmdlet would warn that it is ignored, and a scheduler's form may carry one for every run, waiting or not.
            if (!IsBlank(fields.Timeout))
            {
                var timeout = ReadNumber("timeout", fields.Timeout!);
                if (wait) parameters["Timeout"] = timeout;
            }
            if (!IsBlank(fields.UnreachableTimeout))
            {
                var unreachable = ReadNumber("unreachable_timeout", fields.UnreachableTimeout!);
                if (wait) parameters["UnreachableTimeout"] = unreachable;
            }
            if (!IsBlank(fields.RequestTimeout)) parameters["RequestTimeout"] = ReadNumber("request_timeout", fields.RequestTimeout!);
            if (!IsBlank(fields.InputJson)) parameters["Input"] = fields.InputJson!;
            if (TaskInputFile.Read(fields.InputJson, fields.InputFile, fields.ResolvePath) is { } fileInput) parameters["Input"] = fileInput;
            if (!IsBlank(fields.ExecutionName)) parameters["ExecutionName"] = fields.ExecutionName!;
            if (ReadCredential("credentials", fields.Credential, fields.CredentialsUser, fields.CredentialsPassword) is { } credential)
                parameters["Credential"] = credential;
            if (ReadCredential("proxy_credentials", fields.ProxyCredential, fields.ProxyCredentialsUser, fields.ProxyCredentialsPassword) is { } proxyCredential)
                parameters["ProxyCredential"] = proxyCredential;
            AddText(parameters, "Region", fields.Region);
            AddText(parameters, "ProfileName", fields.ProfileName);
            AddText(parameters, "RoleArn", fields.RoleArn);
            AddText(parameters, "ExternalId", fields.ExternalId);
            AddText(parameters, "RoleSessionName", fields.RoleSessionName);
            AddText(parameters, "EndpointUrl", fields.EndpointUrl);
            AddText(parameters, "ProxyCaBundleFile", fields.ProxyCaBundleFile);
            if (ReadProxyList(fields.Proxy) is { Length: > 0 } proxies) parameters["Proxy"] = proxies;
            if (!IsBlank(fields.ProxyType)) parameters["ProxyType"] = ReadProxyType(fields.ProxyType!);
            return parameters;
        }

        public static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);

        private static void AddText(Dictionary<string, object> parameters, string name, string? value)
        {
            if (!IsBlank(value)) parameters[name] = value!;
        }

        /// <summary>The seed's string booleans, any case: blank, false, $false, no, n, 0, off; true, $true, yes, y, 1, on.</summary>
        public static bool ReadBoolean(string field, string? value)
        {
            switch ((value ?? "").Trim().ToLowerInvariant())
            {
                case "": case "false": case "$false": case "no": case "n": case "0": case "off": return false;
                case "true": case "$true": case "yes": case "y": case "1": case "on": return true;
                default: throw new TaskFieldException($"{field} must be true or false (also yes/no, 1/0); got '{value}'.");
            }
        }

        /// <summary>A number of seconds (finite: NaN and Infinity parse as doubles but are none), or a whole number that fits an int.</summary>
        public static double ReadNumber(string field, string value, bool wholeNumber = false)
        {
            if (!TryReadNumber(value, out var number) || (wholeNumber && number != Math.Floor(number)))
                throw new TaskFieldException($"{field} must be {(wholeNumber ? "a whole number" : "a number of seconds")}; got '{value}'.");
            if (wholeNumber && (number > int.MaxValue || number < int.MinValue))
                throw new TaskFieldException($"{field} must be a whole number of reasonable size; got '{value}'.");
            return number;
        }

        public static bool TryReadNumber(string value, out double number)
            => double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)
                && !double.IsNaN(number) && !double.IsInfinity(number);

        /// <summary>
        /// A PSCredential given as one (from PowerShell callers), or a user and a password given as text (from a command
        /// line), both or neither. Text in the object field is refused without being echoed: it may well be the secret.
        /// </summary>
        private static PSCredential? ReadCredential(string field, object? given, string? user, string? password)
        {
            if (given is PSObject wrapped) given = wrapped.BaseObject;
            if (given is PSCredential credential) return credential;
            if (!IsBlank(given?.ToString()))
            {
                var hint = field == "credentials"
                    ? "-Credential takes a PSCredential object; from a command line give -CredentialsUser and -CredentialsPassword, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
                    : "-ProxyCredential takes a PSCredential object; from a command line give -ProxyCredentialsUser and -ProxyCredentialsPassword.";
                throw new TaskFieldException($"{field}: {hint}");
            }
            var hasUser = !IsBlank(user);
            var hasPassword = !IsBlank(password);
            if (!hasUser && !hasPassword) return null;
            if (!hasUser || !hasPassword) throw new TaskFieldException($"{field} needs both a user and a password.");
            return new PSCredential(user, new NetworkCredential(string.Empty, password).SecurePassword);
        }

        /// <summary>One or more proxy URLs; 'http://host:port,https://host:port' in one string is accepted too.</summary>
        private static string[] ReadProxyList(string[]? given)
        {
            var list = new List<string>();
            if (given == null) return list.ToArray();
            foreach (var entry in given)
                foreach (var part in (entry ?? "").Split(','))
                    if (part.Trim() is { Length: > 0 } url) list.Add(url);
            return list.ToArray();
        }

        /// <summary>The seed spells the choices 'http', 'https', 'https with credentials'.</summary>
        private static string ReadProxyType(string value)
        {
            switch (Regex.Replace(value, @"[\s_-]", "").ToLowerInvariant())
            {
                case "http": return "Http";
                case "https": return "Https";
                case "httpswithcredentials": return "HttpsWithCredentials";
                default: throw new TaskFieldException($"proxy_type must be http, https or 'https with credentials'; got '{value}'.");
            }
        }
    }
}
