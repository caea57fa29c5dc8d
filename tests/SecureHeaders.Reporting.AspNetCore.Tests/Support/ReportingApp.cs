using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Support;

/// <summary>A real host running the collector, on TestServer or on Kestrel over loopback, with its SQLite file in a temp folder.</summary>
internal sealed class ReportingApp : IAsyncDisposable
{
    private ReportingApp(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<ReportingApp> StartAsync(
        string contentRoot,
        Action<SecureHeadersReportingOptions>? configure = null,
        bool kestrel = false,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? beforeMap = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Development" });
        if (kestrel)
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSecureHeadersReporting(o =>
        {
            o.FlushInterval = TimeSpan.FromMilliseconds(100);
            o.Dashboard.AllowAnonymous = true;
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        beforeMap?.Invoke(app);
        app.MapSecureHeadersReporting();
        await app.StartAsync(TestContext.Current.CancellationToken);

        HttpClient client;
        if (kestrel)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            client = new HttpClient { BaseAddress = new Uri(address) };
        }
        else
        {
            client = app.GetTestClient();
        }

        return new ReportingApp(app, client);
    }

    public Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/csp-report", string path = "/_secureheaders/reports")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return Client.PostAsync(path, content, TestContext.Current.CancellationToken);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>Polls the API until <c>total</c> reaches <paramref name="expected"/>; returns the last answer either way.</summary>
    public async Task<JsonElement> WaitForTotalAsync(long expected, string query = "", int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var json = await GetJsonAsync("/_secureheaders/api/violations" + query);
            if (json.GetProperty("total").GetInt64() >= expected || DateTime.UtcNow > deadline)
            {
                return json;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async Task StopAsync() => await App.StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
