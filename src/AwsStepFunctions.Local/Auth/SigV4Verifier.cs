using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AwsStepFunctions.Local.Auth;

/// <summary>The parts of an HTTP request that a SigV4 signature covers, exactly as received.</summary>
public sealed record SignedRequest(string Method, string RawPath, string RawQuery, IHeaderDictionary Headers, byte[] Body);

/// <summary>
/// Verifies AWS Signature Version 4 in the order the real services do: header present, well formed,
/// key known, session token valid, clock skew, the credential scope (date, service, region), then the signature itself
/// (compared in constant time). With <paramref name="region"/> a request signed for another region is refused as a
/// regional endpoint refuses it, so a client that signs for the wrong region fails here as it would on AWS; STS also
/// takes us-east-1, the scope of its global endpoint.
/// </summary>
public sealed class SigV4Verifier(CredentialStore credentials, TimeProvider time, string? region = null)
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);
    private const string Algorithm = "AWS4-HMAC-SHA256";

    public const string SignatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    /// <summary>Returns the verified credential; throws AuthFailure otherwise.</summary>
    public StoredCredential Verify(SignedRequest request, string service)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(authorization))
            throw new AuthFailure(AuthFailureKind.MissingAuthenticationToken, "Missing Authentication Token");

        var header = Parse(authorization);
        var (amzDate, signedAt) = SigningTime(request.Headers, authorization);
        if (!header.SignedHeaders.Contains("host"))
            throw Incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", authorization);

        var credential = credentials.Find(header.AccessKeyId)
            ?? throw new AuthFailure(AuthFailureKind.UnrecognizedClient, "The security token included in the request is invalid.");
        CheckSessionToken(credential, request.Headers["X-Amz-Security-Token"].ToString());

        var now = time.GetUtcNow();
        if (signedAt < now - MaxSkew)
            throw new AuthFailure(AuthFailureKind.SignatureExpired,
                $"Signature expired: {amzDate} is now earlier than {Format(now - MaxSkew)} ({Format(now)} - 15 min.)");
        if (signedAt > now + MaxSkew)
            throw new AuthFailure(AuthFailureKind.SignatureExpired,
                $"Signature not yet current: {amzDate} is still later than {Format(now + MaxSkew)} ({Format(now)} + 15 min.)");

        if (header.Date != amzDate[..8])
            throw new AuthFailure(AuthFailureKind.SignatureMismatch,
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{header.Date}' != '{amzDate[..8]}', from '{amzDate}'.");
        if (header.Service != service)
            throw new AuthFailure(AuthFailureKind.SignatureMismatch, $"Credential should be scoped to correct service: '{service}'. ");
        if (region is not null && header.Region != region && !(service == "sts" && header.Region == "us-east-1"))
            throw new AuthFailure(AuthFailureKind.SignatureMismatch, $"Credential should be scoped to a valid region, not '{header.Region}'. ");

        var scope = $"{header.Date}/{header.Region}/{header.Service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalRequest(request, header.SignedHeaders))))}";
        var key = SigningKey(credential.SecretAccessKey, header.Date, header.Region, header.Service);
        var expected = Encoding.ASCII.GetBytes(Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign))));
        var provided = Encoding.ASCII.GetBytes(header.Signature.ToLowerInvariant());
        if (!CryptographicOperations.FixedTimeEquals(expected, provided))
            throw new AuthFailure(AuthFailureKind.SignatureMismatch, SignatureMismatchMessage);
        return credential;
    }

    /// <summary>X-Amz-Date, or the HTTP Date header that SigV4 also accepts; both as the string that was signed.</summary>
    private static (string AmzDate, DateTimeOffset SignedAt) SigningTime(IHeaderDictionary headers, string authorization)
    {
        var amzDate = headers["X-Amz-Date"].ToString();
        if (DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            return (amzDate, signedAt);
        if (amzDate.Length == 0 && DateTimeOffset.TryParseExact(headers.Date.ToString(), "r", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out signedAt))
            return (Format(signedAt), signedAt);
        throw Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", authorization);
    }

    private void CheckSessionToken(StoredCredential credential, string token)
    {
        if (credential.SessionToken is null)
        {
            // A session token sent with a long-term key names no session the service knows.
            if (token.Length > 0) throw new AuthFailure(AuthFailureKind.UnrecognizedClient, "The security token included in the request is invalid.");
            return;
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(credential.SessionToken)))
            throw new AuthFailure(AuthFailureKind.UnrecognizedClient, "The security token included in the request is invalid.");
        if (credential.Expiration <= time.GetUtcNow())
            throw new AuthFailure(AuthFailureKind.ExpiredToken, "The security token included in the request is expired");
    }

    public static string CanonicalRequest(SignedRequest request, IReadOnlyList<string> signedHeaders)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(string.IsNullOrEmpty(request.RawPath) ? "/" : request.RawPath).Append('\n');
        builder.Append(CanonicalQuery(request.RawQuery)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Headers[name].Select(v => CollapseSpaces((v ?? "").Trim()));
            builder.Append(name).Append(':').Append(string.Join(",", values)).Append('\n');
        }
        builder.Append('\n').Append(string.Join(";", signedHeaders)).Append('\n');
        builder.Append(Hex(SHA256.HashData(request.Body)));
        return builder.ToString();
    }

    private static string CanonicalQuery(string rawQuery)
    {
        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        if (query.Length == 0) return "";
        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p =>
            {
                var eq = p.IndexOf('=');
                var name = eq < 0 ? p : p[..eq];
                var value = eq < 0 ? "" : p[(eq + 1)..];
                return (Name: Encode(Uri.UnescapeDataString(name.Replace('+', ' '))), Value: Encode(Uri.UnescapeDataString(value.Replace('+', ' '))));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join("&", pairs.Select(p => p.Name + "=" + p.Value));
    }

    // RFC 3986 unreserved characters stay; everything else is %XX with upper-case hex, as SigV4 requires.
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        if (!value.Contains("  ", StringComparison.Ordinal)) return value;
        var builder = new StringBuilder(value.Length);
        var previousSpace = false;
        foreach (var c in value)
        {
            if (c == ' ' && previousSpace) continue;
            previousSpace = c == ' ';
            builder.Append(c);
        }
        return builder.ToString();
    }

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
    }

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private sealed record AuthorizationHeader(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature);

    private static AuthFailure Incomplete(string why, string header) =>
        // The header is echoed as AWS does, but never the secret: the header carries none.
        new(AuthFailureKind.IncompleteSignature, $"{why} Authorization={Truncate(header)}");

    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200] + "...";

    private static AuthorizationHeader Parse(string authorization)
    {
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
            throw Incomplete($"Authorization header requires the '{Algorithm}' algorithm.", authorization);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw Incomplete($"Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters in the form name=value.", authorization);
            fields[part[..eq]] = part[(eq + 1)..];
        }
        foreach (var required in new[] { "Credential", "SignedHeaders", "Signature" })
            if (!fields.ContainsKey(required) || fields[required].Length == 0)
                throw Incomplete($"Authorization header requires '{required}' parameter.", authorization);

        var scope = fields["Credential"].Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[0].Length == 0 || scope[1].Length != 8 || !scope[1].All(char.IsAsciiDigit))
            throw Incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,", authorization);
        var signature = fields["Signature"];
        if (signature.Length != 64 || !signature.All(char.IsAsciiHexDigit))
            throw Incomplete("Signature must be 64 hexadecimal characters.", authorization);
        var signedHeaders = fields["SignedHeaders"].Split(';');
        if (signedHeaders.Any(h => h.Length == 0 || h != h.ToLowerInvariant()))
            throw Incomplete("SignedHeaders must be a ';'-separated list of lower-case header names.", authorization);
        return new AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], signedHeaders, signature);
    }
}
