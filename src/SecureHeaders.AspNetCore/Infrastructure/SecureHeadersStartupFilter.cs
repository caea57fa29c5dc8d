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

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(inner =>
        {
            // Runs during Build(), after the application's own configuration has set (or not set) the flag.
            if (!app.Properties.ContainsKey(EnabledKey))
            {
                return inner;
            }

            var services = app.ApplicationServices;
            var runtime = services.GetRequiredService<SecureHeadersRuntime>();
            runtime.CompileEndpoints(services.GetServices<EndpointDataSource>());
            SecureHeadersLog.Started(runtime.Logger, runtime.Profile, runtime.PolicyCount);
            return new SecureHeadersMiddleware(inner, runtime).Invoke;
        });
        next(app);
    };
}
