using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureHeaders.Analysis;

namespace SecureHeaders.Testing.Tests;

public class EndpointWalkerTests
{
    private static readonly (string Name, string Value)[] s_goodHeaders =
    [
        ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
        ("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=()"),
    ];

    /// <summary>An app that sets its headers by hand, except on paths listed in <paramref name="unprotected"/>.</summary>
    private static async Task<WebApplication> StartAppAsync(params string[] unprotected)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (!unprotected.Contains(context.Request.Path.Value))
            {
                foreach (var (name, value) in s_goodHeaders)
                {
                    context.Response.Headers[name] = value;
                }
            }

            await next(context);
        });
        app.MapGet("/", () => Results.Content("<!DOCTYPE html><p>home</p>", "text/html"));
        app.MapGet("/about", () => Results.Content("<p>about</p>", "text/html"));
        app.MapGet("/legacy", () => Results.Content("<p>old page</p>", "text/html"));
        app.MapGet("/items/{id:int}", (int id) => Results.Json(new { id }));
        app.MapGet("/files/{name}", (string name) => Results.Text(name));
        app.MapPost("/submit", () => Results.Ok());
        await app.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        return app;
    }

    private static HttpClient HttpsClient(WebApplication app)
    {
        var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://example.com/");
        return client;
    }

    [Fact]
    public async Task Discovers_get_routes_builds_paths_from_samples_and_skips_the_rest()
    {
        await using var app = await StartAppAsync();
        var routes = EndpointWalker.DiscoverRoutes(app.Services, new Dictionary<string, string> { ["id"] = "42" });

        Assert.Contains(routes, r => r.Path == "/" && r.SkipReason is null);
        Assert.Contains(routes, r => r.Path == "/items/42" && r.SkipReason is null);
        var skipped = Assert.Single(routes, r => r.SkipReason is not null);
        Assert.Equal("/files/{name}", skipped.Path);
        Assert.Contains("{name}", skipped.SkipReason, StringComparison.Ordinal);
        Assert.DoesNotContain(routes, r => r.Path == "/submit");
    }

    [Fact]
    public async Task Walking_every_endpoint_names_the_route_without_headers()
    {
        await using var app = await StartAppAsync("/legacy");
        using var client = HttpsClient(app);

        var error = await Assert.ThrowsAsync<SecureHeadersAssertionException>(() =>
            client.AssertAllEndpointsAsync(app.Services, new SecureHeadersExpectations { MinimumGrade = "A", FailOnSeverity = FindingSeverity.High },
                new Dictionary<string, string> { ["id"] = "1", ["name"] = "a.txt" }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(["/legacy"], error.Failures.Keys);
        Assert.Contains(error.Failures["/legacy"], f => f.Contains("hsts-missing", StringComparison.Ordinal));
        Assert.Contains(error.Failures["/legacy"], f => f.StartsWith("Grade ", StringComparison.Ordinal));
        Assert.Contains("/legacy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Walking_every_endpoint_passes_when_all_routes_are_covered()
    {
        await using var app = await StartAppAsync();
        using var client = HttpsClient(app);

        var skipped = await client.AssertAllEndpointsAsync(app.Services, new SecureHeadersExpectations { MinimumGrade = "A", FailOnSeverity = FindingSeverity.High },
            new Dictionary<string, string> { ["id"] = "1" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["/files/{name}"], skipped.Select(static r => r.Path));
    }

    [Fact]
    public async Task Single_route_assertions_check_grade_and_headers()
    {
        await using var app = await StartAppAsync("/legacy");
        using var client = HttpsClient(app);

        var report = await client.AssertSecureHeadersAsync("/", minimumGrade: "A", noHighFindings: true, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("A+", report.Observatory.Grade);
        await client.AssertHeaderAsync("/", "X-Frame-Options", "deny", cancellationToken: TestContext.Current.CancellationToken);
        await client.AssertNoHeaderAsync("/", "X-Powered-By", cancellationToken: TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<SecureHeadersAssertionException>(() => client.AssertSecureHeadersAsync("/legacy", cancellationToken: TestContext.Current.CancellationToken));
        var wrongValue = await Assert.ThrowsAsync<SecureHeadersAssertionException>(() => client.AssertHeaderAsync("/", "Referrer-Policy", "unsafe-url", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("no-referrer", wrongValue.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SecureHeadersAssertionException>(() => client.AssertNoHeaderAsync("/", "X-Frame-Options", cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Required_and_forbidden_headers_and_ignored_findings()
    {
        await using var app = await StartAppAsync("/legacy");
        using var client = HttpsClient(app);
        var expectations = new SecureHeadersExpectations { FailOnSeverity = FindingSeverity.High };
        expectations.RequiredHeaders["Strict-Transport-Security"] = null;
        expectations.ForbiddenHeaders.Add("Content-Type");

        var error = await Assert.ThrowsAsync<SecureHeadersAssertionException>(() => client.AssertSecureHeadersAsync("/legacy", expectations, cancellationToken: TestContext.Current.CancellationToken));
        var reasons = error.Failures["/legacy"];
        Assert.Contains(reasons, r => r == "Strict-Transport-Security is missing.");
        Assert.Contains(reasons, r => r.StartsWith("Content-Type is present", StringComparison.Ordinal));

        expectations.ForbiddenHeaders.Clear();
        expectations.RequiredHeaders.Clear();
        foreach (var id in new[] { "hsts-missing", "csp-missing", "clickjacking-unprotected" })
        {
            expectations.IgnoredFindings.Add(id);
        }

        await client.AssertSecureHeadersAsync("/legacy", expectations, cancellationToken: TestContext.Current.CancellationToken);
    }
}
