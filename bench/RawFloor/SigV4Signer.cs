using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace RawFloor;

/// <summary>
/// The smallest SigV4 signer that the floor needs: header-based signing of a request whose headers are
/// all known up front. It is the benchmark's own (not the module's, not the SDK's) so the floor measures
/// HTTP plus signing, and nothing the module could make cheaper or dearer.
/// </summary>
public sealed class SigV4Signer
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private readonly string _accessKey;
    private readonly byte[] _secretSeed;
    private readonly string? _sessionToken;
    private readonly string _region;
    private readonly string _service;

    // The derived key depends only on the date; the SDKs cache it per day, so the floor does too.
    private string? _keyDate;
    private byte[]? _key;
    private readonly object _keyLock = new();

    public SigV4Signer(string accessKey, string secretKey, string? sessionToken, string region, string service)
    {
        _accessKey = accessKey;
        _secretSeed = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        _sessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
        _region = region;
        _service = service;
    }

    /// <summary>
    /// Returns the headers to add (X-Amz-Date, X-Amz-Security-Token when set, Authorization), signing
    /// <paramref name="headers"/> (lower-case names, which must include host) plus those added here.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sign(
        string method, string path, string query, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, DateTime utcNow)
    {
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate.Substring(0, 8);

        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var h in headers) signed[h.Key.ToLowerInvariant()] = h.Value.Trim();
        signed["x-amz-date"] = amzDate;
        if (_sessionToken != null) signed["x-amz-security-token"] = _sessionToken;

        var signedHeaders = string.Join(";", signed.Keys);
        var canonical = new StringBuilder(512)
            .Append(method).Append('\n')
            .Append(path).Append('\n')
            .Append(query).Append('\n');
        foreach (var h in signed) canonical.Append(h.Key).Append(':').Append(h.Value).Append('\n');
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Hex(SHA256.HashData(body)));

        var scope = $"{date}/{_region}/{_service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var signature = Hex(HMACSHA256.HashData(SigningKey(date), Encoding.UTF8.GetBytes(stringToSign)));

        var added = new List<KeyValuePair<string, string>>(3) { new("X-Amz-Date", amzDate) };
        if (_sessionToken != null) added.Add(new("X-Amz-Security-Token", _sessionToken));
        added.Add(new("Authorization", $"{Algorithm} Credential={_accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}"));
        return added;
    }

    private byte[] SigningKey(string date)
    {
        lock (_keyLock)
        {
            if (_key != null && _keyDate == date) return _key;
            var k = HMACSHA256.HashData(_secretSeed, Encoding.UTF8.GetBytes(date));
            k = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(_region));
            k = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(_service));
            k = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes("aws4_request"));
            _keyDate = date;
            _key = k;
            return k;
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>
    /// Checks the signer against the worked example of the AWS SigV4 documentation (IAM ListUsers,
    /// 2015-08-30T12:36:00Z): a floor whose signatures were wrong would measure error responses.
    /// </summary>
    public static bool MatchesDocumentedExample(out string detail)
    {
        var signer = new SigV4Signer("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null, "us-east-1", "iam");
        var headers = new Dictionary<string, string>
        {
            ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
            ["host"] = "iam.amazonaws.com",
        };
        var added = signer.Sign("GET", "/", "Action=ListUsers&Version=2010-05-08", headers, ReadOnlySpan<byte>.Empty,
            new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc));
        var authorization = added.Single(h => h.Key == "Authorization").Value;
        const string expected = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
        detail = authorization.EndsWith("Signature=" + expected, StringComparison.Ordinal)
            ? "signature matches the documented example"
            : $"expected signature {expected}, got {authorization.Substring(authorization.LastIndexOf('=') + 1)}";
        return authorization.EndsWith("Signature=" + expected, StringComparison.Ordinal);
    }
}
