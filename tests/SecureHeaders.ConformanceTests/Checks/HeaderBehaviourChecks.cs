using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SecureHeaders.ConformanceTests.Hosting;

namespace SecureHeaders.ConformanceTests.Checks;

public sealed class NosniffScriptBlocked : DefaultPolicyCheck
{
    public override string Id => "nosniff-script-blocked";

    public override string Header => "X-Content-Type-Options";

    public override string Description => "With the default X-Content-Type-Options: nosniff, a script served as text/plain is refused; the evidence says whether the same script runs without the header.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        MapExperiment(routes, string.Empty, $$"""
            const load = (src, flag) => new Promise(resolve => {
              const s = document.createElement('script'); s.src = src;
              s.onload = () => resolve(window[flag] === true ? 'ran' : 'loaded-not-run'); s.onerror = () => resolve('refused');
              document.head.appendChild(s);
            });
            Promise.all([load('{{Route("nosniff.js")}}', 'nosniffRan'), load('{{Route("sniff.js")}}', 'sniffRan')])
              .then(([nosniff, control]) => __done({ nosniff, control }));
            """);
        routes.MapGet(Route("nosniff.js"), () => Script("window.nosniffRan = true;", "text/plain"));
        routes.MapGet(Route("sniff.js"), () => Script("window.sniffRan = true;", "text/plain")).WithSecureHeaders(p => p.XContentTypeOptions = null);
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        var refused = r.Text("nosniff") != "ran";
        return CheckResult.From(refused, $"text/plain script with nosniff: {r.Text("nosniff")}; the same without nosniff: {r.Text("control")}");
    }
}

public sealed class ReferrerPolicyCrossOrigin : DefaultPolicyCheck
{
    public override string Id => "referrer-policy-cross-origin";

    public override string Header => "Referrer-Policy";

    public override string Description => "Under the default Referrer-Policy: strict-origin-when-cross-origin, another origin sees only the origin in Referer, the page's own origin the full URL; with no-referrer, the other origin sees none.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string script = "window.addEventListener('load', () => __done({ done: true }));";
        routes.MapGet(Route("page"), (HttpContext c) => Page(c, Images(c, "page") + $"<script src=\"{Route("run.js")}\"></script>"))
            .WithSecureHeaders(p => p.ContentSecurityPolicy.Add("img-src", "https://other.test"));
        routes.MapGet(Route("none"), (HttpContext c) => Page(c, Images(c, "none") + $"<script src=\"{Route("run.js")}\"></script>")).WithSecureHeaders(p =>
        {
            p.ContentSecurityPolicy.Add("img-src", "https://other.test");
            p.ReferrerPolicy = "no-referrer";
        });
        routes.MapGet(Route("run.js"), () => Script(script));
        routes.MapGet(Route("seen.png"), () => Results.Bytes(Hosting.ConformanceServer.Pixel, "image/png")).WithSecureHeaders(p => p.CrossOriginResourcePolicy = "cross-origin");

        string Images(HttpContext c, string from)
        {
            var query = $"?t={Uri.EscapeDataString(c.Request.Query["t"].ToString())}&from={from}";
            return $"<img src=\"https://other.test{Route("seen.png")}{query}&to=other\"><img src=\"{Route("seen.png")}{query}&to=self\">";
        }
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        async Task<(LoggedRequest? Other, LoggedRequest? Self)> RefererAsync(string path)
        {
            await using var page = await context.OpenAsync(context.App(Route(path) + "?t=" + context.Token + "&secret=1"));
            await context.ResultAsync(page, Id);
            LoggedRequest? Seen(string to) => context.Requests.Matching(r => r.Path == Route("seen.png") && r.Query == $"?t={context.Token}&from={path}&to={to}").LastOrDefault();
            return (Seen("other"), Seen("self"));
        }

        var (otherRequest, selfRequest) = await RefererAsync("page");
        var (noneRequest, _) = await RefererAsync("none");
        if (otherRequest is null || selfRequest is null || noneRequest is null)
        {
            throw new InvalidOperationException($"{context.Engine.Id}: the images of {Id} were not all requested.");
        }

        var (other, self, none) = (otherRequest.Referer, selfRequest.Referer, noneRequest.Referer);
        return CheckResult.FromParts(
            (other == "https://app.test/", $"other origin saw Referer {other ?? "(none)"}"),
            (self?.Contains("secret=1", StringComparison.Ordinal) == true, $"same origin saw {(self?.Contains("secret=1", StringComparison.Ordinal) == true ? "the full URL" : self ?? "(none)")}"),
            (none is null, $"with no-referrer the other origin saw {none ?? "(none)"}"));
    }
}

public sealed class PermissionsPolicyFeatureDisabled : ConformanceCheck
{
    public override string Id => "permissions-policy-feature-disabled";

    public override string Header => "Permissions-Policy";

    public override string Description => "The default Permissions-Policy switches features off: in the page gamepad (getGamepads() throws), microphone (getUserMedia rejects) and geolocation (denied at once); in a cross-origin iframe sync-xhr (sync-xhr=(self)). A page without the header is the control; a feature that does not work there either (no device, no permission) proves nothing and is left out.";

    public override string? WhereNotEnforced => "Engines that ignore Permissions-Policy keep every feature available to the page and its frames; what still limits third-party frames there is the iframe allow attribute and, for camera, microphone and geolocation, the permission prompt.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string top = """
            const within = (promise, ms) => Promise.race([promise, new Promise(resolve => setTimeout(() => resolve('no answer'), ms))]);
            const gamepad = () => { try { navigator.getGamepads(); return 'allowed'; } catch (e) { return 'blocked: ' + e.name; } };
            const microphone = () => !navigator.mediaDevices ? Promise.resolve('no API') : within(navigator.mediaDevices.getUserMedia({ audio: true })
              .then(s => { s.getTracks().forEach(t => t.stop()); return 'allowed'; }, e => (e.name === 'NotAllowedError' || e.name === 'SecurityError' ? 'blocked: ' : 'other: ') + e.name), 2500);
            const geolocation = () => !navigator.geolocation ? Promise.resolve('no API') : within(new Promise(resolve => navigator.geolocation.getCurrentPosition(
              () => resolve('allowed'), e => resolve((e.code === 1 ? 'blocked: ' : 'other: ') + 'code ' + e.code), { timeout: 2000 })), 2500);
            const frame = new Promise(resolve => { window.addEventListener('message', e => resolve(String(e.data))); setTimeout(() => resolve('no answer'), 20000); });
            Promise.all([microphone(), geolocation(), frame]).then(([mic, geo, sync]) => __done({ gamepad: gamepad(), microphone: mic, geolocation: geo, frame: sync }));
            """;
        const string frame = """
            let outcome;
            try { const x = new XMLHttpRequest(); x.open('GET', '/_beacon?syncxhr', false); x.send(); outcome = 'allowed'; }
            catch (e) { outcome = 'blocked: ' + e.name; }
            parent.postMessage(outcome, '*');
            """;
        var iframe = $"<iframe src=\"https://other.test{Route("frame")}\"></iframe><script src=\"{Route("top.js")}\"></script>";
        routes.MapGet(Route("page"), (HttpContext c) => Page(c, iframe)).WithSecureHeaders(p => p.ContentSecurityPolicy.Set("frame-src", "https://other.test"));
        routes.MapGet(Route("control"), (HttpContext c) => Page(c, iframe)).WithSecureHeaders(p =>
        {
            p.ContentSecurityPolicy.Set("frame-src", "https://other.test");
            p.PermissionsPolicy.Enabled = false;
        });
        routes.MapGet(Route("top.js"), () => Script(top));
        routes.MapGet(Route("frame"), (HttpContext c) => Page(c, $"<script src=\"{Route("frame.js")}\"></script>")).DisableSecureHeaders();
        routes.MapGet(Route("frame.js"), () => Script(frame)).DisableSecureHeaders();
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        await using var control = await context.OpenAsync(context.App(Route("control")));
        var c = await context.ResultAsync(control, Id + " control");
        static bool Blocked(string value) => value.StartsWith("blocked", StringComparison.Ordinal);
        var parts = new List<(bool Held, string Evidence)>();
        var inconclusive = new List<string>();
        foreach (var (key, label) in new[] { ("gamepad", "page getGamepads()"), ("microphone", "page getUserMedia(audio)"), ("geolocation", "page getCurrentPosition()"), ("frame", "cross-origin iframe sync XHR") })
        {
            var text = $"{label}: {r.Text(key)} (without the header: {c.Text(key)})";
            if (c.Text(key) != "allowed")
            {
                // Without the header the feature did not work either (no device, no permission): the header's effect cannot be seen.
                inconclusive.Add(text);
                continue;
            }

            parts.Add((Blocked(r.Text(key)), text));
        }

        var result = CheckResult.FromParts([.. parts]);
        return inconclusive.Count == 0 ? result : result with { Evidence = result.Evidence + "; left out, not usable without the header either: " + string.Join("; ", inconclusive) };
    }
}
