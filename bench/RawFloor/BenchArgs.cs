using System;
using System.Collections.Generic;
using System.Globalization;

namespace RawFloor;

/// <summary>`--name value` and `--flag` arguments shared by the floor and the load generator.</summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public static BenchArgs Parse(IEnumerable<string> args)
    {
        var parsed = new BenchArgs();
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending != null) parsed._values[pending] = null;
                pending = arg.Substring(2);
            }
            else if (pending != null)
            {
                parsed._values[pending] = arg;
                pending = null;
            }
            else throw new ArgumentException($"unexpected argument '{arg}': values follow a --name");
        }
        if (pending != null) parsed._values[pending] = null;
        return parsed;
    }

    public Uri Url => new(Required("url"));
    public string Region => Required("region");

    public string Required(string name)
        => _values.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : throw new ArgumentException($"--{name} <value> is required");

    public int Int(string name, int? fallback = null)
    {
        if (!_values.TryGetValue(name, out var v) || v == null)
            return fallback ?? throw new ArgumentException($"--{name} <number> is required");
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 1)
            throw new ArgumentException($"--{name} must be a whole number of at least 1, got '{v}'");
        return n;
    }

    public bool Flag(string name) => _values.ContainsKey(name);

    /// <summary>A client with the caller's environment credentials (the AWS CLI's variable names).</summary>
    public static SfnRawClient ClientFromEnvironment(Uri url, string region)
    {
        var key = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("AWS_ACCESS_KEY_ID is not set");
        if (string.IsNullOrEmpty(secret)) throw new ArgumentException("AWS_SECRET_ACCESS_KEY is not set");
        return new SfnRawClient(url, region, key, secret, Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN"));
    }
}
