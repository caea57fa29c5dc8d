using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SecureHeaders.ConformanceTests.Checks;

/// <summary>
/// Embeds give a third-party player its iframe features back for its origin only: an other.test frame that asks
/// for fullscreen (<c>allow="fullscreen"</c>) may use it under <c>AllowEmbedsFrom("https://other.test")</c>, and the
/// same frame under the default <c>fullscreen=(self)</c> may not (Permissions Policy §9.8: a frame's feature needs
/// the parent's allowlist and the iframe's allow attribute). <c>document.fullscreenEnabled</c> reports it.
/// </summary>
public sealed class EmbedsAllowFullscreenForTheEmbeddedOrigin : ConformanceCheck
{
    public override string Id => "permissions-policy-embeds-fullscreen";

    public override string Header => "Permissions-Policy";

    public override string Description => "Embeds (AllowEmbedsFrom(\"https://other.test\"): frame-src and fullscreen=(self \"https://other.test\")) let a cross-origin iframe with allow=\"fullscreen\" use fullscreen (document.fullscreenEnabled in the frame), while the default fullscreen=(self) denies it to the same frame. An embed page that never hears from its frame proves nothing and fails the check.";

    public override string? WhereNotEnforced => "Engines that ignore Permissions-Policy give the frame fullscreen whenever the iframe's allow attribute asks for it, with or without Embeds: the embed still works; the default's denial does not hold.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string top = """
            const frame = new Promise(resolve => { window.addEventListener('message', e => resolve(String(e.data))); setTimeout(() => resolve('no answer'), 20000); });
            frame.then(value => __done({ frame: value }));
            // The frame may have loaded, and posted its answer, before this listener existed: ask it again.
            document.querySelector('iframe').contentWindow.postMessage('ask', '*');
            """;
        const string frame = """
            const enabled = document.fullscreenEnabled ?? document.webkitFullscreenEnabled;
            const answer = () => parent.postMessage(enabled === undefined ? 'no API' : String(enabled), '*');
            window.addEventListener('message', e => { if (e.source === parent && e.data === 'ask') { answer(); } });
            answer();
            """;
        // One frame URL per page, so that no engine answers the second page's frame from the first one's.
        string Iframe(string page) => $"<iframe src=\"https://other.test{Route("frame")}?for={page}\" allow=\"fullscreen\"></iframe><script src=\"{Route("top.js")}\"></script>";
        routes.MapGet(Route("embeds"), (HttpContext c) => Page(c, Iframe("embeds"))).WithSecureHeaders(p => p.AllowEmbedsFrom("https://other.test"));
        routes.MapGet(Route("default"), (HttpContext c) => Page(c, Iframe("default"))).WithSecureHeaders(p => p.ContentSecurityPolicy.Add("frame-src", "https://other.test"));
        routes.MapGet(Route("top.js"), () => Script(top));
        routes.MapGet(Route("frame"), (HttpContext c) => Page(c, $"<script src=\"{Route("frame.js")}\"></script>")).DisableSecureHeaders();
        routes.MapGet(Route("frame.js"), () => Script(frame)).DisableSecureHeaders();
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var embeds = await context.OpenAsync(context.App(Route("embeds")));
        var e = (await context.ResultAsync(embeds, Id)).Text("frame");
        await using var plain = await context.OpenAsync(context.App(Route("default")));
        var d = (await context.ResultAsync(plain, Id + " default")).Text("frame");
        if (e is not ("true" or "false") || d is not ("true" or "false"))
        {
            throw new InvalidOperationException($"{context.Engine.Id}: the other.test frame answered \"{e}\" under Embeds and \"{d}\" under the default policy, so {Id} proves nothing.");
        }

        if (d == "true")
        {
            // The default denial did not hold: the engine does not apply the header's allowlists to frames at all.
            return new CheckResult(Outcome.Ignored, $"the header does not govern the frame: under the default fullscreen=(self) the other.test frame has fullscreenEnabled=true, and under Embeds fullscreenEnabled={e}");
        }

        return CheckResult.FromParts(
            (e == "true", $"under Embeds the other.test frame has fullscreenEnabled={e}"),
            (d == "false", $"under the default fullscreen=(self) the same frame has fullscreenEnabled={d}"));
    }
}
