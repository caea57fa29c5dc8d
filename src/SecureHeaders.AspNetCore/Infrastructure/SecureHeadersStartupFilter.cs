using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Puts the header middleware at the very start of the pipeline, ahead of anything the application registers,
/// so that static files, exception pages, 404s and short-circuited responses all get the headers. It only acts
/// when the application called <c>UseSecureHeaders()</c>, which is checked when the pipeline is built.
/// </summary>
internal sealed class SecureHeadersStartupFilter : IStartupFilter
{
    internal const string EnabledKey = "SecureHeaders.Enabled";

    /// <summary>Marks the builder this filter wraps, so that UseSecureHeaders() can tell it from a branch.</summary>
    internal const string RootKey = "SecureHeaders.RootPipeline";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Properties[RootKey] = new RootPipeline(app);
        app.Use(inner =>
        {
            // Runs during Build(), after the application's own configuration has set (or not set) the flag.
            var services = app.ApplicationServices;
            if (!app.Properties.ContainsKey(EnabledKey))
            {
                if (services.GetService<SecureHeadersRuntime>() is { BranchUses: 0 } unused)
                {
                    SecureHeadersLog.NotEnabled(unused.Logger);
                }

                return inner;
            }

            // Compiled on the runtime's thread while the server starts (RuntimeStartup); requests wait for it.
            var startup = services.GetRequiredService<RuntimeStartup>();
            var dataSources = services.GetServices<EndpointDataSource>();
            var webRoot = services.GetService<IWebHostEnvironment>()?.WebRootFileProvider;
            var outputCache = LoadedAssemblies.Contains(LoadedAssemblies.OutputCaching) && HasOutputCacheStore(services);
            startup.Then(runtime =>
            {
                runtime.RootEnabled = true;
                runtime.CompileEndpoints(dataSources, webRoot);
                if (outputCache)
                {
                    // A shared output-cache store can replay pages rendered by an earlier process.
                    runtime.NonceReplayActive = true;
                }

                SecureHeadersLog.Started(runtime.Logger, runtime.Profile, runtime.PolicyCount);
            });
            return new SecureHeadersMiddleware(inner, startup.Ready).Invoke;
        });
        next(app);
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool HasOutputCacheStore(IServiceProvider services) => services.GetService<Microsoft.AspNetCore.OutputCaching.IOutputCacheStore>() is not null;

    /// <summary>True for the builder of the application's main pipeline (a WebApplication, or the one this filter wraps).</summary>
    internal static bool IsRoot(IApplicationBuilder app) =>
        app is WebApplication || (app.Properties.TryGetValue(RootKey, out var marker) && marker is RootPipeline root && ReferenceEquals(root.Builder, app));

    private sealed record RootPipeline(IApplicationBuilder Builder);
}
