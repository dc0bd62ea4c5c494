using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Auth;

namespace AwsStepFunctions.Local;

/// <summary>Turns argv (and SFN_MOCK_CONFIG) into options; every error names the option and the rule.</summary>
public static class CommandLine
{
    public const string Usage = """
        Usage: AwsStepFunctions.Local [--port <n>] [--host <address>] [--region <region>]
                                      [--https [--ca-file <path>] | --cert <pfx> [--cert-password <pw>]]
                                      [--config <file>] [--definitions <dir>] [--time-scale <x>]
                                      [--mock-config <file>] [--expose-issued-credentials]
                                      [--activity-poll-seconds <1-60>] [--clock-offset <seconds>]
        """;

    public static LocalEndpointOptions Parse(string[] args, Func<string, string?> environment)
    {
        var options = new LocalEndpointOptions();
        string? mockFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value");
                return args[++i];
            }
            options = name switch
            {
                "--port" => options with { Port = ParsePort(Value()) },
                "--host" => options with { Host = Value() },
                "--region" => options with { Region = ParseRegion(Value()) },
                "--https" => options with { Https = true },
                "--ca-file" => options with { CaFile = Value() },
                "--cert" => options with { CertificatePath = Value(), Https = true },
                "--cert-password" => options with { CertificatePassword = Value() },
                "--config" => options with { Access = AccessConfig.Load(Existing(name, Value())) },
                "--definitions" => options with { DefinitionsDirectory = ExistingDirectory(name, Value()) },
                "--time-scale" => options with { TimeScale = ParseScale(Value()) },
                "--activity-poll-seconds" => options with { ActivityPollSeconds = ParsePollSeconds(Value()) },
                "--clock-offset" => options with { Time = new Hosting.OffsetClock(ParseClockOffset(Value())) },
                "--mock-config" => WithMock(options, mockFile = Existing(name, Value())),
                Control.ControlPlane.ExposeIssuedCredentialsOption => options with { ExposeIssuedCredentials = true },
                "--help" or "-h" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option '{name}'.\n{Usage}"),
            };
        }
        if (mockFile is null && environment("SFN_MOCK_CONFIG") is { Length: > 0 } env)
            options = env.TrimStart().StartsWith('{') ? options with { MockConfig = ParseMock(env, "SFN_MOCK_CONFIG") } : WithMock(options, Existing("SFN_MOCK_CONFIG", env));
        return options;
    }

    private static LocalEndpointOptions WithMock(LocalEndpointOptions options, string path) =>
        options with { MockConfig = ParseMock(File.ReadAllText(path), path) };

    private static JsonObject ParseMock(string json, string source)
    {
        JsonObject config;
        try
        {
            config = JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException($"{source}: the mock config must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{source}: the mock config is not valid JSON ({ex.Message})");
        }
        if (Wire.UnicodeJson.FindBrokenString(json) is { } broken) throw new ArgumentException($"{source}: the mock config is not valid JSON ({broken})");
        IReadOnlyList<string> problems;
        try
        {
            problems = Asl.MockConfigCheck.Problems(config);
        }
        catch (ArgumentException ex)
        {
            // System.Text.Json reads duplicate member names and refuses them only when the object is enumerated.
            throw new ArgumentException($"{source}: the mock config names a member twice in one object ({ex.Message})");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"{source}: the mock config has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:\n  " + string.Join("\n  ", problems));
        return config;
    }

    private static string Existing(string option, string path) =>
        File.Exists(path) ? path : throw new ArgumentException($"{option}: file '{path}' does not exist");

    private static string ExistingDirectory(string option, string path) =>
        Directory.Exists(path) ? path : throw new ArgumentException($"{option}: directory '{path}' does not exist");

    private static int ParsePort(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port : throw new ArgumentException($"--port must be 0-65535, not '{value}'");

    private static double ParseScale(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0 && double.IsFinite(scale)
            ? scale : throw new ArgumentException($"--time-scale must be a positive number, not '{value}'");

    /// <summary>GetActivityTask's long poll: AWS holds it at most 60 seconds, so a shorter one is all a test may ask for.</summary>
    private static int ParsePollSeconds(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 60
            ? seconds : throw new ArgumentException($"--activity-poll-seconds must be a whole number of seconds from 1 to 60, not '{value}'");

    /// <summary>A day either way is far beyond any signing window (15 minutes) and keeps every date representable.</summary>
    private static TimeSpan ParseClockOffset(string value) =>
        double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && Math.Abs(seconds) <= 86400
            ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException($"--clock-offset must be a number of seconds from -86400 to 86400, not '{value}'");

    private static string ParseRegion(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, "^[a-z]{2}(-[a-z]+)+-\\d$") ? value : throw new ArgumentException($"--region must look like us-east-1, not '{value}'");
}
