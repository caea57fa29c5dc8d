using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SecureHeaders.AspNetCore;
using SecureHeaders.AspNetCore.Infrastructure;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds SecureHeaders to the request pipeline.</summary>
public static class SecureHeadersApplicationBuilderExtensions
{
    /// <summary>
    /// Enables SecureHeaders. On the application's pipeline, the headers are written by a middleware that SecureHeaders
    /// places at the very start, so every response is covered wherever this call is. On a branch
    /// (<c>app.Map(...)</c>) or a pipeline built by hand, the middleware is added here and covers that pipeline's
    /// responses. The HTTPS redirect runs at this position: call it first, or right after <c>UseForwardedHeaders()</c>
    /// when behind a TLS-terminating proxy.
    /// </summary>
    public static IApplicationBuilder UseSecureHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ApplicationServices;
        var startup = services.GetService<RuntimeStartup>()
            ?? throw new InvalidOperationException("SecureHeaders is not registered. Call builder.Services.AddSecureHeaders() before app.UseSecureHeaders().");
        if (SecureHeadersStartupFilter.IsRoot(app))
        {
            // The options are built on another thread while the host goes on starting; the redirect's place is kept.
            _ = startup.Built;
            app.Properties[SecureHeadersStartupFilter.EnabledKey] = true;
            app.Use(next =>
            {
                var gate = new ForceHttpsGate(next, services, startup);
                startup.Then(gate.Decide);
                return gate.Invoke;
            });
            return app;
        }

        // The startup filter's middleware never sees this pipeline's responses, so run one here.
        var runtime = startup.Built.GetAwaiter().GetResult();
        runtime.BranchUses++;
        SecureHeadersLog.EnabledOnBranch(runtime.Logger);
        app.Use(next => new SecureHeadersMiddleware(next, runtime, branch: true).Invoke);
        app.Use(next => ForceHttpsGate.Redirect(next, runtime, services));

        return app;
    }
}
