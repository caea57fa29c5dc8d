using System.Text.Json;
using SecureHeaders.ConformanceTests.Checks;
using SecureHeaders.ConformanceTests.Engines;
using SecureHeaders.ConformanceTests.Hosting;

using static SecureHeaders.ConformanceTests.Apps.AppPages;

namespace SecureHeaders.ConformanceTests.Apps;

/// <summary>
/// The <c>dotnet new webapp</c> app of tests/Fixtures/RazorPagesApp with SecureHeaders' two lines, the site under
/// <c>"Presets": ["StrictWithBasic"]</c> and the API tools on their own paths through <c>PathPolicies</c>, each a
/// named policy whose <c>Presets</c> list is just the tool's preset layered on the strict default: Swagger UI
/// (<c>/swagger</c>), ReDoc (<c>/api-docs</c>) and Scalar (<c>/scalar</c>). In each engine: the template's
/// <c>&lt;script type="importmap"&gt;</c> (no markup change) and its scripts run, each tool renders its main
/// elements, injected scripts are blocked on the site and under the Swagger path, and no other CSP violation is
/// reported (report-uri, sent by all three engines).
/// </summary>
public abstract class RazorPagesAppTests(ConformanceServerFixture server, EngineFixture engine)
{
    private static readonly TimeSpan Render = TimeSpan.FromSeconds(90); // ReDoc and Scalar parse multi-megabyte bundles; engines share two busy cores

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Template_app_and_api_tools_run_under_their_policies_and_block_injected_scripts()
    {
        var browser = await engine.GetAsync(server.Server);
        await using var app = await FixtureApp.StartAsync(server.Server, "RazorPagesApp", ConformanceHosts.RazorPagesApp, new Dictionary<string, string>
        {
            ["SecureHeaders__ContentSecurityPolicy__Directives__report-uri"] = "/_test/csp-reports",
        });
        var who = $"{browser.Id} {browser.Version}";

        // The site keeps the strict policy; each tool's path gets its own, and only there.
        var site = await Csp(app, "/");
        Assert.Contains("'strict-dynamic'", site, StringComparison.Ordinal);
        Assert.Contains("'nonce-", site, StringComparison.Ordinal);
        Assert.Contains("'sha256-", site, StringComparison.Ordinal); // the endpoint's import map
        Assert.DoesNotContain("'unsafe-inline'", SecureHeaders.Csp.CspPolicy.Parse(site).FindEffective("style-src")?.ToString() ?? string.Empty, StringComparison.Ordinal); // styles stay strict on the site
        Assert.Equal(site.Split("'nonce-")[0], (await Csp(app, "/Privacy")).Split("'nonce-")[0]);
        var swagger = SecureHeaders.Csp.CspPolicy.Parse(await Csp(app, "/swagger/index.html"));
        Assert.Equal("script-src 'self'", swagger.Find("script-src")?.ToString());
        Assert.Equal("object-src 'none'", swagger.Find("object-src")?.ToString());
        Assert.Equal("script-src 'self'", SecureHeaders.Csp.CspPolicy.Parse(await Csp(app, "/api-docs/index.html")).Find("script-src")?.ToString());
        var scalar = await Csp(app, "/scalar/v1");
        Assert.Contains("'strict-dynamic'", scalar, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", scalar, StringComparison.Ordinal);

        await using var page = await browser.NewPageAsync(Ct);

        // The template's home page: the import map the tag helper fills is allowed by its hash, the scripts by the nonce.
        await Goto(page, app.Url("/"), who);
        Assert.True((await Text(page, "document.querySelector('script[type=importmap]').textContent")).Contains("\"imports\"", StringComparison.Ordinal), $"{who}: the import map is empty");
        await Wait(page, "window.jQuery && window.bootstrap ? true : null", TimeSpan.FromSeconds(15), who, "the template's jQuery and Bootstrap scripts ran");

        // Swagger UI lists the API's operation; ReDoc and Scalar show it too.
        await Goto(page, app.Url("/swagger/index.html"), who);
        await Explained(app, page, Wait(page, "document.querySelector('.opblock-summary-path')?.textContent.includes('/api/forecast') ? true : null", Render, who, "Swagger UI's operations list"));
        const string redocShown = "document.querySelector('#redoc-container .api-content') && document.getElementById('redoc-container').textContent.includes('/api/forecast')";
        await Goto(page, app.Url("/api-docs/index.html"), who);
        var redoc = Wait(page, $"{redocShown} ? 'shown' : document.body.innerText.includes('Failed to load API description') ? 'load failed' : null", Render, who, "ReDoc's API content");
        await Explained(app, page, redoc);
        if ((await redoc).GetString() == "load failed")
        {
            // The OpenAPI document's fetch hit a network error (WebKit's "Load failed" on a busy machine). A CSP block
            // would be reported, and the assertions below allow no such report, so load the page once more.
            await Goto(page, app.Url("/api-docs/index.html"), who);
            await Explained(app, page, Wait(page, $"{redocShown} ? true : null", Render, who, "ReDoc's API content"));
        }
        await Goto(page, app.Url("/scalar/v1"), who);
        await Explained(app, page, Wait(page, "document.querySelector('#app .section-header-label') && document.getElementById('app').textContent.includes('/api/forecast') ? true : null", Render, who, "Scalar's API reference"));

        // Injected markup, on the site and under the tool's looser path: inline script, same-origin script, inline handler.
        var markup = Uri.EscapeDataString("<script>window.__injected = 'inline'</script><script src=\"/_test/evil.js\"></script><img src=\"/none.png\" onerror=\"window.__injected = 'handler'\">");
        await Goto(page, app.Url("/_test/injected?markup=" + markup), who);
        await InjectedPageSettled(app, page, "/_test/injected", 2, who);
        Assert.True(await Text(page, "typeof window.__injected") == "undefined", $"{who}: an injected script ran on the site ({await Text(page, "window.__injected")})");
        var inlineOnly = Uri.EscapeDataString("<script>window.__injected = 'inline'</script><img src=\"/none.png\" onerror=\"window.__injected = 'handler'\">");
        await Goto(page, app.Url("/swagger/_test/injected?markup=" + inlineOnly), who);
        var reports = await InjectedPageSettled(app, page, "/swagger/_test/injected", 2, who);
        Assert.True(await Text(page, "typeof window.__injected") == "undefined", $"{who}: an injected inline script ran under /swagger ({await Text(page, "window.__injected")})");

        // Reports: the injected scripts were reported (the control that reporting works), and nothing else was.
        var injected = reports.Where(r => DocumentUri(r).Contains("/_test/injected", StringComparison.Ordinal)).ToList();
        Assert.True(injected.Count(r => DocumentUri(r).Contains("/swagger/", StringComparison.Ordinal)) >= 2 && injected.Count >= 4,
            $"{who}: the injected scripts were not all reported ({injected.Count} of {reports.Count} reports); reporting proves nothing.");
        var others = reports.Except(injected).Select(Describe).ToList();
        Assert.True(others.Count == 0, $"{who}: CSP violations on the app's own pages and the API tools:\n" + string.Join("\n", others));
        TestContext.Current.SendDiagnosticMessage($"{who}: {injected.Count} injected violations reported, none on the template's pages, Swagger UI, ReDoc or Scalar.");
    }

    /// <summary>A tool that did not render fails with the violations reported so far: the likely cause.</summary>
    private static async Task Explained(FixtureApp app, IBrowserPage page, Task wait)
    {
        try
        {
            await wait;
        }
        catch (Xunit.Sdk.XunitException e)
        {
            var reports = await app.ReportsAsync(Ct);
            var shown = await Text(page, "document.body.innerText.slice(0, 500)");
            throw new Xunit.Sdk.XunitException(e.Message + $" The page shows: {shown}\nViolations reported so far ({reports.Count}):\n" + string.Join("\n", reports.Select(Describe)));
        }
    }

    private static async Task<string> Csp(FixtureApp app, string path)
    {
        using var response = await app.GetAsync(path, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return response.Headers.GetValues("Content-Security-Policy").Single();
    }

}

[Collection("chromium")]
public sealed class RazorPagesAppChromium(ConformanceServerFixture server, ChromiumFixture engine) : RazorPagesAppTests(server, engine);

[Collection("firefox")]
public sealed class RazorPagesAppFirefox(ConformanceServerFixture server, FirefoxFixture engine) : RazorPagesAppTests(server, engine);

[Collection("webkit")]
public sealed class RazorPagesAppWebKit(ConformanceServerFixture server, WebKitFixture engine) : RazorPagesAppTests(server, engine);
