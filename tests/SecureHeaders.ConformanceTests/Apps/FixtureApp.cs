using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SecureHeaders.ConformanceTests.Hosting;

namespace SecureHeaders.ConformanceTests.Apps;

/// <summary>
/// A template app of <c>tests/Fixtures</c> (built with the test project), run as its own process on a loopback
/// TLS port with the suite's server certificate, and reached by the engines as <paramref name="host"/> through the
/// suite's proxy. Test endpoints (<c>/_test/csp-reports</c>) are switched on by configuration; the app's own files are
/// the template's.
/// </summary>
public sealed class FixtureApp : IAsyncDisposable
{
    // The proxy routes one host name to one port, and the engines' collections run in parallel: two instances of an
    // app under the same name would take each other's requests and reports. So one instance per host name at a time.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> HostLocks = new(StringComparer.OrdinalIgnoreCase);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _hostLock;
    private int _disposed;

    private FixtureApp(Process process, string host, int port, SemaphoreSlim hostLock)
    {
        _process = process;
        _hostLock = hostLock;
        Host = host;
        Port = port;
        _client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true })
        {
            BaseAddress = new Uri($"https://127.0.0.1:{port}/"),
        };
    }

    public string Host { get; }

    public int Port { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public Uri Url(string pathAndQuery) => new($"https://{Host}{pathAndQuery}");

    /// <summary>Starts the app and waits until it answers, or fails with its output.</summary>
    public static async Task<FixtureApp> StartAsync(ConformanceServer server, string project, string host, IReadOnlyDictionary<string, string>? settings = null)
    {
        var directory = Path.Combine(RepositoryRoot(), "tests", "Fixtures", project, project);
        var dll = new[] { "Debug", "Release" }
            .Select(c => Path.Combine(directory, "bin", c, "net10.0", project + ".dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault() ?? throw new InvalidOperationException($"{project} is not built; the test project builds it (ProjectReference), or run dotnet build {directory}.");

        var hostLock = HostLocks.GetOrAdd(host, static _ => new SemaphoreSlim(1, 1));
        await hostLock.WaitAsync(TestContext.Current.CancellationToken);
        FixtureApp? app = null;
        try
        {
            var pfx = Path.Combine(server.WorkDirectory, host + ".pfx");
            await File.WriteAllBytesAsync(pfx, server.Certificates.Server.Export(X509ContentType.Pfx, "fixture"));
            var port = EngineEnvironment.FreePort();
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };

            // Development: static web assets come from the build output (the runtime manifest) as under `dotnet run`.
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["ASPNETCORE_URLS"] = $"https://127.0.0.1:{port}";
            start.Environment["Kestrel__Certificates__Default__Path"] = pfx;
            start.Environment["Kestrel__Certificates__Default__Password"] = "fixture";
            start.Environment["Fixture__TestEndpoints"] = "true";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            app = new FixtureApp(process, host, port, hostLock);
            process.OutputDataReceived += (_, e) => app.Append(e.Data);
            process.ErrorDataReceived += (_, e) => app.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            server.Proxy.Route(host, port);

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{project} exited with {process.ExitCode}:\n{app.Output}");
                }

                try
                {
                    using var response = await app._client.GetAsync("/_test/csp-reports");
                    if (response.IsSuccessStatusCode)
                    {
                        return app;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{project} did not answer within 60 s:\n{app.Output}");
                }

                await Task.Delay(200);
            }
        }
        catch
        {
            if (app is null)
            {
                hostLock.Release();
            }
            else
            {
                await app.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The CSP violation reports the app received (report-uri bodies).</summary>
    public async Task<IReadOnlyList<JsonElement>> ReportsAsync(CancellationToken cancellationToken)
    {
        var reports = await _client.GetFromJsonAsync<JsonElement[]>("/_test/csp-reports", cancellationToken);
        return reports ?? [];
    }

    /// <summary>Fetches a page as a client would (for headers and markup).</summary>
    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) => _client.GetAsync(path, cancellationToken);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _hostLock.Release();
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureHeaders.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (SecureHeaders.slnx) is not above " + AppContext.BaseDirectory);
    }
}
