using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SecureHeaders.Analysis.Fetching;

namespace SecureHeaders.Analysis.Tests.Fetching;

/// <summary>The fetcher against a real server that misbehaves: redirects it must refuse, and the private-network guard.</summary>
public sealed class SiteFetcherTests
{
    private static Task<LoopbackSite> StartAsync() => LoopbackSite.StartAsync(static app =>
    {
        app.MapGet("/ok", static () => Results.Content("<p>ok</p>", "text/html"));
        app.MapGet("/self", static () => LoopbackSite.Redirect("/self"));
        app.MapGet("/ping", static () => LoopbackSite.Redirect("/pong", 301));
        app.MapGet("/pong", static () => LoopbackSite.Redirect("/ping", 307));
        app.MapGet("/gopher", static () => LoopbackSite.Redirect("gopher://127.0.0.1:70/1"));
        app.MapGet("/file", static () => LoopbackSite.Redirect("file:///etc/passwd"));
        app.MapGet("/chain/{n:int}", static (int n) => LoopbackSite.Redirect("/chain/" + (n + 1)));
        app.MapGet("/to", static (string l, HttpContext c) => LoopbackSite.Redirect(l.Replace("PORT", c.Request.Host.Port!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
    });

    private static async Task<SiteSnapshot> FetchAsync(Uri url, FetchOptions? options = null)
    {
        options ??= new FetchOptions();
        options.Timeout = TimeSpan.FromSeconds(20);
        using var fetcher = new SiteFetcher(options);
        return await fetcher.FetchAsync(url, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("/gopher")]
    [InlineData("/file")]
    public async Task Redirects_to_other_schemes_are_errors_and_nothing_is_fetched(string path)
    {
        await using var site = await StartAsync();
        var snapshot = await FetchAsync(site.Url(path));

        Assert.Null(snapshot.Http);
        Assert.Contains("not an http(s) URL", snapshot.FetchFailure, StringComparison.Ordinal);
    }

    // The Observatory follows ten redirects and grades the answer after the last: the snapshot keeps it for the
    // Observatory block, and the scan is an error all the same.
    [Theory]
    [InlineData("/self", "redirect loop", 10)]
    [InlineData("/ping", "redirect loop: http://127.0.0.1:PORT/ping -> http://127.0.0.1:PORT/pong -> http://127.0.0.1:PORT/ping", 10)]
    [InlineData("/chain/0", "more than 10 redirects", 10)]
    public async Task Redirect_loops_and_the_redirect_limit_are_errors(string path, string message, int hops)
    {
        await using var site = await StartAsync();
        var snapshot = await FetchAsync(site.Url(path));

        Assert.Contains(message.Replace("PORT", site.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), snapshot.FetchFailure, StringComparison.Ordinal);
        Assert.NotNull(snapshot.Http);
        Assert.Equal(302 / 100, snapshot.Http.StatusCode / 100);
        Assert.Equal(hops, snapshot.Http.RedirectChain.Length);
    }

    [Fact]
    public async Task Ten_redirects_are_still_followed()
    {
        await using var site = await StartAsync();
        var snapshot = await FetchAsync(site.Url("/chain/0"), new FetchOptions { MaxRedirects = 12 });
        Assert.Contains("more than 12 redirects", snapshot.FetchFailure, StringComparison.Ordinal);

        var fine = await FetchAsync(site.Url("/to?l=%2Fok"));
        Assert.Null(fine.FetchFailure);
        Assert.Equal(200, fine.Http!.StatusCode);
        Assert.Single(fine.Http.RedirectChain);
    }

    [Fact]
    public async Task The_guard_refuses_loopback_targets()
    {
        await using var site = await StartAsync();
        var snapshot = await FetchAsync(site.Url("/ok"), new FetchOptions { DenyPrivateNetworks = true });

        Assert.Null(snapshot.Primary);
        Assert.Contains("not a public address", snapshot.FetchFailure, StringComparison.Ordinal);
    }

    // The server plays a public host: only 127.0.0.1 counts as public here, so redirects to other loopback
    // addresses, in any notation, stand for redirects into a private network.
    [Theory]
    [InlineData("http://127.0.0.2:PORT/ok")]
    [InlineData("http://0x7f000002:PORT/ok")]
    [InlineData("http://2130706434:PORT/ok")]
    [InlineData("http://[::ffff:127.0.0.2]:PORT/ok")]
    [InlineData("http://[::1]:PORT/ok")]
    [InlineData("http://0177.0.0.2:PORT/ok")]
    public async Task The_guard_refuses_redirects_to_private_addresses(string location)
    {
        await using var site = await StartAsync();
        var options = new FetchOptions { DenyPrivateNetworks = true, AllowedAddress = static a => a.Equals(IPAddress.Loopback) };
        var snapshot = await FetchAsync(site.Url("/to?l=" + Uri.EscapeDataString(location)), options);

        Assert.Null(snapshot.Http);
        Assert.Contains("not a public address", snapshot.FetchFailure, StringComparison.Ordinal);

        var direct = await FetchAsync(site.Url("/ok"), options);
        Assert.Null(direct.FetchFailure);
        Assert.Equal(200, direct.Http!.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("2002:7f00:1::", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("2606:4700:4700::1111", true)]
    public void Public_addresses(string address, bool isPublic) => Assert.Equal(isPublic, AddressGuard.IsPublic(IPAddress.Parse(address)));
}
