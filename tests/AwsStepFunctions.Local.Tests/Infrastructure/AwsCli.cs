using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Infrastructure;

/// <summary>Runs the Debian AWS CLI v2 against the endpoint with an isolated environment (no profiles, no pager).</summary>
public static class AwsCli
{
    public const string Path = "/usr/bin/aws";

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public JsonObject Json
        {
            get
            {
                Assert.True(ExitCode == 0, $"aws exited {ExitCode}: {StdErr}");
                return JsonNode.Parse(StdOut)!.AsObject();
            }
        }
    }

    public static async Task<Result> RunAsync(Uri endpoint, Credentials credentials, string? caBundle, params string[] args)
    {
        // CI installs the CLI (.ci/run); a missing CLI must fail loudly, never pass silently.
        if (!File.Exists(Path)) Assert.Fail($"The AWS CLI v2 is required at {Path} (apt-get install awscli); these tests prove the verifier against a real signer.");
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--endpoint-url");
        psi.ArgumentList.Add(endpoint.GetLeftPart(UriPartial.Authority));
        psi.ArgumentList.Add("--output");
        psi.ArgumentList.Add("json");
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in new[] { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_CA_BUNDLE", "HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy" })
            psi.Environment.Remove(name);
        psi.Environment["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId;
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey;
        if (credentials.SessionToken is not null) psi.Environment["AWS_SESSION_TOKEN"] = credentials.SessionToken;
        if (caBundle is not null) psi.Environment["AWS_CA_BUNDLE"] = caBundle;
        psi.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        psi.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        psi.Environment["AWS_PAGER"] = "";
        psi.Environment["AWS_MAX_ATTEMPTS"] = "1";
        psi.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
