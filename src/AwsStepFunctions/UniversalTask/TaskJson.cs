using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AwsStepFunctions.Internal;

namespace AwsStepFunctions.UniversalTask
{
    /// <summary>
    /// The Extension Output the task writes itself, for the failures found before the module can speak (a field it cannot
    /// read, a module that will not load, a cancel before any result): the module's shape, its fields taken from the text as
    /// given. Written by hand rather than with the core's serializer, which may be the part that failed to load. Secrets
    /// never appear: a given credential shows as ****.
    /// </summary>
    internal static class TaskJson
    {
        public static string Output(int exitCode, string description, InvokeUeStepFunctionTaskCommand fields)
        {
            var text = new StringBuilder(1024);
            text.Append("{\n  \"exit_code\": ").Append(exitCode.ToString(CultureInfo.InvariantCulture));
            text.Append(",\n  \"status_description\": ").Append(Quote(description));
            text.Append(",\n  \"changed\": false,\n  \"invocation\": {\n    \"extension\": \"ue-aws-stepfunctions\",\n    \"version\": ");
            text.Append(Quote(ModuleVersion.Value)).Append(",\n    \"fields\": {");
            var first = true;
            foreach (var field in Fields(fields))
            {
                text.Append(first ? "\n      " : ",\n      ").Append(Quote(field.Key)).Append(": ").Append(field.Value);
                first = false;
            }
            text.Append("\n    }\n  },\n  \"result\": null\n}");
            return text.ToString();
        }

        /// <summary>Each field's JSON value, in the module's order (by name).</summary>
        private static IEnumerable<KeyValuePair<string, string>> Fields(InvokeUeStepFunctionTaskCommand f)
        {
            var hasCredential = Given(f.Credential);
            var hasProxyCredential = Given(f.ProxyCredential);
            var proxy = f.Proxy is { Length: > 0 } ? string.Join(",", f.Proxy) : null;
            yield return Field("action", Quote(f.Action ?? TaskFieldReader.Action));
            yield return Field("credentials_password", Mask(hasCredential || !string.IsNullOrEmpty(f.CredentialsPassword)));
            yield return Field("credentials_user", Mask(hasCredential || !string.IsNullOrEmpty(f.CredentialsUser)));
            yield return Field("execution_name", Text(f.ExecutionName));
            yield return Field("input", Text(f.InputJson));
            yield return Field("input_file", Text(f.InputFile));
            // A number, as in the module's own output, when the field reads as one by the task's own rule; otherwise the text.
            yield return Field("polling_interval", TaskFieldReader.IsBlank(f.PollingInterval) ? "null"
                : TaskFieldReader.TryReadNumber(f.PollingInterval!, out var interval) ? interval.ToString("R", CultureInfo.InvariantCulture)
                : Quote(f.PollingInterval));
            yield return Field("proxy", proxy == null ? "null" : Quote(HideUserInfo(proxy)));
            yield return Field("proxy_ca_bundle_file", Text(f.ProxyCaBundleFile));
            yield return Field("proxy_credentials_password", Mask(hasProxyCredential || !string.IsNullOrEmpty(f.ProxyCredentialsPassword)));
            yield return Field("proxy_credentials_user", Mask(hasProxyCredential || !string.IsNullOrEmpty(f.ProxyCredentialsUser)));
            yield return Field("proxy_type", Text(f.ProxyType));
            yield return Field("region", Text(f.Region));
            yield return Field("role_arn", Text(f.RoleArn));
            yield return Field("role_based_access", Boolean(!string.IsNullOrEmpty(f.RoleArn)));
            yield return Field("state_machine_arn", Text(f.StateMachineArn));
            yield return Field("use_proxy", Boolean(proxy != null && Regex.Replace(proxy, @"[\s,]", "").Length > 0));
            // -Wait is the switch form of this field: shown as the module shows it, not as a field left blank.
            yield return Field("wait_for_success_or_failure",
                f.Wait.IsPresent && TaskFieldReader.IsBlank(f.WaitForSuccessOrFailure) ? "true" : Text(f.WaitForSuccessOrFailure));
        }

        private static KeyValuePair<string, string> Field(string name, string json) => new KeyValuePair<string, string>(name, json);

        private static bool Given(object? credential) => credential != null && !string.IsNullOrEmpty(credential.ToString());

        private static string Mask(bool given) => given ? Quote(InvocationFields.Mask) : "null";

        /// <summary>Unset text fields are null, as in the module's own output.</summary>
        private static string Text(string? value) => string.IsNullOrEmpty(value) ? "null" : Quote(value);

        private static string Boolean(bool value) => value ? "true" : "false";

        /// <summary>
        /// The core's ProxyText.Redact rule, restated because the core may not have loaded: everything before the entry's last
        /// '@' (after a leading scheme) could be a user name and password, which may hold ',', '@' or '://'.
        /// </summary>
        private static string HideUserInfo(string entry)
        {
            var at = entry.LastIndexOf('@');
            if (at < 0) return entry;
            var lead = LeadingScheme.Match(entry).Length;
            return entry.Substring(0, lead) + InvocationFields.Mask + entry.Substring(at);
        }

        private static readonly Regex LeadingScheme = new Regex(@"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*://)?", RegexOptions.CultureInvariant);

        /// <summary>A JSON string, every character outside printable ASCII escaped.</summary>
        private static string Quote(string? value)
        {
            var text = new StringBuilder(value!.Length + 2).Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    default:
                        if (c < ' ' || c > '~') text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else text.Append(c);
                        break;
                }
            }
            return text.Append('"').ToString();
        }

        /// <summary>
        /// Plain ASCII for stdout: characters beyond it (input, execution output) become \uXXXX escapes, which every JSON
        /// reader decodes, whatever code page the scheduler's console uses (on Windows, 437 turned 'ü' into a different byte
        /// and CJK text into '?'). Only characters inside JSON strings can be beyond ASCII, so escaping them keeps the JSON.
        /// </summary>
        public static string ToAscii(string json)
        {
            var i = 0;
            while (i < json.Length && json[i] <= '\x7f') i++;
            if (i == json.Length) return json;
            var text = new StringBuilder(json.Length + 64).Append(json, 0, i);
            for (; i < json.Length; i++)
            {
                var c = json[i];
                if (c <= '\x7f') text.Append(c);
                else text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            return text.ToString();
        }
    }
}
