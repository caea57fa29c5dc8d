using System.Text.Json;
using Microsoft.Playwright;
using SecureHeaders.ConformanceTests.Hosting;

namespace SecureHeaders.ConformanceTests.Engines;

/// <summary>Debian's Chromium through Playwright (CDP). Each page gets its own browser context: fresh cookies, storage and HSTS state.</summary>
internal sealed class ChromiumEngine : IBrowserEngine
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ChromiumEngine(IPlaywright playwright, IBrowser browser, bool trusts)
    {
        _playwright = playwright;
        _browser = browser;
        TrustsTestCertificate = trusts;
    }

    public string Id => "chromium";

    public string Version => _browser.Version;

    public bool TrustsTestCertificate { get; }

    public static async Task<IBrowserEngine> LaunchAsync(string executable, EngineEnvironment environment)
    {
        // Chromium on Linux reads trust anchors from $HOME/.pki/nssdb: a throw-away HOME trusts the test CA only for this process.
        var home = environment.CreateTempDirectory("chromium-home");
        var trusts = environment.Certificates.TryTrustInNssDatabase(Path.Combine(home, ".pki", "nssdb"));
        var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        var env = new Dictionary<string, string> { ["HOME"] = home };
        if (Environment.GetEnvironmentVariable("DISPLAY") is { } display)
        {
            env["DISPLAY"] = display;
        }

        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Env = env,
            Proxy = new Proxy { Server = environment.ProxyUrl },
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run",

                // Chromium batches Reporting API uploads for up to a minute; this testing switch sends them within a second.
                "--short-reporting-delay",
            ],
        }).ConfigureAwait(false);
        return new ChromiumEngine(playwright, browser, trusts);
    }

    public async Task<IBrowserPage> NewPageAsync(CancellationToken cancellationToken)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = !TrustsTestCertificate }).ConfigureAwait(false);
        var page = await context.NewPageAsync().ConfigureAwait(false);
        return new Page(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync().ConfigureAwait(false);
        _playwright.Dispose();
    }

    private sealed class Page(IBrowserContext context, IPage page) : IBrowserPage
    {
        public async Task GotoAsync(Uri url, CancellationToken cancellationToken)
        {
            try
            {
                await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 20_000 }).ConfigureAwait(false);
            }
            catch (PlaywrightException e) when (e.Message.Contains("net::ERR_", StringComparison.Ordinal))
            {
                // A blocked navigation (e.g. a refused upgrade) leaves an error page; the check reads what happened.
            }
        }

        public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken) =>
            BrowserPageExtensions.ParseJson(await page.EvaluateAsync<string>(BrowserPageExtensions.AsJsonScript(expression)).ConfigureAwait(false));

        public async Task<IReadOnlyList<BrowserCookie>> CookiesAsync(Uri url, CancellationToken cancellationToken)
        {
            var cookies = await context.CookiesAsync([url.ToString()]).ConfigureAwait(false);
            return [.. cookies.Select(static c => new BrowserCookie(c.Name, c.Value, c.Domain, c.Path, c.Secure, c.HttpOnly, c.SameSite.ToString()))];
        }

        public async ValueTask DisposeAsync() => await context.CloseAsync().ConfigureAwait(false);
    }
}
