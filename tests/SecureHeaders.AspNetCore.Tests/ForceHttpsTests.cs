using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

namespace SecureHeaders.AspNetCore.Tests;

public class ForceHttpsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", false, 302)]
    [InlineData("HEAD", false, 302)]
    [InlineData("POST", false, 307)]
    [InlineData("DELETE", false, 307)]
    [InlineData("GET", true, 301)]
    [InlineData("PUT", true, 308)]
    public async Task Status_code_keeps_the_method_for_unsafe_requests(string method, bool permanent, int expected)
    {
        await using var app = await TestApp.StartAsync(o => o.ForceHttps.Permanent = permanent);
        var response = await app.Http().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/a/b?c=d"), Ct);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("https://example.com/a/b?c=d", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Configured_https_port_appears_in_the_location()
    {
        await using var app = await TestApp.StartAsync(o => o.ForceHttps.HttpsPort = 8443);
        var response = await app.Http().GetAsync("/", Ct);

        Assert.Equal("https://example.com:8443/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Never_redirects_to_a_host_outside_AllowedHosts()
    {
        await using var app = await TestApp.StartAsync(settings: new() { ["AllowedHosts"] = "example.com;*.example.org" });

        var foreign = await app.Http("evil.test").GetAsync("/", Ct);
        var allowed = await app.Http("www.example.org").GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Null(foreign.Headers.Location);
        Assert.Equal("https://www.example.org/", allowed.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Exempt_paths_are_served_over_plain_http()
    {
        await using var app = await TestApp.StartAsync(
            o => o.ForceHttps.ExemptPaths = ["/healthz"],
            map: app => app.MapGet("/healthz", () => "healthy"));

        var probe = await app.Http().GetAsync("/healthz", Ct);
        var other = await app.Http().GetAsync("/healthzz", Ct);

        Assert.Equal("healthy", await probe.Content.ReadAsStringAsync(Ct));
        Assert.Null(probe.Header("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.Found, other.StatusCode);
    }

    [Fact]
    public async Task Behind_a_proxy_with_UseForwardedHeaders_there_is_no_loop_and_hsts_is_sent()
    {
        await using var app = await TestApp.StartAsync(
            builder: b => b.Services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedProto;
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
            }),
            useSecureHeaders: false,
            map: app =>
            {
                app.UseForwardedHeaders();
                app.UseSecureHeaders();
                app.MapGet("/", () => "through the proxy");
            });
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await app.Http().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", response.Header("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_branch_that_calls_UseSecureHeaders_itself_redirects_its_own_requests_only()
    {
        await using var app = await TestApp.StartAsync(
            useSecureHeaders: false,
            map: app =>
            {
                app.Map("/api", branch =>
                {
                    branch.UseSecureHeaders();
                    branch.Run(static context => context.Response.WriteAsync("api"));
                });
                app.MapGet("/", () => "outside");
            });

        var inside = await app.Http().GetAsync("/api/x", Ct);
        var outside = await app.Http().GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.Found, inside.StatusCode);
        Assert.Equal("https://example.com/api/x", inside.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, outside.StatusCode);
    }

    [Fact]
    public async Task Unprocessed_forwarded_proto_is_not_redirected_to_avoid_a_loop()
    {
        await using var app = await TestApp.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await app.Http().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Header("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Disabled_redirect_serves_http_without_hsts()
    {
        await using var app = await TestApp.StartAsync(o => o.ForceHttps.Enabled = false);
        var response = await app.Http().GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Header("Strict-Transport-Security"));
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
    }
}
