using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SecureHeaders.ConformanceTests.Hosting;

namespace SecureHeaders.ConformanceTests.Checks;

/// <summary>
/// Clear-Site-Data on a logout response (the showcase's "logout" policy: "cache", "cookies", "storage"), on csd.test
/// so that no other check's cookies are in the way. One page: set a cookie and localStorage, prove both are there,
/// visit the logout URL, and read both again.
/// </summary>
public abstract class ClearSiteDataCheck : ConformanceCheck
{
    public override string Header => "Clear-Site-Data";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string store = "localStorage.setItem('csd', '1'); __done({ stored: localStorage.getItem('csd') });";
        const string read = "__done({ storage: localStorage.getItem('csd') });";
        routes.MapGet(Route("set"), (HttpContext c) =>
        {
            c.Response.Cookies.Append("csd_session", "1");
            return Page(c, $"<script src=\"{Route("store.js")}\"></script>");
        });
        routes.MapGet(Route("store.js"), () => Script(store));
        routes.MapGet(Route("read.js"), () => Script(read));
        routes.MapGet(Route("check"), (HttpContext c) => Page(c, $"<script src=\"{Route("read.js")}\"></script>"));
        routes.MapGet(Route("logout"), (HttpContext c) => Page(c, "<p>signed out</p>")).WithSecureHeaders(p => p.ClearSiteData = ["cache", "cookies", "storage"]);
    }

    protected async Task<(string? CookieBefore, string? CookieAfter, string StorageBefore, string StorageAfter)> RunLogoutAsync(CheckContext context)
    {
        await using var page = await context.Engine.NewPageAsync(context.CancellationToken);
        async Task<(string? Cookie, string Storage)> CheckAsync(string step)
        {
            await page.GotoAsync(ConformanceHosts.Https(ConformanceHosts.ClearSiteData, Route("check") + "?t=" + context.Token + step), context.CancellationToken);
            var r = await context.ResultAsync(page, Id);
            var request = context.Requests.Matching(q => q.Path == Route("check") && q.Query == "?t=" + context.Token + step).LastOrDefault();
            return (request?.Cookie, r.Text("storage"));
        }

        await page.GotoAsync(ConformanceHosts.Https(ConformanceHosts.ClearSiteData, Route("set")), context.CancellationToken);
        await context.ResultAsync(page, Id);
        var before = await CheckAsync("-before");
        await page.GotoAsync(ConformanceHosts.Https(ConformanceHosts.ClearSiteData, Route("logout")), context.CancellationToken);
        var after = await CheckAsync("-after");
        if (before.Cookie?.Contains("csd_session=1", StringComparison.Ordinal) != true || before.Storage != "\"1\"" && before.Storage != "1")
        {
            throw new InvalidOperationException($"{context.Engine.Id}: {Id}: the cookie ({before.Cookie ?? "none"}) or localStorage ({before.Storage}) was not set before logout, so the check proves nothing.");
        }

        return (before.Cookie, after.Cookie, before.Storage, after.Storage);
    }
}

public sealed class ClearSiteDataClearsCookies : ClearSiteDataCheck
{
    public override string Id => "clear-site-data-clears-cookies";

    public override string? MdnFeature => "Clear-Site-Data/cookies";

    public override string Description => "After a response with Clear-Site-Data: \"cache\", \"cookies\", \"storage\", the site's HttpOnly session cookie is no longer sent.";

    public override string? WhereNotEnforced => "Where the header is ignored, the logout must also expire the session cookie itself (Set-Cookie with Max-Age=0) and invalidate the session on the server.";

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        var (before, after, _, _) = await RunLogoutAsync(context);
        var cleared = after?.Contains("csd_session", StringComparison.Ordinal) != true;
        return CheckResult.From(cleared, cleared
            ? $"the cookie was sent before the logout response ({before}) and not after it"
            : $"the cookie was still sent after the logout response ({after})");
    }
}

public sealed class ClearSiteDataClearsStorage : ClearSiteDataCheck
{
    public override string Id => "clear-site-data-clears-storage";

    public override string? MdnFeature => "Clear-Site-Data/storage";

    public override string Description => "After a response with Clear-Site-Data: \"cache\", \"cookies\", \"storage\", the site's localStorage is empty.";

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        var (_, _, before, after) = await RunLogoutAsync(context);
        var cleared = after is "null" or "";
        return CheckResult.From(cleared, cleared ? $"localStorage held {before} before the logout response and nothing after it" : $"localStorage still held {after} after the logout response");
    }
}

public sealed class HstsUpgradesNavigation : ConformanceCheck
{
    public override string Id => "hsts-upgrades-navigation";

    public override string Header => "Strict-Transport-Security";

    public override string Description => "After one HTTPS response with the default Strict-Transport-Security (max-age one year, includeSubDomains), the next http:// navigation to the host goes out over https; a host never seen over HTTPS is the control.";

    public override bool NeedsTrustedCertificate => true;

    public override void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Route("visit"), (HttpContext c) => Page(c, "<p>visited</p>"));

        // The control host must never send HSTS, also not on a probe that arrived over HTTPS.
        routes.MapGet(Route("probe"), (HttpContext c) => Page(c, "<p>probe</p>")).WithSecureHeaders(p => p.StrictTransportSecurity.Enabled = false);
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.Engine.NewPageAsync(context.CancellationToken);
        await page.GotoAsync(ConformanceHosts.Https(ConformanceHosts.Hsts, Route("visit")), context.CancellationToken);
        var sent = context.Requests.Matching(q => q.Host == ConformanceHosts.Hsts && q.Path == Route("visit") && q.IsHttps).Count > 0;
        if (!sent)
        {
            throw new InvalidOperationException($"{context.Engine.Id}: {Id}: the HTTPS visit to {ConformanceHosts.Hsts} never reached the server.");
        }

        LoggedRequest? Probe(string host) => context.Requests.Matching(q => q.Host == host && q.Path == Route("probe") && q.Query == "?t=" + context.Token).FirstOrDefault();
        await page.GotoAsync(ConformanceHosts.Http(ConformanceHosts.Hsts, Route("probe") + "?t=" + context.Token), context.CancellationToken);
        await page.GotoAsync(ConformanceHosts.Http(ConformanceHosts.HstsControl, Route("probe") + "?t=" + context.Token), context.CancellationToken);
        var probe = Probe(ConformanceHosts.Hsts);
        var control = Probe(ConformanceHosts.HstsControl);
        if (probe is null || control is null)
        {
            throw new InvalidOperationException($"{context.Engine.Id}: {Id}: a probe navigation never reached the server (hsts.test: {probe?.Scheme ?? "none"}, control: {control?.Scheme ?? "none"}).");
        }

        var evidence = $"http://hsts.test/ after one HTTPS visit went out as {probe.Scheme}; http://hsts-control.test/ (never visited over HTTPS) went out as {control.Scheme}";
        return control.IsHttps
            ? new(Outcome.Partial, evidence + " — the engine upgrades plain-HTTP navigations by itself, so HSTS's share cannot be told apart")
            : CheckResult.From(probe.IsHttps, evidence);
    }
}

public sealed class CookieFlagsHardened : ConformanceCheck
{
    public override string Id => "cookie-flags-hardened";

    public override string Header => "Set-Cookie";

    public override string? MdnFeature => "Set-Cookie";

    public override string Description => "A cookie that application code sets without attributes is stored by the browser as Secure, HttpOnly and SameSite=Lax (SecureHeaders' cookie hardening), and document.cookie does not show it.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Route("set"), (HttpContext c) =>
        {
            c.Response.Cookies.Append("plain_session", "1");
            c.Response.Cookies.Append("__Host-session", "1");
            return Page(c, $"<script src=\"{Route("read.js")}\"></script>");
        });
        routes.MapGet(Route("read.js"), () => Script("__done({ visible: document.cookie });"));
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        var url = ConformanceHosts.Https(ConformanceHosts.Cookies, Route("set"));
        await using var page = await context.OpenAsync(url);
        var r = await context.ResultAsync(page, Id);
        var cookies = await page.CookiesAsync(url, context.CancellationToken);
        var plain = cookies.FirstOrDefault(static c => c.Name == "plain_session");
        var host = cookies.FirstOrDefault(static c => c.Name == "__Host-session");
        if (plain is null)
        {
            throw new InvalidOperationException($"{context.Engine.Id}: {Id}: the browser stored no plain_session cookie (it has {string.Join(", ", cookies.Select(static c => c.Name))}).");
        }

        return CheckResult.FromParts(
            (plain.Secure, $"stored Secure: {plain.Secure}"),
            (plain.HttpOnly && !r.Text("visible").Contains("plain_session", StringComparison.Ordinal), $"stored HttpOnly: {plain.HttpOnly}, in document.cookie: {r.Text("visible").Contains("plain_session", StringComparison.Ordinal)}"),
            (string.Equals(plain.SameSite, "Lax", StringComparison.OrdinalIgnoreCase), $"stored SameSite: {plain.SameSite ?? "(none)"}"),
            (host is not null, host is null ? "the __Host- cookie was rejected" : "the __Host- cookie was accepted (Secure, Path=/, no Domain)"));
    }
}

public sealed class CookieHostPrefixEnforced : ConformanceCheck
{
    public override string Id => "cookie-host-prefix-enforced";

    public override string Header => "Set-Cookie";

    public override string? MdnFeature => "Set-Cookie";

    public override string? WhereNotEnforced => "WebKitGTK's cookie store (libsoup; Safari's is CFNetwork's) keeps __Host- cookies that break the prefix rules, so the prefix alone does not stop a sibling subdomain or a plain-HTTP page from planting one there; SecureHeaders' hardening makes the application's own __Host- cookies comply, which is what the second half shows.";

    public override string Description => "The browser refuses a __Host- cookie that breaks the prefix rules (Domain set, Path not /, sent by an endpoint without SecureHeaders), and stores the same cookie once SecureHeaders' hardening fixed it (Domain removed, Path=/, Secure).";

    public override void Map(IEndpointRouteBuilder routes)
    {
        const string read = "__done({ cookie: document.cookie });";
        var bad = new CookieOptions { Domain = ConformanceHosts.Cookies, Path = Route(string.Empty), HttpOnly = false };
        routes.MapGet(Route("raw"), (HttpContext c) =>
        {
            c.Response.Cookies.Append("__Host-raw", "1", bad);
            return Page(c, $"<script src=\"{Route("read.js")}\"></script>");
        }).DisableSecureHeaders();
        routes.MapGet(Route("hardened"), (HttpContext c) =>
        {
            c.Response.Cookies.Append("__Host-fixed", "1", bad);
            return Page(c, $"<script src=\"{Route("read.js")}\"></script>");
        });
        routes.MapGet(Route("read.js"), () => Script(read)).DisableSecureHeaders();
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        var raw = ConformanceHosts.Https(ConformanceHosts.Cookies, Route("raw"));
        var hardened = ConformanceHosts.Https(ConformanceHosts.Cookies, Route("hardened"));
        await using var page = await context.OpenAsync(raw);
        await context.ResultAsync(page, Id);
        var rawStored = (await page.CookiesAsync(raw, context.CancellationToken)).Any(static c => c.Name == "__Host-raw");
        await page.GotoAsync(hardened, context.CancellationToken);
        await context.ResultAsync(page, Id);
        var fixedCookie = (await page.CookiesAsync(hardened, context.CancellationToken)).FirstOrDefault(static c => c.Name == "__Host-fixed");
        return CheckResult.FromParts(
            (!rawStored, rawStored ? "the browser stored the non-compliant __Host- cookie" : "the browser refused the non-compliant __Host- cookie (Domain, Path not /, no Secure)"),
            (fixedCookie is { Secure: true, Path: "/" }, fixedCookie is null ? "the hardened __Host- cookie was not stored" : $"the hardened one was stored (Path {fixedCookie.Path}, Secure {fixedCookie.Secure})"));
    }
}
