using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AwsStepFunctions.Core
{
    /// <summary>The Extension Output's JSON: the seed's member names, camelCase result members, nulls left out of result.</summary>
    internal static class OutputJson
    {
        /// <summary>boto3 hands back timestamps in the local zone; the seed printed them as str(datetime): microseconds, ±hh:mm.</summary>
        public static string FormatDate(DateTimeOffset value)
        {
            var local = value.ToLocalTime();
            return local.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + local.ToString("zzz", CultureInfo.InvariantCulture);
        }

        public static string Write(ExtensionOutput output)
        {
            using var stream = new MemoryStream();
            // Relaxed escaping keeps JSON inputs and outputs readable; the writer still escapes what JSON requires.
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteNumber("exit_code", output.exit_code);
                writer.WriteString("status_description", output.status_description);
                writer.WriteBoolean("changed", output.changed);
                writer.WritePropertyName("invocation");
                writer.WriteStartObject();
                writer.WriteString("extension", output.invocation.extension);
                writer.WriteString("version", output.invocation.version);
                writer.WritePropertyName("fields");
                writer.WriteStartObject();
                foreach (var field in output.invocation.fields)
                {
                    writer.WritePropertyName(field.Key);
                    WriteValue(writer, field.Value);
                }
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WritePropertyName("result");
                if (output.result == null) writer.WriteNullValue();
                else WriteResult(writer, output.result);
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static void WriteResult(Utf8JsonWriter writer, ExecutionResult result)
        {
            writer.WriteStartObject();
            writer.WriteString("executionArn", result.ExecutionArn);
            WriteOptional(writer, "stateMachineArn", result.StateMachineArn);
            WriteOptional(writer, "stateMachineVersionArn", result.StateMachineVersionArn);
            WriteOptional(writer, "stateMachineAliasArn", result.StateMachineAliasArn);
            WriteOptional(writer, "name", result.Name);
            writer.WriteString("status", result.Status);
            if (result.StartDate.HasValue) writer.WriteString("startDate", FormatDate(result.StartDate.Value));
            if (result.StopDate.HasValue) writer.WriteString("stopDate", FormatDate(result.StopDate.Value));
            WriteOptional(writer, "output", result.Output);
            if (result.OutputIncluded.HasValue)
            {
                writer.WritePropertyName("outputDetails");
                writer.WriteStartObject();
                writer.WriteBoolean("included", result.OutputIncluded.Value);
                writer.WriteEndObject();
            }
            WriteOptional(writer, "error", result.Error);
            WriteOptional(writer, "cause", result.Cause);
            // Only for an execution that has been redriven: every other result keeps the seed's shape.
            if (result.RedriveCount is int redrives && redrives > 0)
            {
                writer.WriteNumber("redriveCount", redrives);
                if (result.RedriveDate.HasValue) writer.WriteString("redriveDate", FormatDate(result.RedriveDate.Value));
            }
            writer.WriteEndObject();
        }

        private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
        {
            if (value != null) writer.WriteString(name, value);
        }

        private static void WriteValue(Utf8JsonWriter writer, object? value)
        {
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case string s: writer.WriteStringValue(s); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case int i: writer.WriteNumberValue(i); break;
                case long l: writer.WriteNumberValue(l); break;
                case double d: writer.WriteNumberValue(d); break;
                case DateTimeOffset date: writer.WriteStringValue(FormatDate(date)); break;
                case Enum e: writer.WriteStringValue(e.ToString()); break;
                case IEnumerable list:
                    writer.WriteStartArray();
                    foreach (var item in list) WriteValue(writer, item);
                    writer.WriteEndArray();
                    break;
                default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            }
        }
    }

    /// <summary>Status descriptions and exit codes of the seed.</summary>
    internal static class Outcomes
    {
        public static string Prefix(ExitCode code) => code switch
        {
            ExitCode.Success => "SUCCESS:",
            ExitCode.AuthenticationError => "AUTHENTICATION_ERROR:",
            ExitCode.AuthorizationError => "AUTHORIZATION_ERROR:",
            ExitCode.ConnectionError or ExitCode.ProxyConnectionError => "CONNECTION_ERROR:",
            ExitCode.DataValidationError => "DATA_VALIDATION_ERROR:",
            ExitCode.ExecutionFailed or ExitCode.ExecutionAborted or ExitCode.ExecutionTimedOut => "FAILED:",
            _ => "FAIL:",
        };

        public static ExitCode ForStatus(string status) => status switch
        {
            "FAILED" => ExitCode.ExecutionFailed,
            "ABORTED" => ExitCode.ExecutionAborted,
            "TIMED_OUT" => ExitCode.ExecutionTimedOut,
            _ => ExitCode.Success,
        };
    }
}
