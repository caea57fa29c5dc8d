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
    public static CspPolicy Strict => Preset(Id.Strict, "script-src 'nonce' 'strict-dynamic' 'unsafe-inline' https:; object-src 'none'; base-uri 'none'");

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
    public static CspPolicy Basic => Preset(Id.Basic,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; "
        + "manifest-src 'self'; frame-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests");

    /// <summary>
    /// <see cref="Basic"/> with the strict script policy on top: <c>script-src 'self' 'nonce' 'strict-dynamic'
    /// 'unsafe-inline' https:</c> ('self' only matters to CSP2 browsers), <c>base-uri 'self'</c>, everything else
    /// from <see cref="Basic"/>. What the showcase uses.
    /// </summary>
    public static CspPolicy StrictWithBasic => Volatile.Read(ref s_presets[(int)Id.StrictWithBasic]) ?? Publish(Id.StrictWithBasic, Basic.Merge(Strict));

    /// <summary>
    /// For APIs that never serve HTML: <c>default-src 'none'; frame-ancestors 'none'</c>. Blocks everything a
    /// browser might do with a response rendered by mistake (the Observatory's best CSP result).
    /// </summary>
    public static CspPolicy Api => Preset(Id.Api, "default-src 'none'; frame-ancestors 'none'");

    /// <summary>Fragment: <c>require-trusted-types-for 'script'</c> (Trusted Types §4.1). Try it as Report-Only first; many libraries still write strings into innerHTML.</summary>
    public static CspPolicy TrustedTypes => Preset(Id.TrustedTypes, "require-trusted-types-for 'script'");

    /// <summary>
    /// Page preset for Swagger UI (Swashbuckle's <c>UseSwaggerUI</c>, NSwag) on its own path:
    /// <c>script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'</c>.
    /// </summary>
    /// <remarks>
    /// <para>Swagger UI's page loads its scripts from files the UI's middleware serves (no inline script), and React
    /// writes inline styles. Its tags cannot carry the response's nonce, and a nonce in <c>script-src</c> or
    /// <c>style-src</c> would switch <c>'unsafe-inline'</c> off (CSP3 §8.3) and stop <c>'strict-dynamic'</c> from
    /// honouring <c>'self'</c>. So, layered on a policy (<see cref="Layer"/>, a <c>Presets</c> list,
    /// <c>ContentSecurityPolicyOptions.Merge</c>), it <em>replaces</em> the script and style directives
    /// (<see cref="ReplacesScripts"/>, <see cref="ReplacesStyles"/>) and merges the rest: the page keeps
    /// <c>object-src</c>, <c>base-uri</c>, <c>frame-ancestors</c> and the other directives of the policy underneath.</para>
    /// <para>Use it in a named policy for the UI's path only (<c>PathPolicies: { "/swagger": "swagger" }</c>): it
    /// allows every same-origin script, which the strict policy of the rest of the site does not.</para>
    /// </remarks>
    public static CspPolicy SwaggerUi => Preset(Id.SwaggerUi, "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'");

    /// <summary>
    /// Page preset for ReDoc (Swashbuckle's <c>UseReDoc</c>) on its own path: <c>script-src 'self'; style-src 'self'
    /// 'unsafe-inline' https://fonts.googleapis.com; font-src 'self' data: https://fonts.gstatic.com; img-src 'self'
    /// data: https://cdn.redoc.ly; connect-src 'self'</c>.
    /// </summary>
    /// <remarks>
    /// <para>Like <see cref="SwaggerUi"/>, it replaces the script and style directives when layered: ReDoc's page loads
    /// its module from the middleware's files and styled-components writes <c>&lt;style&gt;</c> elements without a
    /// nonce. Swashbuckle's page links the Montserrat and Roboto fonts from Google Fonts; ReDoc embeds its icons as
    /// <c>data:</c> fonts and shows Redocly's logo from <c>cdn.redoc.ly</c>.</para>
    /// <para>ReDoc 3 also sends usage telemetry to <c>https://otel.cloud.redocly.com</c>. The preset does not allow that
    /// (a page of yours should not report to a third party by default), so switch it off, or the browser reports each
    /// blocked upload: <c>options.ConfigObject.AdditionalItems["disableTelemetry"] = true</c>.</para>
    /// </remarks>
    public static CspPolicy ReDoc => Preset(Id.ReDoc, "script-src 'self'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; font-src 'self' data: https://fonts.gstatic.com; img-src 'self' data: https://cdn.redoc.ly; connect-src 'self'");

    /// <summary>
    /// Preset for Scalar (<c>MapScalarApiReference</c>, Scalar.AspNetCore 2.19+) on its own path: scripts keep the
    /// nonce policy, styles are replaced: <c>script-src 'nonce'; style-src 'self' 'unsafe-inline'; font-src 'self'
    /// https://fonts.scalar.com; img-src 'self' data:; connect-src 'self'</c>.
    /// </summary>
    /// <remarks>
    /// <para>Scalar's page starts itself with an inline module whose text depends on the request path and options, so
    /// no fixed hash fits; Scalar puts a nonce on its script tags when asked to, so give it the response's:
    /// <c>MapScalarApiReference((options, context) =&gt; options.WithNonce(context.GetCspNonce()))</c>. Merged into a
    /// policy without a nonce, <c>script-src 'nonce'</c> adds one; into <see cref="StrictWithBasic"/> it changes nothing.</para>
    /// <para>Scalar's schema library (zod 4) probes whether <c>eval</c> works by calling <c>Function("")</c> once, which
    /// the browser blocks and reports. Setting <c>globalThis.__zod_globalConfig = { jitless: true }</c> in a nonce'd
    /// script before Scalar loads skips the probe (see the README); <c>'unsafe-eval'</c> is never needed.</para>
    /// <para>Scalar injects <c>&lt;style&gt;</c> elements that only carry a nonce when the page has a
    /// <c>&lt;meta property="csp-nonce"&gt;</c>, and writes style attributes, so the style directives are replaced
    /// (<see cref="ReplacesStyles"/>); its fonts come from <c>fonts.scalar.com</c> unless
    /// <c>WithDefaultFonts(false)</c>.</para>
    /// </remarks>
    public static CspPolicy Scalar => Preset(Id.Scalar, "script-src 'nonce'; style-src 'self' 'unsafe-inline'; font-src 'self' https://fonts.scalar.com; img-src 'self' data:; connect-src 'self'");

    /// <summary>
    /// Fragment for a Blazor Web App (.NET 8+, Server, WebAssembly or Auto):
    /// <c>script-src 'self' 'wasm-unsafe-eval' 'unsafe-hashes' 'sha256-qnHn…'; style-src 'self' 'nonce'; connect-src 'self'</c>.
    /// </summary>
    /// <remarks>
    /// <para><c>'wasm-unsafe-eval'</c> lets the .NET WebAssembly runtime compile its modules without allowing
    /// JavaScript <c>eval</c>; <c>connect-src 'self'</c> covers the framework downloads and the SignalR circuit
    /// (same-origin <c>ws:</c>/<c>wss:</c> match <c>'self'</c> in CSP3, §6.7.2.9). The hash, with
    /// <c>'unsafe-hashes'</c>, allows exactly the template's one inline handler
    /// (<c>onclick="document.querySelector('.navbar-toggler').click()"</c> in <c>NavMenu.razor</c>) and no other.
    /// <c>style-src 'self' 'nonce'</c> lets <c>&lt;NonceStyle&gt;</c> elements of server-rendered components apply;
    /// style attributes stay blocked (see <see cref="StyleAttributes"/> for component libraries that write them).</para>
    /// <para>Layered on <see cref="StrictWithBasic"/> nothing else is needed: SecureHeaders hashes the import map
    /// the framework fills in at run time into the endpoint's policy, and gives the tags that load the app's own
    /// static scripts (<c>blazor.web.js</c>, the reconnect dialog's module) the response's nonce
    /// (<c>NonceStaticScripts</c>). Add <see cref="LocalDevelopment"/> in Development.</para>
    /// </remarks>
    public static CspPolicy BlazorWebApp => Preset(Id.BlazorWebApp, "script-src 'self' 'wasm-unsafe-eval' 'unsafe-hashes' 'sha256-qnHnQs7NjQNHHNYv/I9cW+I62HzDJjbnyS/OFzqlix0='; style-src-elem 'self' 'nonce'; connect-src 'self'");

    /// <summary>
    /// Style mode for component libraries that write <c>style</c> attributes (grade 1 of 2): style attributes are
    /// allowed, style elements still need the nonce, scripts stay as strict as the policy has them:
    /// <c>style-src 'self' 'unsafe-inline'; style-src-elem 'self' 'nonce'; style-src-attr 'unsafe-inline'</c>.
    /// </summary>
    /// <remarks>
    /// <para>A style mode <em>replaces</em> the style directives when combined (<see cref="ReplacesStyles"/>), so it
    /// can follow <see cref="BlazorWebApp"/> in a Presets list. CSP3 engines take <c>style-src-elem</c> and
    /// <c>style-src-attr</c> over <c>style-src</c> (§6.1.12–.13); an engine without them falls back to
    /// <c>style-src 'self' 'unsafe-inline'</c>, which tolerates inline styles of both kinds but never scripts.</para>
    /// <para>What it allows: CSS in attributes, which can restyle or hide parts of the page an attacker could already
    /// inject markup into, but cannot select on attribute values to read them, as an injected <c>&lt;style&gt;</c>
    /// could. docs/browser-matrix.md shows each engine's measurement.</para>
    /// </remarks>
    public static CspPolicy StyleAttributes => Preset(Id.StyleAttributes, "style-src 'self' 'unsafe-inline'; style-src-elem 'self' 'nonce'; style-src-attr 'unsafe-inline'");

    /// <summary>
    /// Style mode for component libraries that also write <c>&lt;style&gt;</c> elements without a nonce, such as
    /// MudBlazor's <c>MudThemeProvider</c> (grade 2 of 2): every inline style is allowed, scripts stay strict:
    /// <c>style-src 'self' 'unsafe-inline'; style-src-elem 'self' 'unsafe-inline'; style-src-attr 'unsafe-inline'</c>.
    /// Replaces the style directives when combined, like <see cref="StyleAttributes"/>. Injected CSS can then read
    /// attribute values through selectors; prefer <see cref="StyleAttributes"/> when the library allows it.
    /// </summary>
    public static CspPolicy InlineStyles => Preset(Id.InlineStyles, "style-src 'self' 'unsafe-inline'; style-src-elem 'self' 'unsafe-inline'; style-src-attr 'unsafe-inline'");

    /// <summary>
    /// Fragment for development only: hot reload and Browser Link talk to a local server on another port
    /// (<c>connect-src http://localhost:* ws://localhost:* wss://localhost:*</c>).
    /// </summary>
    public static CspPolicy LocalDevelopment => Preset(Id.LocalDevelopment, "connect-src http://localhost:* ws://localhost:* wss://localhost:*");

    /// <summary>Fragment for Google Fonts: <c>style-src https://fonts.googleapis.com; font-src https://fonts.gstatic.com</c>.</summary>
    public static CspPolicy GoogleFonts => Preset(Id.GoogleFonts, "style-src https://fonts.googleapis.com; font-src https://fonts.gstatic.com");

    /// <summary>
    /// Fragment for Google Analytics 4 with Google Tag Manager, as Google documents it:
    /// <c>script-src https://*.googletagmanager.com; img-src https://*.google-analytics.com https://*.googletagmanager.com;
    /// connect-src https://*.google-analytics.com https://*.analytics.google.com https://*.googletagmanager.com</c>.
    /// Under <see cref="Strict"/>, load gtag.js with the nonce instead and keep only the img-src and connect-src parts.
    /// </summary>
    public static CspPolicy GoogleAnalytics => Preset(Id.GoogleAnalytics, "script-src https://*.googletagmanager.com; img-src https://*.google-analytics.com https://*.googletagmanager.com; connect-src https://*.google-analytics.com https://*.analytics.google.com https://*.googletagmanager.com");

    /// <summary>The presets in <see cref="Names"/> order; each is parsed on first use, so startup parses only the ones it uses.</summary>
    private enum Id
    {
        Strict, Basic, StrictWithBasic, Api, TrustedTypes, SwaggerUi, ReDoc, Scalar, BlazorWebApp, StyleAttributes, InlineStyles,
        LocalDevelopment, GoogleFonts, GoogleAnalytics,
    }

    private static readonly string[] s_names =
    [
        nameof(Strict), nameof(Basic), nameof(StrictWithBasic), nameof(Api), nameof(TrustedTypes), nameof(SwaggerUi), nameof(ReDoc),
        nameof(Scalar), nameof(BlazorWebApp), nameof(StyleAttributes), nameof(InlineStyles), nameof(LocalDevelopment), nameof(GoogleFonts),
        nameof(GoogleAnalytics),
    ];

    private static readonly CspPolicy?[] s_presets = new CspPolicy?[s_names.Length];

    private static CspPolicy Preset(Id id, string policy) => Volatile.Read(ref s_presets[(int)id]) ?? Publish(id, CspPolicy.Parse(policy));

    /// <summary>One instance per preset, even when two threads parse it at once: <see cref="Layer"/> knows presets by reference.</summary>
    private static CspPolicy Publish(Id id, CspPolicy policy) => Interlocked.CompareExchange(ref s_presets[(int)id], policy, null) ?? policy;

    private static CspPolicy Get(Id id) => id switch
    {
        Id.Strict => Strict,
        Id.Basic => Basic,
        Id.StrictWithBasic => StrictWithBasic,
        Id.Api => Api,
        Id.TrustedTypes => TrustedTypes,
        Id.SwaggerUi => SwaggerUi,
        Id.ReDoc => ReDoc,
        Id.Scalar => Scalar,
        Id.BlazorWebApp => BlazorWebApp,
        Id.StyleAttributes => StyleAttributes,
        Id.InlineStyles => InlineStyles,
        Id.LocalDevelopment => LocalDevelopment,
        Id.GoogleFonts => GoogleFonts,
        _ => GoogleAnalytics,
    };

    private static Id? IdOf(string name)
    {
        for (var i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(s_names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return (Id)i;
            }
        }

        return null;
    }

    /// <summary>
    /// True for a preset that is a whole policy (<see cref="Strict"/>, <see cref="Basic"/>, <see cref="StrictWithBasic"/>,
    /// <see cref="Api"/>), false for a fragment meant to be merged into one.
    /// </summary>
    public static bool IsWholePolicy(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IdOf(name) is Id.Strict or Id.Basic or Id.StrictWithBasic or Id.Api;
    }

    private static readonly string[] s_styleDirectives = [CspDirectives.StyleSrc, CspDirectives.StyleSrcElem, CspDirectives.StyleSrcAttr];
    private static readonly string[] s_scriptDirectives = [CspDirectives.ScriptSrc, CspDirectives.ScriptSrcElem, CspDirectives.ScriptSrcAttr];

    private static bool ReplacesStylesOf(Id id) => id is Id.StyleAttributes or Id.InlineStyles or Id.SwaggerUi or Id.ReDoc or Id.Scalar;

    private static bool ReplacesScriptsOf(Id id) => id is Id.SwaggerUi or Id.ReDoc;

    /// <summary>
    /// True for a preset that replaces the style directives (<c>style-src</c>, <c>style-src-elem</c>,
    /// <c>style-src-attr</c>) when layered after other presets instead of adding to them: the style modes
    /// (<see cref="StyleAttributes"/>, <see cref="InlineStyles"/>) and the API tool presets (<see cref="SwaggerUi"/>,
    /// <see cref="ReDoc"/>, <see cref="Scalar"/>). Adding would keep a nonce, which switches <c>'unsafe-inline'</c> off.
    /// </summary>
    public static bool ReplacesStyles(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IdOf(name) is { } id && ReplacesStylesOf(id);
    }

    /// <summary>
    /// True for a preset that replaces the script directives (<c>script-src</c>, <c>script-src-elem</c>,
    /// <c>script-src-attr</c>) when layered after other presets: <see cref="SwaggerUi"/> and <see cref="ReDoc"/>, whose
    /// pages' script tags cannot carry the nonce. Under a nonce with <c>'strict-dynamic'</c>, their <c>'self'</c>
    /// would be ignored (CSP3 §8.2), so adding to the directive would leave the tool blocked.
    /// </summary>
    public static bool ReplacesScripts(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IdOf(name) is { } id && ReplacesScriptsOf(id);
    }

    /// <summary>The names of all presets, for configuration (<c>"Presets": ["StrictWithBasic", "GoogleFonts"]</c>).</summary>
    public static IEnumerable<string> Names => s_names;

    /// <summary>A preset by name (case-insensitive), or <see langword="null"/>.</summary>
    public static CspPolicy? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IdOf(name) is { } id ? Get(id) : null;
    }

    /// <summary>
    /// Layers policies left to right with <see cref="Layer"/>: <c>Combine(StrictWithBasic, GoogleFonts)</c> merges,
    /// <c>Combine(StrictWithBasic, SwaggerUi)</c> gives Swagger UI's script and style directives on the strict base.
    /// </summary>
    public static CspPolicy Combine(params IEnumerable<CspPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var result = CspPolicy.Empty;
        foreach (var policy in policies)
        {
            result = Layer(result, policy);
        }

        return result;
    }

    /// <summary>
    /// Layers <paramref name="preset"/> on <paramref name="policy"/> as a <c>Presets</c> list does: the directives a
    /// preset replaces (<see cref="ReplacesScripts"/>, <see cref="ReplacesStyles"/>; the preset instance of this class
    /// decides) are taken from the preset, the rest is merged with <see cref="CspPolicy.Merge"/>. Any other policy is
    /// merged.
    /// </summary>
    public static CspPolicy Layer(CspPolicy policy, CspPolicy preset)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(preset);
        if (IdOf(preset) is not { } id || !(ReplacesStylesOf(id) || ReplacesScriptsOf(id)))
        {
            return policy.Merge(preset);
        }

        var result = policy;
        var replaced = preset;
        if (ReplacesStylesOf(id))
        {
            result = Replace(result, preset, s_styleDirectives);
            replaced = Without(replaced, s_styleDirectives);
        }

        if (ReplacesScriptsOf(id))
        {
            result = Replace(result, preset, s_scriptDirectives);
            replaced = Without(replaced, s_scriptDirectives);
        }

        return result.Merge(replaced);
    }

    /// <summary>Which preset instance of this class a policy is, or null for any other policy (equal or not).</summary>
    private static Id? IdOf(CspPolicy policy)
    {
        for (var i = 0; i < s_presets.Length; i++)
        {
            if (ReferenceEquals(Volatile.Read(ref s_presets[i]), policy))
            {
                return (Id)i;
            }
        }

        return null;
    }

    private static CspPolicy Replace(CspPolicy policy, CspPolicy source, string[] names)
    {
        var result = Without(policy, names);
        foreach (var directive in source.Directives)
        {
            if (Array.IndexOf(names, directive.Name) >= 0)
            {
                result = result.Set(directive);
            }
        }

        return result;
    }

    private static CspPolicy Without(CspPolicy policy, string[] names)
    {
        foreach (var name in names)
        {
            policy = policy.Remove(name);
        }

        return policy;
    }

    /// <summary><paramref name="policy"/> with its style directives replaced by those of a style mode.</summary>
    public static CspPolicy WithStyles(CspPolicy policy, CspPolicy styleMode)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(styleMode);
        var result = policy.Remove(CspDirectives.StyleSrc).Remove(CspDirectives.StyleSrcElem).Remove(CspDirectives.StyleSrcAttr);
        foreach (var directive in styleMode.Directives)
        {
            result = result.Set(directive);
        }

        return result;
    }
}
