using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Tests.Infrastructure;
using Xunit;

namespace AwsStepFunctions.Local.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Https_ServesACertificateChainingToTheWrittenCa_ForHttpClientAndTheCli()
    {
        var caFile = Path.Combine(Path.GetTempPath(), $"sfn-local-ca-{Guid.NewGuid():N}.pem");
        try
        {
            await using var server = await LocalEndpointServer.StartAsync(new LocalEndpointOptions { Https = true, CaFile = caFile }, CancellationToken.None);
            Assert.Equal("https", server.Url.Scheme);
            var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            using var handler = new SocketsHttpHandler { UseProxy = false };
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                // Trust only the written CA: build the chain against it alone.
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return cert is not null && chain.Build(X509CertificateLoader.LoadCertificate(cert.GetRawCertData()));
            };
            using var http = new HttpClient(handler);
            var client = new AwsTestClient(server.Url, Credentials.Default, http);
            (await client.CallAsync("ListStateMachines")).Ok();

            var cli = await AwsCli.RunAsync(server.Url, Credentials.Default, caFile, "sts", "get-caller-identity");
            Assert.Equal("arn:aws:iam::123456789012:user/local", cli.Json["Arn"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    [Fact]
    public async Task Program_PrintsListeningOn_AndLoadsDefinitionsFromAFolder()
    {
        var folder = Directory.CreateTempSubdirectory("sfn-defs-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "Greeter.asl.json"), Definitions.Pass);
            await File.WriteAllTextAsync(Path.Combine(folder, "Quick.express.asl.json"), Definitions.Pass);
            var dll = Path.Combine(AppContext.BaseDirectory, "AwsStepFunctions.Local.dll");
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { dll, "--port", "0", "--definitions", folder, "--time-scale", "10" }) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                Assert.NotNull(line);
                Assert.Matches(@"^Listening on http://127\.0\.0\.1:\d+$", line);
                var client = new AwsTestClient(new Uri(line!["Listening on ".Length..]), Credentials.Default);
                var greeter = (await client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:Greeter" })).Ok();
                Assert.Equal("STANDARD", greeter["type"]!.GetValue<string>());
                Assert.Equal(LocalEndpointServer.DefinitionsRoleArn, greeter["roleArn"]!.GetValue<string>());
                var quick = (await client.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:Quick" })).Ok();
                Assert.Equal("EXPRESS", quick["type"]!.GetValue<string>());
            }
            finally
            {
                process.Kill(true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Theory]
    [InlineData(new[] { "--port", "70000" }, "--port")]
    [InlineData(new[] { "--time-scale", "0" }, "--time-scale")]
    [InlineData(new[] { "--activity-poll-seconds", "0" }, "--activity-poll-seconds")]
    [InlineData(new[] { "--activity-poll-seconds", "61" }, "--activity-poll-seconds")]
    [InlineData(new[] { "--activity-poll-seconds", "1.5" }, "--activity-poll-seconds")]
    [InlineData(new[] { "--clock-offset", "86401" }, "--clock-offset")]
    [InlineData(new[] { "--clock-offset", "20m" }, "--clock-offset")]
    [InlineData(new[] { "--config", "/no/such/file.json" }, "--config")]
    [InlineData(new[] { "--definitions", "/no/such/dir" }, "--definitions")]
    [InlineData(new[] { "--bogus" }, "--bogus")]
    [InlineData(new[] { "--port" }, "--port")]
    public void CommandLine_Errors_NameTheOption(string[] args, string option)
    {
        var ex = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args, _ => null));
        Assert.Contains(option, ex.Message);
    }

    [Fact]
    public void CommandLine_ReadsEveryOption_AndMockConfigFromTheEnvironment()
    {
        var o = CommandLine.Parse(["--port", "8083", "--host", "0.0.0.0", "--https", "--ca-file", "/tmp/ca.pem", "--time-scale", "2.5", "--region", "eu-west-1",
            "--expose-issued-credentials", "--activity-poll-seconds", "5", "--clock-offset", "-1200.5"],
            name => name == "SFN_MOCK_CONFIG" ? "{\"StateMachines\":{}}" : null);
        Assert.Equal(8083, o.Port);
        Assert.Equal("0.0.0.0", o.Host);
        Assert.True(o.Https);
        Assert.Equal("/tmp/ca.pem", o.CaFile);
        Assert.Equal(2.5, o.TimeScale);
        Assert.Equal("eu-west-1", o.Region);
        Assert.True(o.ExposeIssuedCredentials);
        Assert.Equal(5, o.ActivityPollSeconds);
        Assert.Equal(TimeSpan.FromSeconds(-1200.5), Assert.IsType<AwsStepFunctions.Local.Hosting.OffsetClock>(o.Time).Offset);
        Assert.Same(TimeProvider.System, CommandLine.Parse([], _ => null).Time);
        Assert.False(CommandLine.Parse([], _ => null).ExposeIssuedCredentials);
        Assert.Equal(60, CommandLine.Parse([], _ => null).ActivityPollSeconds);
        Assert.NotNull(o.MockConfig!["StateMachines"]);
    }

    [Fact]
    public void Config_Errors_NameTheField()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "users": [ { "name": "x", "accessKeyId": "lower", "secretAccessKey": "s" } ] }""");
            var ex = Assert.Throws<InvalidOperationException>(() => Auth.AccessConfig.Load(path));
            Assert.Contains("users[0].accessKeyId", ex.Message);
            File.WriteAllText(path, """{ "roles": [ { "roleArn": "arn:aws:iam::123:role/x" } ] }""");
            Assert.Contains("roles[0].roleArn", Assert.Throws<InvalidOperationException>(() => Auth.AccessConfig.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
