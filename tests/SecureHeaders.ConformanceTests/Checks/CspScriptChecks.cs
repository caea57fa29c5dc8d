using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SecureHeaders.Csp;

namespace SecureHeaders.ConformanceTests.Checks;

/// <summary>Base of the script-src checks: pages served with the strict nonce preset (<c>StrictWithBasic</c>), as the showcase uses it.</summary>
public abstract class StrictCspCheck : ConformanceCheck
{
    public override string Header => "Content-Security-Policy";

    protected static void Strict(Policies.SecureHeadersPolicy policy) => policy.ContentSecurityPolicy.UsePreset(nameof(CspPresets.StrictWithBasic));

    /// <summary>The page runs <paramref name="body"/> then a nonce'd script that publishes <c>observe()</c> after the load event.</summary>
    protected static IResult Experiment(HttpContext context, string body, string observe) => Page(context, body + $$"""
        <script nonce="{nonce}">
          window.addEventListener('load', () => setTimeout(() => __done(({{observe}})), 50));
        </script>
        """);
}

public sealed class CspNonceInlineRuns : StrictCspCheck
{
    public override string Id => "csp-nonce-inline-runs";

    public override string Description => "An inline <script> carrying the response's nonce runs under the strict nonce policy (StrictWithBasic).";

    public override void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Route("page"), (HttpContext c) => Experiment(c, "<script nonce=\"{nonce}\">window.inlineRan = true;</script>",
            "{ ran: window.inlineRan === true, violations: __violations.length }")).WithSecureHeaders(Strict);

    public override async Task<CheckResult> RunAsync(CheckContext c)
    {
        await using var page = await c.OpenAsync(c.App(Route("page")));
        var r = await c.ResultAsync(page, Id);
        return CheckResult.From(r.Bool("ran"), r.Bool("ran") ? $"the nonce'd inline script ran ({r.Text("violations")} violations)" : "the nonce'd inline script did not run");
    }
}

public sealed class CspNonceExternalRuns : StrictCspCheck
{
    public override string Id => "csp-nonce-external-runs";

    public override string Description => "An external <script src> carrying the nonce runs under the strict nonce policy.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Route("page"), (HttpContext c) => Experiment(c, $"<script nonce=\"{{nonce}}\" src=\"{Route("external.js")}\"></script>",
            "{ ran: window.externalRan === true }")).WithSecureHeaders(Strict);
        routes.MapGet(Route("external.js"), () => Script("window.externalRan = true;"));
    }

    public override async Task<CheckResult> RunAsync(CheckContext c)
    {
        await using var page = await c.OpenAsync(c.App(Route("page")));
        var r = await c.ResultAsync(page, Id);
        return CheckResult.From(r.Bool("ran"), r.Bool("ran") ? "the nonce'd external script ran" : "the nonce'd external script did not run");
    }
}

public sealed class CspInjectedInlineBlocked : StrictCspCheck
{
    public override string Id => "csp-injected-inline-blocked";

    public override string Description => "An injected inline <script> without the nonce is blocked under the strict nonce policy.";

    public override void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Route("page"), (HttpContext c) => Experiment(c, "<div><script>window.injected = true;</script></div>",
            "{ ran: window.injected === true, violations: __violations.map(v => v.directive) }")).WithSecureHeaders(Strict);

    public override async Task<CheckResult> RunAsync(CheckContext c)
    {
        await using var page = await c.OpenAsync(c.App(Route("page")));
        var r = await c.ResultAsync(page, Id);
        return CheckResult.From(!r.Bool("ran"), r.Bool("ran") ? "the injected inline script ran" : $"the injected inline script did not run; violations: {r.Text("violations")}");
    }
}

public sealed class CspInjectedHandlerBlocked : StrictCspCheck
{
    public override string Id => "csp-injected-handler-blocked";

    public override string Description => "An injected inline event handler (<img onload>) does not run under the strict nonce policy.";

    public override void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Route("page"), (HttpContext c) => Experiment(c, "<img id=\"i\" src=\"/_pixel.png?handler\" onload=\"window.handlerRan = true\">",
            "{ ran: window.handlerRan === true, loaded: document.getElementById('i').complete, violations: __violations.map(v => v.directive) }")).WithSecureHeaders(Strict);

    public override async Task<CheckResult> RunAsync(CheckContext c)
    {
        await using var page = await c.OpenAsync(c.App(Route("page")));
        var r = await c.ResultAsync(page, Id);
        return CheckResult.From(!r.Bool("ran") && r.Bool("loaded"), r.Bool("ran") ? "the injected onload handler ran" : $"the image loaded and its onload handler did not run; violations: {r.Text("violations")}");
    }
}

public sealed class CspJavascriptUrlBlocked : StrictCspCheck
{
    public override string Id => "csp-javascript-url-blocked";

    public override string Description => "A javascript: URL in an injected link does not run when the link is followed, under the strict nonce policy.";

    public override void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Route("page"), (HttpContext c) => Page(c, """
            <a id="j" href="javascript:window.jsUrlRan=true;void 0">link</a>
            <script nonce="{nonce}">
              window.addEventListener('load', () => {
                document.getElementById('j').click();
                const start = Date.now();
                const poll = () => {
                  if (window.jsUrlRan === true || __violations.length > 0 || Date.now() - start > 3000) {
                    setTimeout(() => __done({ ran: window.jsUrlRan === true, violations: __violations.map(v => v.directive + ' ' + v.blocked) }), 300);
                  } else { setTimeout(poll, 50); }
                };
                poll();
              });
            </script>
            """)).WithSecureHeaders(Strict);

    public override async Task<CheckResult> RunAsync(CheckContext c)
    {
        await using var page = await c.OpenAsync(c.App(Route("page")));
        var r = await c.ResultAsync(page, Id);
        return CheckResult.From(!r.Bool("ran"), r.Bool("ran") ? "the javascript: URL ran" : $"the javascript: URL did not run; violations: {r.Text("violations")}");
    }
}

public sealed class CspParserInsertedBlocked : StrictCspCheck
{
    public override string Id => "csp-parser-inserted-blocked";

    public override string Description => "A same-origin script without the nonce written by a trusted script with document.write (parser-inserted) is blocked: 'strict-dynamic' drops 'self' and https:.";

    public override string? MdnFeature => "Content-Security-Policy/strict-dynamic";

    public override void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Route("page"), (HttpContext c) => Experiment(c, $"<script nonce=\"{{nonce}}\">document.write('<script src=\"{Route("written.js")}\"><\\/script>');</script>",
            "{ ran: window.writtenRan === true, violations: __violations.map(v => v.directive) }")).WithSecureHeaders(Strict);
        routes.MapGet(Route("written.js"), () => Script("window.writtenRan = true;"));
    }

    public override async Task<CheckResult> RunAsync(CheckContext c)
    {
        await using var page = await c.OpenAsync(c.App(Route("page")));
        var r = await c.ResultAsync(page, Id);
        return CheckResult.From(!r.Bool("ran"), r.Bool("ran") ? "the document.write()n script without nonce ran" : $"the document.write()n script without nonce was blocked; violations: {r.Text("violations")}");
    }
}

public sealed class CspStrictDynamicPropagates : StrictCspCheck
{
    public override string Id => "csp-strict-dynamic-propagates";

    public override string Description => "A script that a nonce'd script creates with createElement runs, from another origin, under script-src 'nonce-…' 'strict-dynamic' without host or scheme fallbacks.";

    public override string? MdnFeature => "Content-Security-Policy/strict-dynamic";

    public override string? WhereNotEnforced => "Without 'strict-dynamic' the preset's 'self' and https: fallbacks decide instead: scripts loaded by trusted code from https: origins still run, parser-inserted ones are no longer blocked.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string create = """
            <script nonce="{nonce}">
              const s = document.createElement('script');
              s.src = 'https://other.test/csp-strict-dynamic-propagates/created.js';
              s.onload = () => __done({ ran: window.createdRan === true, violations: __violations.map(v => v.directive) });
              s.onerror = () => __done({ ran: false, error: true, violations: __violations.map(v => v.directive) });
              document.head.appendChild(s);
            </script>
            """;
        routes.MapGet(Route("page"), (HttpContext c) => Page(c, create))
            .WithSecureHeaders(p => p.ContentSecurityPolicy.Clear().Set("script-src", "'nonce'", "'strict-dynamic'").Set("object-src", "'none'").Set("base-uri", "'none'"));
        routes.MapGet(Route("preset"), (HttpContext c) => Page(c, create)).WithSecureHeaders(Strict);
        routes.MapGet(Route("created.js"), () => Script("window.createdRan = true;")).WithSecureHeaders(p => p.CrossOriginResourcePolicy = "cross-origin");
    }

    public override async Task<CheckResult> RunAsync(CheckContext c)
    {
        await using var page = await c.OpenAsync(c.App(Route("page")));
        var r = await c.ResultAsync(page, Id);
        await using var preset = await c.OpenAsync(c.App(Route("preset")));
        var p = await c.ResultAsync(preset, Id + " (preset)");
        return CheckResult.From(r.Bool("ran"),
            (r.Bool("ran") ? "the script-created cross-origin script ran under nonce + 'strict-dynamic' alone" : $"the script-created cross-origin script was blocked under nonce + 'strict-dynamic' alone (violations: {r.Text("violations")})")
            + (p.Bool("ran") ? "; it also ran under StrictWithBasic" : "; under StrictWithBasic it was blocked"));
    }
}

public sealed class CspHashInlineRuns : ConformanceCheck
{
    private const string Allowed = "window.hashedRan = true;";

    public override string Id => "csp-hash-inline-runs";

    public override string Header => "Content-Security-Policy";

    public override string Description => "Under script-src 'self' 'sha256-…', the inline script with that hash runs and a different inline script does not.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Route("page"), (HttpContext c) => Page(c, $$"""
            <script>{{Allowed}}</script>
            <script>window.unhashedRan = true;</script>
            <script src="{{Route("finish.js")}}"></script>
            """)).WithSecureHeaders(p => p.ContentSecurityPolicy.Set("script-src", "'self'", CspHashes.Compute(Allowed).ToString()));
        routes.MapGet(Route("finish.js"), () => Script("__done({ hashed: window.hashedRan === true, unhashed: window.unhashedRan === true });"));
    }

    public override async Task<CheckResult> RunAsync(CheckContext c)
    {
        await using var page = await c.OpenAsync(c.App(Route("page")));
        var r = await c.ResultAsync(page, Id);
        return CheckResult.FromParts(
            (r.Bool("hashed"), r.Bool("hashed") ? "the hashed inline script ran" : "the hashed inline script did not run"),
            (!r.Bool("unhashed"), r.Bool("unhashed") ? "an inline script without a matching hash ran" : "an inline script without a matching hash was blocked"));
    }
}

public sealed class CspUnsafeHashesHandler : ConformanceCheck
{
    private const string Allowed = "window.hashedHandler = true";

    public override string Id => "csp-unsafe-hashes-handler";

    public override string Header => "Content-Security-Policy";

    public override string Description => "Under script-src 'self' 'unsafe-hashes' 'sha256-…', the inline handler with that hash runs and a different handler does not.";

    public override string? MdnFeature => "Content-Security-Policy/unsafe-hashes";

    public override void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Route("page"), (HttpContext c) => Page(c, $$"""
            <img id="a" src="/_pixel.png?a" onload="{{Allowed}}">
            <img id="b" src="/_pixel.png?b" onload="window.otherHandler = true">
            <script src="{{Route("finish.js")}}"></script>
            """)).WithSecureHeaders(p => p.ContentSecurityPolicy.Set("script-src", "'self'", "'unsafe-hashes'", CspHashes.Compute(Allowed).ToString()));
        routes.MapGet(Route("finish.js"), () => Script("window.addEventListener('load', () => setTimeout(() => __done({ hashed: window.hashedHandler === true, other: window.otherHandler === true }), 50));"));
    }

    public override async Task<CheckResult> RunAsync(CheckContext c)
    {
        await using var page = await c.OpenAsync(c.App(Route("page")));
        var r = await c.ResultAsync(page, Id);
        return CheckResult.FromParts(
            (r.Bool("hashed"), r.Bool("hashed") ? "the handler whose hash is listed ran" : "the handler whose hash is listed did not run"),
            (!r.Bool("other"), r.Bool("other") ? "a handler with another hash ran" : "a handler with another hash was blocked"));
    }
}
