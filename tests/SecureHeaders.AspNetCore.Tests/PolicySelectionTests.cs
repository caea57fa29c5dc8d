using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SecureHeaders.Configuration;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>How a response's policy is chosen: endpoint metadata, path policies, the provider, the default.</summary>
public class PolicySelectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_asynchronous_provider_chooses_a_named_policy()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddPolicy("tenant-b", p => p.XFrameOptions = "SAMEORIGIN"),
            builder: b => b.Services.AddSingleton<ISecureHeadersPolicyProvider, TenantProvider>());
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Tenant", "b");

        Assert.Equal("SAMEORIGIN", (await app.Https().SendAsync(request, Ct)).Header("X-Frame-Options"));
        Assert.Equal("DENY", (await app.Https().GetAsync("/", Ct)).Header("X-Frame-Options"));
    }

    [Fact]
    public async Task A_provider_naming_an_unknown_policy_fails_the_response_and_logs_once()
    {
        using var logs = new FakeLoggerProvider();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddSecureHeaders();
        builder.Services.AddSingleton<ISecureHeadersPolicyProvider>(new FixedProvider("nope"));
        await using var app = builder.Build();
        app.UseSecureHeaders();
        app.MapGet("/", () => Results.Text("<p>secret page</p>", "text/html"));
        await app.StartAsync(Ct);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        for (var i = 0; i < 3; i++)
        {
            var response = await client.GetAsync("/", Ct);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Single(logs.Collector.GetSnapshot(), static e => e.Id.Name == "ApplyFailed" && e.Message.Contains("'nope'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_provider_and_a_selector_together_stop_startup()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(
            o => o.PolicySelector = _ => null,
            builder: b => b.Services.AddSingleton<ISecureHeadersPolicyProvider>(new FixedProvider(null))));
        Assert.Contains("PolicySelector", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_policy_covers_paths_the_app_does_not_map_and_endpoint_metadata_wins()
    {
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddPolicy("docs", p => p.XFrameOptions = "SAMEORIGIN");
                o.AddPolicy("pinned", p => p.ReferrerPolicy = "no-referrer");
                o.PathPolicies["/docs"] = "docs";
            },
            map: a =>
            {
                a.MapGet("/", () => "home");
                a.MapGet("/docs/page", () => "page");
                a.MapGet("/docs/pinned", () => "pinned").WithSecureHeaders("pinned");
            });

        Assert.Equal("SAMEORIGIN", (await app.Https().GetAsync("/docs/page", Ct)).Header("X-Frame-Options"));
        Assert.Equal("SAMEORIGIN", (await app.Https().GetAsync("/docs/missing.css", Ct)).Header("X-Frame-Options"));
        Assert.Equal("SAMEORIGIN", (await app.Https().GetAsync("/DOCS", Ct)).Header("X-Frame-Options"));
        Assert.Equal("DENY", (await app.Https().GetAsync("/docsx", Ct)).Header("X-Frame-Options"));
        Assert.Equal("DENY", (await app.Https().GetAsync("/", Ct)).Header("X-Frame-Options"));
        var pinned = await app.Https().GetAsync("/docs/pinned", Ct);
        Assert.Equal("no-referrer", pinned.Header("Referrer-Policy"));
        Assert.Equal("DENY", pinned.Header("X-Frame-Options"));
    }

    [Fact]
    public async Task Swagger_ui_keeps_the_policy_of_its_endpoint_although_swashbuckle_clears_the_endpoint()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddPolicy("swagger", p => p.ContentSecurityPolicy.UsePreset("Basic").Merge(Csp.CspPresets.SwaggerUi)),
            builder: b =>
            {
                b.Services.AddEndpointsApiExplorer();
                b.Services.AddSwaggerGen();
            },
            map: a =>
            {
                a.MapGet("/items", () => new[] { 1 });
                a.MapSwagger();
                a.MapSwaggerUI().WithSecureHeaders("swagger");
            });

        var page = await app.Https().GetAsync("/swagger/index.html", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("style-src 'self' 'unsafe-inline'", page.Header("Content-Security-Policy"), StringComparison.Ordinal);
        var other = await app.Https().GetAsync("/items", Ct);
        Assert.DoesNotContain("unsafe-inline", other.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Use_secure_headers_on_a_branch_covers_the_branch()
    {
        await using var app = await TestApp.StartAsync(useSecureHeaders: false, map: a =>
        {
            a.Map("/api", branch =>
            {
                branch.UseSecureHeaders();
                branch.Run(static c => c.Response.WriteAsync("api"));
            });
            a.MapGet("/", () => "root");
        });

        Assert.Equal("DENY", (await app.Https().GetAsync("/api/x", Ct)).Header("X-Frame-Options"));
        Assert.Null((await app.Https().GetAsync("/", Ct)).Header("X-Frame-Options"));
    }

    [Fact]
    public async Task A_branch_inside_a_covered_app_does_not_apply_the_headers_twice()
    {
        await using var app = await TestApp.StartAsync(map: a =>
        {
            a.Map("/api", branch =>
            {
                branch.UseSecureHeaders();
                branch.Run(static c =>
                {
                    c.Response.Cookies.Append("a", "b");
                    return c.Response.WriteAsync("api");
                });
            });
        });

        var response = await app.Https().GetAsync("/api", Ct);
        Assert.Equal("a=b; path=/; Secure; SameSite=Lax; HttpOnly", Assert.Single(response.Headers.GetValues("Set-Cookie")));
        Assert.Single(response.Headers.GetValues("X-Frame-Options"));
    }

    [Fact]
    public async Task A_hand_made_pipeline_gets_the_headers()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Services.AddSecureHeaders();
        await using var app = builder.Build();
        var pipeline = new ApplicationBuilder(app.Services);
        pipeline.UseSecureHeaders();
        pipeline.Run(static c => c.Response.WriteAsync("hand-made"));
        var handler = pipeline.Build();

        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("example.com");
        context.Response.Body = new MemoryStream();
        var feature = new SecureHeaders.Benchmarks.FiringResponseFeature();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>(feature);
        await handler(context);
        await feature.FireOnStarting();

        Assert.Equal("DENY", context.Response.Headers.XFrameOptions.ToString());
    }

    [Fact]
    public async Task Add_without_use_warns_at_startup()
    {
        using var logs = new FakeLoggerProvider();
        await using var app = await TestApp.StartAsync(useSecureHeaders: false, builder: b => b.Logging.AddProvider(logs));
        Assert.Contains(logs.Collector.GetSnapshot(), static e => e.Id.Name == "NotEnabled");
    }

    private sealed class TenantProvider : ISecureHeadersPolicyProvider
    {
        public async ValueTask<string?> GetPolicyNameAsync(HttpContext context)
        {
            await Task.Yield();
            return context.Request.Headers["X-Tenant"] == "b" ? "tenant-b" : null;
        }
    }

    private sealed class FixedProvider(string? name) : ISecureHeadersPolicyProvider
    {
        public ValueTask<string?> GetPolicyNameAsync(HttpContext context) => new(name);
    }
}
