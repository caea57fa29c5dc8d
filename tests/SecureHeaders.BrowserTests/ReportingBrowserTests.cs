using System.Net.Http.Json;
using System.Text.Json;

namespace SecureHeaders.BrowserTests;

/// <summary>Chromium's own violation reports reach the collector, and the dashboard shows them under its own strict CSP.</summary>
[Collection(ShowcaseTests.Name)]
public sealed class ReportingBrowserTests(ShowcaseFixture showcase)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> WaitForViolationAsync(HttpClient client, string directive, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var api = await client.GetFromJsonAsync<JsonElement>("/_secureheaders/api/violations", Ct);
            foreach (var violation in api.GetProperty("violations").EnumerateArray())
            {
                if (violation.GetProperty("directive").GetString() == directive)
                {
                    return api;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No {directive} violation reached the API within {timeout.TotalSeconds} s: {api}");
            }

            await Task.Delay(250, Ct);
        }
    }

    [Fact]
    public async Task A_violation_in_chromium_appears_in_the_api_within_seconds_and_the_dashboard_shows_it()
    {
        var page = await showcase.NewPageAsync();
        await page.GotoAsync(new Uri(showcase.BaseAddress, "/Xss?q=" + Uri.EscapeDataString("<img src=x onerror=\"window.injected=true\">")).ToString());
        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"));

        using var client = showcase.CreateClient();
        var api = await WaitForViolationAsync(client, "script-src-attr", TimeSpan.FromSeconds(20));
        Assert.True(api.GetProperty("total").GetInt64() >= 1);
        var violation = api.GetProperty("violations").EnumerateArray().First(v => v.GetProperty("directive").GetString() == "script-src-attr");
        Assert.Equal("inline", violation.GetProperty("blockedUri").GetString());
        Assert.True(violation.GetProperty("count").GetInt64() >= 1);

        // The injected handler is a blocked attack: the suggestion rejects it and never proposes 'unsafe-hashes' or its hash.
        var suggestion = await client.GetFromJsonAsync<JsonElement>("/_secureheaders/api/suggestion?policy=default", Ct);
        var rejected = suggestion.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Contains(rejected, r => r.GetProperty("directive").GetString() == "script-src" && r.GetProperty("rule").GetString() == "inline-not-in-source"
            && r.GetProperty("incident").GetBoolean());
        Assert.Empty(suggestion.GetProperty("added").EnumerateArray());
        var proposed = suggestion.GetProperty("csp").GetString()!;
        Assert.DoesNotContain("'unsafe-hashes'", proposed, StringComparison.Ordinal);
        Assert.Equal(suggestion.GetProperty("basePolicy").GetString(), proposed);

        var dashboard = await showcase.NewPageAsync();
        var messages = new List<string>();
        dashboard.Console += (_, message) => messages.Add(message.Type + ": " + message.Text);
        var response = await dashboard.GotoAsync(new Uri(showcase.BaseAddress, "/_secureheaders/dashboard").ToString());

        Assert.Equal(200, response!.Status);
        var html = await dashboard.ContentAsync();
        Assert.Contains("script-src-attr", html, StringComparison.Ordinal);
        Assert.Contains("Likely attack, blocked.", html, StringComparison.Ordinal);
        await ShowcaseFixture.SettledAsync(dashboard);
        var violations = await dashboard.EvaluateAsync<JsonElement>("() => window.__violations");
        Assert.Equal(0, violations.GetArrayLength());
        Assert.DoesNotContain(messages, m => m.StartsWith("error", StringComparison.Ordinal));
    }
}
