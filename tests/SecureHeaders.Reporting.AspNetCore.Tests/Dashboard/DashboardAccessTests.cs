using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using SecureHeaders.Configuration;
using SecureHeaders.Reporting.Tests.Support;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Dashboard;

/// <summary>
/// Production access to the dashboard and the read API: 401/403 (or 404 for a page that is off), never a 500,
/// whatever the app's authentication and middleware order, with a startup line that says what is missing.
/// </summary>
public sealed class DashboardAccessTests : IDisposable
{
    private static readonly string[] ReadEndpoints =
        ["/_secureheaders/dashboard", "/_secureheaders/api/violations", "/_secureheaders/api/suggestion", "/_secureheaders/api/sessions", "/_secureheaders/api/timeline"];

    /// <summary>The learning writes, behind the same guard: without a JSON body they answer 415 once let through.</summary>
    private static readonly string[] WriteEndpoints =
        ["/_secureheaders/api/sessions", "/_secureheaders/api/sessions/1/end", "/_secureheaders/api/opt-ins"];

    private readonly TempDirectory _dir = new();
    private readonly FakeLoggerProvider _logs = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _logs.Dispose();
        _dir.Dispose();
    }

    /// <summary>An app in Production, shaped like the showcase: explicit UseRouting, no UseAuthorization.</summary>
    private async Task<WebApplication> StartAsync(
        Action<SecureHeadersReportingOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        bool useRouting = true,
        bool useAuthorization = false,
        string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = _dir.Path });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(_logs);
        builder.Services.AddSecureHeadersReporting(o =>
        {
            o.SqlitePath = _dir.File("reports.db");
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        if (useRouting)
        {
            app.UseRouting();
        }

        if (useAuthorization)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.MapSecureHeadersReporting();
        await app.StartAsync(Ct);
        return app;
    }

    private static Task<HttpStatusCode> GetAsync(WebApplication app, string path, string? role = null) => SendAsync(app, HttpMethod.Get, path, role);

    private static async Task<HttpStatusCode> SendAsync(WebApplication app, HttpMethod method, string path, string? role = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (role is not null)
        {
            request.Headers.Add("X-Test-Role", role);
        }

        using var response = await app.GetTestClient().SendAsync(request, Ct);
        return response.StatusCode;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Without_authentication_every_read_endpoint_is_forbidden_and_startup_says_why(bool useRouting)
    {
        await using var app = await StartAsync(useRouting: useRouting);

        foreach (var path in ReadEndpoints)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(app, path));
        }

        var content = new StringContent(Payloads.ChromeLegacy());
        content.Headers.ContentType = new("application/csp-report");
        using var report = await app.GetTestClient().PostAsync("/_secureheaders/reports", content, Ct);
        Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);

        var warning = Assert.Single(_logs.Collector.GetSnapshot(), r => r.Id.Name == "DashboardWithoutAuthentication");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("AddAuthentication", warning.Message, StringComparison.Ordinal);
        Assert.Contains("SecureHeaders:Reporting:Dashboard:AuthorizationPolicy", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_dashboard_off_its_page_is_404_and_the_api_still_guarded()
    {
        await using var app = await StartAsync(o => o.Dashboard.Enabled = false);

        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(app, "/_secureheaders/dashboard"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(app, "/_secureheaders/api/violations"));
        Assert.DoesNotContain(_logs.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
        Assert.Single(_logs.Collector.GetSnapshot(), r => r.Id.Name == "ReadApiWithoutAuthentication" && r.Level == LogLevel.Information);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_authentication_but_no_UseAuthorization_the_guard_still_challenges(bool useAuthorization)
    {
        await using var app = await StartAsync(
            o => o.Dashboard.AuthorizationPolicy = "ReportsReader",
            s =>
            {
                s.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthHandler>("Test", null);
                s.AddAuthorization(a => a.AddPolicy("ReportsReader", p => p.RequireClaim("role", "security")));
            },
            useAuthorization: useAuthorization);

        foreach (var path in ReadEndpoints)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, path));
            Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(app, path, role: "viewer"));
            // The test app has no CSP of its own, so there is nothing to learn from: the suggestion says so with a 404.
            Assert.Equal(path.EndsWith("/suggestion", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.OK, await GetAsync(app, path, role: "security"));
        }

        foreach (var path in WriteEndpoints)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, HttpMethod.Post, path));
            Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(app, HttpMethod.Post, path, role: "viewer"));
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, await SendAsync(app, HttpMethod.Post, path, role: "security"));
        }

        Assert.DoesNotContain(_logs.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning && r.Category!.StartsWith("SecureHeaders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_authentication_and_no_authorization_services_the_default_policy_holds()
    {
        // No AddAuthorization anywhere: the framework's default policy (an authenticated user) guards the read side.
        await using var app = await StartAsync(services: s => s.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthHandler>("Test", null));

        foreach (var path in ReadEndpoints)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, path));
            Assert.Equal(path.EndsWith("/suggestion", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.OK, await GetAsync(app, path, role: "viewer"));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, HttpMethod.Post, WriteEndpoints[0]));
    }

    [Fact]
    public async Task The_collector_adds_no_authorization_middleware_to_the_app()
    {
        // WebApplication adds UseAuthorization() to every app that registered authorization services; the collector
        // registers none, so an app without authorization of its own runs none per request.
        await using var app = await StartAsync(o => o.Dashboard.AllowAnonymous = true, environment: "Development");

        var isService = app.Services.GetRequiredService<IServiceProviderIsService>();
        Assert.False(isService.IsService(typeof(Microsoft.AspNetCore.Authorization.IAuthorizationHandlerProvider)));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/_secureheaders/api/violations"));
    }

    [Fact]
    public async Task An_unknown_policy_stops_startup_naming_the_setting()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => StartAsync(o => o.Dashboard.AuthorizationPolicy = "Nobody"));

        Assert.Contains("SecureHeaders:Reporting:Dashboard:AuthorizationPolicy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddPolicy(\"Nobody\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_access_outside_development_is_allowed_but_warned_about()
    {
        await using var app = await StartAsync(o => o.Dashboard.AllowAnonymous = true);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/_secureheaders/api/violations"));
        Assert.Single(_logs.Collector.GetSnapshot(), r => r.Id.Name == "DashboardOpenToAnonymous" && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Anonymous_access_in_development_is_quiet()
    {
        await using var app = await StartAsync(o => o.Dashboard.AllowAnonymous = true, environment: "Development");

        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/_secureheaders/dashboard"));
        Assert.DoesNotContain(_logs.Collector.GetSnapshot(), r => r.Id.Name is "DashboardOpenToAnonymous" or "DashboardWithoutAuthentication");
    }

    /// <summary>Signs in whoever sends <c>X-Test-Role</c>, with that role.</summary>
    private sealed class HeaderAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue("X-Test-Role", out var role))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim("role", role.ToString())], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
