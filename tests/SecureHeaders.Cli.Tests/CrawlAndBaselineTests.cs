using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SecureHeaders.Cli.Commands;

namespace SecureHeaders.Cli.Tests;

/// <summary>
/// A real multi-page site on Kestrel loopback: a nonce CSP on every page, one route without a CSP, one without the
/// nonce, an API with another HSTS, a page only the sitemap names, a redirect, a redirect loop, robots.txt. Crawled
/// with <c>scan --crawl</c>; then scanned, changed and scanned again against the saved baseline.
/// </summary>
public sealed class CrawlAndBaselineTests : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory = Directory.CreateTempSubdirectory("secureheaders-crawl-").FullName;

    public CrawlAndBaselineTests()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Items["nonce"] = nonce;
            var headers = context.Response.Headers;
            if (path != "/weak")
            {
                headers.ContentSecurityPolicy = path == "/no-nonce"
                    ? "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'"
                    : $"default-src 'self'; script-src 'nonce-{nonce}'{(Weakened ? " 'unsafe-inline'" : string.Empty)}; object-src 'none'; frame-ancestors 'none'";
            }

            headers.StrictTransportSecurity = path.StartsWith("/api", StringComparison.Ordinal) ? "max-age=60" : Weakened ? "max-age=86400" : "max-age=31536000; includeSubDomains";
            if (!Weakened)
            {
                headers.XFrameOptions = "DENY";
            }

            headers.XContentTypeOptions = "nosniff";
            headers.ContentType = "text/html; charset=utf-8";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            await next(context);
        });
        static string Page(HttpContext c, string links) =>
            $"<!DOCTYPE html><html><head><title>t</title><script nonce=\"{c.Items["nonce"]}\">var x = 1;</script></head><body>{links}</body></html>";
        _app.MapGet("/", c => c.Response.WriteAsync(Page(c,
            "<a href=\"/about\">a</a> <a href='contact#team'>c</a> <a href=\"/weak\">w</a> <a href=\"/no-nonce\">n</a> <a href=\"/api/status\">s</a>"
            + "<a href=\"/stale-view\">v</a> <a href=\"/old\">o</a> <a href=\"/loop\">l</a> <a href=\"/private/x\">p</a> <a href=\"https://elsewhere.example/\">e</a> <a href=\"mailto:a@b.c\">m</a>")));
        foreach (var path in new[] { "/about", "/contact", "/weak", "/no-nonce", "/new", "/hidden", "/private/x" })
        {
            _app.MapGet(path, c => c.Response.WriteAsync(Page(c, "<a href=\"/\">home</a> <a href=\"/about\">about</a>")));
        }

        _app.MapGet("/api/status", static () => Results.Json(new { ok = true }));
        _app.MapGet("/stale-view", static c => c.Response.WriteAsync("<!DOCTYPE html><html><head><title>t</title><script>var x = 1;</script></head><body>stale</body></html>"));
        _app.MapGet("/old", static c => { c.Response.Redirect("/new"); return Task.CompletedTask; });
        _app.MapGet("/loop", static c => { c.Response.Redirect("/loop"); return Task.CompletedTask; });
        _app.MapGet("/robots.txt", static () => Results.Text("User-agent: *\nDisallow: /private/\n"));
        _app.MapGet("/sitemap.xml", static (HttpContext c) => Results.Text(
            $"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>http://{c.Request.Host}/hidden</loc></url><url><loc>http://{c.Request.Host}/about</loc></url></urlset>",
            "application/xml"));
        _app.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>Switches the site to weaker headers, as a bad deploy would.</summary>
    private bool Weakened { get; set; }

    private string Base => _app.Urls.First().TrimEnd('/');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(ScanCommand.Settings settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ScanCommand.RunAsync(settings, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private ScanCommand.Settings Settings(ScanOutput.Format format) =>
        new([Base + "/"], format, null, false, null, false, null, null, 2, TimeSpan.FromSeconds(10), false);

    [Fact]
    public async Task A_crawl_grades_every_page_and_reports_the_weaker_routes_by_cause()
    {
        var (code, output, error) = await RunAsync(Settings(ScanOutput.Format.Json) with { Crawl = true });

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("crawl").GetProperty("pages").GetArrayLength() > 5, output[..Math.Min(3000, output.Length)]);
        var pages = json.RootElement.GetProperty("crawl").GetProperty("pages").EnumerateArray()
            .ToDictionary(static p => new Uri(p.GetProperty("url").GetString()!).PathAndQuery, static p => p);
        Assert.Contains("/hidden", pages.Keys);                // from the sitemap only
        Assert.Contains("/contact", pages.Keys);               // a relative link, fragment dropped
        Assert.DoesNotContain("/private/x", pages.Keys);       // robots.txt
        Assert.DoesNotContain(pages.Keys, static k => k.Contains("elsewhere", StringComparison.Ordinal));
        Assert.EndsWith("/new", pages["/old"].GetProperty("finalUrl").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("/new", pages.Keys);             // reached through the redirect, not fetched twice
        Assert.Contains("redirect loop", pages["/loop"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(json.RootElement.GetProperty("crawl").GetProperty("pagesGraded").GetInt32(), json.RootElement.GetProperty("reports").GetArrayLength());

        var deviations = json.RootElement.GetProperty("deviations").EnumerateArray().ToList();
        JsonElement Deviation(string id) => deviations.Single(d => d.GetProperty("id").GetString() == id);
        static string[] Paths(JsonElement d) => [.. d.GetProperty("pages").EnumerateArray().Select(static p => new Uri(p.GetString()!).AbsolutePath)];

        var missing = Deviation("headers-missing");
        Assert.Equal(["/weak"], Paths(missing));
        Assert.Contains("Content-Security-Policy", missing.GetProperty("headers").EnumerateArray().Select(static h => h.GetString()));
        Assert.Equal(["/no-nonce"], Paths(Deviation("csp-nonce-missing")));
        Assert.Equal(["/stale-view"], Paths(Deviation("script-nonce-missing")));
        var hsts = deviations.Single(d => d.GetProperty("id").GetString() == "header-differs" && d.GetProperty("headers")[0].GetString() == "Strict-Transport-Security");
        Assert.Equal(["/api/status"], Paths(hsts));
        Assert.Equal("max-age=60", hsts.GetProperty("value").GetString());

        // Every page's nonce differs, yet the pages with the nonce are one group: no deviation lists them.
        Assert.DoesNotContain(deviations, static d => Paths(d).Contains("/about"));
    }

    [Fact]
    public async Task A_crawl_reads_in_text_markdown_and_sarif()
    {
        var (_, text, _) = await RunAsync(Settings(ScanOutput.Format.Text) with { Crawl = true, MaxPages = 20 });
        Assert.Contains("[headers-missing]", text, StringComparison.Ordinal);
        Assert.Contains(Base + "/weak", text, StringComparison.Ordinal);

        var (_, markdown, _) = await RunAsync(Settings(ScanOutput.Format.Markdown) with { Crawl = true });
        Assert.Contains("### Pages whose headers differ from the rest of the site", markdown, StringComparison.Ordinal);

        var (_, sarif, _) = await RunAsync(Settings(ScanOutput.Format.Sarif) with { Crawl = true });
        using var json = JsonDocument.Parse(sarif);
        Assert.Contains(json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray(), static r => r.GetProperty("ruleId").GetString() == "crawl/headers-missing");

        var (code, limited, _) = await RunAsync(Settings(ScanOutput.Format.Text) with { Crawl = true, MaxPages = 3 });
        Assert.Equal(0, code);
        Assert.Contains("Stopped at 3 pages", limited, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_site_fails_against_its_baseline_and_names_what_changed()
    {
        var baseline = Path.Combine(_directory, "baseline.json");
        var summary = Path.Combine(_directory, "summary.md");
        var (saved, _, _) = await RunAsync(Settings(ScanOutput.Format.Text) with { SaveBaseline = baseline });
        Assert.Equal(0, saved);
        Assert.True(File.Exists(baseline));

        var (same, sameOutput, _) = await RunAsync(Settings(ScanOutput.Format.Text) with { Baseline = baseline });
        Assert.Equal(0, same);
        Assert.Contains("no regressions", sameOutput, StringComparison.Ordinal);

        Weakened = true;
        var (code, output, _) = await RunAsync(Settings(ScanOutput.Format.Text) with { Baseline = baseline, SummaryMarkdown = summary });

        Assert.True(code == 1, output);
        Assert.Contains("[header-removed] X-Frame-Options removed (was: DENY)", output, StringComparison.Ordinal);
        Assert.Contains("[csp-source-added] Content-Security-Policy script-src: + 'unsafe-inline'", output, StringComparison.Ordinal);
        Assert.Contains("[header-weakened] Strict-Transport-Security: max-age=31536000; includeSubDomains -> max-age=86400", output, StringComparison.Ordinal);

        // The Observatory score does not move (the nonce cancels 'unsafe-inline', frame-ancestors covers framing),
        // yet each of these is a regression.
        Assert.DoesNotContain("[score-lower]", output, StringComparison.Ordinal);
        var markdown = await File.ReadAllTextAsync(summary, TestContext.Current.CancellationToken);
        Assert.Contains("regression(s) ❌", markdown, StringComparison.Ordinal);
        Assert.Contains("header-removed", markdown, StringComparison.Ordinal);

        // With --json the report keeps its shape on stdout and the diff goes to stderr.
        var (jsonCode, json, diff) = await RunAsync(Settings(ScanOutput.Format.Json) with { Baseline = baseline });
        Assert.Equal(1, jsonCode);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(1, document.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Contains("[header-removed]", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_baseline_is_an_error_before_anything_is_fetched()
    {
        var path = Path.Combine(_directory, "broken.json");
        await File.WriteAllTextAsync(path, "{\"pages\": 1}", TestContext.Current.CancellationToken);
        var (code, _, error) = await RunAsync(Settings(ScanOutput.Format.Text) with { Baseline = path });
        Assert.Equal(2, code);
        Assert.Contains("--baseline", error, StringComparison.Ordinal);
    }
}
