namespace SecureHeaders.Csp;

/// <summary>
/// Ready-made policies and policy fragments. A full policy (<see cref="Strict"/>, <see cref="Basic"/>,
/// <see cref="Api"/>) can be used on its own; a fragment (<see cref="GoogleFonts"/>, <see cref="SwaggerUi"/>…) is
/// layered on one with <see cref="CspPolicy.Merge"/> or <see cref="Combine"/>. Presets that need a nonce hold the
/// <c>'nonce'</c> placeholder, which the middleware replaces on every response.
/// </summary>
public static class CspPresets
{
    /// <summary>
    /// The strict nonce-based policy recommended by the CSP3 authors and Google
    /// (<c>script-src 'nonce' 'strict-dynamic' 'unsafe-inline' https:; object-src 'none'; base-uri 'none'</c>).
    /// </summary>
    /// <remarks>
    /// <para>Only scripts carrying the response's nonce run, and the scripts they load (<c>'strict-dynamic'</c>,
    /// CSP3 §8.2). No host allow-list to bypass, no plugins, no <c>&lt;base&gt;</c> hijacking.</para>
    /// <para><c>'unsafe-inline' https:</c> are deliberate fallbacks: CSP3 browsers ignore both (a nonce switches
    /// off <c>'unsafe-inline'</c>, <c>'strict-dynamic'</c> switches off <c>https:</c>), while CSP1/CSP2 browsers keep
    /// working instead of breaking. With them the CSP Evaluator's strict checks pass (no
    /// <c>unsafe-inline-fallback</c>, no <c>allowlist-fallback</c>); only the Trusted Types suggestion remains,
    /// see <see cref="TrustedTypes"/>. The Observatory ignores styles unless style-src or default-src is set, so for
    /// its +5 merge <see cref="Basic"/> underneath (<see cref="StrictWithBasic"/>).</para>
    /// </remarks>
    public static CspPolicy Strict => LazyInitializer.EnsureInitialized(ref s_strict, static () => CspPolicy.Parse("script-src 'nonce' 'strict-dynamic' 'unsafe-inline' https:; object-src 'none'; base-uri 'none'"));

    /// <summary>
    /// The allow-list policy that SecureHeaders sends by default: nothing by default (<c>default-src 'none'</c>), then
    /// each resource type a server-rendered site loads from itself allowed from the same origin — scripts, styles, images
    /// (and <c>data:</c> images), fonts, fetch/XHR/WebSocket, media, the web app manifest, same-origin frames and workers —
    /// plus <c>object-src 'none'</c>, <c>base-uri 'self'</c>, <c>form-action 'self'</c>, <c>frame-ancestors 'none'</c>
    /// and <c>upgrade-insecure-requests</c>. Nothing inline, no plugins, no framing by others.
    /// </summary>
    /// <remarks>
    /// It allows exactly what <c>default-src 'self'</c> would for every resource type a page loads, but a resource type
    /// nobody listed (including ones browsers add later) stays blocked, and the Mozilla HTTP Observatory rewards
    /// <c>default-src 'none'</c> with +10 instead of +5.
    /// </remarks>
    public static CspPolicy Basic => LazyInitializer.EnsureInitialized(ref s_basic, static () => CspPolicy.Parse(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; "
        + "manifest-src 'self'; frame-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests"));

    /// <summary>
    /// <see cref="Basic"/> with the strict script policy on top: <c>script-src 'self' 'nonce' 'strict-dynamic'
    /// 'unsafe-inline' https:</c> ('self' only matters to CSP2 browsers), <c>base-uri 'self'</c>, everything else
    /// from <see cref="Basic"/>. What the showcase uses.
    /// </summary>
    public static CspPolicy StrictWithBasic => LazyInitializer.EnsureInitialized(ref s_strictWithBasic, static () => Basic.Merge(Strict));

    /// <summary>
    /// For APIs that never serve HTML: <c>default-src 'none'; frame-ancestors 'none'</c>. Blocks everything a
    /// browser might do with a response rendered by mistake (the Observatory's best CSP result).
    /// </summary>
    public static CspPolicy Api => LazyInitializer.EnsureInitialized(ref s_api, static () => CspPolicy.Parse("default-src 'none'; frame-ancestors 'none'"));

    /// <summary>Fragment: <c>require-trusted-types-for 'script'</c> (Trusted Types §4.1). Try it as Report-Only first; many libraries still write strings into innerHTML.</summary>
    public static CspPolicy TrustedTypes => LazyInitializer.EnsureInitialized(ref s_trustedTypes, static () => CspPolicy.Parse("require-trusted-types-for 'script'"));

    /// <summary>
    /// Fragment for Swagger UI (Swashbuckle, NSwag) served from the app: its own scripts and styles, the inline
    /// styles it sets on elements, data: images for icons, and fetching the OpenAPI document:
    /// <c>script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'</c>.
    /// Use it on the Swagger endpoints only (per-endpoint policy) on top of <see cref="Basic"/>: under a nonce
    /// policy the UI's script tags carry no nonce and would be blocked.
    /// </summary>
    public static CspPolicy SwaggerUi => LazyInitializer.EnsureInitialized(ref s_swaggerUi, static () => CspPolicy.Parse("script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"));

    /// <summary>
    /// Fragment for a Blazor Web App (.NET 8+) with interactive WebAssembly or Auto rendering:
    /// <c>script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'</c>. <c>'wasm-unsafe-eval'</c> lets the .NET
    /// WebAssembly runtime compile without allowing JavaScript eval; <c>connect-src 'self'</c> covers the
    /// framework downloads and the SignalR circuit (same-origin WebSockets match <c>'self'</c> in CSP3 browsers).
    /// The importmap that <c>&lt;ImportMap /&gt;</c> renders is an inline script: hash it with
    /// <c>secureheaders csp hash</c> or render it with the nonce. Add <see cref="LocalDevelopment"/> in Development.
    /// </summary>
    public static CspPolicy BlazorWebApp => LazyInitializer.EnsureInitialized(ref s_blazorWebApp, static () => CspPolicy.Parse("script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'"));

    /// <summary>
    /// Fragment for development only: hot reload and Browser Link talk to a local server on another port
    /// (<c>connect-src http://localhost:* ws://localhost:* wss://localhost:*</c>).
    /// </summary>
    public static CspPolicy LocalDevelopment => LazyInitializer.EnsureInitialized(ref s_localDevelopment, static () => CspPolicy.Parse("connect-src http://localhost:* ws://localhost:* wss://localhost:*"));

    /// <summary>Fragment for Google Fonts: <c>style-src https://fonts.googleapis.com; font-src https://fonts.gstatic.com</c>.</summary>
    public static CspPolicy GoogleFonts => LazyInitializer.EnsureInitialized(ref s_googleFonts, static () => CspPolicy.Parse("style-src https://fonts.googleapis.com; font-src https://fonts.gstatic.com"));

    /// <summary>
    /// Fragment for Google Analytics 4 with Google Tag Manager, as Google documents it:
    /// <c>script-src https://*.googletagmanager.com; img-src https://*.google-analytics.com https://*.googletagmanager.com;
    /// connect-src https://*.google-analytics.com https://*.analytics.google.com https://*.googletagmanager.com</c>.
    /// Under <see cref="Strict"/>, load gtag.js with the nonce instead and keep only the img-src and connect-src parts.
    /// </summary>
    public static CspPolicy GoogleAnalytics => LazyInitializer.EnsureInitialized(ref s_googleAnalytics, static () => CspPolicy.Parse("script-src https://*.googletagmanager.com; img-src https://*.google-analytics.com https://*.googletagmanager.com; connect-src https://*.google-analytics.com https://*.analytics.google.com https://*.googletagmanager.com"));

    // Parsed on first use: an application uses one or two presets, and startup should not pay for the others.
    private static CspPolicy? s_strict;
    private static CspPolicy? s_basic;
    private static CspPolicy? s_strictWithBasic;
    private static CspPolicy? s_api;
    private static CspPolicy? s_trustedTypes;
    private static CspPolicy? s_swaggerUi;
    private static CspPolicy? s_blazorWebApp;
    private static CspPolicy? s_localDevelopment;
    private static CspPolicy? s_googleFonts;
    private static CspPolicy? s_googleAnalytics;

    private static readonly string[] s_names = [nameof(Strict), nameof(Basic), nameof(StrictWithBasic), nameof(Api), nameof(TrustedTypes), nameof(SwaggerUi), nameof(BlazorWebApp), nameof(LocalDevelopment), nameof(GoogleFonts), nameof(GoogleAnalytics)];

    /// <summary>
    /// True for a preset that is a whole policy (<see cref="Strict"/>, <see cref="Basic"/>, <see cref="StrictWithBasic"/>,
    /// <see cref="Api"/>), false for a fragment meant to be merged into one.
    /// </summary>
    public static bool IsWholePolicy(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Equals(nameof(Strict), StringComparison.OrdinalIgnoreCase) || name.Equals(nameof(Basic), StringComparison.OrdinalIgnoreCase)
            || name.Equals(nameof(StrictWithBasic), StringComparison.OrdinalIgnoreCase) || name.Equals(nameof(Api), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The names of all presets, for configuration (<c>"Presets": ["StrictWithBasic", "GoogleFonts"]</c>).</summary>
    public static IEnumerable<string> Names => s_names;

    /// <summary>A preset by name (case-insensitive), or <see langword="null"/>.</summary>
    public static CspPolicy? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToUpperInvariant() switch
        {
            "STRICT" => Strict,
            "BASIC" => Basic,
            "STRICTWITHBASIC" => StrictWithBasic,
            "API" => Api,
            "TRUSTEDTYPES" => TrustedTypes,
            "SWAGGERUI" => SwaggerUi,
            "BLAZORWEBAPP" => BlazorWebApp,
            "LOCALDEVELOPMENT" => LocalDevelopment,
            "GOOGLEFONTS" => GoogleFonts,
            "GOOGLEANALYTICS" => GoogleAnalytics,
            _ => null,
        };
    }

    /// <summary>Merges policies left to right with <see cref="CspPolicy.Merge"/>: <c>Combine(Basic, GoogleFonts)</c>.</summary>
    public static CspPolicy Combine(params IEnumerable<CspPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var result = CspPolicy.Empty;
        foreach (var policy in policies)
        {
            result = result.Merge(policy);
        }

        return result;
    }
}
