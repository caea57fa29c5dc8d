using SecureHeaders.ConformanceTests.Engines;
using SecureHeaders.ConformanceTests.Hosting;

[assembly: AssemblyFixture(typeof(SecureHeaders.ConformanceTests.ConformanceServerFixture))]

namespace SecureHeaders.ConformanceTests;

/// <summary>The one server (and proxy) every engine uses; writes the matrix at the end when asked to.</summary>
public sealed class ConformanceServerFixture : IAsyncLifetime
{
    public ConformanceServer Server { get; } = new();

    public async ValueTask InitializeAsync() => await Server.StartAsync();

    public async ValueTask DisposeAsync()
    {
        MatrixRun.WriteIfRequested();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// One engine, launched on first use and shared by all checks of its test class. The executables come from
/// environment variables (set by <c>.ci/run</c>) or Debian's paths. A missing engine skips its checks with the
/// reason, unless SECUREHEADERS_REQUIRE_SERVICES=1, in which case every check of that engine fails.
/// SECUREHEADERS_CONFORMANCE_ENGINES (e.g. <c>firefox</c> or <c>chromium,webkit</c>) limits the run to some engines.
/// </summary>
public abstract class EngineFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IBrowserEngine? _engine;
    private string? _unavailable;
    private string? _launchError;

    public abstract string Id { get; }

    /// <summary>Finds the executables, or says what is missing and how to install it.</summary>
    protected abstract (Func<EngineEnvironment, Task<IBrowserEngine>>? Launch, string? Missing) Locate();

    public async Task<IBrowserEngine> GetAsync(ConformanceServer server)
    {
        var selected = Environment.GetEnvironmentVariable("SECUREHEADERS_CONFORMANCE_ENGINES");
        if (!string.IsNullOrWhiteSpace(selected) && !selected.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(Id, StringComparer.OrdinalIgnoreCase))
        {
            Assert.Skip($"{Id} is not in SECUREHEADERS_CONFORMANCE_ENGINES={selected}.");
        }

        await _gate.WaitAsync();
        try
        {
            if (_engine is null && _unavailable is null && _launchError is null)
            {
                var (launch, missing) = Locate();
                if (launch is null)
                {
                    _unavailable = missing;
                }
                else
                {
                    try
                    {
                        _engine = await launch(server.Environment);
                    }
                    catch (Exception e)
                    {
                        // Installed but broken is a failure, for every check of the engine, without relaunching each time.
                        _launchError = $"{Id} is installed but did not start: {e.GetType().Name}: {e.Message}";
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (_launchError is not null)
        {
            Assert.Fail(_launchError);
        }

        if (_engine is null)
        {
            if (Environment.GetEnvironmentVariable("SECUREHEADERS_REQUIRE_SERVICES") == "1")
            {
                Assert.Fail($"{Id}: {_unavailable} SECUREHEADERS_REQUIRE_SERVICES=1 requires every engine.");
            }

            Assert.Skip($"{Id}: {_unavailable}");
        }

        return _engine;
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _gate.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static string? FindExecutable(string? configured, params string[] candidates)
    {
        foreach (var candidate in candidates.Prepend(configured))
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

public sealed class ChromiumFixture : EngineFixture
{
    public override string Id => "chromium";

    protected override (Func<EngineEnvironment, Task<IBrowserEngine>>?, string?) Locate()
    {
        var chromium = FindExecutable(Environment.GetEnvironmentVariable("SECUREHEADERS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser");
        return chromium is null
            ? (null, "Chromium not found (set SECUREHEADERS_CHROMIUM or apt-get install -y chromium).")
            : (env => ChromiumEngine.LaunchAsync(chromium, env), null);
    }
}

public sealed class FirefoxFixture : EngineFixture
{
    public override string Id => "firefox";

    protected override (Func<EngineEnvironment, Task<IBrowserEngine>>?, string?) Locate()
    {
        var firefox = FindExecutable(Environment.GetEnvironmentVariable("SECUREHEADERS_FIREFOX"), "/usr/bin/firefox-esr", "/usr/bin/firefox");
        return firefox is null
            ? (null, "Firefox not found (set SECUREHEADERS_FIREFOX or apt-get install -y firefox-esr).")
            : (env => FirefoxEngine.LaunchAsync(firefox, env), null);
    }
}

public sealed class WebKitFixture : EngineFixture
{
    public override string Id => "webkit";

    protected override (Func<EngineEnvironment, Task<IBrowserEngine>>?, string?) Locate()
    {
        var driver = FindExecutable(Environment.GetEnvironmentVariable("SECUREHEADERS_WEBKIT_DRIVER"), "/usr/bin/WebKitWebDriver");
        var browser = FindExecutable(Environment.GetEnvironmentVariable("SECUREHEADERS_WEBKIT_BROWSER"),
            "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/libexec/webkit2gtk-4.1/MiniBrowser");
        var display = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) || File.Exists("/usr/bin/Xvfb");
        if (driver is null || browser is null || !display)
        {
            return (null, "WebKitGTK not found (set SECUREHEADERS_WEBKIT_DRIVER and SECUREHEADERS_WEBKIT_BROWSER, or apt-get install -y webkit2gtk-driver xvfb).");
        }

        return (env => WebKitEngine.LaunchAsync(driver, browser, env), null);
    }
}

[CollectionDefinition("chromium")]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>;

[CollectionDefinition("firefox")]
public sealed class FirefoxCollection : ICollectionFixture<FirefoxFixture>;

[CollectionDefinition("webkit")]
public sealed class WebKitCollection : ICollectionFixture<WebKitFixture>;
