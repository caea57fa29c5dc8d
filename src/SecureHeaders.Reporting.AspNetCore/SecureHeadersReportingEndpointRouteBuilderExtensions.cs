using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SecureHeaders.Reporting;
using SecureHeaders.Reporting.AspNetCore;
using SecureHeaders.Reporting.AspNetCore.Api;
using SecureHeaders.Reporting.AspNetCore.Dashboard;
using SecureHeaders.Reporting.AspNetCore.Ingest;
using SecureHeaders.Reporting.Ingest;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the collector's endpoints.</summary>
public static class SecureHeadersReportingEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST</c> and <c>OPTIONS</c> on the report path (open to anonymous browsers), the JSON API
    /// (<c>violations</c>, <c>suggestion</c>, <c>sessions</c>, <c>opt-ins</c>, <c>timeline</c>) and the dashboard with its assets. The API and the page are
    /// guarded by <see cref="ReportingDashboardOptions.AuthorizationPolicy"/> (the app's default policy when unset) unless
    /// <see cref="ReportingDashboardOptions.AllowAnonymous"/> is set; they answer 401 or 403 to anyone else, also in an
    /// app without authentication or without <c>UseAuthorization()</c>, and startup logs what is missing.
    /// </summary>
    /// <param name="endpoints">The app's endpoint route builder.</param>
    /// <returns>A builder whose conventions apply to every mapped endpoint.</returns>
    public static IEndpointConventionBuilder MapSecureHeadersReporting(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var sp = endpoints.ServiceProvider;
        if (sp.GetService<ReportEndpoint>() is not { } ingest)
        {
            throw new InvalidOperationException("Call services.AddSecureHeadersReporting() before app.MapSecureHeadersReporting().");
        }

        var o = sp.GetRequiredService<IOptions<SecureHeadersReportingOptions>>().Value;
        var api = sp.GetRequiredService<ViolationsApi>();
        var learning = sp.GetRequiredService<LearningApi>();
        var all = new List<IEndpointConventionBuilder>();

        all.Add(endpoints.MapPost(o.Path, ingest.HandleAsync).AllowAnonymous().WithDisplayName("SecureHeaders report endpoint"));
        all.Add(endpoints.MapMethods(o.Path, [HttpMethods.Options], ReportEndpoint.HandlePreflight).AllowAnonymous()
            .WithDisplayName("SecureHeaders report endpoint (CORS preflight)"));

        // The read side checks its policy itself (see DashboardAuthorization): it answers 401/403, never a 500,
        // whatever the app's middleware order and whether or not it has authentication at all.
        var guard = sp.GetRequiredService<DashboardAuthorization>();
        var apiBase = o.ApiPath.TrimEnd('/');
        var dashboard = o.Dashboard.Path.TrimEnd('/');
        guard.CheckAtStartup(sp, o.Dashboard.Enabled, dashboard, apiBase);
        all.Add(Anonymous(endpoints.MapGet(apiBase + "/violations", guard.Guard(api.GetViolations)).WithDisplayName("SecureHeaders violations API"), o.Dashboard));
        all.Add(Anonymous(endpoints.MapGet(apiBase + "/suggestion", guard.Guard(learning.GetSuggestion)).WithDisplayName("SecureHeaders suggestion API"), o.Dashboard));
        all.Add(Anonymous(endpoints.MapGet(apiBase + "/sessions", guard.Guard(learning.GetSessions)).WithDisplayName("SecureHeaders learning sessions API"), o.Dashboard));
        all.Add(Anonymous(endpoints.MapPost(apiBase + "/sessions", guard.Guard(learning.StartSession)).WithDisplayName("SecureHeaders learning session start"), o.Dashboard));
        all.Add(Anonymous(endpoints.MapPost(apiBase + "/sessions/{id:long}/end", guard.Guard(c => learning.EndSession(c, SessionId(c)))).WithDisplayName("SecureHeaders learning session end"), o.Dashboard));
        all.Add(Anonymous(endpoints.MapPost(apiBase + "/opt-ins", guard.Guard(learning.AddOptIn)).WithDisplayName("SecureHeaders learning opt-in"), o.Dashboard));
        all.Add(Anonymous(endpoints.MapGet(apiBase + "/timeline", guard.Guard(api.GetTimeline)).WithDisplayName("SecureHeaders timeline API"), o.Dashboard));

        if (o.Dashboard.Enabled)
        {
            var page = sp.GetRequiredService<DashboardEndpoint>();
            var assets = sp.GetRequiredService<DashboardAssets>();
            all.Add(Anonymous(endpoints.MapGet(dashboard, guard.Guard(page.Handle)).WithDisplayName("SecureHeaders dashboard"), o.Dashboard));
            // The stylesheet and script hold no data; serving them anonymously spares a login round trip per asset.
            all.Add(endpoints.MapGet(dashboard + "/assets/{file}", assets.Serve).AllowAnonymous().WithDisplayName("SecureHeaders dashboard assets"));
        }

        return new CompositeConventionBuilder(all);
    }

    /// <summary>The <c>{id:long}</c> route value (the route constraint has already checked that it parses).</summary>
    private static long SessionId(HttpContext context) =>
        long.Parse((string)context.Request.RouteValues["id"]!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Marks an endpoint anonymous for the app's own authorization middleware when the settings open it to anyone.</summary>
    private static IEndpointConventionBuilder Anonymous(IEndpointConventionBuilder endpoint, ReportingDashboardOptions o) =>
        o.AllowAnonymous ? endpoint.AllowAnonymous() : endpoint;

    private sealed class CompositeConventionBuilder(List<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var b in builders)
            {
                b.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var b in builders)
            {
                b.Finally(finallyConvention);
            }
        }
    }
}
