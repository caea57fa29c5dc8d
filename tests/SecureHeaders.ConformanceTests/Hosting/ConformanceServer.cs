using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SecureHeaders.ConformanceTests.Checks;

namespace SecureHeaders.ConformanceTests.Hosting;

/// <summary>
/// The app every engine is pointed at: real Kestrel on loopback (one TLS port, one plain port) running
/// SecureHeaders in the Production profile, with the default policy as <c>AddSecureHeaders()</c> sends it, the
/// named policies the checks add, the SecureHeaders report collector, and every check's pages. A forward proxy
/// maps the <see cref="ConformanceHosts"/> names onto it. Shared by all engines for the whole run.
/// </summary>
public sealed class ConformanceServer : IAsyncDisposable
{
    private const string ProbeScript = """
        // Loaded first by every check page (with the page's nonce): records CSP violations and publishes results.
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e => window.__violations.push({
            directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI, disposition: e.disposition }));
        window.__done = value => { window.__result = value; };
        """;

    private WebApplication? _app;
    private ForwardProxy? _proxy;

    public RequestLog Requests { get; } = new();

    public IReadOnlyList<ConformanceCheck> Checks { get; } = ConformanceCatalog.All;

    public TestCertificates Certificates { get; private set; } = null!;

    public EngineEnvironment Environment { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("secureheaders-conformance").FullName;

    public async Task StartAsync()
    {
        Certificates = TestCertificates.Create(WorkDirectory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = WorkDirectory,
            ApplicationName = typeof(ConformanceServer).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificates.Server));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.AddSecureHeaders(options =>
        {
            // Plain-HTTP requests must reach the checks as they are (HSTS and upgrade-insecure-requests are what is tested).
            options.ForceHttps.Enabled = false;
            options.CspEvaluation.FailOnHighFindingsInProduction = false;

            // Only the reporting checks' policies send reports; elsewhere the reports of deliberate violations are noise.
            options.SendViolationReports = false;
            foreach (var check in Checks)
            {
                check.ConfigurePolicies(options);
            }
        });
        builder.Services.AddSecureHeadersReporting(reporting =>
        {
            reporting.SqlitePath = Path.Combine(WorkDirectory, "reports.db");
            reporting.RateLimit.Enabled = false;
            reporting.FlushInterval = TimeSpan.FromMilliseconds(200);
        });

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            string? body = null;
            if (HttpMethods.IsPost(context.Request.Method))
            {
                context.Request.EnableBuffering();
                using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
                body = await reader.ReadToEndAsync(context.RequestAborted);
                context.Request.Body.Position = 0;
            }

            Requests.Add(new LoggedRequest(DateTimeOffset.UtcNow, context.Request.Method, context.Request.IsHttps, context.Request.Host.Host,
                context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.Referer.FirstOrDefault(), context.Request.Headers.Cookie.FirstOrDefault(), context.Request.ContentType, body));
            await next(context);
        });
        app.UseSecureHeaders();
        app.MapSecureHeadersReporting();
        app.MapGet("/_probe.js", () => Results.Text(ProbeScript, "text/javascript"));
        app.MapGet("/_beacon", () => Results.NoContent());
        app.MapGet("/_pixel.png", () => Results.Bytes(Pixel, "image/png"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        foreach (var check in Checks)
        {
            check.Map(app);
        }

        await app.StartAsync();
        _app = app;
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var https = new Uri(addresses.First(static a => a.StartsWith("https:", StringComparison.Ordinal))).Port;
        var http = new Uri(addresses.First(static a => a.StartsWith("http:", StringComparison.Ordinal))).Port;
        _proxy = new ForwardProxy(https, http);
        _proxy.Start();
        Environment = new EngineEnvironment(_proxy.Url, Certificates, WorkDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Certificates?.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A browser may still hold a profile file for a moment; the directory is under /tmp.
        }
    }

    /// <summary>A 1×1 transparent PNG.</summary>
    public static readonly byte[] Pixel = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
}
