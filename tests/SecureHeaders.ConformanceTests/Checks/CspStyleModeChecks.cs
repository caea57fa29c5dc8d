using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SecureHeaders.AspNetCore;
using SecureHeaders.Csp;

namespace SecureHeaders.ConformanceTests.Checks;

/// <summary>
/// The StyleAttributes style mode for component libraries: <c>style-src-attr 'unsafe-inline'</c> lets style
/// attributes apply while <c>style-src</c> keeps its nonce (an engine without <c>style-src-attr</c> would fall back
/// to <c>style-src</c> and block them).
/// </summary>
public sealed class CspStyleSrcAttrHonoured : StrictCspCheck
{
    public override string Id => "csp-style-src-attr-honoured";

    public override string? MdnFeature => "Content-Security-Policy/style-src-attr";

    public override string Description => "Under style-src 'self' 'nonce-…' with style-src-attr 'unsafe-inline' (the StyleAttributes mode's attribute rule), a style attribute applies while a <style> without the nonce stays blocked.";

    public override string? WhereNotEnforced => "Without style-src-attr the engine uses style-src: StyleAttributes' style-src 'self' 'unsafe-inline' then lets style attributes (and style elements) through, so component libraries keep working; scripts are unaffected.";

    public override void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Route("page"), (HttpContext c) => Experiment(c, """
            <p id="a" style="color: rgb(1, 2, 3)">a</p><p id="b">b</p>
            <style>#b { color: rgb(4, 5, 6); }</style>
            """, "{ a: getComputedStyle(document.getElementById('a')).color, b: getComputedStyle(document.getElementById('b')).color }"))
            .WithSecureHeaders(p => p.ContentSecurityPolicy.UsePreset(nameof(CspPresets.StrictWithBasic))
                .Set("style-src", "'self'", "'nonce'").Set("style-src-attr", "'unsafe-inline'"));

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        if (r.Text("b") == "rgb(4, 5, 6)")
        {
            throw new InvalidOperationException($"{context.Engine.Id}: a <style> without nonce applied under style-src 'self' 'nonce-…'; the page proves nothing.");
        }

        return CheckResult.From(r.Text("a") == "rgb(1, 2, 3)", r.Text("a") == "rgb(1, 2, 3)"
            ? "the style attribute applied under style-src-attr 'unsafe-inline'; the <style> without nonce stayed blocked"
            : $"the style attribute was blocked (color {r.Text("a")}): style-src-attr was not used");
    }
}

/// <summary>
/// The StyleAttributes mode's element rule: <c>style-src-elem 'self' 'nonce-…'</c> keeps style elements on the
/// nonce although <c>style-src</c> (for engines without the -elem/-attr directives) has <c>'unsafe-inline'</c>.
/// </summary>
public sealed class CspStyleSrcElemHonoured : StrictCspCheck
{
    public override string Id => "csp-style-src-elem-honoured";

    public override string? MdnFeature => "Content-Security-Policy/style-src-elem";

    public override string Description => "Under the StyleAttributes mode (style-src 'self' 'unsafe-inline'; style-src-elem 'self' 'nonce-…'; style-src-attr 'unsafe-inline'), a <style> without the nonce is blocked, one with it and a style attribute apply.";

    public override string? WhereNotEnforced => "Without style-src-elem the engine uses style-src 'self' 'unsafe-inline': injected <style> elements apply too (CSS can then read attribute values through selectors); scripts stay on the nonce.";

    public override void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Route("page"), (HttpContext c) => Experiment(c, """
            <p id="a" style="color: rgb(1, 2, 3)">a</p><p id="b">b</p><p id="n">n</p>
            <style>#b { color: rgb(4, 5, 6); }</style>
            <style nonce="{nonce}">#n { color: rgb(7, 8, 9); }</style>
            """, "{ a: getComputedStyle(document.getElementById('a')).color, b: getComputedStyle(document.getElementById('b')).color, n: getComputedStyle(document.getElementById('n')).color }"))
            .WithSecureHeaders(p => p.ContentSecurityPolicy.UsePreset(nameof(CspPresets.StrictWithBasic)).UseStyles(CspPresets.StyleAttributes));

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        if (r.Text("n") != "rgb(7, 8, 9)" || r.Text("a") != "rgb(1, 2, 3)")
        {
            throw new InvalidOperationException($"{context.Engine.Id}: the nonce'd <style> ({r.Text("n")}) or the style attribute ({r.Text("a")}) did not apply; the page proves nothing.");
        }

        return CheckResult.From(r.Text("b") != "rgb(4, 5, 6)", r.Text("b") != "rgb(4, 5, 6)"
            ? "the <style> without nonce was blocked by style-src-elem; the nonce'd one and the style attribute applied"
            : "the <style> without nonce applied: style-src-elem was not used, style-src 'unsafe-inline' was");
    }
}
