using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureHeaders.Reporting.Tests.Support;
using SecureHeaders.Reporting.AspNetCore.Tests.Support;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Dashboard;

public sealed partial class DashboardTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Renders_chart_top_origins_samples_and_suggestion_under_a_strict_policy()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path);
        using (await app.PostAsync(Payloads.ChromeLegacy())) { }
        using (await app.PostAsync(Payloads.ReportingApiBatch(Payloads.ReportingApiItem(sample: "<script>alert(\\\"x\\\")</script>")), "application/reports+json")) { }
        await app.WaitForTotalAsync(2);

        using var response = await app.Client.GetAsync("/_secureheaders/dashboard", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);

        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<svg class=\"chart\"", html, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"bar\"", html, StringComparison.Ordinal);
        Assert.Contains("https://cdn.example.net", html, StringComparison.Ordinal);
        Assert.Contains("id=\"suggestion\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"recent\"", html, StringComparison.Ordinal);
        // The sample is attacker-controlled: it must arrive encoded, never as markup.
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert", html, StringComparison.Ordinal);
        // No inline script, no style attributes or elements: everything the policy would block.
        Assert.All(ScriptTags().Matches(html), m => Assert.Contains(" src=\"", m.Value, StringComparison.Ordinal));
        Assert.DoesNotMatch(StyleAttributeOrElement(), html);
        Assert.DoesNotMatch(EventHandlerAttribute(), html);
    }

    [Fact]
    public async Task Serves_its_assets_from_the_library()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path);
        using var css = await app.Client.GetAsync("/_secureheaders/dashboard/assets/dashboard.css", Ct);
        using var js = await app.Client.GetAsync("/_secureheaders/dashboard/assets/dashboard.js", Ct);
        using var missing = await app.Client.GetAsync("/_secureheaders/dashboard/assets/other.js", Ct);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Equal("text/javascript", js.Content.Headers.ContentType!.MediaType);
        Assert.Contains("svg.chart", await css.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/_secureheaders/dashboard/assets/dashboard.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", js.Headers.ETag!.ToString());
        using var notModified = await app.Client.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task A_nonce_provider_puts_the_nonce_on_assets_and_in_the_policy()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path, o => o.Dashboard.NonceProvider = _ => "abc123");
        using var response = await app.Client.GetAsync("/_secureheaders/dashboard", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("defer nonce=\"abc123\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("'nonce-abc123'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_the_page_uses_the_middleware_nonce_of_the_response()
    {
        string? featureNonce = null;
        await using var app = await ReportingApp.StartAsync(_dir.Path, beforeMap: web => web.Use(next => async context =>
        {
            await next(context);
            featureNonce = context.Features.Get<SecureHeaders.AspNetCore.ICspNonceFeature>()?.Nonce;
        }));
        using var response = await app.Client.GetAsync("/_secureheaders/dashboard", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.NotNull(featureNonce);
        Assert.Contains($"defer nonce=\"{featureNonce}\"></script>", html, StringComparison.Ordinal);
        Assert.Contains($"'nonce-{featureNonce}'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_returning_null_means_no_nonce()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path, o => o.Dashboard.NonceProvider = _ => null);
        using var response = await app.Client.GetAsync("/_secureheaders/dashboard", Ct);
        Assert.DoesNotContain("nonce", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("nonce", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_allow_anonymous_the_page_and_api_need_the_policy_but_reports_do_not()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path,
            o =>
            {
                o.Dashboard.AllowAnonymous = false;
                o.Dashboard.AuthorizationPolicy = "ReportsReader";
            },
            services: s =>
            {
                s.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthHandler>("Test", null);
                s.AddAuthorization(a => a.AddPolicy("ReportsReader", p => p.RequireClaim("role", "security")));
            });

        using (var page = await app.Client.GetAsync("/_secureheaders/dashboard", Ct)) { Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode); }
        using (var api = await app.Client.GetAsync("/_secureheaders/api/violations", Ct)) { Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode); }
        using (var report = await app.PostAsync(Payloads.ChromeLegacy())) { Assert.Equal(HttpStatusCode.NoContent, report.StatusCode); }

        using var wrongRole = new HttpRequestMessage(HttpMethod.Get, "/_secureheaders/dashboard");
        wrongRole.Headers.Add("X-Test-Role", "viewer");
        using (var forbidden = await app.Client.SendAsync(wrongRole, Ct)) { Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode); }

        using var rightRole = new HttpRequestMessage(HttpMethod.Get, "/_secureheaders/dashboard");
        rightRole.Headers.Add("X-Test-Role", "security");
        using (var ok = await app.Client.SendAsync(rightRole, Ct)) { Assert.Equal(HttpStatusCode.OK, ok.StatusCode); }
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTags();

    [GeneratedRegex("<style|\\sstyle=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttributeOrElement();

    [GeneratedRegex("\\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

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
