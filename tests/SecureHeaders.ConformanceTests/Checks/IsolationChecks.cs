using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SecureHeaders.ConformanceTests.Checks;

public sealed class CoopSeversOpener : ConformanceCheck
{
    public override string Id => "coop-severs-opener";

    public override string Header => "Cross-Origin-Opener-Policy";

    public override string Description => "A cross-site page that opens a page sent with the default Cross-Origin-Opener-Policy: same-origin loses its handle (popup.closed turns true, window.opener is null); without COOP it keeps it.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string opener = """
            const q = new URLSearchParams(location.search);
            const w = window.open('https://app.test/coop-severs-opener/' + q.get('target') + '?t=' + q.get('t'));
            if (!w) { __done({ error: 'popup blocked' }); }
            else {
              const start = Date.now();
              const poll = () => {
                if (w.closed) { __done({ closed: true }); }
                else if (Date.now() - start > 4000) { __done({ closed: false }); try { w.close(); } catch (e) { } }
                else { setTimeout(poll, 50); }
              };
              setTimeout(poll, 200);
            }
            """;
        const string target = "fetch('/_beacon?coop=' + (window.opener !== null) + '&' + location.search.slice(1));";
        routes.MapGet(Route("opener"), (HttpContext c) => Page(c, $"<script src=\"{Route("opener.js")}\"></script>")).DisableSecureHeaders();
        routes.MapGet(Route("opener.js"), () => Script(opener)).DisableSecureHeaders();
        routes.MapGet(Route("target.js"), () => Script(target));
        routes.MapGet(Route("protected"), (HttpContext c) => Page(c, $"<script src=\"{Route("target.js")}\"></script>"));
        routes.MapGet(Route("control"), (HttpContext c) => Page(c, $"<script src=\"{Route("target.js")}\"></script>")).WithSecureHeaders(p => p.CrossOriginOpenerPolicy = null);
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        async Task<(bool Closed, string? Opener)> OpenAsync(string target)
        {
            var token = context.Token + "-" + target;
            await using var page = await context.OpenAsync(context.Other(Route("opener") + $"?target={target}&t={token}"));
            var r = await context.ResultAsync(page, Id);
            if (r.Text("error").Length > 0)
            {
                throw new InvalidOperationException($"{context.Engine.Id}: {Id}: {r.Text("error")}.");
            }

            var beacon = await context.Requests.WaitForAsync(q => q.Path == "/_beacon" && q.Query.EndsWith("t=" + token, StringComparison.Ordinal), CheckContext.ResultTimeout, context.CancellationToken);
            return (r.Bool("closed"), beacon?.Query.Contains("coop=false", StringComparison.Ordinal) == true ? "null" : beacon is null ? "unknown" : "kept");
        }

        var (closed, opener) = await OpenAsync("protected");
        var (controlClosed, controlOpener) = await OpenAsync("control");
        return CheckResult.FromParts(
            (closed && !controlClosed, $"the opener saw popup.closed {(closed ? "turn true" : "stay false")} (without COOP: {(controlClosed ? "true" : "false")})"),
            (opener == "null" && controlOpener == "kept", $"the popup's window.opener was {opener} (without COOP: {controlOpener})"));
    }
}

public sealed class CorpBlocksCrossOriginEmbed : ConformanceCheck
{
    public override string Id => "corp-blocks-cross-origin-embed";

    public override string Header => "Cross-Origin-Resource-Policy";

    public override string Description => "An image sent with the default Cross-Origin-Resource-Policy: same-origin does not load in a cross-site page; the same image with CORP cross-origin does.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string embed = """
            const load = src => new Promise(resolve => { const i = new Image(); i.onload = () => resolve('loaded'); i.onerror = () => resolve('refused'); i.src = src; });
            Promise.all([load('https://app.test/corp-blocks-cross-origin-embed/same-origin.png'), load('https://app.test/corp-blocks-cross-origin-embed/cross-origin.png')])
              .then(([protectedImage, control]) => __done({ protectedImage, control }));
            """;
        routes.MapGet(Route("embedder"), (HttpContext c) => Page(c, $"<script src=\"{Route("embed.js")}\"></script>")).DisableSecureHeaders();
        routes.MapGet(Route("embed.js"), () => Script(embed)).DisableSecureHeaders();
        routes.MapGet(Route("same-origin.png"), () => Results.Bytes(Hosting.ConformanceServer.Pixel, "image/png"));
        routes.MapGet(Route("cross-origin.png"), () => Results.Bytes(Hosting.ConformanceServer.Pixel, "image/png")).WithSecureHeaders(p => p.CrossOriginResourcePolicy = "cross-origin");
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.Other(Route("embedder")));
        var r = await context.ResultAsync(page, Id);
        return CheckResult.From(r.Text("protectedImage") == "refused" && r.Text("control") == "loaded",
            $"CORP same-origin image in a cross-site page: {r.Text("protectedImage")}; with CORP cross-origin: {r.Text("control")}");
    }
}

public sealed class CoepRequireCorpBlocksEmbed : ConformanceCheck
{
    public override string Id => "coep-require-corp-blocks-embed";

    public override string Header => "Cross-Origin-Embedder-Policy";

    public override string Description => "Where COEP is sent (it is off by default), require-corp blocks a cross-origin image without CORP, lets one with CORP cross-origin load, and with the default COOP same-origin and Permissions-Policy makes the page crossOriginIsolated.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string run = """
            const load = src => new Promise(resolve => { const i = new Image(); i.onload = () => resolve('loaded'); i.onerror = () => resolve('refused'); i.src = src; });
            Promise.all([load('https://other.test/coep-require-corp-blocks-embed/no-corp.png'), load('https://other.test/coep-require-corp-blocks-embed/corp.png')])
              .then(([plain, corp]) => __done({ plain, corp, isolated: window.crossOriginIsolated === true }));
            """;
        routes.MapGet(Route("page"), (HttpContext c) => Page(c, $"<script src=\"{Route("run.js")}\"></script>")).WithSecureHeaders(p =>
        {
            p.CrossOriginEmbedderPolicy = "require-corp";
            p.ContentSecurityPolicy.Add("img-src", "https://other.test");
        });
        routes.MapGet(Route("run.js"), () => Script(run));
        routes.MapGet(Route("no-corp.png"), () => Results.Bytes(Hosting.ConformanceServer.Pixel, "image/png")).DisableSecureHeaders();
        routes.MapGet(Route("corp.png"), () => Results.Bytes(Hosting.ConformanceServer.Pixel, "image/png")).WithSecureHeaders(p => p.CrossOriginResourcePolicy = "cross-origin");
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        return CheckResult.FromParts(
            (r.Text("plain") == "refused" && r.Text("corp") == "loaded", $"cross-origin image without CORP: {r.Text("plain")}; with CORP cross-origin: {r.Text("corp")}"),
            (r.Bool("isolated"), $"crossOriginIsolated: {(r.Bool("isolated") ? "true" : "false")}"));
    }
}
