using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureHeaders.Analysis;

namespace SecureHeaders.Testing.Tests;

/// <summary>The test kit against the real SecureHeaders middleware with its defaults.</summary>
public class MiddlewareTests
{
    [Fact]
    public async Task Default_middleware_earns_an_A_plus_without_high_findings_on_every_route()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSecureHeaders();
        var app = builder.Build();
        app.UseSecureHeaders();
        app.MapGet("/", () => Results.Content("<!DOCTYPE html><p>home</p>", "text/html"));
        app.MapGet("/api/status", () => Results.Json(new { ok = true }));
        await app.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var _ = app;
        using var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://example.com/");

        var report = await client.AssertSecureHeadersAsync("/", minimumGrade: "A+", noHighFindings: true, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(report.Observatory.Score >= 115, $"score {report.Observatory.Score}");
        await client.AssertAllEndpointsAsync(app.Services, SecureHeadersExpectations.Strict(), cancellationToken: TestContext.Current.CancellationToken);
    }
}
