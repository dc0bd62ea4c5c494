using System;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// What a credential_process must print: a JSON object with Version 1, AccessKeyId and SecretAccessKey, and optionally
    /// SessionToken and an ISO 8601 Expiration; other fields (AccountId, newer tools' extras) are ignored. Each broken rule
    /// has its own message naming the profile and the field. No message repeats what was printed: it holds the secret.
    /// </summary>
    internal static class CredentialProcessOutput
    {
        private static readonly JsonDocumentOptions Lenient = new JsonDocumentOptions
        {
            // As AWS SDK for .NET reads it, so that what it took is still taken.
            AllowTrailingCommas = true,
        };

        /// <summary>A date and a time to the minute at least: DateTimeOffset.TryParse alone also takes "1/2/2025".</summary>
        private static readonly Regex IsoStart = new Regex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", RegexOptions.CultureInvariant);

        /// <summary>The credentials and their expiry (UTC; null when the process gave none: they never expire).</summary>
        public static (ImmutableCredentials Credentials, DateTime? ExpiresUtc) Parse(byte[] output, string profileName, DateTime nowUtc)
        {
            var what = $"credential_process of profile '{profileName}'";
            var start = output.Length >= 3 && output[0] == 0xEF && output[1] == 0xBB && output[2] == 0xBF ? 3 : 0;
            if (IsBlank(output, start))
                throw new CredentialProcessException($"{what} printed nothing; it must print the credentials as a JSON object.");
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(new ReadOnlyMemory<byte>(output, start, output.Length - start), Lenient);
            }
            catch (JsonException ex)
            {
                // Not the parser's message, nor the exception as the cause: both can quote what was printed.
                throw new CredentialProcessException(
                    $"{what} printed something that is not JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}); it must print a JSON object.");
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw new CredentialProcessException($"{what} printed JSON that is not an object.");
                CheckVersion(root, what);
                var accessKeyId = Text(root, "AccessKeyId", what, required: true)!;
                var secretAccessKey = Text(root, "SecretAccessKey", what, required: true)!;
                var sessionToken = Text(root, "SessionToken", what, required: false);
                var expiresUtc = Expiration(root, what, nowUtc);
                return (new ImmutableCredentials(accessKeyId, secretAccessKey, sessionToken), expiresUtc);
            }
        }

        private static void CheckVersion(JsonElement root, string what)
        {
            if (!root.TryGetProperty("Version", out var version) || version.ValueKind == JsonValueKind.Null)
                throw new CredentialProcessException($"{what} printed no Version; it must be 1.");
            if (version.ValueKind == JsonValueKind.Number)
            {
                // 1.0 is 1, as the AWS CLI compares it.
                if (version.TryGetDouble(out var value) && value == 1) return;
                if (version.TryGetInt32(out var number))
                    throw new CredentialProcessException($"{what} printed Version {number}; only Version 1 is supported.");
            }
            throw new CredentialProcessException($"{what} printed a Version that is not the number 1.");
        }

        /// <summary>A string field; missing, null and empty are all "none".</summary>
        private static string? Text(JsonElement root, string name, string what, bool required)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                if (value.ValueKind != JsonValueKind.String)
                    throw new CredentialProcessException($"{what} printed {("AEIOU".IndexOf(name[0]) >= 0 ? "an" : "a")} {name} that is not a string.");
                var text = value.GetString();
                if (!string.IsNullOrEmpty(text)) return text;
            }
            if (required) throw new CredentialProcessException($"{what} printed no {name}.");
            return null;
        }

        private static DateTime? Expiration(JsonElement root, string what, DateTime nowUtc)
        {
            if (!root.TryGetProperty("Expiration", out var value) || value.ValueKind == JsonValueKind.Null) return null;
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() ?? "" : "";
            if (!IsoStart.IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var expiration))
                throw new CredentialProcessException($"{what} printed an Expiration that is not an ISO 8601 time (such as 2025-01-31T12:00:00Z).");
            var expiresUtc = expiration.UtcDateTime;
            if (expiresUtc <= nowUtc)
                throw new CredentialProcessException(
                    $"{what} printed credentials that had already expired (Expiration {Iso(expiresUtc)}, now {Iso(nowUtc)}); check the process and the clock.");
            return expiresUtc;
        }

        private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

        private static bool IsBlank(byte[] output, int start)
        {
            for (var i = start; i < output.Length; i++)
                if (output[i] != (byte)' ' && output[i] != (byte)'\t' && output[i] != (byte)'\r' && output[i] != (byte)'\n') return false;
            return true;
        }
    }
}
