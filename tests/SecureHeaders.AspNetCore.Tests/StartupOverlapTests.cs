using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SecureHeaders.AspNetCore.Infrastructure;
using SecureHeaders.Benchmarks;
using SecureHeaders.Configuration;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>
/// The runtime is built on another thread while the host starts the server (RuntimeStartup): requests that come
/// sooner wait for it, the host's start waits for it, and a configuration mistake still stops startup.
/// </summary>
public sealed class StartupOverlapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_that_comes_before_the_runtime_is_built_waits_for_it_and_gets_the_headers()
    {
        var provider = Services(static _ => { });
        var building = new TaskCompletionSource<SecureHeadersRuntime>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reachedApp = false;
        var middleware = new SecureHeadersMiddleware(_ => { reachedApp = true; return Task.CompletedTask; }, building.Task);
        var (context, feature) = Request("https");

        var request = middleware.Invoke(context);
        Assert.False(request.IsCompleted);
        Assert.False(reachedApp);

        building.SetResult(provider.GetRequiredService<SecureHeadersRuntime>());
        await request.WaitAsync(Ct);
        await feature.FireOnStarting();

        Assert.True(reachedApp);
        Assert.Contains("default-src", context.Response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_during_a_failed_startup_gets_a_503_and_never_reaches_the_app()
    {
        var reachedApp = false;
        var middleware = new SecureHeadersMiddleware(_ => { reachedApp = true; return Task.CompletedTask; },
            Task.FromException<SecureHeadersRuntime>(new SecureHeadersConfigurationException("startup failed")));
        var (context, _) = Request("https");

        await middleware.Invoke(context).WaitAsync(Ct);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.False(reachedApp);
    }

    [Theory]
    [InlineData(true, StatusCodes.Status307TemporaryRedirect)]
    [InlineData(false, StatusCodes.Status200OK)]
    public async Task The_redirect_gate_becomes_the_redirect_or_passes_requests_on_once_the_options_are_built(bool forceHttps, int expected)
    {
        var provider = Services(o =>
        {
            o.ForceHttps.Enabled = forceHttps;
            o.ForceHttps.CanonicalHost = "www.example.com";
        });
        var startup = provider.GetRequiredService<RuntimeStartup>();
        var reachedApp = false;
        var gate = new ForceHttpsGate(_ => { reachedApp = true; return Task.CompletedTask; }, provider, startup);
        startup.Then(gate.Decide);
        await startup.Ready.WaitAsync(Ct);
        var (context, _) = Request("http");
        context.Request.Method = "POST";

        await gate.Invoke(context).WaitAsync(Ct);

        Assert.Equal(expected, context.Response.StatusCode);
        Assert.Equal(!forceHttps, reachedApp);
        if (forceHttps)
        {
            Assert.StartsWith("https://www.example.com/", context.Response.Headers.Location.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_host_start_waits_for_the_runtime_and_a_configuration_mistake_fails_it()
    {
        var fine = Services(static _ => { }).GetRequiredService<RuntimeStartup>();
        Assert.True(fine.StartedAsync(Ct).IsCompletedSuccessfully); // UseSecureHeaders() never asked for the runtime
        _ = fine.Built;
        await fine.StartedAsync(Ct).WaitAsync(Ct);
        Assert.True(fine.Ready.IsCompletedSuccessfully);
        Assert.Throws<InvalidOperationException>(() => fine.Then(static _ => { }));

        var broken = Services(static o => o.XFrameOptions = "ALLOW-FROM https://x.example").GetRequiredService<RuntimeStartup>();
        _ = broken.Built;
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => broken.StartedAsync(Ct).WaitAsync(Ct));
        Assert.Contains("SecureHeaders:XFrameOptions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_app_has_started_the_runtime_and_the_endpoint_policies_are_ready()
    {
        await using var app = await TestApp.StartAsync(map: static a => a.MapGet("/x", () => "x").WithSecureHeaders(p => p.XFrameOptions = "SAMEORIGIN"));

        var ready = app.Services.GetRequiredService<RuntimeStartup>().Ready;

        Assert.True(ready.IsCompletedSuccessfully);
        Assert.True((await ready).RootEnabled);
    }

    private static ServiceProvider Services(Action<SecureHeadersOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment());
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSecureHeaders(configure);
        return services.BuildServiceProvider();
    }

    private static (DefaultHttpContext Context, FiringResponseFeature Feature) Request(string scheme)
    {
        var feature = new FiringResponseFeature();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(feature);
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString("www.example.com");
        context.Request.Method = "GET";
        context.Request.Path = "/";
        return (context, feature);
    }
}
