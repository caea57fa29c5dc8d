using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureHeaders.AspNetCore;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>Builds a small application on TestServer with SecureHeaders, for header expectations.</summary>
internal static class TestApp
{
    public static async Task<WebApplication> StartAsync(
        Action<SecureHeadersOptions>? configure = null,
        Action<WebApplication>? map = null,
        Dictionary<string, string?>? settings = null,
        string environment = "Production",
        Action<WebApplicationBuilder>? builder = null,
        bool useSecureHeaders = true)
    {
        var webBuilder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        webBuilder.WebHost.UseTestServer();
        webBuilder.Logging.ClearProviders();
        // The host the test clients use, as a production app names its hosts (the HTTPS redirect goes to no other).
        webBuilder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AllowedHosts"] = "example.com;localhost" });
        if (settings is not null)
        {
            webBuilder.Configuration.AddInMemoryCollection(settings);
        }

        webBuilder.Services.AddSecureHeaders(configure);
        builder?.Invoke(webBuilder);
        var app = webBuilder.Build();
        if (useSecureHeaders)
        {
            app.UseSecureHeaders();
        }

        if (map is not null)
        {
            map(app);
        }
        else
        {
            app.MapGet("/", () => Results.Text("<p>hello</p>", "text/html"));
        }

        await app.StartAsync();
        return app;
    }

    public static HttpClient Https(this WebApplication app)
    {
        var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://example.com/");
        return client;
    }

    public static HttpClient Http(this WebApplication app, string host = "example.com")
    {
        var client = app.GetTestClient();
        client.BaseAddress = new Uri($"http://{host}/");
        return client;
    }

    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(", ", contentValues)
        : null;
}
