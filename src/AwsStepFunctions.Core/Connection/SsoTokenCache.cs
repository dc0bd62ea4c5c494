using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Core
{
    /// <summary>One sign-in as `aws sso login` cached it. The access token is a secret: it never goes into a message.</summary>
    internal sealed class SsoCachedToken
    {
        internal SsoCachedToken(JsonObject document, string accessToken, DateTime expiresAtUtc)
        {
            Document = document;
            AccessToken = accessToken;
            ExpiresAtUtc = expiresAtUtc;
        }

        /// <summary>The whole file, so a write-back keeps the members this module does not know.</summary>
        internal JsonObject Document { get; }
        public string AccessToken { get; }
        public DateTime ExpiresAtUtc { get; }

        public string? RefreshToken => Text("refreshToken");
        public string? ClientId => Text("clientId");
        public string? ClientSecret => Text("clientSecret");

        /// <summary>A refresh needs the refresh token and a client registration that has not expired.</summary>
        public bool IsRefreshable(DateTime nowUtc)
            => RefreshToken != null && ClientId != null && ClientSecret != null
               && !(SsoTokenCache.ParseTime(Text("registrationExpiresAt")) is DateTime registrationEnds && registrationEnds <= nowUtc);

        private string? Text(string member)
            => Document[member] is JsonValue value && value.TryGetValue(out string? text) && !string.IsNullOrEmpty(text) ? text : null;
    }

    /// <summary>
    /// The SSO token cache the AWS CLI and SDKs share (~/.aws/sso/cache/&lt;sha1&gt;.json): read it, and write a refreshed token
    /// back the way they do, so the CLI and the next task see the new one.
    /// </summary>
    internal static class SsoTokenCache
    {
        /// <summary>~/.aws/sso/cache: HOME on Linux and macOS, the user profile on Windows, as the CLI expands "~".</summary>
        public static string Directory()
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home) || Path.DirectorySeparatorChar == '\\')
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(home, ".aws", "sso", "cache");
        }

        /// <summary>The cached sign-in, or null when there is no file. A file that cannot be read or parsed is a failure.</summary>
        public static SsoCachedToken? Read(string path, SsoProfile profile)
        {
            string text;
            try
            {
                if (!File.Exists(path)) return null;
                // Shared for writing and deleting: on Windows, another run replacing the file (a refresh's write-back) must
                // not make this read a sharing violation, nor this read make that replace fail.
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                text = reader.ReadToEnd();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Unreadable(path, profile, ex.Message, ex);
            }
            JsonObject? document;
            try
            {
                document = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException ex)
            {
                // The parser's message can quote the file's text, which holds the token: only the position is shown.
                throw Unreadable(path, profile, $"not valid JSON (line {ex.LineNumber + 1})", null);
            }
            if (document == null) throw Unreadable(path, profile, "not a JSON object", null);
            var token = document["accessToken"] is JsonValue a && a.TryGetValue(out string? t) ? t : null;
            var expires = document["expiresAt"] is JsonValue e && e.TryGetValue(out string? x) ? ParseTime(x) : null;
            if (string.IsNullOrEmpty(token) || expires == null)
                throw Unreadable(path, profile, "it has no accessToken or no valid expiresAt", null);
            return new SsoCachedToken(document, token!, expires.Value);
        }

        /// <summary>
        /// Saves a refreshed token over the cached one: into a copy of the file first (a copy keeps the original's permissions,
        /// 0600 as the CLI makes it), then swapped in, so a reader never sees half a file and the token is never readable by
        /// others. Best effort: the refreshed token works in memory whether or not it could be saved.
        /// </summary>
        public static bool TryWrite(string path, SsoCachedToken previous, string accessToken, DateTime expiresAtUtc, string? refreshToken,
            out string? problem)
        {
            var document = (JsonObject)previous.Document.DeepClone();
            document["accessToken"] = accessToken;
            document["expiresAt"] = FormatTime(expiresAtUtc);
            if (!string.IsNullOrEmpty(refreshToken)) document["refreshToken"] = refreshToken;
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                File.Copy(path, temporary, overwrite: true);
                using (var stream = new FileStream(temporary, FileMode.Truncate, FileAccess.Write, FileShare.None))
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
                    writer.Write(document.ToJsonString());
                File.Replace(temporary, path, null);
                problem = null;
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is PlatformNotSupportedException)
            {
                try { File.Delete(temporary); }
                catch (Exception cleanup) when (cleanup is IOException || cleanup is UnauthorizedAccessException) { /* Nothing more to do. */ }
                problem = ex.Message;
                return false;
            }
        }

        /// <summary>
        /// expiresAt as the tools write it: ISO 8601 in UTC ("2024-05-01T12:00:00Z", with or without fractions), or the legacy
        /// CLI's "2024-05-01T12:00:00UTC". Null for anything else.
        /// </summary>
        internal static DateTime? ParseTime(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var value = text!.Trim();
            if (value.EndsWith("UTC", StringComparison.Ordinal)) value = value.Substring(0, value.Length - 3) + "Z";
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed.UtcDateTime
                : (DateTime?)null;
        }

        internal static string FormatTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static StepFunctionsFailure Unreadable(string path, SsoProfile profile, string why, Exception? inner)
            => new StepFunctionsFailure(FailureKind.Authentication, ExitCode.AuthenticationError, "SsoTokenUnreadable",
                $"The IAM Identity Center (SSO) sign-in cached for {profile.SignIn} cannot be used ({path}: {why}): {profile.LoginHint}.",
                field: "profile_name", inner: inner);
    }
}
