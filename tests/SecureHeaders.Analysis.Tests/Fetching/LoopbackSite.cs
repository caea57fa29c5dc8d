using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SecureHeaders.Analysis.Tests.Fetching;

/// <summary>A real Kestrel server on 127.0.0.1 (plain HTTP, a random port) whose routes a test defines.</summary>
public sealed class LoopbackSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackSite(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public int Port => BaseUrl.Port;

    public static async Task<LoopbackSite> StartAsync(Action<WebApplication> routes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(static k => k.AddServerHeader = false);
        var app = builder.Build();
        routes(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var site = new LoopbackSite(app);
        var address = app.Urls.First();
        site.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return site;
    }

    public Uri Url(string path) => new(BaseUrl, path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Answers a redirect to <paramref name="location"/> as written.</summary>
    public static IResult Redirect(string location, int status = 302) => Results.Text(string.Empty, statusCode: status) is var _ ? new RedirectResult(location, status) : null!;

    private sealed class RedirectResult(string location, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
