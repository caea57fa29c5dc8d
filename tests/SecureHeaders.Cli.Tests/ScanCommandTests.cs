using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SecureHeaders.Cli.Commands;

namespace SecureHeaders.Cli.Tests;

/// <summary>Scans a small plain-HTTP server on loopback (HTTPS on the same port fails, as on a dev server without TLS).</summary>
public sealed class ScanCommandTests : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public ScanCommandTests()
    {
        _listener.Start();
        _serving = ServeAsync();
    }

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    // A tiny HTTP/1.1 server: "/" redirects to "/home" setting a cookie; "/home" serves a page with headers;
    // OPTIONS answers with a reflected CORS origin and credentials. A TLS handshake gets garbage back and fails.
    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    var request = Encoding.ASCII.GetString(buffer, 0, read);
                    var line = request.Split("\r\n")[0];
                    var origin = request.Split("\r\n").FirstOrDefault(static l => l.StartsWith("Origin:", StringComparison.OrdinalIgnoreCase))?[7..].Trim();
                    string response;
                    if (line.StartsWith("OPTIONS", StringComparison.Ordinal))
                    {
                        response = $"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nConnection: close\r\n\r\n";
                    }
                    else if (line.StartsWith("GET / ", StringComparison.Ordinal))
                    {
                        response = "HTTP/1.1 302 Found\r\nLocation: /home\r\nSet-Cookie: sessionid=abc; Path=/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                    }
                    else if (line.StartsWith("GET /home ", StringComparison.Ordinal))
                    {
                        var body = "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\"></head><body><script src=\"http://cdn.example.com/x.js\"></script></body></html>";
                        response = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Frame-Options: DENY\r\nX-Frame-Options: DENY\r\nServer: TestServer/1.0\r\n"
                            + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
                    }
                    else
                    {
                        response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                    }

                    await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
                }
            });
        }
    }

    private static async Task<(int Code, string Output, string Error)> ScanAsync(ScanOutput.Format format, params string[] urls)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new ScanCommand.Settings(urls, format, null, false, null, false, null, null, 2, TimeSpan.FromSeconds(5), false);
        var code = await ScanCommand.RunAsync(settings, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Scans_a_plain_http_site_following_redirects_and_reading_the_page()
    {
        var (code, output, _) = await ScanAsync(ScanOutput.Format.Json, $"http://127.0.0.1:{Port}/");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.NotNull(root.GetProperty("errors").GetProperty("https").GetString());
        var tests = root.GetProperty("observatory").GetProperty("tests");
        Assert.Equal("redirection-not-to-https", tests.GetProperty("redirection").GetProperty("result").GetString());
        Assert.Equal("hsts-not-implemented-no-https", tests.GetProperty("strict-transport-security").GetProperty("result").GetString());
        Assert.Equal("cookies-session-without-secure-flag", tests.GetProperty("cookies").GetProperty("result").GetString());
        Assert.Equal("csp-implemented-with-no-unsafe", tests.GetProperty("content-security-policy").GetProperty("result").GetString());
        Assert.Equal("sri-not-implemented-and-external-scripts-not-loaded-securely", tests.GetProperty("subresource-integrity").GetProperty("result").GetString());
        Assert.Equal("x-frame-options-header-invalid", tests.GetProperty("x-frame-options").GetProperty("result").GetString());
        Assert.Equal("cross-origin-resource-sharing-implemented-with-restricted-access", tests.GetProperty("cross-origin-resource-sharing").GetProperty("result").GetString());

        var redirects = root.GetProperty("response").GetProperty("redirects").GetProperty("http");
        Assert.Equal(2, redirects.GetArrayLength());
        Assert.Equal(302, redirects[0].GetProperty("status").GetInt32());
        var ids = root.GetProperty("findings").EnumerateArray().Select(static f => f.GetProperty("id").GetString()).ToList();
        Assert.Contains("cors-reflects-origin-with-credentials", ids);
        Assert.Contains("https-not-available", ids);
        Assert.Contains("leaks-implementation-details", ids);
        Assert.Contains("script-over-http", ids);
        Assert.Contains("duplicate-header", ids);
    }

    [Fact]
    public async Task Several_urls_and_an_unreachable_one()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var (code, output, _) = await ScanAsync(ScanOutput.Format.Json, $"http://127.0.0.1:{Port}/", $"http://127.0.0.1:{closedPort}/");

        Assert.Equal(2, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.Equal("The site seems to be down.", json.RootElement[1].GetProperty("observatory").GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_observatory_release_is_chosen_and_named()
    {
        foreach (var (label, algorithm, tests) in new[] { ("1.4.8", 4, 10), ("1.6.3", 5, 10), ("main", 6, 12) })
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var settings = new ScanCommand.Settings([$"http://127.0.0.1:{Port}/"], ScanOutput.Format.Json, null, false, null, false, null, null, 1, TimeSpan.FromSeconds(5), false)
            {
                Observatory = SecureHeaders.Analysis.Observatory.ObservatoryVersions.TryParse(label, out var v) ? v : default,
            };
            Assert.Equal(0, await ScanCommand.RunAsync(settings, output, error, TestContext.Current.CancellationToken));
            using var json = JsonDocument.Parse(output.ToString());
            var observatory = json.RootElement.GetProperty("observatory");
            Assert.Equal(label, observatory.GetProperty("version").GetString());
            Assert.Equal(algorithm, observatory.GetProperty("algorithmVersion").GetInt32());
            Assert.Equal(tests, observatory.GetProperty("tests").EnumerateObject().Count());
        }
    }

    [Fact]
    public async Task The_private_network_guard_refuses_loopback_with_exit_code_2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new ScanCommand.Settings([$"http://127.0.0.1:{Port}/"], ScanOutput.Format.Json, null, false, null, false, null, null, 1, TimeSpan.FromSeconds(5), false)
        {
            DenyPrivateNetworks = true,
        };

        Assert.Equal(2, await ScanCommand.RunAsync(settings, output, error, TestContext.Current.CancellationToken));
        Assert.Contains("not a public address", error.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Contains("not a public address", json.RootElement.GetProperty("errors").GetProperty("fetch").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_bad_urls()
    {
        var (code, _, error) = await ScanAsync(ScanOutput.Format.Text, "ftp://example.com/");
        Assert.Equal(2, code);
        Assert.Contains("not an http(s) URL", error, StringComparison.Ordinal);
    }
}
