using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace SecureHeaders.BrowserTests;

/// <summary>
/// The showcase on real Kestrel (loopback, random port) plus a headless Debian Chromium driven by Playwright.
/// Chromium is found through SECUREHEADERS_CHROMIUM or /usr/bin/chromium; without it the tests are skipped,
/// unless SECUREHEADERS_REQUIRE_SERVICES=1 (set by .ci/run), in which case they fail.
/// </summary>
public sealed class ShowcaseFixture : IAsyncLifetime
{
    private static readonly string[] s_chromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--no-first-run",
    ];

    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    public string? SkipReason { get; private set; }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("SecureHeaders:ForceHttps:Enabled", "false");
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;

        var chromium = FindChromium();
        if (chromium is null)
        {
            SkipReason = "Chromium not found (set SECUREHEADERS_CHROMIUM or apt-get install -y chromium).";
            if (Environment.GetEnvironmentVariable("SECUREHEADERS_REQUIRE_SERVICES") == "1")
            {
                throw new InvalidOperationException(SkipReason + " SECUREHEADERS_REQUIRE_SERVICES=1 requires it.");
            }

            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = s_chromiumFlags,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    /// <summary>Opens a page that records every CSP violation the document reports, before any of its scripts run.</summary>
    public async Task<IPage> NewPageAsync()
    {
        if (Browser is null)
        {
            Assert.Skip(SkipReason ?? "No browser.");
        }

        var page = await Browser.NewPageAsync();
        await page.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push({
                directive: e.effectiveDirective, blocked: e.blockedURI, disposition: e.disposition }));
            """);
        return page;
    }

    private static string? FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable("SECUREHEADERS_CHROMIUM");
        foreach (var candidate in new[] { configured, "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

[CollectionDefinition(Name)]
public sealed class ShowcaseTests : ICollectionFixture<ShowcaseFixture>
{
    public const string Name = "showcase";
}
