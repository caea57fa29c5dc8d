using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureHeaders.Csp;
using SecureHeaders.Reporting.Api;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
using SecureHeaders.Reporting.AspNetCore.Pipeline;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Reporting.AspNetCore.Api;

/// <summary>
/// Learning under <see cref="SecureHeadersReportingOptions.ApiPath"/>: <c>GET suggestion</c>, <c>GET/POST sessions</c>,
/// <c>POST sessions/{id}/end</c>, <c>GET/POST opt-ins</c>. Writes need a JSON body (<c>Content-Type: application/json</c>),
/// which a cross-site form cannot send without a CORS preflight, so a signed-in user's browser cannot be made to
/// start sessions or record opt-ins by another site.
/// </summary>
internal sealed class LearningApi(
    IViolationStore store,
    IAppPolicySource app,
    ReportAttribution attribution,
    IOptions<SecureHeadersReportingOptions> options,
    TimeProvider time,
    ILogger<LearningApi> logger)
{
    /// <summary>The app's own policies: live when the app has compiled them, else as recorded in the store.</summary>
    public AppPolicySnapshot? LivePolicies() => app.IsReady && app.Current() is { Policies.Count: > 0 } snapshot ? snapshot : null;

    public async Task GetSuggestion(HttpContext context)
    {
        ViolationsApi.NoStore(context);
        var q = context.Request.Query;
        if (!LearningWindow.TryParse(q["session"].ToString(), out var window))
        {
            await ViolationsApi.BadRequest(context, "session must be latest, all or a session id").ConfigureAwait(false);
            return;
        }

        if (!ApiQuery.TryParseSince(q["since"].ToString(), time.GetUtcNow(), out var since))
        {
            await ViolationsApi.BadRequest(context, "since must be an ISO 8601 instant or a duration such as 30m, 24h or 7d").ConfigureAwait(false);
            return;
        }

        var disposition = q["disposition"].ToString();
        if (disposition.Length > 0 && disposition is not ("report" or "enforce"))
        {
            await ViolationsApi.BadRequest(context, "disposition must be report or enforce").ConfigureAwait(false);
            return;
        }

        var policy = q["policy"].ToString();
        var request = new LearningRequest
        {
            Policy = policy.Length == 0 ? null : policy,
            Disposition = disposition.Length == 0 ? null : disposition,
            Window = window,
            Since = since,
            IgnoredSchemes = options.Value.IgnoredSchemes,
            IgnoredHosts = options.Value.IgnoredHosts,
        };

        LearningResult result;
        try
        {
            result = await PolicyLearner.LearnAsync(store, request, LivePolicies(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (LearningException ex)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new ApiError(ex.Message), ReportingJsonContext.Default.ApiError, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // One policy asked for (or the only one in scope): the object itself; several: all of them.
        if (request.Policy is not null || result.Policies.Count == 1)
        {
            await context.Response.WriteAsJsonAsync(result.Policies[0], ReportingJsonContext.Default.LearnedPolicy, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(result, ReportingJsonContext.Default.LearningResult, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    public async Task GetSessions(HttpContext context)
    {
        ViolationsApi.NoStore(context);
        var sessions = await store.GetSessionsAsync(context.RequestAborted).ConfigureAwait(false);
        await context.Response.WriteAsJsonAsync(sessions, ReportingJsonContext.Default.IReadOnlyListLearningSession, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    public async Task StartSession(HttpContext context)
    {
        ViolationsApi.NoStore(context);
        var body = await ReadJsonAsync(context, ReportingJsonContext.Default.SessionRequest).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        var name = body.Name?.Trim();
        if (name is { Length: > 200 })
        {
            await ViolationsApi.BadRequest(context, "name is longer than 200 characters").ConfigureAwait(false);
            return;
        }

        var session = await store.StartSessionAsync(string.IsNullOrEmpty(name) ? null : name, time.GetUtcNow(), context.RequestAborted).ConfigureAwait(false);
        attribution.Apply(session);
        LearningLog.SessionStarted(logger, session.Id, session.StartedAt);
        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(session, ReportingJsonContext.Default.LearningSession, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    public async Task EndSession(HttpContext context, long id)
    {
        ViolationsApi.NoStore(context);
        if (!context.Request.HasJsonContentType())
        {
            await UnsupportedMediaType(context).ConfigureAwait(false);
            return;
        }

        var session = await store.EndSessionAsync(id, time.GetUtcNow(), context.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new ApiError($"There is no learning session {id}."), ReportingJsonContext.Default.ApiError, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return;
        }

        attribution.Apply(session);
        LearningLog.SessionEnded(logger, session.Id, session.EndedAt ?? time.GetUtcNow());
        await context.Response.WriteAsJsonAsync(session, ReportingJsonContext.Default.LearningSession, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    public async Task AddOptIn(HttpContext context)
    {
        ViolationsApi.NoStore(context);
        var body = await ReadJsonAsync(context, ReportingJsonContext.Default.OptInRequest).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        var snapshot = LivePolicies() ?? await store.GetAppPoliciesAsync(context.RequestAborted).ConfigureAwait(false);
        string? error = null;
        if (string.IsNullOrWhiteSpace(body.Policy) || !snapshot.Knows(body.Policy))
        {
            error = "policy must be one of the app's policies";
        }
        else if (string.IsNullOrWhiteSpace(body.Directive) || CspDirectives.Find(body.Directive) is not { HasSourceList: true })
        {
            error = "directive must be a CSP directive that takes sources";
        }
        else if (string.IsNullOrWhiteSpace(body.Source) || CspSource.Parse(body.Source.Trim()).Kind is CspSourceKind.Invalid or CspSourceKind.Token or CspSourceKind.Nonce)
        {
            error = "source must be one CSP source expression (no literal nonce)";
        }
        else if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 500)
        {
            error = "reason is required (at most 500 characters): it is the record of why this was allowed";
        }

        if (error is not null)
        {
            await ViolationsApi.BadRequest(context, error).ConfigureAwait(false);
            return;
        }

        var by = context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } user } ? user : "anonymous (dashboard AllowAnonymous)";
        var optIn = new LearningOptIn(body.Policy!, body.Directive!.Trim().ToLowerInvariant(), body.Source!.Trim(), body.Reason!.Trim(), by, time.GetUtcNow());
        await store.AddOptInAsync(optIn, context.RequestAborted).ConfigureAwait(false);
        LearningLog.OptIn(logger, optIn.By, optIn.Directive, optIn.Source, optIn.Policy, optIn.Reason);
        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(optIn, ReportingJsonContext.Default.LearningOptIn, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            await UnsupportedMediaType(context).ConfigureAwait(false);
            return null;
        }

        try
        {
            var value = await context.Request.ReadFromJsonAsync(type, context.RequestAborted).ConfigureAwait(false);
            if (value is null)
            {
                await ViolationsApi.BadRequest(context, "the body must be a JSON object").ConfigureAwait(false);
            }

            return value;
        }
        catch (System.Text.Json.JsonException)
        {
            await ViolationsApi.BadRequest(context, "the body is not valid JSON").ConfigureAwait(false);
            return null;
        }
    }

    private static Task UnsupportedMediaType(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        return context.Response.WriteAsJsonAsync(new ApiError("send Content-Type: application/json"), ReportingJsonContext.Default.ApiError, cancellationToken: context.RequestAborted);
    }
}
