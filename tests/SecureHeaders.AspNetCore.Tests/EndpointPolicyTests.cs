using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SecureHeaders.Configuration;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Tests;

public class EndpointPolicyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Named_policy_changes_one_header_and_keeps_the_rest_of_the_default()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddPolicy("widget", p => p.AllowFramingBy("https://partner.example.com")),
            map: app =>
            {
                app.MapGet("/widget", () => "w").WithSecureHeaders("widget");
                app.MapGet("/", () => "home");
            });

        var widget = await app.Https().GetAsync("/widget", Ct);
        var home = await app.Https().GetAsync("/", Ct);

        Assert.Contains("frame-ancestors https://partner.example.com", widget.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Null(widget.Header("X-Frame-Options"));
        Assert.Equal("nosniff", widget.Header("X-Content-Type-Options"));
        Assert.Equal("max-age=31536000; includeSubDomains", widget.Header("Strict-Transport-Security"));
        Assert.Equal("DENY", home.Header("X-Frame-Options"));
        Assert.Contains("frame-ancestors 'none'", home.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inline_endpoint_change_adds_sources_on_top_of_the_default()
    {
        await using var app = await TestApp.StartAsync(map: app =>
            app.MapGet("/maps", () => "m").WithSecureHeaders(p => p.ContentSecurityPolicy.Add("img-src", "https://tiles.example.com")));

        var response = await app.Https().GetAsync("/maps", Ct);

        Assert.Contains("img-src 'self' data: https://tiles.example.com", response.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_group_policy_applies_to_its_endpoints_and_endpoint_changes_stack_on_it()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddPolicy("admin", p => p.ReferrerPolicy = "no-referrer"),
            map: app =>
            {
                var admin = app.MapGroup("/admin").WithSecureHeaders("admin");
                admin.MapGet("/users", () => "u");
                admin.MapGet("/report", () => "r").WithSecureHeaders(p => p.ContentSecurityPolicy.ReportOnly = true);
                admin.MapGet("/raw", () => "raw").DisableSecureHeaders();
            });

        var users = await app.Https().GetAsync("/admin/users", Ct);
        var report = await app.Https().GetAsync("/admin/report", Ct);
        var raw = await app.Https().GetAsync("/admin/raw", Ct);

        Assert.Equal("no-referrer", users.Header("Referrer-Policy"));
        Assert.Equal("no-referrer", report.Header("Referrer-Policy"));
        Assert.Null(report.Header("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'; script-src 'self'", report.Header("Content-Security-Policy-Report-Only"), StringComparison.Ordinal);
        Assert.Null(raw.Header("X-Frame-Options"));
        Assert.Null(raw.Header("Content-Security-Policy"));
    }

    [Fact]
    public async Task Named_policy_from_configuration_starts_from_the_default()
    {
        await using var app = await TestApp.StartAsync(
            settings: new()
            {
                ["SecureHeaders:Policies:api:ContentSecurityPolicy:UseDefaults"] = "false",
                ["SecureHeaders:Policies:api:ContentSecurityPolicy:Directives:default-src"] = "'none'",
                ["SecureHeaders:Policies:api:ContentSecurityPolicy:Directives:frame-ancestors"] = "'none'",
                ["SecureHeaders:Policies:api:ReferrerPolicy"] = "no-referrer",
            },
            map: app => app.MapGet("/api/items", () => Results.Json(new[] { 1, 2 })).WithSecureHeaders("api"));

        var response = await app.Https().GetAsync("/api/items", Ct);

        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Header("Content-Security-Policy"));
        Assert.Equal("no-referrer", response.Header("Referrer-Policy"));
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
    }

    [Fact]
    public async Task Per_request_selector_picks_a_named_policy()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.AddPolicy("tenant-b", p => p.ContentSecurityPolicy.Set("frame-ancestors", "https://b.example.com"));
            o.PolicySelector = context => context.Request.Headers["X-Tenant"] == "b" ? "tenant-b" : null;
        });
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Tenant", "b");

        var tenantB = await app.Https().SendAsync(request, Ct);
        var other = await app.Https().GetAsync("/", Ct);

        Assert.Contains("frame-ancestors https://b.example.com", tenantB.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", other.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_policy_name_on_an_endpoint_stops_startup()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(
            o => o.AddPolicy("known", _ => { }),
            map: app => app.MapGet("/", () => "x").WithSecureHeaders("unknown")));

        Assert.Contains("'unknown', which is not defined", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Known policies: known", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_inline_endpoint_change_stops_startup_with_the_endpoint_named()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(
            map: app => app.MapGet("/bad", () => "x").WithSecureHeaders(p => p.ContentSecurityPolicy.Add("script-src", "self"))));

        Assert.Contains("/bad", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Quote it: 'self'", ex.Message, StringComparison.Ordinal);
    }
}
