using System.Text.Json;
using SecureHeaders.ConformanceTests.Engines;

namespace SecureHeaders.ConformanceTests.Apps;

/// <summary>What the template-app tests do with a page and its CSP reports, written once for every app.</summary>
internal static class AppPages
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Waits until <paramref name="expression"/> is not null, asking again when a navigation replaced the document.</summary>
    public static async Task<JsonElement> Wait(IBrowserPage page, string expression, TimeSpan timeout, string who, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var remaining = deadline - DateTime.UtcNow;
                return await page.WaitForValueAsync(expression, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Ct)
                    ?? throw new Xunit.Sdk.XunitException($"{who}: {what} did not happen within {timeout.TotalSeconds} s (at {await Text(page, "location.href")}).");
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException and not OperationCanceledException && DateTime.UtcNow < deadline)
            {
                // The document changed under the evaluation (a navigation finishing); ask the new one.
                await Task.Delay(100, Ct);
            }
        }
    }

    /// <summary>Navigates, once more if the engine (busy with other engines on a small machine) stayed where it was.</summary>
    public static async Task Goto(IBrowserPage page, Uri url, string who)
    {
        for (var attempt = 0; ; attempt++)
        {
            await page.GotoAsync(url, Ct);
            if (await page.WaitForValueAsync($"location.pathname === {JsonSerializer.Serialize(url.AbsolutePath)} && document.readyState === 'complete' ? true : null", TimeSpan.FromSeconds(10), Ct) is not null)
            {
                return;
            }

            if (attempt == 2)
            {
                throw new Xunit.Sdk.XunitException($"{who}: {url} did not load (at {await Text(page, "location.href")}).");
            }
        }
    }

    /// <summary>
    /// Waits for an injected page to finish: its images loaded or failed (so an injected <c>onerror</c> handler had its
    /// chance) and at least <paramref name="expected"/> of its violations reported (so the blocked scripts were
    /// judged); then the caller checks that none of them ran. Returns every report the app has.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> InjectedPageSettled(FixtureApp app, IBrowserPage page, string pathPart, int expected, string who)
    {
        await Wait(page, "document.readyState === 'complete' && [...document.images].every(i => i.complete) ? true : null", TimeSpan.FromSeconds(15), who, "the injected page's images");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var reports = await app.ReportsAsync(Ct);
            if (reports.Count(r => DocumentUri(r).Contains(pathPart, StringComparison.Ordinal)) >= expected || DateTime.UtcNow > deadline)
            {
                return reports;
            }

            await Task.Delay(200, Ct);
        }
    }

    public static async Task<string> Text(IBrowserPage page, string expression) => (await page.EvaluateAsync($"String({expression})", Ct)).GetString() ?? string.Empty;

    /// <summary>The report body, whichever format (report-uri's <c>csp-report</c> wrapper or the Reporting API's body).</summary>
    public static JsonElement Report(JsonElement report) => report.TryGetProperty("csp-report", out var inner) ? inner : report;

    public static string DocumentUri(JsonElement report) => Report(report).TryGetProperty("document-uri", out var uri) ? uri.GetString() ?? string.Empty : string.Empty;

    public static string Describe(JsonElement report)
    {
        var r = Report(report);
        string Field(string name) => r.TryGetProperty(name, out var v) ? v.ToString() : "?";
        return $"{Field("document-uri")}: {Field("effective-directive")} blocked {Field("blocked-uri")} ({Field("source-file")}:{Field("line-number")}) {Field("script-sample")}";
    }
}
