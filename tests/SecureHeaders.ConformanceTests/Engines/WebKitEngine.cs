using System.Diagnostics;
using SecureHeaders.ConformanceTests.Hosting;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecureHeaders.ConformanceTests.Engines;

/// <summary>
/// WebKitGTK's MiniBrowser through <c>WebKitWebDriver</c> (W3C WebDriver, plain HTTP), in an Xvfb display of its
/// own. One session for the whole run; each page is a new window of it, so cookies and HSTS state are shared and
/// checks use host names and cookie names of their own. WebKitGTK trusts the system CA store only: the suite's CA
/// counts as trusted when <c>.ci/run</c> installed it there.
/// </summary>
internal sealed class WebKitEngine : IBrowserEngine
{
    private readonly HttpClient _http;
    private readonly string _session;
    private readonly string _firstWindow;
    private readonly List<Process> _processes;

    private WebKitEngine(HttpClient http, string session, string firstWindow, string version, bool trusts, List<Process> processes)
    {
        _http = http;
        _session = session;
        _firstWindow = firstWindow;
        Version = version;
        TrustsTestCertificate = trusts;
        _processes = processes;
    }

    public string Id => "webkit";

    public string Version { get; }

    public bool TrustsTestCertificate { get; }

    public static async Task<IBrowserEngine> LaunchAsync(string driver, string miniBrowser, EngineEnvironment environment)
    {
        var processes = new List<Process>();
        try
        {
            var display = Environment.GetEnvironmentVariable("DISPLAY");
            if (string.IsNullOrEmpty(display))
            {
                display = await StartXvfbAsync(processes).ConfigureAwait(false);
            }

            var port = EngineEnvironment.FreePort();
            var start = new ProcessStartInfo(driver, [$"--port={port}", "--host=127.0.0.1"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["DISPLAY"] = display;
            start.Environment["HOME"] = environment.CreateTempDirectory("webkit-home");
            var process = Process.Start(start) ?? throw new InvalidOperationException("WebKitWebDriver did not start.");
            processes.Add(process);
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
            await WaitForDriverAsync(http).ConfigureAwait(false);
            var trusts = environment.Certificates.IsTrustedBySystemStore();
            var capabilities = new JsonObject
            {
                ["capabilities"] = new JsonObject
                {
                    ["alwaysMatch"] = new JsonObject
                    {
                        ["acceptInsecureCerts"] = !trusts,
                        ["webkitgtk:browserOptions"] = new JsonObject
                        {
                            ["binary"] = miniBrowser,
                            ["args"] = new JsonArray("--automation", "--proxy=" + environment.ProxyUrl, "--javascript-can-open-windows-automatically=true"),
                        },
                    },
                },
            };
            var created = await SendAsync(http, HttpMethod.Post, "session", capabilities).ConfigureAwait(false);
            var session = created.GetProperty("sessionId").GetString()!;
            var version = created.GetProperty("capabilities").GetProperty("browserVersion").GetString() ?? "unknown";
            var window = (await SendAsync(http, HttpMethod.Get, $"session/{session}/window", null).ConfigureAwait(false)).GetString()!;
            return new WebKitEngine(http, session, window, version, trusts, processes);
        }
        catch
        {
            Stop(processes);
            throw;
        }
    }

    public async Task<IBrowserPage> NewPageAsync(CancellationToken cancellationToken)
    {
        var created = await SendAsync(_http, HttpMethod.Post, $"session/{_session}/window/new", new JsonObject { ["type"] = "window" }).ConfigureAwait(false);
        var handle = created.GetProperty("handle").GetString()!;
        await SendAsync(_http, HttpMethod.Post, $"session/{_session}/window", new JsonObject { ["handle"] = handle }).ConfigureAwait(false);
        return new Page(this, handle);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _http.DeleteAsync(new Uri($"session/{_session}", UriKind.Relative), cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // The processes are stopped below either way.
        }

        Stop(_processes);
        _http.Dispose();
    }

    private static void Stop(List<Process> processes)
    {
        for (var i = processes.Count - 1; i >= 0; i--)
        {
            try
            {
                if (!processes[i].HasExited)
                {
                    processes[i].Kill(entireProcessTree: true);
                    processes[i].WaitForExit(5_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            processes[i].Dispose();
        }
    }

    private static async Task<string> StartXvfbAsync(List<Process> processes)
    {
        for (var number = 90; number < 140; number++)
        {
            if (DisplayInUse(number))
            {
                continue;
            }

            var xvfb = Process.Start(new ProcessStartInfo("Xvfb", [$":{number}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("Xvfb did not start.");
            processes.Add(xvfb);
            xvfb.BeginErrorReadLine();
            xvfb.BeginOutputReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline && !xvfb.HasExited)
            {
                if (File.Exists($"/tmp/.X11-unix/X{number}"))
                {
                    return ":" + number;
                }

                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException("Could not start Xvfb on any display from :90 to :139.");
    }

    /// <summary>
    /// A display is taken while the X server named in its lock file runs. An Xvfb killed at the end of an earlier run
    /// leaves its lock and socket behind; those are removed, so that killed runs do not use up the range.
    /// </summary>
    private static bool DisplayInUse(int number)
    {
        var lockFile = $"/tmp/.X{number}-lock";
        var socket = $"/tmp/.X11-unix/X{number}";
        if (!File.Exists(lockFile))
        {
            return File.Exists(socket);
        }

        try
        {
            if (int.TryParse(File.ReadAllText(lockFile).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}"))
            {
                return true;
            }

            File.Delete(lockFile);
            File.Delete(socket);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static async Task WaitForDriverAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("status", UriKind.Relative)).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException("WebKitWebDriver did not answer /status within 15 s.");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
        var value = json.GetProperty("value");
        if (!response.IsSuccessStatusCode)
        {
            throw new WebDriverException($"WebKitWebDriver {method} {path}: {(int)response.StatusCode} {value}");
        }

        return value.Clone();
    }

    private sealed class Page(WebKitEngine engine, string handle) : IBrowserPage
    {
        private string Session => engine._session;

        public async Task GotoAsync(Uri url, CancellationToken cancellationToken)
        {
            try
            {
                await SendAsync(engine._http, HttpMethod.Post, $"session/{Session}/url", new JsonObject { ["url"] = url.ToString() }).ConfigureAwait(false);
            }
            catch (WebDriverException)
            {
                // A refused navigation leaves an error page; the check reads what happened.
            }
        }

        public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
        {
            var value = await SendAsync(engine._http, HttpMethod.Post, $"session/{Session}/execute/sync",
                new JsonObject { ["script"] = "return " + BrowserPageExtensions.AsJsonScript(expression) + ";", ["args"] = new JsonArray() }).ConfigureAwait(false);
            return BrowserPageExtensions.ParseJson(value.GetString());
        }

        public async Task<IReadOnlyList<BrowserCookie>> CookiesAsync(Uri url, CancellationToken cancellationToken)
        {
            // WebDriver returns the cookies of the current document, so the page must be at url's host.
            var cookies = await SendAsync(engine._http, HttpMethod.Get, $"session/{Session}/cookie", null).ConfigureAwait(false);
            var result = new List<BrowserCookie>();
            foreach (var c in cookies.EnumerateArray())
            {
                result.Add(new BrowserCookie(
                    c.GetProperty("name").GetString()!, c.GetProperty("value").GetString()!,
                    c.TryGetProperty("domain", out var d) ? d.GetString() ?? string.Empty : string.Empty,
                    c.TryGetProperty("path", out var p) ? p.GetString() ?? "/" : "/",
                    c.TryGetProperty("secure", out var s) && s.GetBoolean(),
                    c.TryGetProperty("httpOnly", out var h) && h.GetBoolean(),
                    c.TryGetProperty("sameSite", out var ss) ? ss.GetString() : null));
            }

            return result;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await SendAsync(engine._http, HttpMethod.Post, $"session/{Session}/window", new JsonObject { ["handle"] = handle }).ConfigureAwait(false);
                await SendAsync(engine._http, HttpMethod.Delete, $"session/{Session}/window", null).ConfigureAwait(false);
            }
            catch (WebDriverException)
            {
                // The page may have closed itself.
            }

            await SendAsync(engine._http, HttpMethod.Post, $"session/{Session}/window", new JsonObject { ["handle"] = engine._firstWindow }).ConfigureAwait(false);
        }
    }
}

/// <summary>An error answer of a WebDriver endpoint.</summary>
internal sealed class WebDriverException(string message) : Exception(message);
