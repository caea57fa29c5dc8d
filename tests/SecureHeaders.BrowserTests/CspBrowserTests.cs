using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SecureHeaders.BrowserTests;

/// <summary>What only a browser can prove: the strict nonce CSP lets the showcase's own scripts run and blocks injected ones.</summary>
[Collection(ShowcaseTests.Name)]
public sealed partial class CspBrowserTests(ShowcaseFixture showcase)
{
    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceSource();

    private static async Task<JsonElement[]> ViolationsAsync(IPage page)
    {
        // Violation events are queued tasks: wait until the page has settled and they have been delivered.
        await ShowcaseFixture.SettledAsync(page);
        var json = await page.EvaluateAsync<JsonElement>("() => window.__violations");
        return [.. json.EnumerateArray()];
    }

    [Fact]
    public async Task Showcase_inline_and_external_scripts_run_without_any_violation()
    {
        var page = await showcase.NewPageAsync();
        var response = await page.GotoAsync(new Uri(showcase.BaseAddress, "/").ToString());

        Assert.NotNull(response);
        Assert.Contains("'strict-dynamic'", await response.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => window.showcaseInlineRan === true"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.showcaseExternalRan === true"));
        Assert.Contains("carries this response", await page.TextContentAsync("#inline-status"), StringComparison.Ordinal);
        Assert.Empty(await ViolationsAsync(page));
    }

    [Fact]
    public async Task Injected_inline_event_handler_is_blocked()
    {
        var page = await showcase.NewPageAsync();
        await page.GotoAsync(new Uri(showcase.BaseAddress, "/Xss?q=" + Uri.EscapeDataString("<img src=x onerror=\"window.injected=true\">")).ToString());

        Assert.True(await page.EvaluateAsync<bool>("() => window.demoReady === true"));
        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"));
        var violations = await ViolationsAsync(page);
        Assert.Contains(violations, v => v.GetProperty("directive").GetString() == "script-src-attr" && v.GetProperty("disposition").GetString() == "enforce");
    }

    [Fact]
    public async Task Parser_inserted_script_without_the_nonce_is_blocked()
    {
        var page = await showcase.NewPageAsync();
        await page.GotoAsync(new Uri(showcase.BaseAddress, "/Xss?q=" + Uri.EscapeDataString("<script>window.injectedScript=true</script>")).ToString());

        Assert.False(await page.EvaluateAsync<bool>("() => window.injectedScript === true"));
        Assert.False(await page.EvaluateAsync<bool>("() => window.handlerRan === true"));
        var violations = await ViolationsAsync(page);
        Assert.Contains(violations, v => v.GetProperty("directive").GetString() == "script-src-elem" && v.GetProperty("blocked").GetString() == "inline");
    }

    [Fact]
    public async Task Script_carrying_the_pages_nonce_runs_and_a_wrong_nonce_does_not()
    {
        var page = await showcase.NewPageAsync();
        var response = await page.GotoAsync(new Uri(showcase.BaseAddress, "/").ToString());
        var nonce = NonceSource().Match(await response!.HeaderValueAsync("content-security-policy") ?? string.Empty).Groups[1].Value;

        await page.EvaluateAsync("""
            nonce => {
                // A parser-inserted script (document.write) needs a nonce: 'strict-dynamic' only trusts script-created scripts.
                document.write(`<script nonce="${nonce}">window.withNonce = true<\/script><script nonce="wrong">window.withWrongNonce = true<\/script>`);
            }
            """, nonce);

        Assert.True(await page.EvaluateAsync<bool>("() => window.withNonce === true"));
        Assert.False(await page.EvaluateAsync<bool>("() => window.withWrongNonce === true"));
    }

    [Fact]
    public async Task Two_thousand_responses_carry_unique_nonces_of_at_least_16_bytes()
    {
        using var client = showcase.CreateClient();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 2_000; i++)
        {
            using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
            var header = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
            var nonce = NonceSource().Match(header).Groups[1].Value;
            Assert.True(seen.Add(nonce), $"nonce {nonce} repeated after {i} responses");
            Assert.True(Convert.FromBase64String(nonce).Length >= 16, $"nonce {nonce} is shorter than 16 bytes");
        }

        Assert.Equal(2_000, seen.Count);
    }
}
