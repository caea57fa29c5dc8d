using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SecureHeaders.AspNetCore.Infrastructure;
using SecureHeaders.Configuration;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>
/// The HTTPS redirect never goes to a host the application was not configured for, whatever the Host header says,
/// and never answers 500 for a request target it cannot redirect.
/// </summary>
public class RedirectHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_AllowedHosts_star_a_forged_host_gets_400_and_startup_warns()
    {
        using var logs = new FakeLoggerProvider();
        await using var app = await TestApp.StartAsync(settings: new() { ["AllowedHosts"] = "*" }, builder: b => b.Logging.AddProvider(logs));

        var forged = await app.Http("evil.example").GetAsync("/login?next=/", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
        var warning = Assert.Single(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedirectHostsUnknown");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("AllowedHosts", warning.Message, StringComparison.Ordinal);
        Assert.Contains("CanonicalHost", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canonical_host_is_the_only_target()
    {
        await using var app = await TestApp.StartAsync(settings: new()
        {
            ["AllowedHosts"] = "*",
            ["SecureHeaders:ForceHttps:CanonicalHost"] = "www.example.com",
            ["SecureHeaders:ForceHttps:HttpsPort"] = "8443",
        });

        var forged = await app.Http("evil.example").GetAsync("/a/b?c=d", Ct);
        var own = await app.Http("example.com").PostAsync("/form", null, Ct);

        Assert.Equal("https://www.example.com:8443/a/b?c=d", forged.Headers.Location!.ToString());
        Assert.Equal("https://www.example.com:8443/form", own.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.TemporaryRedirect, own.StatusCode);
    }

    [Fact]
    public async Task With_AllowedHosts_star_and_a_canonical_host_startup_still_warns_about_the_host_header()
    {
        using var logs = new FakeLoggerProvider();
        await using var app = await TestApp.StartAsync(
            settings: new() { ["AllowedHosts"] = "*", ["SecureHeaders:ForceHttps:CanonicalHost"] = "www.example.com" },
            builder: b => b.Logging.AddProvider(logs));

        var warning = Assert.Single(logs.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
        Assert.Equal("AllowedHostsAny", warning.Id.Name);
        Assert.Contains("www.example.com", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Named_AllowedHosts_start_without_a_warning()
    {
        using var logs = new FakeLoggerProvider();
        await using var app = await TestApp.StartAsync(settings: new() { ["AllowedHosts"] = "example.com" }, builder: b => b.Logging.AddProvider(logs));

        Assert.Equal(HttpStatusCode.Found, (await app.Http().GetAsync("/", Ct)).StatusCode);
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData("https://www.example.com")]
    [InlineData("www.example.com:443")]
    [InlineData("www.example.com/path")]
    [InlineData("*.example.com")]
    [InlineData("::1")]
    [InlineData("exa mple.com")]
    public async Task A_canonical_host_that_is_not_a_host_stops_startup(string value)
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() =>
            TestApp.StartAsync(settings: new() { ["SecureHeaders:ForceHttps:CanonicalHost"] = value }));

        Assert.Contains("SecureHeaders:ForceHttps:CanonicalHost", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("xn--bcher-kva.example", true)]
    [InlineData("bücher.example", true)]
    [InlineData("192.0.2.1", true)]
    [InlineData("[2001:db8::1]", true)]
    [InlineData("2001:db8::1", false)]
    [InlineData("example.com:80", false)]
    [InlineData("", false)]
    public void Host_names(string value, bool expected) => Assert.Equal(expected, ForceHttpsMiddleware.IsHostName(value));

    [Fact]
    public async Task On_kestrel_the_bound_host_is_a_target_and_any_other_host_is_not()
    {
        await using var app = await KestrelAsync();
        var port = Port(app);

        var bound = await RawAsync(port, Encoding.ASCII.GetBytes($"GET /a?b=c HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
        var forged = await RawAsync(port, "GET /a HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"u8.ToArray());

        Assert.StartsWith("HTTP/1.1 302", bound, StringComparison.Ordinal);
        Assert.Contains("\r\nLocation: https://127.0.0.1/a?b=c\r\n", bound, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", forged, StringComparison.Ordinal);
        Assert.DoesNotContain("Location:", forged, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task On_kestrel_control_bytes_in_the_query_get_400_not_500()
    {
        await using var app = await KestrelAsync();
        var port = Port(app);
        byte[] Request(params byte[] query) =>
            [.. "GET /p?"u8, .. query, .. Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")];

        var delete = await RawAsync(port, Request((byte)'a', 0x7F, (byte)'b'));
        var utf8 = await RawAsync(port, Request([.. "q="u8, 0xC3, 0xA9]));

        Assert.StartsWith("HTTP/1.1 400", delete, StringComparison.Ordinal);
        Assert.DoesNotContain("Location:", delete, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 400", utf8, StringComparison.Ordinal);
        Assert.DoesNotContain(" 500 ", utf8, StringComparison.Ordinal); // Kestrel itself refuses raw non-ASCII
    }

    [Theory]
    [InlineData("?q=\u00e9&r=\U0001F600", "?q=%C3%A9&r=%F0%9F%98%80")]
    [InlineData("?a=1&b=%20x", "?a=1&b=%20x")]
    public async Task A_query_other_servers_pass_through_raw_is_percent_encoded(string raw, string expected)
    {
        await using var app = await TestApp.StartAsync();
        var context = await app.GetTestServer().SendAsync(c =>
        {
            c.Request.Scheme = "http";
            c.Request.Host = new HostString("example.com");
            c.Request.Path = "/p";
            c.Request.QueryString = new QueryString(raw);
        }, Ct);

        Assert.Equal(302, context.Response.StatusCode);
        Assert.Equal("https://example.com/p" + expected, context.Response.Headers.Location.ToString());
    }

    [Theory]
    [InlineData("?a\u007Fb")]
    [InlineData("?a\nLocation: https://evil.example")]
    [InlineData("?a\u0000")]
    public async Task Control_characters_in_a_query_get_400_on_any_server(string raw)
    {
        await using var app = await TestApp.StartAsync();
        var context = await app.GetTestServer().SendAsync(c =>
        {
            c.Request.Scheme = "http";
            c.Request.Host = new HostString("example.com");
            c.Request.Path = "/p";
            c.Request.QueryString = new QueryString(raw);
        }, Ct);

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal(0, context.Response.Headers.Location.Count);
    }

    private static async Task<WebApplication> KestrelAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["AllowedHosts"] = "*";
        builder.Services.AddSecureHeaders();
        var app = builder.Build();
        app.UseSecureHeaders();
        app.MapGet("/{**path}", () => "plain http");
        await app.StartAsync(Ct);
        return app;
    }

    private static int Port(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    private static async Task<string> RawAsync(int port, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(request, Ct);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return await reader.ReadToEndAsync(Ct);
    }
}
