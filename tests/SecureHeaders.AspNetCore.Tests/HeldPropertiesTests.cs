using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureHeaders.Headers;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>
/// What held under attack, kept as tests: hardening never drops or corrupts a malformed <c>Set-Cookie</c>, and nonces
/// stay unique when many connections ask at once.
/// </summary>
public partial class HeldPropertiesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Set-Cookie values as broken applications and proxies write them.</summary>
    public static readonly string[] MalformedCookies =
    [
        "novalue",
        "=onlyvalue",
        "=",
        "empty=",
        "  spaced  =  value  ; path = / ",
        "quoted=\"a b\"",
        "eq=a=b=c",
        "semi=1;;;;",
        "trailing=1;",
        "attr=1; =x",
        "attr=1; ; ;Secure",
        "dup=1; SameSite=Lax; SameSite=Strict",
        "bad-samesite=1; SameSite=Sometimes",
        "empty-samesite=1; SameSite=",
        "samesite-none=1; SameSite=None",
        "bad-expires=1; Expires=tomorrow",
        "old-expires=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        "two-digit-year=1; Expires=Wed, 09-Jun-21 10:18:14 GMT",
        "bad-maxage=1; Max-Age=soon",
        "neg-maxage=1; Max-Age=-5",
        "huge-maxage=1; Max-Age=99999999999999999999999",
        "secure-value=1; Secure=yes",
        "httponly-value=1; HttpOnly=1",
        "path-relative=1; Path=admin",
        "domain-dot=1; Domain=.example.com",
        "domain-empty=1; Domain=",
        "unknown-attr=1; Flavour=vanilla; Priority=High; Partitioned",
        "__Host-wrong=1; Domain=example.com; Path=/admin",
        "__Secure-noflag=1",
        "__host-lower=1; Path=/",
        "comma=1, other=2",
        "unicode=caf\u00e9",
        "tab\t=\tvalue",
        "long=" + new string('x', 5000),
        "long-attr=1; Path=/" + new string('p', 2000),
        "case=1; SECURE; httponly; samesite=lax; PATH=/",
    ];

    [Fact]
    public async Task Hardening_never_drops_or_corrupts_a_malformed_cookie()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapGet("/", (HttpContext context) =>
        {
            foreach (var cookie in MalformedCookies)
            {
                context.Response.Headers.Append("Set-Cookie", cookie);
            }

            return "ok";
        }));

        var response = await app.Https().GetAsync("/", Ct);
        var hardened = response.Headers.GetValues("Set-Cookie").ToArray();

        Assert.Equal(MalformedCookies.Length, hardened.Length);
        for (var i = 0; i < MalformedCookies.Length; i++)
        {
            var original = MalformedCookies[i];
            var result = hardened[i];
            if (!SetCookieHeader.TryParse(original, out var before))
            {
                Assert.Equal(original, result); // browsers ignore it; we do not touch it
                continue;
            }

            Assert.True(SetCookieHeader.TryParse(result, out var after), $"{original} became unparseable: {result}");
            Assert.Equal(before.Name, after.Name);
            Assert.Equal(before.Value, after.Value);
            AssertKeepsAttributes(before, after);
            Assert.True(after.Secure && after.HttpOnly && after.SameSite != SetCookieSameSite.Unspecified, $"{original} was not hardened: {result}");
            Assert.Empty(after.PrefixViolations());
        }
    }

    /// <summary>Every attribute the application wrote is still there, in order, except what a name prefix forbids and a SameSite browsers ignore.</summary>
    private static void AssertKeepsAttributes(SetCookieHeader before, SetCookieHeader after)
    {
        var kept = after.Attributes.ToList();
        var at = 0;
        foreach (var attribute in before.Attributes)
        {
            if (before.Prefix == SetCookiePrefix.Host && attribute.Name.Equals("Domain", StringComparison.OrdinalIgnoreCase))
            {
                continue; // __Host- cookies must not have Domain (RFC 6265bis §4.1.3.2)
            }

            if (before.Prefix == SetCookiePrefix.Host && attribute.Name.Equals("Path", StringComparison.OrdinalIgnoreCase))
            {
                continue; // ...and must have Path=/
            }

            if (before.SameSite == SetCookieSameSite.Invalid && attribute.Name.Equals("SameSite", StringComparison.OrdinalIgnoreCase))
            {
                continue; // a SameSite value browsers ignore is replaced by the configured one
            }

            var index = kept.FindIndex(at, a => a == attribute);
            Assert.True(index >= 0, $"{attribute} of {before} is missing from {after}");
            at = index + 1;
        }
    }

    [GeneratedRegex("'nonce-([A-Za-z0-9+/=_-]+)'")]
    private static partial Regex NonceSource();

    [Fact]
    public async Task Nonces_stay_unique_across_32_concurrent_connections()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSecureHeaders(o => o.ContentSecurityPolicy.Clear().Set("script-src", "'nonce'", "'strict-dynamic'").Set("object-src", "'none'"));
        await using var app = builder.Build();
        app.UseSecureHeaders();
        app.MapGet("/", (HttpContext context) => Results.Content($"<script nonce=\"{context.GetCspNonce()}\"></script>", "text/html"));
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        const int Connections = 32, PerConnection = 250;
        var nonces = new ConcurrentBag<string>();
        var connectionIds = new ConcurrentDictionary<string, bool>();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            // One client per connection, so the server really serves 32 sockets at once.
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri(address) };
            for (var i = 0; i < PerConnection; i++)
            {
                using var response = await client.GetAsync("/", Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var header = string.Join(", ", response.Headers.GetValues("Content-Security-Policy"));
                var nonce = NonceSource().Match(header).Groups[1].Value;
                Assert.Contains($"nonce=\"{nonce}\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
                Assert.True(Convert.FromBase64String(nonce).Length >= 16);
                nonces.Add(nonce);
            }
        })));

        Assert.Equal(Connections * PerConnection, nonces.Count);
        Assert.Equal(nonces.Count, nonces.Distinct(StringComparer.Ordinal).Count());
    }
}
