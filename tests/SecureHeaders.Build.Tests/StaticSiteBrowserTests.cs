using Microsoft.Playwright;
using SecureHeaders.Build.StaticHosting;

namespace SecureHeaders.Build.Tests;

/// <summary>
/// The published standalone WebAssembly app, served by nginx with nothing but the generated snippet, in Chromium:
/// the counter works, no CSP violation is reported, and an injected script is blocked. Without nginx or Chromium
/// the test is skipped, unless SECUREHEADERS_REQUIRE_SERVICES=1 (set by .ci/run), in which case it fails.
/// </summary>
[Collection(PublishedWasmAppGroup.Name)]
public sealed class StaticSiteBrowserTests(PublishedWasmApp app)
{
    private static readonly string[] s_chromiumFlags =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    // Recorded from the first byte of every document, so that a violation during Blazor's start-up is not missed.
    private const string RecordViolations = """
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
        """;

    [Fact]
    public async Task Counter_works_under_the_nginx_snippet_with_no_violation_and_injected_scripts_blocked()
    {
        var nginx = NginxSite.Find();
        var chromium = FindChromium();
        if (nginx is null || chromium is null)
        {
            var reason = (nginx is null ? "nginx not found (apt-get install -y nginx, or set SECUREHEADERS_NGINX). " : "") + (chromium is null ? "Chromium not found (set SECUREHEADERS_CHROMIUM)." : "");
            Assert.False(Environment.GetEnvironmentVariable("SECUREHEADERS_REQUIRE_SERVICES") == "1", reason + " SECUREHEADERS_REQUIRE_SERVICES=1 requires it.");
            Assert.Skip(reason);
        }

        app.AssertPublished();
        await using var site = await NginxSite.StartAsync(nginx, app.SiteDirectory, Path.Combine(app.PublishDirectory, StaticHostGenerator.NginxFileName));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = s_chromiumFlags });
        var page = await browser.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Type + ": " + message.Text);
        page.PageError += (_, error) => console.Add("pageerror: " + error);
        await page.AddInitScriptAsync(RecordViolations);

        var response = await page.GotoAsync(site.Address.ToString());
        Assert.NotNull(response);
        Assert.Contains("'wasm-unsafe-eval'", response.Headers["content-security-policy"], StringComparison.Ordinal);

        // Blazor starts, routes client-side to the counter, and the button runs .NET code in WebAssembly.
        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Counter" }).ClickAsync(new() { Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Blazor did not start ({response.Status}). Console:\n{string.Join('\n', console)}", e);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Click me" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Click me" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Current count: 2");

        Assert.Empty(await page.EvaluateAsync<string[]>("window.__violations"));
        Assert.DoesNotContain(console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Contains("Refused", StringComparison.Ordinal));

        // What an injection would add: an inline script, an event handler, a javascript: URL. None runs.
        await page.EvaluateAsync("""
            () => {
              const s = document.createElement('script'); s.textContent = 'window.__injected = "script"'; document.body.appendChild(s);
              const d = document.createElement('div'); d.innerHTML = '<img src="data:," onload="window.__injected = \'handler\'">'; document.body.appendChild(d);
            }
            """);
        await page.WaitForFunctionAsync("window.__violations.length >= 2");
        Assert.Null(await page.EvaluateAsync<string?>("window.__injected ?? null"));
        var violations = await page.EvaluateAsync<string[]>("window.__violations");
        Assert.All(violations, v => Assert.StartsWith("script-src", v, StringComparison.Ordinal));

        // A page reached directly (nginx's fallback to index.html) gets the same headers and works too.
        var counter = await page.GotoAsync(new Uri(site.Address, "counter").ToString());
        Assert.Equal(response.Headers["content-security-policy"], counter!.Headers["content-security-policy"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Click me" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Current count: 1");
        Assert.Empty(await page.EvaluateAsync<string[]>("window.__violations"));
    }

    private static string? FindChromium()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("SECUREHEADERS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
