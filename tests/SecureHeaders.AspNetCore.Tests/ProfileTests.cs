using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace SecureHeaders.AspNetCore.Tests;

public class ProfileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Development_has_no_redirect_no_hsts_and_no_upgrade_on_localhost_but_everything_else()
    {
        await using var app = await TestApp.StartAsync(environment: "Development");

        var http = await app.Http("localhost").GetAsync("/", Ct);
        var https = await app.Https().GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, http.StatusCode);
        Assert.Null(http.Header("Strict-Transport-Security"));
        Assert.Null(https.Header("Strict-Transport-Security"));
        Assert.DoesNotContain("upgrade-insecure-requests", http.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Contains("upgrade-insecure-requests", https.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("DENY", http.Header("X-Frame-Options"));
        Assert.Equal("nosniff", http.Header("X-Content-Type-Options"));
    }

    [Fact]
    public async Task Explicit_profile_overrides_the_environment()
    {
        await using var app = await TestApp.StartAsync(o => o.Profile = SecureHeadersProfile.Production, environment: "Development");
        var response = await app.Http().GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }

    [Fact]
    public async Task Profile_can_come_from_configuration()
    {
        await using var app = await TestApp.StartAsync(settings: new() { ["SecureHeaders:Profile"] = "Development" });
        var response = await app.Http().GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Production_without_hsts_or_redirect_logs_a_warning_at_startup()
    {
        FakeLogCollector? collector = null;
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.StrictTransportSecurity.Enabled = false;
                o.ForceHttps.Enabled = false;
            },
            builder: b =>
            {
                b.Logging.AddFakeLogging();
                b.Logging.SetMinimumLevel(LogLevel.Debug);
            });
        collector = app.Services.GetRequiredService<FakeLogCollector>();

        var warning = Assert.Single(collector.GetSnapshot(), r => r.Id.Name == "ProductionWithoutHttpsProtection");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(7, warning.Id.Id);
        Assert.Contains("HSTS and the HTTPS redirect", warning.Message, StringComparison.Ordinal);
    }
}
