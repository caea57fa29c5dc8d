using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
    internal static readonly string[] s_chromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--no-first-run",

        // Chromium batches Reporting API uploads for up to a minute; this testing switch sends them within a second.
        "--short-reporting-delay",

        // The showcase's certificate is self-signed; this also covers the browser's report uploads.
        "--ignore-certificate-errors",
    ];

    private WebApplicationFactory<Program>? _factory;
    private X509Certificate2? _certificate;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A fresh report database per test run, outside the source tree.</summary>
    public string ReportsDatabase { get; } = Path.Combine(Directory.CreateTempSubdirectory("secureheaders-browser").FullName, "reports.db");

    public IBrowser? Browser { get; private set; }

    public string? SkipReason { get; private set; }

    public HttpClient CreateClient() => new(new HttpClientHandler { AllowAutoRedirect = false, ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == _certificate?.Thumbprint })
    {
        BaseAddress = BaseAddress,
    };

    public async ValueTask InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("SecureHeaders:ForceHttps:Enabled", "false");
            builder.UseSetting("SecureHeaders:Reporting:SqlitePath", ReportsDatabase);
        });
        // HTTPS on loopback with a throw-away certificate: Chromium delivers Reporting API reports only from secure
        // pages to https endpoints, so plain HTTP would hide the report-to path.
        _certificate = CreateCertificate();
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
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
        _certificate?.Dispose();
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

        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        await page.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push({
                directive: e.effectiveDirective, blocked: e.blockedURI, disposition: e.disposition }));
            """);
        return page;
    }

    /// <summary>
    /// Waits, without a fixed delay, until the page has settled: loaded, no request in flight, then a frame and one more
    /// turn of its event loop, by which time the violation events its parsing and loading queued have been delivered.
    /// </summary>
    public static async Task SettledAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.EvaluateAsync("""
            () => new Promise(resolve => {
              const next = () => requestAnimationFrame(() => setTimeout(resolve, 0));
              if (document.readyState === 'complete') { next(); } else { addEventListener('load', next); }
            })
            """);
    }

    internal static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        // Kestrel needs the private key in a form it can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    internal static string? FindChromium()
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
