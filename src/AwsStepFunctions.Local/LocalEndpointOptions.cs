using System;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Auth;

namespace AwsStepFunctions.Local;

/// <summary>Everything the endpoint can be started with; the command line maps onto this one to one.</summary>
public sealed record LocalEndpointOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }
    public string Host { get; init; } = "127.0.0.1";
    public bool Https { get; init; }
    /// <summary>With Https and no CertificatePath: where to write the generated CA certificate (PEM).</summary>
    public string? CaFile { get; init; }
    public string? CertificatePath { get; init; }
    public string? CertificatePassword { get; init; }
    public AccessConfig Access { get; init; } = AccessConfig.Default;
    public string? DefinitionsDirectory { get; init; }
    public double TimeScale { get; init; } = 1;
    public JsonObject? MockConfig { get; init; }
    public string Region { get; init; } = "us-east-1";
    public int MaxBodyBytes { get; init; } = 1024 * 1024;
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Serve GET /_local/issued-credentials (every secret the endpoint issued): for tests that search output for them.</summary>
    public bool ExposeIssuedCredentials { get; init; }
    /// <summary>How long GetActivityTask waits for a task before answering none: 1-60 seconds, AWS's 60 by default.</summary>
    public int ActivityPollSeconds { get; init; } = 60;
}
