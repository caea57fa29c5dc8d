using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using SecureHeaders.Headers;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Writes the security headers of the selected policy on every response. It sits at the very start of the
/// pipeline (inserted by a startup filter) and does its work in <c>Response.OnStarting</c>, which runs after routing
/// has chosen the endpoint, after every other middleware has set its headers and cookies, and also for responses
/// that exception handlers cleared and re-executed. Registering a cached delegate with the HttpContext as state
/// keeps the static path free of allocations.
/// </summary>
internal sealed class SecureHeadersMiddleware
{
    private static readonly StringValues s_noStore = CacheControlHeader.NoStore;
    private static readonly Func<object, Task> s_startEvaluation = static state =>
    {
        ((SecureHeadersRuntime)state).StartEvaluation();
        return Task.CompletedTask;
    };
    private readonly RequestDelegate _next;
    // Null until the runtime is built when the middleware was created with the task that builds it (RuntimeStartup).
    private SecureHeadersRuntime _runtime;
    private readonly Task<SecureHeadersRuntime>? _ready;
    private readonly Func<object, Task> _onStarting;

    private readonly bool _branch;

    public SecureHeadersMiddleware(RequestDelegate next, SecureHeadersRuntime runtime, bool branch)
    {
        _next = next;
        _runtime = runtime;
        _branch = branch;
        _onStarting = OnStarting;
    }

    /// <summary>The application pipeline's middleware, created before the runtime is built.</summary>
    public SecureHeadersMiddleware(RequestDelegate next, Task<SecureHeadersRuntime> ready)
    {
        _next = next;
        _ready = ready;
        _runtime = ready.IsCompletedSuccessfully ? ready.Result : null!;
        _onStarting = OnStarting;
    }

    public Task Invoke(HttpContext context)
    {
        if (_runtime is null)
        {
            return InvokeWhenReady(context);
        }

        if (_branch && _runtime.RootEnabled)
        {
            // The application's own pipeline already covers this response.
            return _next(context);
        }

        context.Response.OnStarting(_onStarting, context);
        if (_runtime.EvaluationWaiting)
        {
            // The CSP evaluation of the startup policies runs once the first response is out (see EvaluationWaiting).
            context.Response.OnCompleted(s_startEvaluation, _runtime);
        }

        if (_runtime.ScriptNonces is not null && EnhancedNavigation.TakeDocumentNonce(context.Request) is { } documentNonce)
        {
            // Blazor's enhanced navigation patches this page into a document whose policy has this nonce.
            context.Features.Set<ICspNonceFeature>(new CspNonceFeature(documentNonce));
        }

        if (_runtime.NonceReplayActive || (_runtime.ScriptNonces is not null && MayBePage(context.Request.Path.Value)))
        {
            return InvokeWithBody(context);
        }

        Task task;
        try
        {
            task = _next(context);
        }
        catch (Exception ex) when (CanCover(context))
        {
            return CoverUnhandledException(context, ex);
        }

        return task.IsCompletedSuccessfully || !_runtime.CoverUnhandledExceptions ? task : AwaitAndCover(context, task);
    }

    private async Task InvokeWhenReady(HttpContext context)
    {
        SecureHeadersRuntime runtime;
        try
        {
            runtime = await _ready!.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The failure stops the host (RuntimeStartup.StartedAsync), which reports it; this request only learns that it cannot be served.
        catch (Exception) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        Volatile.Write(ref _runtime, runtime);
        await Invoke(context).ConfigureAwait(false);
    }

    /// <summary>
    /// The body goes through <see cref="NonceBody"/>: it renews the nonce of pages a server-side cache replays
    /// (<see cref="NonceReplay"/>) and puts the nonce on pages' tags loading the app's static scripts.
    /// </summary>
    private async Task InvokeWithBody(HttpContext context)
    {
        var features = context.Features;
        var original = features.Get<IHttpResponseBodyFeature>()!;
        var replay = new NonceBody(context, original, _runtime);
        features.Set<IHttpResponseBodyFeature>(replay);
        features.Set(replay);
        try
        {
            try
            {
                await _next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (CanCover(context))
            {
                await CoverUnhandledException(context, ex).ConfigureAwait(false);
            }

            await replay.FinishAsync().ConfigureAwait(false);
        }
        finally
        {
            features.Set(original);
            features.Set<NonceBody>(null);
            replay.Release();
        }
    }

    /// <summary>Static files (a dot in the last segment) are not pages, except .html files.</summary>
    private static bool MayBePage(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return true;
        }

        var slash = path.LastIndexOf('/');
        var dot = path.IndexOf('.', slash + 1);
        return dot < 0 || path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Kestrel answers an unhandled exception with a bare 500 and never runs OnStarting callbacks, so the error
    /// response would go out without security headers. When no exception handler dealt with it, SecureHeaders logs
    /// the exception and sends that 500 itself, with the headers.
    /// </summary>
    private async Task AwaitAndCover(HttpContext context, Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (CanCover(context))
        {
            await CoverUnhandledException(context, ex).ConfigureAwait(false);
        }
    }

    private bool CanCover(HttpContext context) =>
        _runtime.CoverUnhandledExceptions && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested;

    private Task CoverUnhandledException(HttpContext context, Exception exception)
    {
        SecureHeadersLog.UnhandledException(_runtime.Logger, context.Request.Method, context.Request.Path.Value ?? "/", exception);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return Task.CompletedTask;
    }

    private Task OnStarting(object state)
    {
        // The state is always the HttpContext this middleware registered (Invoke): no cast check on every response.
        var context = Unsafe.As<HttpContext>(state);
        var policy = _runtime.ResolveStatic(context, out var disabled, out var decided);
        if (!decided && _runtime.Provider is { } provider)
        {
            var choice = provider.GetPolicyNameAsync(context);
            if (!choice.IsCompletedSuccessfully)
            {
                return ApplyChosenAsync(context, choice);
            }

            policy = _runtime.Named(choice.Result);
        }

        Apply(context, policy, disabled);
        return Task.CompletedTask;
    }

    private async Task ApplyChosenAsync(HttpContext context, ValueTask<string?> choice)
    {
        var name = await choice.ConfigureAwait(false);
        Apply(context, _runtime.Named(name), disabled: false);
    }

    private void Apply(HttpContext context, CompiledPolicy? policy, bool disabled)
    {
        if (disabled || policy is null)
        {
            SecureHeadersLog.Disabled(_runtime.Logger);
            return;
        }

        var isHttps = context.Request.IsHttps;
        if (!isHttps && policy.PlainHttp is { } plain)
        {
            policy = plain;
        }

        if (policy.Sampling is { } sampling && Random.Shared.NextDouble() >= sampling.Rate && sampling.Unreported is { } unreported)
        {
            policy = unreported;
        }

        SecureHeadersLog.PolicyApplied(_runtime.Logger, policy.Name);
        var response = context.Response;
        var headers = response.Headers;
        if ((_runtime.NonceReplayActive || _runtime.ScriptNonces is not null) && RequestFeatures.Body(context) is { } body)
        {
            // Before the nonce is rendered: a replayed page or one whose script tags get the nonce takes it here.
            body.Decide();
        }

        if (_runtime.NonceReplayActive)
        {
            headers.Remove(NonceReplay.SlotHeader); // the slot never leaves the server
        }

        if (_runtime.ImportMaps is { } importMaps)
        {
            policy = importMaps.WithImportMapOf(context, policy);
        }

        // One pass over what the application set: remove leaking headers, harden cookies, note Cache-Control.
        var appSetCacheControl = ScanApplicationHeaders(headers, isHttps);

        var development = _runtime.Profile == SecureHeadersProfile.Development;
        var withoutUpgrade = development && IsLocalhost(context.Request.Host);
        var fields = policy.Fields(includeHsts: isHttps && !development, withoutUpgrade);
        for (var i = 0; i < fields.Length; i++)
        {
            headers[fields[i].Name] = fields[i].Value;
        }

        var viewNonce = policy.UsesNonce ? RequestFeatures.Nonce(context) : null;
        if (policy.UsesNonce)
        {
            WriteNonceBearingPolicies(headers, viewNonce, policy, withoutUpgrade);
        }

        if (viewNonce is not null && response.StatusCode != StatusCodes.Status304NotModified && IsHtml(response.ContentType))
        {
            // The page contains this response's nonce. A browser or shared cache would serve it again: a nonce that
            // repeats is one an attacker can copy (CSP3 §7.1). Such pages are never stored downstream
            // (RFC 9111 §5.2.2.5); server-side caches already took their copy and replay it with a fresh nonce.
            // Pages that never asked for the nonce keep the application's caching.
            if (appSetCacheControl && !headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase) && _runtime.FirstCachingOverride(context.GetEndpoint()?.DisplayName ?? context.Request.Path.Value ?? "/"))
            {
                SecureHeadersLog.NonceCacheControlReplaced(_runtime.Logger, context.GetEndpoint()?.DisplayName ?? context.Request.Path.Value ?? "/", headers.CacheControl.ToString());
            }

            SecureHeadersLog.NonceResponseNotCacheable(_runtime.Logger);
            headers.CacheControl = s_noStore;
        }
        else if (policy.CacheControlNoStore && !appSetCacheControl)
        {
            headers.CacheControl = s_noStore;
        }
    }

    /// <summary>Renders the policies that carry a nonce, all with the same nonce: the one a view took, or a fresh one.</summary>
    private static void WriteNonceBearingPolicies(IHeaderDictionary headers, ICspNonceFeature? viewNonce, CompiledPolicy policy, bool withoutUpgrade)
    {
        Span<char> fresh = stackalloc char[CspTemplate.NonceChars];
        scoped ReadOnlySpan<char> nonce;
        if (viewNonce is CspNonceFeature feature)
        {
            nonce = feature.Chars;
        }
        else
        {
            NonceGenerator.FillBase64(fresh);
            nonce = fresh;
        }

        var enforced = withoutUpgrade ? policy.ContentSecurityPolicyWithoutUpgrade : policy.ContentSecurityPolicy;
        if (enforced is not null)
        {
            headers.ContentSecurityPolicy = enforced.Render(nonce);
        }

        WriteReportOnly(policy, headers, nonce);
    }

    private static void WriteReportOnly(CompiledPolicy policy, IHeaderDictionary headers, ReadOnlySpan<char> nonce)
    {
        var reportOnly = policy.ReportOnlyPolicies;
        if (reportOnly.Length == 1)
        {
            headers.ContentSecurityPolicyReportOnly = reportOnly[0].Render(nonce);
        }
        else if (reportOnly.Length == 2)
        {
            // Two report-only policies go out as two header lines; each is reported on its own (CSP3 §2.2.2).
            headers.ContentSecurityPolicyReportOnly = new StringValues([reportOnly[0].Render(nonce), reportOnly[1].Render(nonce)]);
        }
    }

    private bool ScanApplicationHeaders(IHeaderDictionary headers, bool isHttps)
    {
        if (headers.Count == 0)
        {
            return false;
        }

        var cacheControl = !StringValues.IsNullOrEmpty(headers.CacheControl);
        var leaking = _runtime.LeakingHeaders;
        string? toRemove = null;
        List<string>? moreToRemove = null;
        if (headers is HeaderDictionary concrete)
        {
            // HeaderDictionary has a struct enumerator; through the interface it would be boxed.
            foreach (var header in concrete)
            {
                Note(header.Key);
            }
        }
        else
        {
            foreach (var header in headers)
            {
                Note(header.Key);
            }
        }

        if (toRemove is not null)
        {
            Remove(headers, toRemove);
            if (moreToRemove is not null)
            {
                foreach (var name in moreToRemove)
                {
                    Remove(headers, name);
                }
            }
        }

        if (_runtime.Cookies.Enabled)
        {
            HardenCookies(headers, isHttps);
        }

        return cacheControl;

        void Note(string name)
        {
            if (leaking.Contains(name))
            {
                if (toRemove is null)
                {
                    toRemove = name;
                }
                else
                {
                    (moreToRemove ??= []).Add(name);
                }
            }
        }
    }

    private void Remove(IHeaderDictionary headers, string name)
    {
        headers.Remove(name);
        SecureHeadersLog.LeakingHeaderRemoved(_runtime.Logger, name);
    }

    private void HardenCookies(IHeaderDictionary headers, bool isHttps)
    {
        var cookies = headers.SetCookie;
        if (cookies.Count == 0)
        {
            return;
        }

        string?[]? hardened = null;
        for (var i = 0; i < cookies.Count; i++)
        {
            var original = cookies[i];
            if (original is null)
            {
                continue;
            }

            var result = _runtime.Cookies.Harden(original, isHttps, _runtime.Logger);
            if (!ReferenceEquals(result, original))
            {
                hardened ??= cookies.ToArray();
                hardened[i] = result;
            }
        }

        if (hardened is not null)
        {
            headers.SetCookie = new StringValues(hardened);
        }
    }

    private static bool IsHtml(string? contentType) =>
        contentType is null || contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/xhtml+xml", StringComparison.OrdinalIgnoreCase);

    internal static bool IsLocalhost(HostString host)
    {
        var name = host.Host;
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || name == "127.0.0.1" || name == "[::1]" || name == "::1";
    }
}
