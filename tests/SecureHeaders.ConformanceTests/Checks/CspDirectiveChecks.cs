using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SecureHeaders.ConformanceTests.Hosting;
using SecureHeaders.Csp;

namespace SecureHeaders.ConformanceTests.Checks;

public sealed class CspStyleSrcNonce : StrictCspCheck
{
    public override string Id => "csp-style-src-nonce";

    public override string Description => "Under style-src 'self' 'nonce-…' (the showcase's setting), a <style> with the nonce applies and one without it does not.";

    public override void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Route("page"), (HttpContext c) => Experiment(c, """
            <p id="a">a</p><p id="b">b</p>
            <style nonce="{nonce}">#a { color: rgb(1, 2, 3); }</style>
            <style>#b { color: rgb(4, 5, 6); }</style>
            """, "{ a: getComputedStyle(document.getElementById('a')).color, b: getComputedStyle(document.getElementById('b')).color }"))
            .WithSecureHeaders(p => p.ContentSecurityPolicy.UsePreset(nameof(CspPresets.StrictWithBasic)).Set("style-src", "'self'", "'nonce'"));

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        return CheckResult.FromParts(
            (r.Text("a") == "rgb(1, 2, 3)", r.Text("a") == "rgb(1, 2, 3)" ? "the nonce'd <style> applied" : $"the nonce'd <style> did not apply (color {r.Text("a")})"),
            (r.Text("b") != "rgb(4, 5, 6)", r.Text("b") != "rgb(4, 5, 6)" ? "the <style> without nonce was blocked" : "the <style> without nonce applied"));
    }
}

/// <summary>Checks of the default policy (<c>Basic</c>: no inline script), so their page logic is an external same-origin script.</summary>
public abstract class DefaultPolicyCheck : ConformanceCheck
{
    public override string Header => "Content-Security-Policy";

    /// <summary>A page of the default policy: <paramref name="body"/>, then <c>/{Id}/run.js</c> with <paramref name="script"/>.</summary>
    protected void MapExperiment(IEndpointRouteBuilder routes, string body, string script, Action<Policies.SecureHeadersPolicy>? policy = null)
    {
        var page = routes.MapGet(Route("page"), (HttpContext c) => Page(c, body + $"<script src=\"https://app.test{Route("run.js")}\"></script>"));
        if (policy is not null)
        {
            page.WithSecureHeaders(policy);
        }

        routes.MapGet(Route("run.js"), () => Script(script));
    }
}

public sealed class CspFormActionBlocks : DefaultPolicyCheck
{
    public override string Id => "csp-form-action-blocks";

    public override string? MdnFeature => "Content-Security-Policy/form-action";

    public override string Description => "The default form-action 'self' stops a form from submitting to another site; the control page, whose form-action lists that site, submits.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string submit = """
            window.addEventListener('load', () => {
              document.getElementById('t').value = new URLSearchParams(location.search).get('t');
              document.getElementById('f').submit();
            });
            """;
        var form = $"<form id=\"f\" method=\"get\" action=\"https://other.test{Route("target")}\"><input name=\"t\" id=\"t\"></form>";
        MapExperiment(routes, form, submit);
        routes.MapGet(Route("control"), (HttpContext c) => Page(c, form + $"<script src=\"{Route("run.js")}\"></script>"))
            .WithSecureHeaders(p => p.ContentSecurityPolicy.Add("form-action", "https://other.test"));
        routes.MapGet(Route("target"), () => Results.Text("submitted")).DisableSecureHeaders();
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        Task<Hosting.LoggedRequest?> Submitted(string token, TimeSpan wait) =>
            context.Requests.WaitForAsync(r => r.Path == Route("target") && r.Query == "?t=" + token, wait, context.CancellationToken);

        await using (var control = await context.OpenAsync(context.App(Route("control") + "?t=" + context.Token + "-control")))
        {
            if (await Submitted(context.Token + "-control", CheckContext.ResultTimeout) is null)
            {
                throw new InvalidOperationException($"{context.Engine.Id}: the control form (form-action allowing other.test) was not submitted, so {Id} proves nothing.");
            }
        }

        await using var page = await context.OpenAsync(context.App(Route("page") + "?t=" + context.Token));
        var submitted = await Submitted(context.Token, CheckContext.SettleTime * 2);
        return CheckResult.From(submitted is null, submitted is null
            ? "other.test never received the submission (the control page, allowing other.test, submitted)"
            : "the form was submitted to other.test");
    }
}

public sealed class CspBaseUriBlocks : DefaultPolicyCheck
{
    public override string Id => "csp-base-uri-blocks";

    public override string? MdnFeature => "Content-Security-Policy/base-uri";

    public override string Description => "The default base-uri 'self' makes the browser ignore an injected <base href> to another site.";

    public override void Map(IEndpointRouteBuilder routes) =>
        MapExperiment(routes, "<base href=\"https://other.test/elsewhere/\">",
            "window.addEventListener('load', () => __done({ base: document.baseURI, violations: __violations.map(v => v.directive) }));");

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        var held = r.Text("base").StartsWith("https://app.test/", StringComparison.Ordinal);
        return CheckResult.From(held, held ? $"document.baseURI stayed {r.Text("base")}; violations: {r.Text("violations")}" : $"the injected <base> took effect: document.baseURI is {r.Text("base")}");
    }
}

public sealed class CspObjectSrcBlocks : DefaultPolicyCheck
{
    public override string Id => "csp-object-src-blocks";

    public override string? MdnFeature => "Content-Security-Policy/object-src";

    public override string Description => "The default object-src 'none' stops <object> and <embed> from loading anything.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        MapExperiment(routes, $"<object data=\"{Route("object.html")}\" type=\"text/html\"></object><embed src=\"{Route("embed.html")}\" type=\"text/html\">",
            "window.addEventListener('load', () => setTimeout(() => __done({ violations: __violations.map(v => v.directive) }), 500));");
        routes.MapGet(Route("object.html"), () => Results.Content("<p>object</p>", "text/html"));
        routes.MapGet(Route("embed.html"), () => Results.Content("<p>embed</p>", "text/html"));
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        var before = context.Requests.Matching(r => r.Path.StartsWith(Route(string.Empty), StringComparison.Ordinal) && r.Path.EndsWith(".html", StringComparison.Ordinal)).Count;
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        var loaded = context.Requests.Matching(r => r.Path.StartsWith(Route(string.Empty), StringComparison.Ordinal) && r.Path.EndsWith(".html", StringComparison.Ordinal)).Count - before;
        return CheckResult.From(loaded == 0, loaded == 0
            ? $"neither <object> nor <embed> was fetched; violations: {r.Text("violations")}"
            : $"{loaded} of the plugin resources were fetched; violations: {r.Text("violations")}");
    }
}

public sealed class CspUpgradeInsecureRequests : DefaultPolicyCheck
{
    public override string Id => "csp-upgrade-insecure-requests";

    public override string? MdnFeature => "Content-Security-Policy/upgrade-insecure-requests";

    public override string Description => "The default upgrade-insecure-requests (Production) fetches an http:// script of another host over https instead of blocking it as mixed content.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        MapExperiment(routes, $"<script src=\"http://uir.test{Route("insecure.js")}\"></script>",
            "window.addEventListener('load', () => __done({ ran: window.upgradedRan === true }));",
            p => p.ContentSecurityPolicy.Set("script-src", "'self'", "https://uir.test", "http://uir.test"));
        routes.MapGet(Route("insecure.js"), () => Script("window.upgradedRan = true;")).WithSecureHeaders(p =>
        {
            p.CrossOriginResourcePolicy = "cross-origin";
            p.StrictTransportSecurity.Enabled = false; // uir.test must never be remembered as HSTS host.
        });
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        var fetched = context.Requests.Matching(q => q.Host == ConformanceHosts.Upgrade && q.Path == Route("insecure.js"));
        var https = fetched.Any(static q => q.IsHttps);
        return CheckResult.From(https && r.Bool("ran"), fetched.Count == 0
            ? "the http:// script was never requested (blocked as mixed content, not upgraded)"
            : $"the http:// script was requested as {string.Join(", ", fetched.Select(static q => q.Scheme).Distinct())} and {(r.Bool("ran") ? "ran" : "did not run")}");
    }
}

public sealed class TrustedTypesEnforced : StrictCspCheck
{
    public override string Id => "trusted-types-enforced";

    public override string? MdnFeature => "Content-Security-Policy/require-trusted-types-for";

    public override string Description => "With the TrustedTypes preset (require-trusted-types-for 'script') on StrictWithBasic, assigning a plain string to innerHTML throws.";

    public override string? WhereNotEnforced => "Engines without Trusted Types let string sinks through; the nonce policy still blocks the scripts an injection would add, but not DOM XSS through innerHTML of script-free markup.";

    public override void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Route("page"), (HttpContext c) => Experiment(c, """
            <div id="d"></div>
            <script nonce="{nonce}">
              try { document.getElementById('d').innerHTML = '<b>x</b>'; window.ttAssigned = true; }
              catch (e) { window.ttError = e.name; }
            </script>
            """, "{ assigned: window.ttAssigned === true, error: window.ttError || '', api: typeof window.trustedTypes, violations: __violations.map(v => v.directive) }"))
            .WithSecureHeaders(p => p.ContentSecurityPolicy.UsePreset(nameof(CspPresets.StrictWithBasic)).Merge(CspPresets.TrustedTypes));

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        return CheckResult.From(!r.Bool("assigned"), r.Bool("assigned")
            ? $"innerHTML accepted a plain string (window.trustedTypes is {r.Text("api")})"
            : $"innerHTML = string threw {r.Text("error")}; violations: {r.Text("violations")}");
    }
}
