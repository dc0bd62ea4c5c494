using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;

namespace AwsStepFunctions.Local.Tests.Infrastructure;

/// <summary>
/// A deliberately separate, minimal SigV4 signer for HttpClient requests. It shares no code with the
/// server's verifier, so a test passing means two independent implementations agree (the AWS CLI tests
/// add a third, the real one).
/// </summary>
public static class TestSigner
{
    public static void Sign(HttpRequestMessage request, byte[] body, string accessKey, string secret, string? sessionToken,
        string region, string service, DateTimeOffset time, bool useDateHeader = false)
    {
        var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        // SigV4 takes the time from X-Amz-Date or, when that is absent, from the HTTP Date header.
        if (useDateHeader) request.Headers.Date = time;
        else request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (sessionToken is not null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", sessionToken);

        var headers = request.Headers.Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(",", h.Value)))
            .Concat(request.Content?.Headers.Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(",", h.Value))) ?? [])
            .Where(h => h.Name is "x-amz-date" or "date" or "x-amz-target" or "content-type" or "x-amz-security-token")
            .Append((Name: "host", Value: request.RequestUri!.Authority))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(";", headers.Select(h => h.Name));
        var canonical = string.Join("\n",
            request.Method.Method,
            request.RequestUri.AbsolutePath,
            request.RequestUri.Query.TrimStart('?'),
            string.Concat(headers.Select(h => $"{h.Name}:{h.Value.Trim()}\n")),
            signedHeaders,
            Hex(SHA256.HashData(body)));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
