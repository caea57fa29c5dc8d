using System.Text.Json;
using Microsoft.Playwright;

namespace SecureHeaders.BrowserTests;

/// <summary>
/// The showcase's Blazor part in Chromium: Server and WebAssembly counters, enhanced navigation that keeps nonce'd
/// styles applying, and the MudBlazor page's style attributes under the StyleAttributes mode, with no CSP violation.
/// </summary>
[Collection(ShowcaseTests.Name)]
public sealed class ShowcaseBlazorBrowserTests(ShowcaseFixture showcase)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private string Url(string path) => new Uri(showcase.BaseAddress, path).ToString();

    private async Task<IPage> NewPageAsync()
    {
        var page = await showcase.NewPageAsync();

        // What the fixture records, plus where a violation came from, for the failure message.
        await page.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e => window.__violations[window.__violations.length - 1].where =
                `${e.sourceFile}:${e.lineNumber} ${e.sample} on ${location.pathname}`);
            """);
        return page;
    }

    [Fact]
    public async Task Server_and_WebAssembly_pages_work_under_enhanced_navigation_without_a_violation()
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync(Url("/blazor"));
        var csp = await response!.HeaderValueAsync("content-security-policy") ?? string.Empty;
        Assert.Contains("'strict-dynamic'", csp, StringComparison.Ordinal);
        Assert.Contains("'wasm-unsafe-eval'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", csp, StringComparison.Ordinal);
        Assert.Equal("rgb(10, 107, 45)", await ColorAsync(page, "#blazor-heading"));
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // Enhanced navigation: the document stays (the marker survives) and the new page's nonce'd style applies.
        await page.ClickAsync("nav a[href='blazor/server']");
        await page.WaitForSelectorAsync("#server-heading", new() { Timeout = (float)s_deadline.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the server page was not reached by enhanced navigation");
        await ClickUntilAsync(page, "#server-increment", "#server-count", "Current count: 1");

        await page.ClickAsync("nav a[href='blazor/wasm']");
        await page.WaitForSelectorAsync("#wasm-count", new() { Timeout = (float)s_deadline.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the WebAssembly page was not reached by enhanced navigation");
        await page.WaitForFunctionAsync("() => document.querySelector('#wasm-count')?.textContent.includes('WebAssembly')", null, new() { Timeout = (float)s_deadline.TotalMilliseconds * 4 });
        await ClickUntilAsync(page, "#wasm-increment", "#wasm-count", "Current count: 1");

        await page.ClickAsync("nav a[href='blazor']");
        await page.WaitForSelectorAsync("#blazor-heading", new() { Timeout = (float)s_deadline.TotalMilliseconds });
        Assert.Equal("rgb(10, 107, 45)", await ColorAsync(page, "#blazor-heading"));

        Assert.Empty(await ViolationsAsync(page));
    }

    [Fact]
    public async Task The_MudBlazor_page_applies_its_style_attributes_and_keeps_scripts_strict()
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync(Url("/blazor/mud"));
        var csp = await response!.HeaderValueAsync("content-security-policy") ?? string.Empty;
        Assert.Contains("style-src-attr 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Matches("style-src-elem 'self' 'nonce-[^']+'(;|$)", csp);
        Assert.Contains("'strict-dynamic'", csp, StringComparison.Ordinal);

        await ClickUntilAsync(page, "#mud-increment", "#mud-value", "Progress: 20 %");

        // MudProgressLinear moves its bar with a style attribute; it applies only if style-src-attr allows it.
        var transform = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#mud-progress .mud-progress-linear-bar')).transform");
        Assert.NotEqual("none", transform);

        // The theme comes from a stylesheet on 'self' (MudThemeProvider's inline <style> would need a nonce).
        Assert.Equal("rgba(89,74,226,1)", (await page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-primary')")).Trim());
        Assert.Empty(await ViolationsAsync(page));
    }

    private static Task<string> ColorAsync(IPage page, string selector) =>
        page.EvaluateAsync<string>("s => getComputedStyle(document.querySelector(s)).color", selector);

    /// <summary>Clicks until the status shows the text: the first clicks may come before the component is interactive.</summary>
    private static async Task ClickUntilAsync(IPage page, string button, string status, string expected)
    {
        var deadline = DateTime.UtcNow + s_deadline;
        var initial = await page.TextContentAsync(status) ?? string.Empty;
        while (true)
        {
            var text = await page.TextContentAsync(status) ?? string.Empty;
            if (text.Contains(expected, StringComparison.Ordinal))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{status} shows \"{text.Trim()}\", not \"{expected}\", after clicking {button} for {s_deadline.TotalSeconds} s.");
            }

            // Click only while nothing has been counted yet, so one interactive click is all that lands.
            if (text == initial)
            {
                await page.ClickAsync(button);
            }

            try
            {
                await page.WaitForFunctionAsync("([s, t]) => document.querySelector(s)?.textContent.includes(t)", new[] { status, expected }, new() { Timeout = 500 });
            }
            catch (TimeoutException)
            {
                // Not interactive yet: click again.
            }
        }
    }

    private static async Task<JsonElement[]> ViolationsAsync(IPage page)
    {
        // Violation events are queued tasks: a round trip through the event loop delivers those already queued.
        await page.EvaluateAsync("() => new Promise(r => setTimeout(r, 0))");
        var json = await page.EvaluateAsync<JsonElement>("() => window.__violations");
        return [.. json.EnumerateArray()];
    }
}
