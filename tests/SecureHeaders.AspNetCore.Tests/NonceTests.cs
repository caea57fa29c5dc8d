using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SecureHeaders.AspNetCore.Tests;

public partial class NonceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("'nonce-([A-Za-z0-9+/=_-]+)'")]
    private static partial Regex NonceSource();

    private static Task<WebApplication> StartStrictAsync() => TestApp.StartAsync(
        o => o.ContentSecurityPolicy.Clear()
            .Set("script-src", "'nonce'", "'strict-dynamic'")
            .Set("object-src", "'none'")
            .Set("base-uri", "'none'"),
        map: app => app.MapGet("/", (HttpContext context) =>
            Results.Content($"<script nonce=\"{context.GetCspNonce()}\">1</script>", "text/html")));

    [Fact]
    public async Task The_page_and_the_header_carry_the_same_fresh_nonce()
    {
        await using var app = await StartStrictAsync();
        var response = await app.Https().GetAsync("/", Ct);

        var header = response.Header("Content-Security-Policy")!;
        var nonce = NonceSource().Match(header).Groups[1].Value;
        Assert.Equal($"script-src 'nonce-{nonce}' 'strict-dynamic'; object-src 'none'; base-uri 'none'", header);
        Assert.Equal($"<script nonce=\"{nonce}\">1</script>", await response.Content.ReadAsStringAsync(Ct));
        Assert.True(Convert.FromBase64String(nonce).Length >= 16);
        Assert.Equal("no-store, max-age=0", response.Header("Cache-Control"));
    }

    [Fact]
    public async Task Every_response_gets_a_different_nonce()
    {
        await using var app = await StartStrictAsync();
        var client = app.Https();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 500; i++)
        {
            var response = await client.GetAsync("/", Ct);
            var nonce = NonceSource().Match(response.Header("Content-Security-Policy")!).Groups[1].Value;
            Assert.True(seen.Add(nonce), $"nonce {nonce} was repeated");
            Assert.True(Convert.FromBase64String(nonce).Length >= 16);
        }
    }

    [Fact]
    public async Task Nonce_goes_only_into_the_directives_that_ask_for_it()
    {
        await using var app = await TestApp.StartAsync(o => o.ContentSecurityPolicy.Set("script-src", "'self'", "'nonce'"));
        var response = await app.Https().GetAsync("/", Ct);

        var header = response.Header("Content-Security-Policy")!;
        Assert.Single(NonceSource().Matches(header));
        Assert.Matches("script-src 'self' 'nonce-[^']+';", header);
    }

    [Fact]
    public async Task Enforced_and_report_only_policies_share_the_response_nonce()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.ContentSecurityPolicy.Set("script-src", "'self'", "'nonce'");
            o.ContentSecurityPolicyReportOnly.Enabled = true;
            o.ContentSecurityPolicyReportOnly.Set("script-src", "'nonce'", "'strict-dynamic'").Set("report-uri", "/csp-reports");
        });
        var response = await app.Https().GetAsync("/", Ct);

        var enforced = NonceSource().Match(response.Header("Content-Security-Policy")!).Groups[1].Value;
        var reportOnly = NonceSource().Match(response.Header("Content-Security-Policy-Report-Only")!).Groups[1].Value;
        Assert.Equal(enforced, reportOnly);
        Assert.Equal($"script-src 'nonce-{enforced}' 'strict-dynamic'; report-uri /csp-reports", response.Header("Content-Security-Policy-Report-Only"));
    }

    [Fact]
    public async Task Static_policy_does_not_touch_caching()
    {
        await using var app = await TestApp.StartAsync(map: app => app.MapGet("/", (HttpContext c) =>
        {
            c.Response.Headers.CacheControl = "public, max-age=60";
            return "cached";
        }));
        var response = await app.Https().GetAsync("/", Ct);

        Assert.Equal("public, max-age=60", response.Header("Cache-Control"));
    }

    [Fact]
    public async Task Cache_control_no_store_steps_aside_when_the_application_set_caching()
    {
        await using var app = await TestApp.StartAsync(o => o.CacheControlNoStore = true, map: app =>
        {
            app.MapGet("/cached", (HttpContext c) =>
            {
                c.Response.Headers.CacheControl = "public, max-age=60";
                return "cached";
            });
            app.MapGet("/private", () => "secret");
        });

        var cached = await app.Https().GetAsync("/cached", Ct);
        var secret = await app.Https().GetAsync("/private", Ct);

        Assert.Equal("public, max-age=60", cached.Header("Cache-Control"));
        Assert.Equal("no-store, max-age=0", secret.Header("Cache-Control"));
    }
}
