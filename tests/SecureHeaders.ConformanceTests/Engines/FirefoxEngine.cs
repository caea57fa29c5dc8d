using System.Text.Json;
using PuppeteerSharp;
using SecureHeaders.ConformanceTests.Hosting;

namespace SecureHeaders.ConformanceTests.Engines;

/// <summary>
/// Debian's Firefox ESR over WebDriver BiDi (PuppeteerSharp). Each page gets its own browser context (BiDi user
/// context). The profile's own NSS database trusts the test CA; traffic goes through the suite's proxy.
/// </summary>
internal sealed class FirefoxEngine : IBrowserEngine
{
    private readonly IBrowser _browser;

    private FirefoxEngine(IBrowser browser, string version, bool trusts)
    {
        _browser = browser;
        Version = version;
        TrustsTestCertificate = trusts;
    }

    public string Id => "firefox";

    public string Version { get; }

    public bool TrustsTestCertificate { get; }

    public static async Task<IBrowserEngine> LaunchAsync(string executable, EngineEnvironment environment)
    {
        var profile = environment.CreateTempDirectory("firefox-profile");
        var trusts = environment.Certificates.TryTrustInNssDatabase(profile);
        var proxy = new Uri(environment.ProxyUrl);
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Browser = SupportedBrowser.Firefox,
            ExecutablePath = executable,
            Headless = true,
            UserDataDir = profile,
            AcceptInsecureCerts = !trusts,
            ExtraPrefsFirefox = new Dictionary<string, object>
            {
                // Every request goes through the suite's proxy, which knows the *.test names.
                ["network.proxy.type"] = 1,
                ["network.proxy.http"] = proxy.Host,
                ["network.proxy.http_port"] = proxy.Port,
                ["network.proxy.ssl"] = proxy.Host,
                ["network.proxy.ssl_port"] = proxy.Port,
                ["network.proxy.no_proxies_on"] = string.Empty,
                ["network.proxy.allow_hijacking_localhost"] = true,

                // Popups opened by script (COOP checks) and no background connections of its own.
                ["dom.disable_open_during_load"] = false,
                ["network.captive-portal-service.enabled"] = false,
                ["network.connectivity-service.enabled"] = false,
            },
        }).ConfigureAwait(false);
        var version = await browser.GetVersionAsync().ConfigureAwait(false);
        return new FirefoxEngine(browser, version.Replace("firefox/", string.Empty, StringComparison.OrdinalIgnoreCase), trusts);
    }

    public async Task<IBrowserPage> NewPageAsync(CancellationToken cancellationToken)
    {
        var context = await _browser.CreateBrowserContextAsync().ConfigureAwait(false);
        var page = await context.NewPageAsync().ConfigureAwait(false);
        return new Page(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync().ConfigureAwait(false);
        await _browser.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Page(IBrowserContext context, IPage page) : IBrowserPage
    {
        public async Task GotoAsync(Uri url, CancellationToken cancellationToken)
        {
            try
            {
                await page.GoToAsync(url.ToString(), new NavigationOptions { Timeout = 20_000, WaitUntil = [WaitUntilNavigation.Load] }).ConfigureAwait(false);
            }
            catch (NavigationException)
            {
                // A refused navigation leaves an error page; the check reads what happened.
            }
        }

        public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken) =>
            BrowserPageExtensions.ParseJson(await page.EvaluateExpressionAsync<string>(BrowserPageExtensions.AsJsonScript(expression)).ConfigureAwait(false));

        public async Task<IReadOnlyList<BrowserCookie>> CookiesAsync(Uri url, CancellationToken cancellationToken)
        {
            var cookies = await page.GetCookiesAsync(url.ToString()).ConfigureAwait(false);
            return [.. cookies.Select(static c => new BrowserCookie(c.Name, c.Value, c.Domain, c.Path, c.Secure == true, c.HttpOnly == true, c.SameSite?.ToString()))];
        }

        public async ValueTask DisposeAsync() => await context.CloseAsync().ConfigureAwait(false);
    }
}
