using System.Collections.Immutable;
using System.Globalization;
using SecureHeaders.Headers;
using SecureHeaders.Analysis.Html;

namespace SecureHeaders.Analysis.Observatory;

/// <summary>The HSTS preload list the Observatory consults (Chromium's list, in force-https mode).</summary>
public interface IHstsPreloadList
{
    /// <summary>True when the host is preloaded itself, or a parent domain is preloaded with include_subdomains.</summary>
    bool IsPreloaded(string host);
}

/// <summary>
/// Grades a <see cref="SiteSnapshot"/> exactly as a release of Mozilla HTTP Observatory does (1.4.8, 1.6.3 or main, see
/// <see cref="ObservatoryVersion"/>): the same tests, result names, modifiers, pass flags, score and grade — including
/// its quirks: Node.js joining repeated
/// headers, a non-numeric HSTS max-age passing, <c>frame-ancestors</c> anywhere earning the X-Frame-Options bonus,
/// <c>'strict-dynamic'</c> without a nonce or hash making the CSP invalid, a repeated <c>report-uri</c> costing the
/// CSP bonus, cookie results kept by rank rather than by modifier, the CORS preflight Origin never being compared,
/// bonuses counting only from an uncurved 90, and the grade chart.
/// </summary>
public static class ObservatoryGrader
{
    private static readonly string[] s_broad = ["ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"];
    private static readonly string[] s_unsafeInline = ["'unsafe-inline'", "data:"];
    private static readonly string[] s_noncesHashes = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];

    private sealed class NoPreload : IHstsPreloadList
    {
        public bool IsPreloaded(string host) => false;
    }

    /// <summary>Grades the snapshot as 1.4.8 does. <paramref name="preloadList"/> defaults to an empty list (no host preloaded).</summary>
    public static ObservatoryResult Grade(SiteSnapshot site, IHstsPreloadList? preloadList = null, DateTimeOffset? now = null) =>
        Grade(site, ObservatoryVersion.Release148, preloadList, now);

    /// <summary>Grades the snapshot as the given release does. <paramref name="preloadList"/> defaults to an empty list.</summary>
    public static ObservatoryResult Grade(SiteSnapshot site, ObservatoryVersion version, IHstsPreloadList? preloadList = null, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (site.Primary is null)
        {
            return ObservatoryResult.Failed(version, "The site seems to be down.");
        }

        var status = site.Primary.StatusCode;
        if (status < 200 || (status >= 400 && status is not 401 and not 403))
        {
            return ObservatoryResult.Failed(version, $"Site did respond with an unexpected HTTP status code {status}.");
        }

        var context = new Context(site, version, preloadList ?? new NoPreload(), now ?? DateTimeOffset.UtcNow);
        var tests = ImmutableArray.CreateBuilder<ObservatoryTestResult>(12);
        tests.Add(ContentSecurityPolicy(context));
        tests.Add(Cookies(context));
        if (version.HasCrossOriginIsolationTests())
        {
            tests.Add(CrossOriginEmbedderPolicy(context));
            tests.Add(CrossOriginOpenerPolicy(context));
        }

        tests.Add(Cors(context));
        tests.Add(Redirection(context));
        tests.Add(ReferrerPolicy(context));
        tests.Add(StrictTransportSecurity(context));
        tests.Add(SubresourceIntegrity(context));
        tests.Add(XContentTypeOptions(context));
        tests.Add(XFrameOptions(context));
        tests.Add(CrossOriginResourcePolicy(context));
        return new ObservatoryResult(version, tests.ToImmutable());
    }

    private sealed class Context
    {
        public Context(SiteSnapshot site, ObservatoryVersion version, IHstsPreloadList preload, DateTimeOffset now)
        {
            Site = site;
            Version = version;
            Preload = preload;
            Now = now;
            Auto = site.Primary;
            AutoHeaders = new NodeHeaderView(Auto);
            HttpsHeaders = new NodeHeaderView(site.Https);
            AutoIsHttps = site.Https is not null;
            var reading = version.ReadsPagesAsTagStream() ? HtmlReading.TagStream : HtmlReading.Dom;
            var body = Auto?.Body;
            var isHtml = IsNodeHtml(AutoHeaders);

            // Meta policies are read from HTML pages only. From 1.5 on the SRI test also reads a page that has no
            // Content-Type at all ("mime && !HTML_TYPES.has(mime)").
            var scanned = !string.IsNullOrEmpty(body) && (isHtml || (version.ReadsPagesAsTagStream() && string.IsNullOrEmpty(AutoHeaders.Get("content-type"))))
                ? HtmlInlineScanner.ScanServedPage(body, reading)
                : null;
            var html = isHtml ? scanned : null;
            Html = html;
            SriHtml = scanned;

            // Like the Observatory: a meta with http-equiv and content is read as http-equiv only, and name="referrer"
            // counts on the other metas; an empty content counts for neither, and the last referrer wins.
            foreach (var meta in html?.Meta ?? [])
            {
                if (meta.Content.Length == 0)
                {
                    continue;
                }

                if (meta.Name == "content-security-policy")
                {
                    MetaCsp.Add(meta.Content);
                }
                else if (meta.Name == "referrer" && !meta.ReferrerBesideHttpEquiv)
                {
                    MetaReferrer = meta.Content;
                }
            }
        }

        public SiteSnapshot Site { get; }

        public ObservatoryVersion Version { get; }

        public IHstsPreloadList Preload { get; }

        public DateTimeOffset Now { get; }

        public HeaderSet? Auto { get; }

        public NodeHeaderView AutoHeaders { get; }

        public NodeHeaderView HttpsHeaders { get; }

        /// <summary>True when the auto response came from the https:// fetch (the Observatory's session URL is https).</summary>
        public bool AutoIsHttps { get; }

        public HtmlScanResult? Html { get; }

        /// <summary>The page as the SRI test reads it (from 1.5 on also a page without Content-Type).</summary>
        public HtmlScanResult? SriHtml { get; }

        public CspOutcome? Csp { get; set; }

        public ObservatoryTestResult Make(string test, string result, bool pass, string expectation, string? detail = null) =>
            new(test, result, ObservatoryScoring.ModifierOf(result, Version), pass, expectation, detail);

        public List<string> MetaCsp { get; } = [];

        public string? MetaReferrer { get; }

        public string Host => Site.Host;
    }

    // The Observatory compares the raw media type: no trimming, no lower-casing.
    private static bool IsNodeHtml(NodeHeaderView headers)
    {
        var contentType = headers.Get("content-type");
        if (contentType is null)
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mime = semicolon < 0 ? contentType : contentType[..semicolon];
        return mime is "text/html" or "application/xhtml+xml";
    }


    // ---------------------------------------------------------------- content-security-policy

    private sealed record CspOutcome(string Result, bool Pass, ObservatoryCsp.CspMap? Data, string? Detail);

    private static ObservatoryTestResult ContentSecurityPolicy(Context context)
    {
        const string Expectation = "csp-implemented-with-no-unsafe";
        var outcome = EvaluateCsp(context);
        return context.Make("content-security-policy", outcome.Result, outcome.Pass, Expectation, outcome.Detail);
    }

    // The CSP test's outcome, read by the X-Frame-Options test too: computed once per grading.
    private static CspOutcome EvaluateCsp(Context context) => context.Csp ??= ComputeCsp(context);

    private static CspOutcome ComputeCsp(Context context)
    {
        const string Expectation = "csp-implemented-with-no-unsafe";
        if (context.Auto is null)
        {
            return new("csp-not-implemented", false, null, null);
        }

        var header = context.AutoHeaders.GetAll("content-security-policy");
        if (context.Version.SplitsCspOnCommas())
        {
            // 1.6.2 (#496): the joined header value is split on commas, one policy per piece.
            header = [.. header.SelectMany(static h => h.Split(','))];
        }

        var meta = context.MetaCsp;
        ObservatoryCsp.CspMap csp;
        try
        {
            csp = ObservatoryCsp.Parse([.. header, .. meta]);
        }
        catch (ObservatoryCsp.InvalidPolicyException e)
        {
            return new("csp-header-invalid", false, null, e.Message);
        }

        ObservatoryCsp.CspMap headerOnly;
        try
        {
            headerOnly = ObservatoryCsp.Parse(header);
        }
        catch (ObservatoryCsp.InvalidPolicyException)
        {
            headerOnly = new();
        }

        ObservatoryCsp.CspMap metaOnly;
        try
        {
            metaOnly = ObservatoryCsp.ParseMeta(meta);
        }
        catch (ObservatoryCsp.InvalidPolicyException)
        {
            metaOnly = new();
        }

        if (headerOnly.Size + metaOnly.Size == 0)
        {
            var reportOnly = context.AutoHeaders.Get("content-security-policy-report-only");
            return new(string.IsNullOrEmpty(reportOnly) ? "csp-not-implemented" : "csp-not-implemented-but-reporting-enabled", false, null, null);
        }

        string? result = null;
        ObservatoryCsp.SourceSet Star() => new(["*"]);
        var scriptSrc = csp.Get("script-src") ?? csp.Get("default-src") ?? Star();
        var styleSrc = csp.Get("style-src") ?? csp.Get("default-src") ?? Star();
        var objectSrc = csp.Get("object-src") ?? csp.Get("default-src") ?? Star();

        // Nonces and hashes cancel 'unsafe-inline' (the sets may be one and the same object, as in the Observatory).
        foreach (var list in new[] { scriptSrc, styleSrc })
        {
            if (list.Any(IsNonceOrHash) && list.Has("'unsafe-inline'"))
            {
                list.Delete("'unsafe-inline'");
            }
        }

        if (scriptSrc.Any(IsNonceOrHash) && scriptSrc.Has("'strict-dynamic'"))
        {
            foreach (var source in scriptSrc.Items.ToList())
            {
                if (Array.Exists(s_broad, b => source.StartsWith(b, StringComparison.Ordinal)) || source is "'self'" or "'unsafe-inline'")
                {
                    scriptSrc.Delete(source);
                }
            }
        }
        else if (scriptSrc.Has("'strict-dynamic'"))
        {
            result ??= "csp-header-invalid";
        }

        var active = new List<string>();
        foreach (var name in csp.Order)
        {
            if (name is not "img-src" and not "media-src" and not "script-src")
            {
                active.AddRange(csp.Directives[name].Items);
            }
        }

        active.AddRange(csp.DuplicateWarnings);
        active.AddRange(scriptSrc.Items);
        var passive = new List<string>();
        foreach (var name in new[] { "img-src", "media-src" })
        {
            passive.AddRange((csp.Get(name) ?? csp.Get("default-src"))?.Items ?? []);
        }

        static bool Insecure(string s) => s.StartsWith("http:", StringComparison.Ordinal) || s.StartsWith("ftp:", StringComparison.Ordinal);
        if (scriptSrc.Any(s => IsBroad(s) || IsUnsafeInline(s)) || objectSrc.Any(IsBroad))
        {
            result ??= "csp-implemented-with-unsafe-inline";
        }

        if (context.AutoIsHttps && active.Exists(Insecure))
        {
            result ??= "csp-implemented-with-insecure-scheme";
        }

        if (scriptSrc.Has("'unsafe-eval'") || styleSrc.Has("'unsafe-eval'"))
        {
            result ??= "csp-implemented-with-unsafe-eval";
        }

        if (context.AutoIsHttps && passive.Exists(Insecure))
        {
            result ??= "csp-implemented-with-insecure-scheme-in-passive-content-only";
        }

        if (styleSrc.Any(s => IsBroad(s) || IsUnsafeInline(s)))
        {
            result ??= "csp-implemented-with-unsafe-inline-in-style-src-only";
        }

        var defaultSrc = csp.Get("default-src");
        result ??= defaultSrc is not null && defaultSrc.Has("'none'") && defaultSrc.Count == 1
            ? "csp-implemented-with-no-unsafe-default-src-none"
            : "csp-implemented-with-no-unsafe";

        var pass = result is Expectation or "csp-implemented-with-no-unsafe-default-src-none"
            or "csp-implemented-with-unsafe-inline-in-style-src-only" or "csp-implemented-with-insecure-scheme-in-passive-content-only";
        if (pass && csp.DuplicateWarnings.Count > 0)
        {
            result = "csp-implemented-but-duplicate-directives";
        }

        var detail = string.Join("; ", csp.Order.Select(n => n + " " + string.Join(' ', csp.Directives[n].Items)));
        return new(result, pass, csp, detail);
    }

    private static bool IsNonceOrHash(string source) => Array.Exists(s_noncesHashes, p => source.StartsWith(p, StringComparison.Ordinal));

    private static bool IsBroad(string source) => Array.IndexOf(s_broad, source) >= 0;

    private static bool IsUnsafeInline(string source) => Array.IndexOf(s_unsafeInline, source) >= 0;

    // ---------------------------------------------------------------- cookies

    private static readonly string[] s_cookieRank =
    [
        "cookies-without-secure-flag-but-protected-by-hsts", "cookies-without-secure-flag",
        "cookies-session-without-secure-flag-but-protected-by-hsts", "cookies-samesite-flag-invalid",
        "cookies-anticsrf-without-samesite-flag", "cookies-session-without-httponly-flag", "cookies-session-without-secure-flag",
    ];

    private static string? Worse(string candidate, string? current, string[] order) =>
        current is null || Array.IndexOf(order, candidate) > Array.IndexOf(order, current) ? candidate : current;

    internal static IReadOnlyList<StoredCookie> StoredCookies(SiteSnapshot site, DateTimeOffset now)
    {
        var jar = new ObservatoryCookieJar(now);
        var auto = site.Primary;
        if (auto is null)
        {
            return [];
        }

        foreach (var hop in auto.RedirectChain)
        {
            jar.BeforeRequest(hop.Url);
            jar.Store(hop.Url, hop.Headers.Where(h => h.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
        }

        if (auto.Url is { } url)
        {
            jar.BeforeRequest(url);
            jar.Store(url, auto.GetValues("Set-Cookie"));
        }

        return jar.Cookies.Where(c => c.Name != "heroku-session-affinity").ToList();
    }

    private static ObservatoryTestResult Cookies(Context context)
    {
        const string Expectation = "cookies-secure-with-httponly-sessions";
        string? result = null;
        var hsts = StrictTransportSecurity(context).Pass;
        foreach (var raw in context.AutoHeaders.GetAll("set-cookie"))
        {
            if (HasMalformedSameSite(raw))
            {
                result = Worse("cookies-samesite-flag-invalid", result, s_cookieRank);
            }
        }

        var cookies = StoredCookies(context.Site, context.Now);
        string detail;
        if (cookies.Count == 0)
        {
            result = "cookies-not-found";
            detail = "no cookies stored";
        }
        else
        {
            var missingSameSite = false;
            foreach (var cookie in cookies)
            {
                var lower = cookie.Name.ToLowerInvariant();
                var session = lower.Contains("login", StringComparison.Ordinal) || lower.Contains("sess", StringComparison.Ordinal);
                var antiCsrf = lower.Contains("csrf", StringComparison.Ordinal);
                if (!cookie.Secure && cookie.SameSite == SetCookieSameSite.None)
                {
                    result = Worse("cookies-samesite-flag-invalid", result, s_cookieRank);
                }

                if (!cookie.Secure)
                {
                    result = Worse(hsts ? "cookies-without-secure-flag-but-protected-by-hsts" : "cookies-without-secure-flag", result, s_cookieRank);
                }

                if (antiCsrf && !cookie.HasSameSite)
                {
                    result = Worse("cookies-anticsrf-without-samesite-flag", result, s_cookieRank);
                }

                if (session && !cookie.Secure)
                {
                    result = Worse(hsts ? "cookies-session-without-secure-flag-but-protected-by-hsts" : "cookies-session-without-secure-flag", result, s_cookieRank);
                }

                if (session && !cookie.HttpOnly)
                {
                    result = Worse("cookies-session-without-httponly-flag", result, s_cookieRank);
                }

                missingSameSite |= !cookie.HasSameSite;
            }

            result ??= missingSameSite ? Expectation : "cookies-secure-with-httponly-sessions-and-samesite";
            detail = string.Join(", ", cookies.Select(c => c.Name + (c.Secure ? " Secure" : string.Empty) + (c.HttpOnly ? " HttpOnly" : string.Empty)
                + (c.HasSameSite ? " SameSite=" + c.SameSite : string.Empty)));
        }

        var pass = result is "cookies-not-found" or "cookies-secure-with-httponly-sessions-and-samesite" or Expectation;
        return context.Make("cookies", result!, pass, Expectation, detail);
    }

    // The raw-header check: a SameSite attribute with no value, or one other than lax/strict/none.
    private static bool HasMalformedSameSite(string raw)
    {
        foreach (var part in raw.Trim().Split(';'))
        {
            var pieces = part.Trim().Split('=');
            if (pieces[0].Trim().Equals("samesite", StringComparison.OrdinalIgnoreCase))
            {
                if (pieces.Length < 2 || pieces[1].Length == 0)
                {
                    return true;
                }

                if (pieces[1].Trim().ToLowerInvariant() is not "lax" and not "strict" and not "none")
                {
                    return true;
                }
            }
        }

        return false;
    }

    // ---------------------------------------------------------------- cross-origin-resource-sharing

    private static ObservatoryTestResult Cors(Context context)
    {
        const string Expectation = "cross-origin-resource-sharing-not-implemented";
        var result = Expectation;
        string? detail = null;
        var preflight = context.Auto?.CorsPreflight;
        if (preflight is not null)
        {
            var view = new NodeHeaderView(preflight);
            var allowOrigin = view.Get("access-control-allow-origin");
            if (!string.IsNullOrEmpty(allowOrigin))
            {
                var data = (allowOrigin.Length > 256 ? allowOrigin[..256] : allowOrigin).Trim().ToLowerInvariant();
                detail = "Access-Control-Allow-Origin: " + data;

                // The Observatory reads the request's Origin from a property Node's request does not have, so it never
                // matches and "universal access" cannot occur in a live scan (1.4.8).
                result = data == "*"
                    ? "cross-origin-resource-sharing-implemented-with-public-access"
                    : "cross-origin-resource-sharing-implemented-with-restricted-access";
            }
        }

        return context.Make("cross-origin-resource-sharing", result, true, Expectation, detail);
    }

    // ---------------------------------------------------------------- redirection

    private static ObservatoryTestResult Redirection(Context context)
    {
        const string Expectation = "redirection-to-https";
        var http = context.Site.Http;
        string result;
        string? detail = null;
        if (http is null)
        {
            result = "redirection-not-needed-no-http";
        }
        else if (http.TlsVerified == false)
        {
            result = "redirection-invalid-cert";
        }
        else
        {
            var route = http.RedirectChain.Select(h => h.Url).Append(http.Url ?? context.Site.Target).ToList();
            detail = string.Join(" -> ", route.Select(u => u.AbsoluteUri));
            if (route.TrueForAll(u => context.Preload.IsPreloaded(u.Host)))
            {
                result = "redirection-all-redirects-preloaded";
            }
            else if (route.Count == 1)
            {
                result = "redirection-missing";
            }
            else if (route[^1].Scheme != Uri.UriSchemeHttps)
            {
                result = "redirection-not-to-https";
            }
            else if (route[1].Scheme == Uri.UriSchemeHttp)
            {
                result = "redirection-not-to-https-on-initial-redirection";
            }
            else if (route[0].Scheme == Uri.UriSchemeHttp && route[1].Scheme == Uri.UriSchemeHttps && route[0].Host != route[1].Host)
            {
                result = "redirection-off-host-from-http";
            }
            else
            {
                result = Expectation;
            }
        }

        var pass = result is "redirection-not-needed-no-http" or "redirection-all-redirects-preloaded" or Expectation;
        return context.Make("redirection", result, pass, Expectation, detail);
    }

    // ---------------------------------------------------------------- referrer-policy

    private static readonly string[] s_referrerGood = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];
    private static readonly string[] s_referrerBad = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"];

    private static ObservatoryTestResult ReferrerPolicy(Context context)
    {
        const string Expectation = "referrer-policy-private";
        if (context.Auto is null)
        {
            return context.Make("referrer-policy", "referrer-policy-not-implemented", false, Expectation);
        }

        var values = context.AutoHeaders.GetAll("referrer-policy").ToList();
        if (context.MetaReferrer is { } meta)
        {
            values.Add(meta);
        }

        if (values.Count == 0)
        {
            return context.Make("referrer-policy", "referrer-policy-not-implemented", true, Expectation);
        }

        var data = string.Join(", ", values);
        var policy = data.Split(',')
            .Select(static t => t.Trim().ToLowerInvariant())
            .LastOrDefault(t => Array.IndexOf(s_referrerGood, t) >= 0 || Array.IndexOf(s_referrerBad, t) >= 0);
        var result = policy is null ? "referrer-policy-header-invalid"
            : Array.IndexOf(s_referrerGood, policy) >= 0 ? Expectation
            : "referrer-policy-unsafe";
        return context.Make("referrer-policy", result, result == Expectation, Expectation, data);
    }

    // ---------------------------------------------------------------- strict-transport-security

    private const long SixMonths = 15552000;

    private static ObservatoryTestResult StrictTransportSecurity(Context context)
    {
        const string Expectation = "hsts-implemented-max-age-at-least-six-months";
        var https = context.Site.Https;
        var result = "hsts-not-implemented";
        string? detail = null;
        if (https is null)
        {
            result = "hsts-not-implemented-no-https";
        }
        else if (https.TlsVerified == false)
        {
            result = "hsts-invalid-cert";
        }
        else if (context.HttpsHeaders.GetAll("strict-transport-security") is [var header, ..])
        {
            detail = header.Length > 1024 ? header[..1024] : header;
            result = ObservatoryHstsValue.Classify(detail);
        }

        if (https is not null && context.Preload.IsPreloaded(context.Host))
        {
            result = "hsts-preloaded";
        }

        return context.Make("strict-transport-security", result, result is Expectation or "hsts-preloaded", Expectation, detail);
    }

    // ---------------------------------------------------------------- subresource-integrity

    private static readonly string[] s_sriRank =
    [
        "sri-implemented-and-all-scripts-loaded-securely", "sri-implemented-and-external-scripts-loaded-securely",
        "sri-implemented-but-external-scripts-not-loaded-securely", "sri-not-implemented-but-external-scripts-loaded-securely",
        "sri-not-implemented-and-external-scripts-not-loaded-securely", "sri-not-implemented-response-not-html",
    ];

    private static ObservatoryTestResult SubresourceIntegrity(Context context)
    {
        const string Expectation = "sri-implemented-and-external-scripts-loaded-securely";
        string? result = null;
        string? detail = null;
        if (context.Auto is null)
        {
            return context.Make("subresource-integrity", "sri-not-implemented-but-no-scripts-loaded", false, Expectation);
        }

        var tagStream = context.Version.ReadsPagesAsTagStream();
        var hasContentType = !string.IsNullOrEmpty(context.AutoHeaders.Get("content-type"));
        if (!IsNodeHtml(context.AutoHeaders) && (!tagStream || hasContentType))
        {
            result = "sri-not-implemented-response-not-html";
        }
        else
        {
            // No scan means an empty body, which has no scripts.
            var html = context.SriHtml;
            var foreign = false;
            var described = new List<string>();
            var hostDomain = RegistrableDomain.Of(context.Host);
            foreach (var script in html?.External ?? [])
            {
                // jsdom's script.src comes back normalized; htmlparser2 gives the attribute as written.
                var src = script.Kind != HtmlExternalKind.Script ? null : tagStream ? script.Url : ReflectedSrc(script.Url);
                if (string.IsNullOrEmpty(src))
                {
                    continue;
                }

                var integrity = !string.IsNullOrEmpty(script.Integrity);
                bool relativeOrigin = false, relativeProtocol = false, sameDomain;
                string? scheme = null;
                if (src.Length > 2 && src.StartsWith("//", StringComparison.Ordinal) && src[2] != '/')
                {
                    relativeProtocol = true;
                    sameDomain = true;
                }
                else if (src.StartsWith("http://", StringComparison.Ordinal) || src.StartsWith("https://", StringComparison.Ordinal))
                {
                    // An unparseable URL (a space in the host…) has no domain and no usable scheme.
                    var parsed = Uri.TryCreate(src, UriKind.Absolute, out var uri);
                    sameDomain = RegistrableDomain.Of(parsed ? uri!.Host : null) == hostDomain;
                    scheme = parsed ? uri!.Scheme : null;
                }
                else
                {
                    relativeOrigin = true;
                    sameDomain = true;
                }

                var secureOrigin = relativeOrigin || (sameDomain && !relativeProtocol);
                foreign |= !secureOrigin;
                var secureScheme = scheme == Uri.UriSchemeHttps || (relativeOrigin && context.AutoIsHttps);
                if (!secureOrigin)
                {
                    described.Add(src + (integrity ? " (integrity)" : " (no integrity)"));
                    var candidate = integrity && !secureScheme ? "sri-implemented-but-external-scripts-not-loaded-securely"
                        : !integrity && secureScheme ? "sri-not-implemented-but-external-scripts-loaded-securely"
                        : !integrity ? "sri-not-implemented-and-external-scripts-not-loaded-securely"
                        : null;
                    if (candidate is not null)
                    {
                        result = Worse(candidate, result, s_sriRank);
                    }
                }
                else if (integrity && secureScheme && result is null)
                {
                    result = "sri-implemented-and-all-scripts-loaded-securely";
                }
            }

            if (html is null || html.ScriptElements == 0)
            {
                result = "sri-not-implemented-but-no-scripts-loaded";
            }
            else
            {
                result ??= foreign ? Expectation : "sri-not-implemented-but-all-scripts-loaded-from-secure-origin";
            }

            detail = described.Count == 0 ? null : string.Join(", ", described);
        }

        var pass = result is "sri-implemented-and-all-scripts-loaded-securely" or Expectation or "sri-not-implemented-response-not-html"
            or "sri-not-implemented-but-all-scripts-loaded-from-secure-origin" or "sri-not-implemented-but-no-scripts-loaded";
        return context.Make("subresource-integrity", result, pass, Expectation, detail);
    }

    /// <summary>
    /// What <c>script.src</c> returns in a document whose URL is <c>about:blank</c> (as the Observatory's parser
    /// builds it): an absolute URL comes back normalized, anything relative comes back as written.
    /// </summary>
    internal static string? ReflectedSrc(string? attribute)
    {
        if (attribute is null)
        {
            return null;
        }

        var trimmed = attribute.Trim(' ', '\t', '\n', '\f', '\r');
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && char.IsAsciiLetter(trimmed[0]) && trimmed[..colon].All(static c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            var scheme = trimmed[..colon].ToLowerInvariant();
            if (scheme is "http" or "https")
            {
                var rest = trimmed[(colon + 1)..].TrimStart('/', '\\');
                return Uri.TryCreate(scheme + "://" + rest, UriKind.Absolute, out var uri) ? uri.AbsoluteUri : attribute;
            }

            return trimmed;
        }

        return attribute;
    }

    // ---------------------------------------------------------------- x-content-type-options

    private static ObservatoryTestResult XContentTypeOptions(Context context)
    {
        const string Expectation = "x-content-type-options-nosniff";
        var header = context.AutoHeaders.Get("x-content-type-options");
        string result;
        if (string.IsNullOrEmpty(header))
        {
            result = "x-content-type-options-not-implemented";
        }
        else
        {
            var data = header.Length > 256 ? header[..256] : header;
            result = string.Equals(data.Trim(), "nosniff", StringComparison.OrdinalIgnoreCase) ? Expectation : "x-content-type-options-header-invalid";
        }

        return context.Make("x-content-type-options", result, result == Expectation, Expectation, header);
    }

    // ---------------------------------------------------------------- x-frame-options

    private static ObservatoryTestResult XFrameOptions(Context context)
    {
        const string Expectation = "x-frame-options-sameorigin-or-deny";
        var header = context.AutoHeaders.Get("x-frame-options");
        string result;
        if (context.Auto is null || string.IsNullOrEmpty(header))
        {
            result = "x-frame-options-not-implemented";
        }
        else
        {
            var xfo = (header.Length > 1024 ? header[..1024] : header).Trim().ToLowerInvariant();
            result = xfo is "deny" or "sameorigin" ? Expectation
                : xfo.StartsWith("allow-from", StringComparison.Ordinal) ? "x-frame-options-allow-from-origin"
                : "x-frame-options-header-invalid";
        }

        if (context.Auto is not null && EvaluateCsp(context).Data?.Get("frame-ancestors") is not null)
        {
            result = "x-frame-options-implemented-via-csp";
        }

        var pass = result is "x-frame-options-allow-from-origin" or Expectation or "x-frame-options-implemented-via-csp";
        return context.Make("x-frame-options", result, pass, Expectation, header);
    }

    // ---------------------------------------------------------------- cross-origin-resource-policy

    private static ObservatoryTestResult CrossOriginResourcePolicy(Context context)
    {
        const string Expectation = "corp-implemented-with-same-site";
        var result = "corp-not-implemented";
        var header = context.AutoHeaders.Get("cross-origin-resource-policy");
        if (context.Auto is not null && !string.IsNullOrEmpty(header))
        {
            var corp = (header.Length > 256 ? header[..256] : header).Trim().ToLowerInvariant();
            if (corp.Length > 0)
            {
                result = corp switch
                {
                    "same-site" => Expectation,
                    "same-origin" => "corp-implemented-with-same-origin",
                    "cross-origin" => "corp-implemented-with-cross-origin",
                    _ => "corp-header-invalid",
                };
            }
        }

        return context.Make("cross-origin-resource-policy", result, result != "corp-header-invalid", Expectation, header);
    }
    // ---------------------------------------------------------------- cross-origin-embedder/opener-policy (main, #498)

    private static ObservatoryTestResult CrossOriginEmbedderPolicy(Context context) =>
        CrossOriginIsolation(context, "cross-origin-embedder-policy", "coep", ["require-corp", "credentialless", "unsafe-none"]);

    private static ObservatoryTestResult CrossOriginOpenerPolicy(Context context) =>
        CrossOriginIsolation(context, "cross-origin-opener-policy", "coop", ["same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none"]);

    // Both headers are RFC 8941 items whose bare item must be one of the known tokens (HTML §7.1.3 / §7.1.4 parse
    // them as structured fields); parameters such as report-to are allowed. A repeated header arrives joined with
    // ", " and is no item, so it is invalid too.
    private static ObservatoryTestResult CrossOriginIsolation(Context context, string test, string prefix, string[] policies)
    {
        var expectation = prefix + "-not-implemented";
        var result = expectation;
        var header = context.AutoHeaders.Get(test);
        string? detail = null;
        if (!string.IsNullOrEmpty(header))
        {
            detail = ObservatoryCsp.JsTrim(header.Length > 1024 ? header[..1024] : header);
            var item = SecureHeaders.Headers.StructuredFields.SfParser.ParseItem(detail);
            var token = item.Value is { } parsed && parsed.Value.Kind == SecureHeaders.Headers.StructuredFields.SfKind.Token ? parsed.Value.AsString : null;
            result = token is not null && Array.IndexOf(policies, token) >= 0
                ? prefix + "-implemented-with-" + token
                : prefix + "-header-invalid";
        }

        return context.Make(test, result, result != prefix + "-header-invalid", expectation, detail);
    }
}

/// <summary>The Observatory's reading of an HSTS value (its own quirks, not RFC 6797).</summary>
internal static class ObservatoryHstsValue
{
    public static string Classify(string value)
    {
        if (value.Contains(',', StringComparison.Ordinal))
        {
            return "hsts-header-invalid";
        }

        double? maxAge = null;
        foreach (var parameter in value.Split(';').Select(static p => ObservatoryCsp.JsTrim(p).ToLowerInvariant()))
        {
            if (parameter.StartsWith("max-age=", StringComparison.Ordinal))
            {
                var digits = parameter.Length > 128 ? parameter[8..128] : parameter[8..];
                maxAge = JsParseInt(digits);
            }
        }

        if (maxAge is null)
        {
            return "hsts-header-invalid";
        }

        // NaN < 15552000 is false in JavaScript, so a max-age that is not a number passes.
        return maxAge < 15552000 ? "hsts-implemented-max-age-less-than-six-months" : "hsts-implemented-max-age-at-least-six-months";
    }

    /// <summary>JavaScript's <c>parseInt(text, 10)</c>: leading white space, a sign, then the longest run of digits; NaN when none.</summary>
    internal static double JsParseInt(string text)
    {
        var s = ObservatoryCsp.JsTrim(text);
        var i = 0;
        var negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }

        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        if (i == start)
        {
            return double.NaN;
        }

        var number = double.Parse(s[start..i], NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -number : number;
    }
}
