using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureHeaders.ConformanceTests.Hosting;

namespace SecureHeaders.ConformanceTests.Engines;

/// <summary>
/// Debian's Firefox ESR driven over WebDriver BiDi (its built-in Remote Agent, one WebSocket), with a client of our
/// own: PuppeteerSharp 25.15 needs WebDriverBiDi 0.0.61, which the package mirror does not serve, and fails
/// against 0.0.63. Each page gets its own user context (fresh cookies, storage and HSTS state). The profile's NSS
/// database trusts the test CA; every request goes through the suite's proxy.
/// </summary>
internal sealed class FirefoxEngine : IBrowserEngine
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private long _nextId;

    private FirefoxEngine(Process process, ClientWebSocket socket, bool trusts)
    {
        _process = process;
        _socket = socket;
        TrustsTestCertificate = trusts;
        _receiving = ReceiveAsync();
    }

    public string Id => "firefox";

    public string Version { get; private set; } = "unknown";

    public bool TrustsTestCertificate { get; }

    public static async Task<IBrowserEngine> LaunchAsync(string executable, EngineEnvironment environment)
    {
        var profile = environment.CreateTempDirectory("firefox-profile");
        var trusts = environment.Certificates.TryTrustInNssDatabase(profile);
        var proxy = new Uri(environment.ProxyUrl);
        File.WriteAllText(Path.Combine(profile, "user.js"), string.Join('\n', new Dictionary<string, object>
        {
            // Every request goes through the suite's proxy, which knows the *.test names.
            ["network.proxy.type"] = 1,
            ["network.proxy.http"] = proxy.Host,
            ["network.proxy.http_port"] = proxy.Port,
            ["network.proxy.ssl"] = proxy.Host,
            ["network.proxy.ssl_port"] = proxy.Port,
            ["network.proxy.no_proxies_on"] = string.Empty,
            ["network.proxy.allow_hijacking_localhost"] = true,

            // The Remote Agent's recommended automation preferences, popups opened by script (COOP checks), and no
            // background connections of Firefox's own.
            ["remote.prefs.recommended"] = true,
            ["dom.disable_open_during_load"] = false,
            ["network.captive-portal-service.enabled"] = false,
            ["network.connectivity-service.enabled"] = false,
            ["browser.shell.checkDefaultBrowser"] = false,
            ["browser.startup.homepage_override.mstone"] = "ignore",
            ["datareporting.policy.dataSubmissionEnabled"] = false,
            ["toolkit.telemetry.reportingpolicy.firstRun"] = false,
            ["app.update.disabledForTesting"] = true,
        }.Select(static p => $"user_pref(\"{p.Key}\", {Literal(p.Value)});")) + "\n");

        var port = EngineEnvironment.FreePort();
        var start = new ProcessStartInfo(executable, ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", port.ToString(CultureInfo.InvariantCulture), "about:blank"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["MOZ_CRASHREPORTER_DISABLE"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Firefox did not start.");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.IndexOf("WebDriver BiDi listening on ", StringComparison.Ordinal) is >= 0 and var at)
            {
                listening.TrySetResult(e.Data[(at + "WebDriver BiDi listening on ".Length)..].Trim());
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var endpoint = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(endpoint.TrimEnd('/') + "/session"), CancellationToken.None).ConfigureAwait(false);
            var engine = new FirefoxEngine(process, socket, trusts);
            var session = await engine.SendAsync("session.new", new JsonObject
            {
                ["capabilities"] = new JsonObject { ["alwaysMatch"] = new JsonObject { ["acceptInsecureCerts"] = !trusts } },
            }).ConfigureAwait(false);
            engine.Version = session.GetProperty("capabilities").GetProperty("browserVersion").GetString() ?? "unknown";
            return engine;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async Task<IBrowserPage> NewPageAsync(CancellationToken cancellationToken)
    {
        var userContext = (await SendAsync("browser.createUserContext", new JsonObject()).ConfigureAwait(false)).GetProperty("userContext").GetString()!;
        var context = (await SendAsync("browsingContext.create", new JsonObject { ["type"] = "tab", ["userContext"] = userContext }).ConfigureAwait(false))
            .GetProperty("context").GetString()!;
        return new Page(this, userContext, context);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync("browser.close", new JsonObject()).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or WebSocketException or BiDiException or OperationCanceledException)
        {
            // Killed below either way.
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _receiving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }

        if (!_process.WaitForExit(5_000))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _socket.Dispose();
        _send.Dispose();
        _stop.Dispose();
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString());
        await _send.WaitAsync().ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }

        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            var result = await _socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            using (var document = JsonDocument.Parse(message.ToArray()))
            {
                var root = document.RootElement;
                if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.Number && _pending.TryRemove(idElement.GetInt64(), out var reply))
                {
                    if (root.TryGetProperty("error", out var error))
                    {
                        reply.TrySetException(new BiDiException($"{error.GetString()}: {(root.TryGetProperty("message", out var m) ? m.GetString() : string.Empty)}"));
                    }
                    else
                    {
                        reply.TrySetResult(root.GetProperty("result").Clone());
                    }
                }
            }

            message.SetLength(0);
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new BiDiException("The BiDi connection to Firefox closed."));
        }
    }

    private static string Literal(object value) => value switch
    {
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s => JsonSerializer.Serialize(s),
        _ => throw new ArgumentException("Unsupported preference type.", nameof(value)),
    };

    private sealed class Page(FirefoxEngine engine, string userContext, string context) : IBrowserPage
    {
        public async Task GotoAsync(Uri url, CancellationToken cancellationToken)
        {
            try
            {
                await engine.SendAsync("browsingContext.navigate", new JsonObject { ["context"] = context, ["url"] = url.ToString(), ["wait"] = "complete" }).ConfigureAwait(false);
            }
            catch (BiDiException)
            {
                // A refused navigation leaves an error page; the check reads what happened.
            }
        }

        public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
        {
            var result = await engine.SendAsync("script.evaluate", new JsonObject
            {
                ["expression"] = BrowserPageExtensions.AsJsonScript(expression),
                ["target"] = new JsonObject { ["context"] = context },
                ["awaitPromise"] = false,
            }).ConfigureAwait(false);
            if (result.GetProperty("type").GetString() == "exception")
            {
                throw new BiDiException("script.evaluate threw: " + result.GetProperty("exceptionDetails").GetProperty("text").GetString());
            }

            return BrowserPageExtensions.ParseJson(result.GetProperty("result").GetProperty("value").GetString());
        }

        public async Task<IReadOnlyList<BrowserCookie>> CookiesAsync(Uri url, CancellationToken cancellationToken)
        {
            var result = await engine.SendAsync("storage.getCookies", new JsonObject
            {
                ["partition"] = new JsonObject { ["type"] = "storageKey", ["userContext"] = userContext },
            }).ConfigureAwait(false);
            var cookies = new List<BrowserCookie>();
            foreach (var c in result.GetProperty("cookies").EnumerateArray())
            {
                var domain = c.GetProperty("domain").GetString() ?? string.Empty;
                if (!url.Host.EndsWith(domain.TrimStart('.'), StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                cookies.Add(new BrowserCookie(c.GetProperty("name").GetString()!, c.GetProperty("value").GetProperty("value").GetString() ?? string.Empty, domain,
                    c.GetProperty("path").GetString() ?? "/", c.GetProperty("secure").GetBoolean(), c.GetProperty("httpOnly").GetBoolean(), c.GetProperty("sameSite").GetString()));
            }

            return cookies;
        }

        public async ValueTask DisposeAsync()
        {
            await engine.SendAsync("browsingContext.close", new JsonObject { ["context"] = context }).ConfigureAwait(false);
            await engine.SendAsync("browser.removeUserContext", new JsonObject { ["userContext"] = userContext }).ConfigureAwait(false);
        }
    }
}

/// <summary>An error answer of the BiDi Remote Agent.</summary>
internal sealed class BiDiException(string message) : Exception(message);
