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
    /// (<c>violations</c>, <c>suggestion</c>, <c>timeline</c>) and the dashboard with its assets. The API and the page are
    /// guarded by <see cref="ReportingDashboardOptions.AuthorizationPolicy"/> unless
    /// <see cref="ReportingDashboardOptions.AllowAnonymous"/> is set.
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

        var apiBase = o.ApiPath.TrimEnd('/');
        all.Add(Guard(endpoints.MapGet(apiBase + "/violations", api.GetViolations).WithDisplayName("SecureHeaders violations API"), o.Dashboard));
        all.Add(Guard(endpoints.MapGet(apiBase + "/suggestion", learning.GetSuggestion).WithDisplayName("SecureHeaders suggestion API"), o.Dashboard));
        all.Add(Guard(endpoints.MapGet(apiBase + "/sessions", learning.GetSessions).WithDisplayName("SecureHeaders learning sessions API"), o.Dashboard));
        all.Add(Guard(endpoints.MapPost(apiBase + "/sessions", learning.StartSession).WithDisplayName("SecureHeaders learning session start"), o.Dashboard));
        all.Add(Guard(endpoints.MapPost(apiBase + "/sessions/{id:long}/end", learning.EndSession).WithDisplayName("SecureHeaders learning session end"), o.Dashboard));
        all.Add(Guard(endpoints.MapPost(apiBase + "/opt-ins", learning.AddOptIn).WithDisplayName("SecureHeaders learning opt-in"), o.Dashboard));
        all.Add(Guard(endpoints.MapGet(apiBase + "/timeline", api.GetTimeline).WithDisplayName("SecureHeaders timeline API"), o.Dashboard));

        if (o.Dashboard.Enabled)
        {
            var page = sp.GetRequiredService<DashboardEndpoint>();
            var assets = sp.GetRequiredService<DashboardAssets>();
            var dashboard = o.Dashboard.Path.TrimEnd('/');
            all.Add(Guard(endpoints.MapGet(dashboard, page.Handle).WithDisplayName("SecureHeaders dashboard"), o.Dashboard));
            // The stylesheet and script hold no data; serving them anonymously spares a login round trip per asset.
            all.Add(endpoints.MapGet(dashboard + "/assets/{file}", assets.Serve).AllowAnonymous().WithDisplayName("SecureHeaders dashboard assets"));
        }

        return new CompositeConventionBuilder(all);
    }

    private static IEndpointConventionBuilder Guard(IEndpointConventionBuilder endpoint, ReportingDashboardOptions o)
    {
        if (o.AllowAnonymous)
        {
            return endpoint.AllowAnonymous();
        }

        return o.AuthorizationPolicy is { Length: > 0 } policy ? endpoint.RequireAuthorization(policy) : endpoint.RequireAuthorization();
    }

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
