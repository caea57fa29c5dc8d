using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SecureHeaders.Reporting.AspNetCore.Api;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Reporting.AspNetCore.Dashboard;

/// <summary><c>GET {Dashboard.Path}</c>: reads the store and renders the page under its own strict policy.</summary>
internal sealed class DashboardEndpoint(
    IViolationStore store,
    DashboardAssets assets,
    ReportingMetrics metrics,
    LearningApi learning,
    IOptions<SecureHeadersReportingOptions> options,
    TimeProvider time)
{
    internal const int TimelineHours = 48;

    public async Task Handle(HttpContext context)
    {
        var o = options.Value;
        var ct = context.RequestAborted;
        var now = time.GetUtcNow();
        var top = await store.QueryAsync(new ViolationQuery { Limit = ViolationsApi.AnalysisLimit }, ct).ConfigureAwait(false);
        var recent = await store.QueryAsync(new ViolationQuery { Limit = 20, OrderBy = ViolationOrder.LastSeen }, ct).ConfigureAwait(false);
        var start = ViolationColumns.FromUnixMs(ViolationColumns.HourOf(now.AddHours(-(TimelineHours - 1))));
        var timeline = await store.GetTimelineAsync(start, null, ct).ConfigureAwait(false);
        LearningResult? learned = null;
        string? learningError = null;
        try
        {
            learned = await PolicyLearner.LearnAsync(store, new LearningRequest { IgnoredSchemes = o.IgnoredSchemes, IgnoredHosts = o.IgnoredHosts },
                learning.LivePolicies(), ct).ConfigureAwait(false);
        }
        catch (LearningException ex)
        {
            learningError = ex.Message;
        }

        var counters = new DashboardCounters(metrics.Accepted, metrics.Stored, metrics.Noise, metrics.RateLimited, metrics.QueueFull, metrics.Refused);
        var model = new DashboardModel(top.Total, top.Violations, recent.Violations, timeline, start, TimelineHours, learned, learningError,
            context.Request.PathBase + o.ApiPath.TrimEnd('/'), counters);

        // The same per-response nonce as the SecureHeaders middleware, so the page passes its policy and ours alike.
        var nonce = o.Dashboard.NonceProvider is { } provider ? provider(context) : context.GetCspNonce();
        var assetBase = context.Request.PathBase + o.Dashboard.Path.TrimEnd('/') + "/assets";
        var html = DashboardPage.Render(model, assetBase, assets.Version(DashboardAssets.Css), assets.Version(DashboardAssets.Js), nonce);

        var headers = context.Response.Headers;
        if (o.Dashboard.WriteContentSecurityPolicy)
        {
            var scripts = nonce is null ? "'self'" : "'self' 'nonce-" + nonce + "'";
            headers.ContentSecurityPolicy =
                $"default-src 'none'; script-src {scripts}; style-src {scripts}; img-src 'self'; connect-src 'self'; " +
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        }

        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, ct).ConfigureAwait(false);
    }
}
