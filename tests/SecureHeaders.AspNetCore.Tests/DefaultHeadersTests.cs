using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SecureHeaders.AspNetCore.Tests;

public class DefaultHeadersTests
{
    public static TheoryData<string, string> Expected => new()
    {
        { "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; manifest-src 'self'; frame-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests" },
        { "Strict-Transport-Security", "max-age=31536000; includeSubDomains" },
        { "X-Frame-Options", "DENY" },
        { "X-Content-Type-Options", "nosniff" },
        { "Referrer-Policy", "strict-origin-when-cross-origin" },
        { "Cross-Origin-Opener-Policy", "same-origin" },
        { "Cross-Origin-Resource-Policy", "same-origin" },
        { "Origin-Agent-Cluster", "?1" },
        { "X-DNS-Prefetch-Control", "off" },
        { "X-Permitted-Cross-Domain-Policies", "none" },
        { "X-XSS-Protection", "0" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Https_response_carries_the_default_header(string name, string value)
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Https().GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(value, response.Header(name));
    }

    [Fact]
    public async Task Permissions_policy_switches_off_powerful_features()
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Https().GetAsync("/", TestContext.Current.CancellationToken);

        var value = response.Header("Permissions-Policy")!;
        Assert.Contains("camera=()", value, StringComparison.Ordinal);
        Assert.Contains("fullscreen=(self)", value, StringComparison.Ordinal);
        Assert.Contains("geolocation=()", value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_is_redirected_and_gets_no_hsts()
    {
        await using var app = await TestApp.StartAsync();
        var get = await app.Http().GetAsync("/path?q=1", TestContext.Current.CancellationToken);
        var post = await app.Http().PostAsync("/form", new StringContent("x"), TestContext.Current.CancellationToken);

        Assert.Equal(302, (int)get.StatusCode);
        Assert.Equal("https://example.com/path?q=1", get.Headers.Location!.ToString());
        Assert.Null(get.Header("Strict-Transport-Security"));
        Assert.Equal(307, (int)post.StatusCode);
        Assert.Equal("DENY", get.Header("X-Frame-Options"));
    }
}
