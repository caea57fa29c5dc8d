using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SecureHeaders.AspNetCore;
using SecureHeaders.AspNetCore.Infrastructure;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds SecureHeaders to the request pipeline.</summary>
public static class SecureHeadersApplicationBuilderExtensions
{
    /// <summary>
    /// Enables SecureHeaders. The headers are written by a middleware that SecureHeaders places at the very start
    /// of the pipeline, so every response is covered wherever this call is. The HTTPS redirect runs here, at this
    /// position: call it first, or right after <c>UseForwardedHeaders()</c> when behind a TLS-terminating proxy.
    /// </summary>
    public static IApplicationBuilder UseSecureHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var runtime = app.ApplicationServices.GetService<SecureHeadersRuntime>()
            ?? throw new InvalidOperationException("SecureHeaders is not registered. Call builder.Services.AddSecureHeaders() before app.UseSecureHeaders().");
        app.Properties[SecureHeadersStartupFilter.EnabledKey] = true;
        if (runtime.Profile == SecureHeadersProfile.Production && runtime.ForceHttps.Enabled)
        {
            app.UseMiddleware<ForceHttpsMiddleware>();
        }

        return app;
    }
}
