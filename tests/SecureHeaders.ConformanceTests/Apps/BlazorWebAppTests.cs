using System.Text.Json;
using SecureHeaders.ConformanceTests.Checks;
using SecureHeaders.ConformanceTests.Engines;
using SecureHeaders.ConformanceTests.Hosting;

using static SecureHeaders.ConformanceTests.Apps.AppPages;

namespace SecureHeaders.ConformanceTests.Apps;

/// <summary>
/// The <c>dotnet new blazor --interactivity Auto</c> app of tests/Fixtures/BlazorWebApp, with SecureHeaders' two lines
/// and <c>"Presets": ["StrictWithBasic", "BlazorWebApp"]</c> and no change to the template's markup, in each engine:
/// Server and WebAssembly counters work, enhanced navigation keeps nonce'd styles applying, the reconnect dialog's
/// module loads, injected scripts are blocked, and no other CSP violation is reported (report-uri, sent by all three).
/// </summary>
public abstract class BlazorWebAppTests(ConformanceServerFixture server, EngineFixture engine)
{
    private static readonly TimeSpan Interactive = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan WebAssemblyStart = TimeSpan.FromSeconds(120);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Template_app_runs_under_the_strict_policy_and_blocks_injected_scripts()
    {
        var browser = await engine.GetAsync(server.Server);
        await using var app = await FixtureApp.StartAsync(server.Server, "BlazorWebApp", ConformanceHosts.BlazorApp, new Dictionary<string, string>
        {
            ["SecureHeaders__ContentSecurityPolicy__Directives__report-uri"] = "/_test/csp-reports",
        });
        var who = $"{browser.Id} {browser.Version}";

        using (var home = await app.GetAsync("/", Ct))
        {
            var csp = home.Headers.GetValues("Content-Security-Policy").Single();
            Assert.DoesNotContain("'unsafe-eval'", csp, StringComparison.Ordinal);
            Assert.Contains("'wasm-unsafe-eval'", csp, StringComparison.Ordinal);
            Assert.Contains("'strict-dynamic'", csp, StringComparison.Ordinal);
        }

        await using var page = await browser.NewPageAsync(Ct);
        await Goto(page, app.Url("/inline"), who);
        Assert.Equal(1, (await Wait(page, "window.__inlineRuns", TimeSpan.FromSeconds(10), who, "the page's nonce'd inline script ran")).GetInt32());
        Assert.Equal("rgb(0, 128, 0)", await Text(page, "getComputedStyle(document.getElementById('inline-heading')).color"));
        await Wait(page, "window.Blazor && document.querySelector('script[src*=\"blazor.web\"]') ? true : null", Interactive, who, "blazor.web.js loaded");

        // Enhanced navigation (no reload: the page's window state survives) to a Server-interactive counter.
        await Navigate(page, "to-server", "server-increment", who);
        await Increment(page, "server-increment", "server-count", Interactive, who, "the Server counter");

        // … to a WebAssembly counter: the .NET runtime downloads and compiles under 'wasm-unsafe-eval'.
        await Navigate(page, "to-wasm", "wasm-increment", who);
        var wasm = await Increment(page, "wasm-increment", "wasm-count", WebAssemblyStart, who, "the WebAssembly counter");
        Assert.Contains("WebAssembly", wasm, StringComparison.Ordinal);

        // … to pages whose nonce'd <style> is patched into this document: rendered with the document's nonce, it applies.
        await Navigate(page, "to-styled", "styled-heading", who);
        Assert.Equal("rgb(0, 0, 255)", await WaitText(page, "getComputedStyle(document.getElementById('styled-heading')).color", "rgb(0, 0, 255)", who));
        await Navigate(page, "to-inline", "inline-heading", who);
        Assert.Equal("rgb(0, 128, 0)", await WaitText(page, "getComputedStyle(document.getElementById('inline-heading')).color", "rgb(0, 128, 0)", who));

        // A full load of the template's own Auto counter; the reconnect dialog's module (a nonce'd static script) loaded.
        await Goto(page, app.Url("/counter"), who);
        await Increment(page, "button.btn-primary", "p[role=status]", WebAssemblyStart, who, "the template's Auto counter", selector: true);
        Assert.True((await page.EvaluateAsync("performance.getEntriesByType('resource').some(e => e.name.includes('ReconnectModal'))", Ct)).GetBoolean(), $"{who}: ReconnectModal.razor.js did not load");

        // Injected markup: an inline script, a same-origin script from a dynamic endpoint, an inline handler.
        var markup = Uri.EscapeDataString("<script>window.__injected = 'inline'</script><script src=\"/_test/evil.js\"></script><img src=\"/none.png\" onerror=\"window.__injected = 'handler'\">");
        await Goto(page, app.Url("/injected?markup=" + markup), who);
        var reports = await InjectedPageSettled(app, page, "/injected", 2, who);
        Assert.True(await Text(page, "typeof window.__injected") == "undefined", $"{who}: an injected script ran ({await Text(page, "window.__injected")})");

        // Reports: the injected scripts were reported (the control that reporting works), and nothing else was.
        var injected = reports.Where(r => DocumentUri(r).Contains("/injected", StringComparison.Ordinal)).ToList();
        Assert.True(injected.Count >= 2, $"{who}: the injected scripts were not reported ({reports.Count} reports); reporting proves nothing.");
        var others = reports.Except(injected).Select(Describe).ToList();
        Assert.True(others.Count == 0, $"{who}: CSP violations on the app's own pages:\n" + string.Join("\n", others));
        TestContext.Current.SendDiagnosticMessage($"{who}: {injected.Count} injected violations reported, none elsewhere.");
    }

    private static async Task<string> WaitText(IBrowserPage page, string expression, string expected, string who)
    {
        var found = await page.WaitForValueAsync($"(() => {{ const v = String({expression}); return v === {JsonSerializer.Serialize(expected)} ? v : null; }})()", TimeSpan.FromSeconds(10), Ct);
        return found?.GetString() ?? await Text(page, expression);
    }

    /// <summary>Clicks a link and waits for the new page's element; the window's state shows it was not a reload.</summary>
    private static async Task Navigate(IBrowserPage page, string link, string element, string who)
    {
        await page.EvaluateAsync($"(() => {{ window.__sameDocument = 'yes'; document.getElementById('{link}').click(); return true; }})()", Ct);
        await Wait(page, $"document.getElementById('{element}') ? true : null", TimeSpan.FromSeconds(15), who, $"enhanced navigation by #{link}");
        Assert.True(await Text(page, "window.__sameDocument") == "yes", $"{who}: #{link} reloaded the page instead of an enhanced navigation");
    }

    /// <summary>Clicks the button until the count moves (the component is interactive) and returns the status text.</summary>
    private static async Task<string> Increment(IBrowserPage page, string button, string status, TimeSpan timeout, string who, string what, bool selector = false)
    {
        var find = (string s) => selector ? $"document.querySelector('{s}')" : $"document.getElementById('{s}')";
        var result = await Wait(page, $"(() => {{ const b = {find(button)}, s = {find(status)}; if (!b || !s) return null; if (/count: [1-9]/.test(s.textContent)) return s.textContent; b.click(); return null; }})()",
            timeout, who, what + " counting");
        return result.GetString()!;
    }
}

[Collection("chromium")]
public sealed class BlazorWebAppChromium(ConformanceServerFixture server, ChromiumFixture engine) : BlazorWebAppTests(server, engine);

[Collection("firefox")]
public sealed class BlazorWebAppFirefox(ConformanceServerFixture server, FirefoxFixture engine) : BlazorWebAppTests(server, engine);

[Collection("webkit")]
public sealed class BlazorWebAppWebKit(ConformanceServerFixture server, WebKitFixture engine) : BlazorWebAppTests(server, engine);
