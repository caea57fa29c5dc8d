using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureHeaders.BrowserTests;

/// <summary>
/// A small company site with legitimate third parties on other loopback origins (a script and font "CDN", a video
/// embed), nonce'd inline code, a contact form, and a search page that reflects its query unencoded (the injection
/// target). <see cref="StartAsync"/> runs it either learning (loose enforced policy plus a strict Report-Only
/// candidate) or enforcing a given policy.
/// </summary>
internal sealed class LearningSite : IAsyncDisposable
{
    /// <summary>The strict candidate the app tries out in Report-Only mode.</summary>
    public const string Candidate =
        "default-src 'self'; script-src 'self' 'nonce' 'report-sample'; style-src 'self' 'nonce' 'report-sample'; img-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The loose policy it enforces meanwhile (the probes do run under it).</summary>
    public const string Loose = "default-src 'self' https: data: 'unsafe-inline' 'unsafe-eval'";

    public static readonly string[] Pages = ["/", "/video", "/contact", "/search?q=shoes"];

    private readonly WebApplication _app;

    private LearningSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Serves the third parties: <c>/lib.js</c>, <c>/fonts.css</c> and <c>/font.woff2</c> on one origin, <c>/player.html</c> on another.</summary>
    public static async Task<(WebApplication App, Uri Cdn, Uri Embed)> StartThirdPartiesAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate));
            k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate));
        });
        var app = builder.Build();
        app.MapGet("/lib.js", (HttpContext c) => Text(c, "application/javascript", "window.__cdnLoaded = true;"));
        app.MapGet("/fonts.css", (HttpContext c) => Text(c, "text/css",
            $"@font-face {{ font-family: 'Brand'; src: url('https://{c.Request.Host}/font.woff2') format('woff2'); }} .brand {{ font-family: 'Brand', serif; }}"));
        // Not a real font: the browser fetches it (which is what the policy governs) and then falls back.
        app.MapGet("/font.woff2", (HttpContext c) => Text(c, "font/woff2", "wOF2"));
        app.MapGet("/player.html", (HttpContext c) => Text(c, "text/html", "<!DOCTYPE html><title>player</title><p id=player>video</p>"));
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return (app, addresses[0], addresses[1]);
    }

    private static IResult Text(HttpContext context, string type, string body)
    {
        // Cross-origin font loads need CORS.
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return Results.Text(body, type);
    }

    /// <param name="certificate">The loopback certificate.</param>
    /// <param name="database">The report store.</param>
    /// <param name="cdn">The script and font origin.</param>
    /// <param name="embed">The video embed origin.</param>
    /// <param name="enforce">null to learn (loose enforced, strict Report-Only); otherwise the policy to enforce, alone.</param>
    public static async Task<LearningSite> StartAsync(X509Certificate2 certificate, string database, Uri cdn, Uri embed, string? enforce)
    {
        // A content root of its own: the test folder holds the showcase's appsettings.json, whose policy would win.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = Path.GetDirectoryName(database) });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        builder.Services.AddSecureHeaders(o =>
        {
            o.ForceHttps.Enabled = false;
            if (enforce is null)
            {
                o.ContentSecurityPolicy.Use(Loose);
                o.ContentSecurityPolicyReportOnly.Enabled = true;
                o.ContentSecurityPolicyReportOnly.Use(Candidate);
            }
            else
            {
                o.ContentSecurityPolicy.Use(enforce);
            }
        });
        builder.Services.AddSecureHeadersReporting(o =>
        {
            o.SqlitePath = database;
            o.FlushInterval = TimeSpan.FromMilliseconds(200);
            o.Dashboard.AllowAnonymous = true;
            o.RateLimit.BurstLimit = 100_000;
            o.RateLimit.RequestsPerSecond = 100_000;
        });

        var app = builder.Build();
        app.UseSecureHeaders();
        app.MapSecureHeadersReporting();
        app.MapGet("/", (HttpContext c) => Page(c, cdn, "Home", "<p class=brand>Welcome.</p>"));
        app.MapGet("/video", (HttpContext c) => Page(c, cdn, "Video", $"<iframe id=embed src=\"{embed}player.html\" title=player></iframe>"));
        app.MapGet("/contact", (HttpContext c) => Page(c, cdn, "Contact",
            "<form id=contact method=post action=\"/contact\"><input name=email value=\"a@example.com\"><button>Send</button></form>"));
        app.MapPost("/contact", (HttpContext c) => Page(c, cdn, "Thanks", "<p id=thanks>Thanks, we will write back.</p>"));
        // The bug: the query is written into the page without encoding.
        app.MapGet("/search", (HttpContext c) => Page(c, cdn, "Search", "<p>Results for <span id=q>" + c.Request.Query["q"] + "</span></p>"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LearningSite(app, new Uri(address));
    }

    private static IResult Page(HttpContext context, Uri cdn, string title, string body)
    {
        var nonce = context.GetCspNonce();
        var html = $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{title}}</title>
            <link rel="stylesheet" href="{{cdn}}fonts.css" crossorigin="anonymous">
            <style nonce="{{nonce}}">body { font-family: sans-serif; }</style>
            <script src="{{cdn}}lib.js"></script>
            <script nonce="{{nonce}}">window.__appReady = true;</script>
            </head><body><nav><a href="/">Home</a> <a href="/video">Video</a> <a href="/contact">Contact</a></nav>
            <h1>{{title}}</h1>{{body}}</body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
