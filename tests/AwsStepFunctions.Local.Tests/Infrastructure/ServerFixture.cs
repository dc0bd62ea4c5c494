using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Auth;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Infrastructure;

/// <summary>
/// One in-process endpoint on a free port, with a --config file that declares the users and roles the
/// authorization tests need. Loaded through the real config loader.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public static readonly Credentials Reader = new("AKIAREADER0000000001", "reader-secret-for-tests");
    public static readonly Credentials Runner = new("AKIARUNNER0000000001", "runner-secret-for-tests");
    /// <summary>May create, update and describe state machines, but not publish versions.</summary>
    public static readonly Credentials Author = new("AKIAAUTHOR0000000001", "author-secret-for-tests");
    /// <summary>May call TestState, and nothing else: not iam:PassRole, not states:RevealSecrets.</summary>
    public static readonly Credentials Tester = new("AKIATESTER0000000001", "tester-secret-for-tests");
    public const string DeployerRole = "arn:aws:iam::123456789012:role/Deployer";
    public const string ViewerRole = "arn:aws:iam::123456789012:role/Viewer";
    public const string ExternalId = "ext-123";
    /// <summary>Trusts two web identity tokens (AssumeRoleWithWebIdentity); sessions of at most 1800 s.</summary>
    public const string WebRole = "arn:aws:iam::123456789012:role/WebRunner";
    /// <summary>An OIDC token as EKS issues one (iss, sub, aud claims; the signature is not checked).</summary>
    public const string WebJwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImxvY2FsIn0.eyJpc3MiOiJodHRwczovL29pZGMuZWtzLnVzLWVhc3QtMS5hbWF6b25hd3MuY29tL2lkL0xPQ0FMIiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OmNpOnJ1bm5lciIsImF1ZCI6WyJzdHMuYW1hem9uYXdzLmNvbSJdfQ.c2lnbmF0dXJl";
    public const string WebPlainToken = "plain-web-identity-token-1";
    public const string WebExpiredToken = "expired-web-identity-token";
    public const string WebRejectedToken = "rejected-web-identity-token";

    public const string ConfigJson = """
        {
          "users": [
            { "name": "reader", "accessKeyId": "AKIAREADER0000000001", "secretAccessKey": "reader-secret-for-tests",
              "actions": ["states:Describe*", "states:List*"] },
            { "name": "runner", "accessKeyId": "AKIARUNNER0000000001", "secretAccessKey": "runner-secret-for-tests",
              "actions": ["sts:AssumeRole"] },
            { "name": "author", "accessKeyId": "AKIAAUTHOR0000000001", "secretAccessKey": "author-secret-for-tests",
              "actions": ["states:CreateStateMachine", "states:UpdateStateMachine", "states:Describe*", "states:List*"] },
            { "name": "tester", "accessKeyId": "AKIATESTER0000000001", "secretAccessKey": "tester-secret-for-tests",
              "actions": ["states:TestState"] }
          ],
          "roles": [
            { "roleArn": "arn:aws:iam::123456789012:role/Deployer", "trustedPrincipals": ["runner"], "externalId": "ext-123",
              "actions": ["states:*"] },
            { "roleArn": "arn:aws:iam::123456789012:role/Viewer", "trustedPrincipals": ["arn:aws:iam::123456789012:user/runner"],
              "actions": ["states:DescribeExecution"], "durationSeconds": 1800 },
            { "roleArn": "arn:aws:iam::123456789012:role/WebRunner", "actions": ["states:List*"], "durationSeconds": 1800,
              "webIdentityTokens": ["eyJhbGciOiJSUzI1NiIsImtpZCI6ImxvY2FsIn0.eyJpc3MiOiJodHRwczovL29pZGMuZWtzLnVzLWVhc3QtMS5hbWF6b25hd3MuY29tL2lkL0xPQ0FMIiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OmNpOnJ1bm5lciIsImF1ZCI6WyJzdHMuYW1hem9uYXdzLmNvbSJdfQ.c2lnbmF0dXJl", "plain-web-identity-token-1"] }
          ],
          "expiredWebIdentityTokens": ["expired-web-identity-token"],
          "rejectedWebIdentityTokens": ["rejected-web-identity-token"]
        }
        """;

    public LocalEndpointServer Server { get; private set; } = null!;
    public AwsTestClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sfn-local-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, ConfigJson);
        try
        {
            Server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Port = 0, Access = AccessConfig.Load(path) }, CancellationToken.None);
        }
        finally
        {
            File.Delete(path);
        }
        Client = new AwsTestClient(Server.Url, Credentials.Default);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public AwsTestClient As(Credentials credentials) => Client.With(credentials);

    /// <summary>Names unique per test run so tests sharing a server never collide.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 80)];
}
