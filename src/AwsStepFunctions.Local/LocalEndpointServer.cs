using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Control;
using AwsStepFunctions.Local.Hosting;
using AwsStepFunctions.Local.Sso;
using AwsStepFunctions.Local.StepFunctions;
using AwsStepFunctions.Local.Sts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AwsStepFunctions.Local;

/// <summary>
/// The endpoint as a reusable host: the program, the xunit tests and the benchmark all start it through
/// <see cref="StartAsync"/> and read the bound <see cref="Url"/> (port 0 = a free port).
/// </summary>
public sealed class LocalEndpointServer : IAsyncDisposable
{
    /// <summary>The role ARN every --definitions state machine is created with.</summary>
    public const string DefinitionsRoleArn = "arn:aws:iam::123456789012:role/LocalStepFunctions";

    private readonly WebApplication _app;
    private readonly X509Certificate2? _certificate;

    private LocalEndpointServer(WebApplication app, X509Certificate2? certificate, Uri url, RequestCounters counters, FaultInjector faults, RequestLog log, StepFunctionsService service, string? caPem)
    {
        _app = app;
        _certificate = certificate;
        Url = url;
        Counters = counters;
        Faults = faults;
        Requests = log;
        StepFunctions = service;
        CaCertificatePem = caPem;
    }

    public Uri Url { get; }
    public RequestCounters Counters { get; }
    public FaultInjector Faults { get; }
    public RequestLog Requests { get; }
    public StepFunctionsService StepFunctions { get; }
    /// <summary>The generated CA (PEM) when serving HTTPS with a generated certificate; clients trust this.</summary>
    public string? CaCertificatePem { get; }

    public static async Task<LocalEndpointServer> StartAsync(LocalEndpointOptions options, CancellationToken cancellationToken)
    {
        var counters = new RequestCounters();
        var faults = new FaultInjector();
        var log = new RequestLog();
        var credentials = new CredentialStore(options.Access);
        var store = new StepFunctionsStore();
        var activities = new ActivityTasks(arn => store.FindActivity(arn) is not null);
        var engine = new EngineOptions
        {
            TimeScale = options.TimeScale, Time = options.Time, MockConfig = options.MockConfig, Callbacks = new TaskCallbacks(), Activities = activities,
        };
        var service = new StepFunctionsService(store, new Arns(options.Region), engine) { ActivityPollTime = TimeSpan.FromSeconds(options.ActivityPollSeconds) };
        LoadDefinitions(service, options.DefinitionsDirectory);
        var ssoDirectory = new SsoDirectory(options.Access, options.Time);
        var issued = options.ExposeIssuedCredentials ? new IssuedCredentials(credentials, ssoDirectory) : null;
        var pipeline = new RequestPipeline(options.MaxBodyBytes, new ControlPlane(counters, log, faults, store, issued), counters, log, faults,
            new SigV4Verifier(credentials, options.Time, options.Region), service, new StsService(credentials, options.Time),
            new SsoService(ssoDirectory, credentials, options.Time), options.Time);

        var (certificate, caPem) = Certificate(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The pipeline enforces the body cap itself with an AWS-shaped error; Kestrel's cap is only a backstop.
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes * 4L;
            kestrel.Listen(Address(options.Host), options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        // GetActivityTask holds a request up to a minute: shutting down ends those polls at once (empty answers)
        // instead of waiting for them.
        app.Lifetime.ApplicationStopping.Register(activities.Close);
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        var host = options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host}]" : options.Host;
        var url = new Uri($"{(certificate is null ? "http" : "https")}://{host}:{port}");
        return new LocalEndpointServer(app, certificate, url, counters, faults, log, service, caPem);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate?.Dispose();
    }

    private static IPAddress Address(string host) =>
        host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) ? address
        : throw new ArgumentException($"--host must be an IP address or localhost, not '{host}'");

    private static (X509Certificate2? Certificate, string? CaPem) Certificate(LocalEndpointOptions options)
    {
        if (options.CertificatePath is not null)
            return (X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword), null);
        if (!options.Https) return (null, null);
        var (ca, server) = DevelopmentCertificates.Create(DateTimeOffset.UtcNow);
        var pem = ca.ExportCertificatePem();
        if (options.CaFile is not null) File.WriteAllText(options.CaFile, pem + "\n");
        return (server, pem);
    }

    private static void LoadDefinitions(StepFunctionsService service, string? directory)
    {
        if (directory is null) return;
        foreach (var path in Directory.GetFiles(directory, "*.asl.json").OrderBy(p => p, StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var express = file.EndsWith(".express.asl.json", StringComparison.OrdinalIgnoreCase);
            var name = file[..^(express ? ".express.asl.json".Length : ".asl.json".Length)];
            try
            {
                service.Register(name, File.ReadAllText(path), DefinitionsRoleArn, express ? "EXPRESS" : "STANDARD");
            }
            catch (Wire.AwsApiException ex)
            {
                throw new ArgumentException($"--definitions: {file}: {ex.Message}", ex);
            }
        }
    }
}
