using Microsoft.AspNetCore.Http;
using SecureHeaders.Reporting.Api;
using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.Reporting.AspNetCore.Api;

/// <summary>The read side: <c>violations</c> and <c>timeline</c> under <see cref="SecureHeadersReportingOptions.ApiPath"/> (learning is in <see cref="LearningApi"/>).</summary>
internal sealed class ViolationsApi(IViolationStore store, TimeProvider time)
{
    /// <summary>Most violations read to compute a suggestion or the dashboard's per-directive view.</summary>
    internal const int AnalysisLimit = ViolationQuery.MaxLimit;

    public async Task GetViolations(HttpContext context)
    {
        NoStore(context);
        if (!ApiQuery.TryRead(context.Request.Query, time.GetUtcNow(), out var query, out var error))
        {
            await BadRequest(context, error!).ConfigureAwait(false);
            return;
        }

        var result = await store.QueryAsync(query, context.RequestAborted).ConfigureAwait(false);
        await context.Response.WriteAsJsonAsync(new ViolationsResponse(result.Total, result.Violations),
            ReportingJsonContext.Default.ViolationsResponse, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    public async Task GetTimeline(HttpContext context)
    {
        NoStore(context);
        var now = time.GetUtcNow();
        if (!ApiQuery.TryParseSince(context.Request.Query["since"].ToString(), now, out var since))
        {
            await BadRequest(context, "since must be an ISO 8601 instant or a duration such as 30m, 24h or 7d").ConfigureAwait(false);
            return;
        }

        var directive = context.Request.Query["directive"].ToString();
        var points = await store.GetTimelineAsync(since ?? now.AddHours(-48), directive.Length == 0 ? null : directive, context.RequestAborted)
            .ConfigureAwait(false);
        await context.Response.WriteAsJsonAsync(new TimelineResponse(3600, points), ReportingJsonContext.Default.TimelineResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    // Report data is attacker-supplied text: never let a browser sniff it into HTML, never cache it in shared caches.
    internal static void NoStore(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
    }

    internal static Task BadRequest(HttpContext context, string error)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsJsonAsync(new ApiError(error), ReportingJsonContext.Default.ApiError, cancellationToken: context.RequestAborted);
    }
}
