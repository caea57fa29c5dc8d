using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// The HTTPS redirect's place in the pipeline, taken by <c>UseSecureHeaders()</c> before the options are built
/// (<see cref="RuntimeStartup"/>): once they are, it becomes the redirect (Production profile, redirect enabled) or
/// passes every request on.
/// </summary>
internal sealed class ForceHttpsGate(RequestDelegate next, IServiceProvider services, RuntimeStartup startup)
{
    private RequestDelegate? _target;

    /// <summary>A startup step: the options are built.</summary>
    public void Decide(SecureHeadersRuntime runtime) => Volatile.Write(ref _target, Redirect(next, runtime, services));

    /// <summary>The redirect in front of <paramref name="next"/> (Production profile, redirect enabled), else <paramref name="next"/>.</summary>
    public static RequestDelegate Redirect(RequestDelegate next, SecureHeadersRuntime runtime, IServiceProvider services) =>
        runtime.Profile == SecureHeadersProfile.Production && runtime.ForceHttps.Enabled
            ? new ForceHttpsMiddleware(next, runtime, services.GetRequiredService<IOptions<HostFilteringOptions>>(), services.GetService<IServer>()).Invoke
            : next;

    public Task Invoke(HttpContext context) => _target is { } target ? target(context) : InvokeWhenDecided(context);

    private async Task InvokeWhenDecided(HttpContext context)
    {
        await startup.Ready.ConfigureAwait(false);
        await _target!(context).ConfigureAwait(false);
    }
}
