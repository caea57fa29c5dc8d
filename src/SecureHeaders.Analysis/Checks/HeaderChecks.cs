using SecureHeaders.Compatibility;
using SecureHeaders.Csp;
using SecureHeaders.Headers;
using SecureHeaders.Analysis.Html;

namespace SecureHeaders.Analysis.Checks;

/// <summary>Framing, sniffing, referrer, isolation headers, CORS, SRI, cookies, leaks, deprecated headers, duplicates.</summary>
internal static class HeaderChecks
{
    private static readonly string[] s_securityHeaders =
    [
        "Content-Security-Policy-Report-Only", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
        "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy", "Access-Control-Allow-Origin",
        "X-Permitted-Cross-Domain-Policies",
    ];

    // OWASP Secure Headers Project ci/headers_add.json, embedded under Data/owasp (source and licence in Data/README.md).
    private static readonly Lazy<(string Name, string Value)[]> s_recommended = new(() =>
    {
        using var doc = Internal.EmbeddedData.Load("owasp/headers_add.json");
        return [.. doc.RootElement.GetProperty("headers").EnumerateArray().Select(static e => (e.GetProperty("name").GetString()!, e.GetProperty("value").GetString()!))];
    });

    public static void Run(CheckContext c)
    {
        Framing(c);
        ContentTypeOptions(c);
        Referrer(c);
        PermissionsPolicy(c);
        Isolation(c);
        Cors(c);
        Sri(c);
        CookieChecks(c);
        Leaks(c);
        Deprecated(c);
        Duplicates(c);
        OwaspRecommendations(c);
    }

    private static void Framing(CheckContext c)
    {
        var xfo = c.Response.GetValues("X-Frame-Options");
        var frameAncestors = c.EnforcedPolicies.Select(static p => p.Find(CspDirectives.FrameAncestors)).FirstOrDefault(static d => d is not null);
        var xfoKind = xfo.Count == 0 ? null : ClassifyFrameOptions(xfo);
        var xfoProtects = xfoKind is "DENY" or "SAMEORIGIN";
        var faProtects = frameAncestors is not null && !frameAncestors.Values.Any(static v => v.IsWildcardHost || v.Kind == CspSourceKind.Scheme);
        if (frameAncestors is not null && !faProtects)
        {
            c.Add("frame-ancestors-allows-any", FindingSeverity.Medium, "framing",
                $"frame-ancestors allows any site ({frameAncestors}), so clickjacking is possible. The Observatory still gives it +5 (x-frame-options-implemented-via-csp); browsers that support CSP ignore X-Frame-Options when frame-ancestors is present.",
                "Use frame-ancestors 'none' (or 'self', or a list of trusted origins).", OptionPaths.FrameAncestors, "Content-Security-Policy", frameAncestors.ToString());
        }

        if (xfoKind is "ALLOW-FROM")
        {
            c.Add("xfo-allow-from-ignored", FindingSeverity.Medium, "framing",
                "X-Frame-Options ALLOW-FROM is ignored by current browsers (the Observatory still passes it), so the page can be framed by anyone unless frame-ancestors says otherwise.",
                "Use CSP frame-ancestors with the allowed origin, and X-Frame-Options SAMEORIGIN or DENY.", OptionPaths.FrameAncestors, "X-Frame-Options", xfo[0]);
        }
        else if (xfoKind is "INVALID" or "CONFLICT")
        {
            c.Add("xfo-invalid", FindingSeverity.Medium, "framing",
                $"X-Frame-Options \"{string.Join(", ", xfo)}\" is not DENY or SAMEORIGIN, so browsers ignore it" + (xfo.Count > 1 ? " (it is sent more than once)." : "."),
                "Send X-Frame-Options: DENY (or SAMEORIGIN) once.", OptionPaths.FrameOptions, "X-Frame-Options", string.Join(", ", xfo));
        }

        if (!xfoProtects && !faProtects)
        {
            c.Add("clickjacking-unprotected", FindingSeverity.High, "framing",
                "Nothing stops other sites from framing this page (no effective X-Frame-Options or frame-ancestors): clickjacking is possible.",
                "Send Content-Security-Policy frame-ancestors 'none' and X-Frame-Options: DENY (or 'self'/SAMEORIGIN).", OptionPaths.FrameAncestors, "X-Frame-Options");
        }
        else if (xfoProtects && !faProtects && frameAncestors is null)
        {
            c.Add("frame-ancestors-missing", FindingSeverity.Low, "framing",
                "Framing is limited by X-Frame-Options only; CSP frame-ancestors is the standard replacement and also earns the Observatory's +5.",
                "Add frame-ancestors 'none' (or 'self') to the CSP.", OptionPaths.FrameAncestors, "Content-Security-Policy");
        }
        else if (xfoProtects && frameAncestors is not null)
        {
            var faNone = frameAncestors.AllowsNothing;
            var faSelf = frameAncestors.Values.Length == 1 && frameAncestors.Values[0].Equals(CspSource.Self);
            if ((xfoKind == "DENY" && !faNone) || (xfoKind == "SAMEORIGIN" && !faSelf && !faNone))
            {
                c.Add("xfo-conflicts-with-frame-ancestors", FindingSeverity.Low, "framing",
                    $"X-Frame-Options {xfoKind} and {frameAncestors} say different things. Browsers with CSP follow frame-ancestors; old ones follow X-Frame-Options.",
                    "Make them agree: DENY with frame-ancestors 'none', SAMEORIGIN with frame-ancestors 'self'.", OptionPaths.FrameOptions, "X-Frame-Options", xfo[0]);
            }
        }
    }

    // HTML §7.1.7: the values are split on commas; browsers obey them only when every one is the same keyword.
    private static string ClassifyFrameOptions(IReadOnlyList<string> values)
    {
        var tokens = values.SelectMany(static v => v.Split(',')).Select(static t => t.Trim(' ', '\t')).Where(static t => t.Length > 0).ToList();
        var kinds = tokens.Select(static t => XFrameOptionsHeader.Parse(t) switch
        {
            { Value: { } value } => value.Token,
            var invalid when invalid.Diagnostics.Any(static d => d.Code == "x-frame-options-allow-from") => "ALLOW-FROM",
            _ => "INVALID",
        }).Distinct(StringComparer.Ordinal).ToList();
        return kinds.Count switch
        {
            0 => "INVALID",
            1 => kinds[0],
            _ => kinds.Contains("ALLOW-FROM") ? "ALLOW-FROM" : kinds.TrueForAll(static k => k is XFrameOptionsHeader.Deny or XFrameOptionsHeader.SameOrigin) ? "CONFLICT" : "INVALID",
        };
    }

    private static void ContentTypeOptions(CheckContext c)
    {
        var values = c.Response.GetValues("X-Content-Type-Options");
        if (values.Count == 0)
        {
            c.Add("xcto-missing", FindingSeverity.Medium, "headers",
                "No X-Content-Type-Options: browsers may sniff content types and run uploaded files as scripts or styles.",
                "Send X-Content-Type-Options: nosniff.", OptionPaths.ContentTypeOptions, "X-Content-Type-Options");
        }
        else if (XContentTypeOptionsHeader.Parse(values[0].Split(',')[0]).Value is null)
        {
            c.Add("xcto-invalid", FindingSeverity.Medium, "headers",
                $"X-Content-Type-Options \"{values[0]}\" is not nosniff, so it has no effect (Fetch §X-Content-Type-Options).",
                "Send X-Content-Type-Options: nosniff.", OptionPaths.ContentTypeOptions, "X-Content-Type-Options", values[0]);
        }
    }

    private static void Referrer(CheckContext c)
    {
        var values = c.Response.GetValues("Referrer-Policy").ToList();
        var meta = c.Html?.Meta.LastOrDefault(static m => m.Name == "referrer" && !m.ReferrerBesideHttpEquiv)?.Content;
        if (meta is not null)
        {
            values.Add(meta);
        }

        if (values.Count == 0)
        {
            c.Add("referrer-policy-missing", FindingSeverity.Low, "headers",
                "No Referrer-Policy: browsers default to strict-origin-when-cross-origin, which still sends your origin to other sites; the Observatory's +5 needs an explicit private policy.",
                "Send Referrer-Policy: strict-origin-when-cross-origin (or no-referrer).", OptionPaths.ReferrerPolicy, "Referrer-Policy");
            return;
        }

        var parsed = ReferrerPolicyHeader.Parse(string.Join(", ", values));
        var effective = parsed.Value?.Effective;
        var unknown = parsed.Diagnostics.Where(static d => d.Code == "referrer-policy-unknown-token").Select(static d => d.Message).ToList();
        if (effective is null)
        {
            c.Add("referrer-policy-invalid", FindingSeverity.Low, "headers",
                $"Referrer-Policy \"{string.Join(", ", values)}\" has no value browsers know, so the default applies.",
                "Send Referrer-Policy: strict-origin-when-cross-origin.", OptionPaths.ReferrerPolicy, "Referrer-Policy", string.Join(", ", values));
        }
        else if (!ReferrerPolicyHeader.PrivateTokens.Contains(effective))
        {
            c.Add("referrer-policy-unsafe", FindingSeverity.Medium, "headers",
                $"The effective Referrer-Policy is {effective} (the last value browsers know wins), which sends full URLs or origins to other sites" + (effective is "unsafe-url" or "no-referrer-when-downgrade" ? ", including paths and query strings that may hold tokens." : "."),
                "Use strict-origin-when-cross-origin, same-origin or no-referrer.", OptionPaths.ReferrerPolicy, "Referrer-Policy", string.Join(", ", values));
        }
        else if (unknown.Count > 0)
        {
            c.Add("referrer-policy-unknown-token", FindingSeverity.Info, "headers",
                $"{string.Join(" ", unknown)} Browsers use {effective}.",
                "Remove values browsers do not know; list a fallback first and the preferred policy last.", OptionPaths.ReferrerPolicy, "Referrer-Policy", string.Join(", ", values));
        }
    }

    private static void PermissionsPolicy(CheckContext c)
    {
        var values = c.Response.GetValues("Permissions-Policy");
        if (values.Count == 0)
        {
            c.Add("permissions-policy-missing", FindingSeverity.Low, "headers",
                "No Permissions-Policy: any script or frame on the page may ask for the camera, microphone, geolocation and other powerful features.",
                "Send Permissions-Policy disabling what the site does not use, e.g. camera=(), microphone=(), geolocation=(), payment=().",
                OptionPaths.PermissionsPolicy, "Permissions-Policy");
            return;
        }

        var joined = string.Join(", ", values);
        var parsed = PermissionsPolicyHeader.Parse(joined);
        if (parsed.Value is not { } policy)
        {
            c.Add("permissions-policy-invalid", FindingSeverity.Medium, "headers",
                string.Join(" ", parsed.Diagnostics.Select(static d => d.Message)) + " Browsers ignore the whole header (RFC 8941 §4.2).",
                parsed.Diagnostics.FirstOrDefault()?.Fix ?? "Write features as name=(allowlist), e.g. camera=().", OptionPaths.PermissionsPolicy, "Permissions-Policy", joined);
            return;
        }

        foreach (var diagnostic in parsed.Diagnostics)
        {
            c.Add(diagnostic.Code, diagnostic.IsError ? FindingSeverity.Low : FindingSeverity.Info, "headers", diagnostic.Message, diagnostic.Fix,
                OptionPaths.PermissionsPolicy, "Permissions-Policy");
        }

        foreach (var (feature, allowlist) in policy.Features)
        {
            if (allowlist.All)
            {
                c.Add("permissions-policy-wildcard", FindingSeverity.Low, "headers",
                    $"{feature} is allowed for every origin (*), including third-party frames.",
                    $"Restrict it: {feature}=(self) or {feature}=().", OptionPaths.PermissionsPolicy, "Permissions-Policy", feature);
            }

            if (PermissionsPolicyHeader.ObsoleteFeatures.Contains(feature))
            {
                c.Add("permissions-policy-obsolete-feature", FindingSeverity.Info, "headers", $"{feature} is obsolete; browsers ignore it.",
                    $"Remove {feature}.", OptionPaths.PermissionsPolicy, "Permissions-Policy", feature);
            }
        }

        // The conformance suite's measurement (docs/browser-matrix.json) next to MDN's claim.
        var support = Unsupported(BrowserSupport.ForHeader("Permissions-Policy"));
        var measured = BrowserMatrix.DescribeGaps(BrowserMatrix.ForHeader("Permissions-Policy"));
        if (support.Length > 0 || measured is not null)
        {
            c.Add("permissions-policy-browser-support", FindingSeverity.Info, "browser-support",
                $"Permissions-Policy is not enforced everywhere: there, features stay available unless an iframe's allow attribute limits them. {measured ?? string.Empty}{(support.Length > 0 ? $" MDN: not supported in {string.Join(", ", support)}." : string.Empty)}".Replace("  ", " ", StringComparison.Ordinal).Trim(),
                header: "Permissions-Policy");
        }
    }

    private static void Isolation(CheckContext c)
    {
        var coop = c.Response.GetFirst("Cross-Origin-Opener-Policy");
        if (coop is null)
        {
            c.Add("coop-missing", FindingSeverity.Low, "isolation",
                "No Cross-Origin-Opener-Policy: pages you open, or that open you, keep a handle on this window (cross-window attacks, XS-Leaks).",
                "Send Cross-Origin-Opener-Policy: same-origin (or same-origin-allow-popups if you rely on OAuth or payment popups).", OptionPaths.Coop, "Cross-Origin-Opener-Policy");
        }
        else if (CrossOriginOpenerPolicyHeader.Parse(coop).Value is null)
        {
            c.Add("coop-invalid", FindingSeverity.Low, "isolation",
                $"Cross-Origin-Opener-Policy \"{coop}\" is not a value browsers know, so it is ignored.",
                "Use same-origin, same-origin-allow-popups or noopener-allow-popups.", OptionPaths.Coop, "Cross-Origin-Opener-Policy", coop);
        }
        else if (CrossOriginOpenerPolicyHeader.Parse(coop).Value?.Policy == "unsafe-none")
        {
            c.Add("coop-unsafe-none", FindingSeverity.Info, "isolation", "Cross-Origin-Opener-Policy: unsafe-none is the default and isolates nothing.",
                "Use same-origin where possible.", OptionPaths.Coop, "Cross-Origin-Opener-Policy", coop);
        }

        var coep = c.Response.GetFirst("Cross-Origin-Embedder-Policy");
        if (coep is null)
        {
            c.Add("coep-missing", FindingSeverity.Info, "isolation",
                "No Cross-Origin-Embedder-Policy. OWASP recommends require-corp; with COOP same-origin it enables cross-origin isolation, but it blocks cross-origin resources that do not opt in.",
                "If the page needs isolation (SharedArrayBuffer, precise timers), send Cross-Origin-Embedder-Policy: require-corp or credentialless.", OptionPaths.Coep, "Cross-Origin-Embedder-Policy");
        }
        else
        {
            var token = CrossOriginEmbedderPolicyHeader.Parse(coep).Value?.Policy;
            if (token is null)
            {
                c.Add("coep-invalid", FindingSeverity.Low, "isolation",
                    $"Cross-Origin-Embedder-Policy \"{coep}\" is not a value browsers know, so it is ignored.",
                    "Use require-corp or credentialless.", OptionPaths.Coep, "Cross-Origin-Embedder-Policy", coep);
            }
            else if (token == "credentialless" && Unsupported(BrowserSupport.ForHeaderFeature("Cross-Origin-Embedder-Policy", "credentialless")) is { Length: > 0 } support)
            {
                c.Add("coep-credentialless-browser-support", FindingSeverity.Info, "browser-support",
                    $"COEP credentialless is not supported in {string.Join(", ", support)}; those browsers do not isolate the page.",
                    "Use require-corp if every embedded resource can opt in.", OptionPaths.Coep, "Cross-Origin-Embedder-Policy", coep);
            }
        }

        var corp = c.Response.GetFirst("Cross-Origin-Resource-Policy");
        if (corp is null)
        {
            c.Add("corp-missing", FindingSeverity.Low, "isolation",
                "No Cross-Origin-Resource-Policy: other sites can embed this response (and read it through side channels such as Spectre).",
                "Send Cross-Origin-Resource-Policy: same-origin (or same-site); it is worth +10 in the Observatory.", OptionPaths.Corp, "Cross-Origin-Resource-Policy");
        }
        else if (CrossOriginResourcePolicyHeader.Parse(corp).Value is null)
        {
            c.Add("corp-invalid", FindingSeverity.Low, "isolation",
                $"Cross-Origin-Resource-Policy \"{corp}\" is not same-origin, same-site or cross-origin, so browsers ignore it.",
                "Send Cross-Origin-Resource-Policy: same-origin.", OptionPaths.Corp, "Cross-Origin-Resource-Policy", corp);
        }
    }

    private static void Cors(CheckContext c)
    {
        var preflight = c.Response.CorsPreflight;
        if (preflight is null)
        {
            return;
        }

        var allowOrigin = preflight.GetFirst("Access-Control-Allow-Origin")?.Trim();
        var credentials = string.Equals(preflight.GetFirst("Access-Control-Allow-Credentials")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        if (allowOrigin is null)
        {
            return;
        }

        if (c.Response.CorsPreflightOrigin is { } origin && allowOrigin == origin && credentials)
        {
            c.Add("cors-reflects-origin-with-credentials", FindingSeverity.High, "cors",
                $"The CORS preflight answered our made-up Origin {origin} with Access-Control-Allow-Origin: {allowOrigin} and Allow-Credentials: true, so any site can read this site's responses with the user's cookies (Fetch §3.2.5). The Observatory misses this (it never compares the Origin) and reports restricted access.",
                "Allow only a fixed list of trusted origins, and never reflect the request's Origin with credentials.", header: "Access-Control-Allow-Origin", evidence: allowOrigin);
        }
        else if (allowOrigin == "null")
        {
            c.Add("cors-null-origin", FindingSeverity.Medium, "cors",
                "Access-Control-Allow-Origin: null grants access to sandboxed frames and local files, which any attacker can create.",
                "List real origins instead of null.", header: "Access-Control-Allow-Origin", evidence: allowOrigin);
        }
        else if (allowOrigin == "*")
        {
            c.Add("cors-public", FindingSeverity.Info, "cors",
                "Access-Control-Allow-Origin: * lets any site read these responses (without cookies). Fine for public data; not for anything user-specific or internal.",
                header: "Access-Control-Allow-Origin", evidence: allowOrigin);
        }
    }

    private static void Sri(CheckContext c)
    {
        if (c.Html is null)
        {
            return;
        }

        var pageHost = c.Response.Url?.Host ?? c.Site.Host;
        foreach (var script in c.Html.External)
        {
            if (script.Kind != HtmlExternalKind.Script || string.IsNullOrWhiteSpace(script.Url))
            {
                continue;
            }

            var src = script.Url.Trim();
            var external = src.StartsWith("//", StringComparison.Ordinal) || src.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || src.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            if (!external)
            {
                continue;
            }

            var url = src.StartsWith("//", StringComparison.Ordinal) ? new Uri((c.IsHttps ? "https:" : "http:") + src, UriKind.Absolute) : new Uri(src, UriKind.Absolute);
            if (url.Scheme == Uri.UriSchemeHttp)
            {
                c.Add("script-over-http", FindingSeverity.High, "sri",
                    $"The page loads {src} over plain HTTP; a network attacker can replace it (browsers block it as mixed content on HTTPS pages).",
                    "Load it over https://.", evidence: src);
            }

            if (string.IsNullOrEmpty(script.Integrity) && !string.Equals(url.Host, pageHost, StringComparison.OrdinalIgnoreCase))
            {
                c.Add("script-without-integrity", FindingSeverity.Medium, "sri",
                    $"The third-party script {src} has no integrity attribute, so whoever controls that host controls your page.",
                    "Add integrity=\"sha384-…\" crossorigin=\"anonymous\" (secureheaders csp hash can compute it), or host the file yourself.", evidence: src);
            }
            else if (!string.IsNullOrEmpty(script.Integrity) && script.CrossOrigin is null)
            {
                c.Add("script-integrity-without-crossorigin", FindingSeverity.Low, "sri",
                    $"{src} has integrity but no crossorigin attribute; for a cross-origin script the check fails and the script is blocked.",
                    "Add crossorigin=\"anonymous\".", evidence: src);
            }
        }
    }

    private static void CookieChecks(CheckContext c)
    {
        var responses = c.Response.RedirectChain.Select(static h => h.Headers.Where(x => x.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)).Select(x => x.Value))
            .Append(c.Response.GetValues("Set-Cookie"));
        foreach (var raw in responses.SelectMany(static v => v))
        {
            if (!SetCookieHeader.TryParse(raw, out var cookie, out var reason))
            {
                c.Add("cookie-ignored", FindingSeverity.Medium, "cookies", reason, "Fix the Set-Cookie value.", header: "Set-Cookie", evidence: raw);
                continue;
            }

            var lower = cookie.Name.ToLowerInvariant();
            var sensitive = lower.Contains("sess", StringComparison.Ordinal) || lower.Contains("login", StringComparison.Ordinal) || lower.Contains("auth", StringComparison.Ordinal)
                || lower.Contains("token", StringComparison.Ordinal) || lower.Contains("csrf", StringComparison.Ordinal) || lower.Contains("xsrf", StringComparison.Ordinal)
                || lower.StartsWith(".aspnetcore.", StringComparison.Ordinal) || lower.Contains("identity", StringComparison.Ordinal) || lower is "sid" or "jwt";
            var expired = cookie.MaxAge is <= 0 || (cookie.Expires is { } e && e < DateTimeOffset.UtcNow);
            if (expired)
            {
                continue;
            }

            if (cookie.Prefix != SetCookiePrefix.None && !cookie.MeetsPrefixRequirements)
            {
                c.Add("cookie-prefix-violation", FindingSeverity.High, "cookies",
                    $"Cookie {cookie.Name}: {string.Join(" ", cookie.PrefixViolations())} Browsers drop it (RFC 6265bis §4.1.3).",
                    cookie.Prefix == SetCookiePrefix.Host ? "Set it with Secure; Path=/ and no Domain." : "Add Secure.", OptionPaths.CookieSecure, "Set-Cookie", cookie.Name);
                continue;
            }

            if (cookie.SameSite == SetCookieSameSite.None && !cookie.Secure)
            {
                c.Add("cookie-samesite-none-without-secure", FindingSeverity.High, "cookies",
                    $"Cookie {cookie.Name} has SameSite=None without Secure; browsers reject it.", "Add Secure, or use SameSite=Lax.", OptionPaths.CookieSecure, "Set-Cookie", cookie.Name);
            }
            else if (!cookie.Secure)
            {
                c.Add("cookie-without-secure", sensitive ? FindingSeverity.High : FindingSeverity.Medium, "cookies",
                    $"Cookie {cookie.Name} lacks Secure, so it is also sent over plain HTTP where it can be stolen.",
                    "Add Secure.", OptionPaths.CookieSecure, "Set-Cookie", cookie.Name);
            }

            if (!cookie.HttpOnly && sensitive && !lower.Contains("csrf", StringComparison.Ordinal) && !lower.Contains("xsrf", StringComparison.Ordinal))
            {
                c.Add("cookie-without-httponly", FindingSeverity.Medium, "cookies",
                    $"Cookie {cookie.Name} looks like a session or auth cookie but lacks HttpOnly, so an injected script can steal it.",
                    "Add HttpOnly.", OptionPaths.CookieHttpOnly, "Set-Cookie", cookie.Name);
            }

            if (cookie.SameSite == SetCookieSameSite.Invalid)
            {
                c.Add("cookie-samesite-invalid", FindingSeverity.Medium, "cookies",
                    $"Cookie {cookie.Name} has SameSite=\"{cookie.SameSiteValue}\", which browsers ignore (they use their default).",
                    "Use SameSite=Lax or Strict.", OptionPaths.CookieSameSite, "Set-Cookie", cookie.Name);
            }
            else if (cookie.SameSite == SetCookieSameSite.Unspecified)
            {
                c.Add("cookie-without-samesite", sensitive ? FindingSeverity.Medium : FindingSeverity.Low, "cookies",
                    $"Cookie {cookie.Name} has no SameSite attribute; Firefox and Safari then send it on cross-site requests (CSRF).",
                    "Add SameSite=Lax (or Strict).", OptionPaths.CookieSameSite, "Set-Cookie", cookie.Name);
            }

            if (sensitive && cookie.Prefix == SetCookiePrefix.None && cookie.Secure && cookie.Domain is null && cookie.Path == "/")
            {
                c.Add("cookie-host-prefix-recommended", FindingSeverity.Info, "cookies",
                    $"Cookie {cookie.Name} qualifies for the __Host- prefix, which stops subdomains and plain-HTTP pages from overwriting it.",
                    $"Rename it __Host-{cookie.Name}.", header: "Set-Cookie", evidence: cookie.Name);
            }

            foreach (var problem in cookie.Validate().Where(static p => !p.Contains("SameSite", StringComparison.Ordinal) && !p.Contains("prefix", StringComparison.OrdinalIgnoreCase) && !p.Contains("__", StringComparison.Ordinal)))
            {
                c.Add("cookie-syntax", FindingSeverity.Low, "cookies", $"Cookie {cookie.Name}: {problem}", header: "Set-Cookie", evidence: cookie.Name);
            }
        }
    }

    private static void Leaks(CheckContext c)
    {
        foreach (var header in c.Response.Headers)
        {
            if (Policies.LeakingHeaders.Owasp.Contains(header.Name, StringComparer.OrdinalIgnoreCase))
            {
                c.Add("leaks-implementation-details", FindingSeverity.Low, "owasp",
                    $"{header.Name}: {header.Value} tells attackers what software runs here (OWASP Secure Headers: remove it).",
                    $"Remove the {header.Name} header (for Kestrel: AddServerHeader = false).", OptionPaths.RemoveHeaders, header.Name, header.Value);
            }
        }
    }

    private static void Deprecated(CheckContext c)
    {
        if (c.Response.GetFirst("X-XSS-Protection") is { } xxp && xxp.Trim() != "0")
        {
            c.Add("x-xss-protection-enabled", FindingSeverity.Low, "deprecated",
                $"X-XSS-Protection: {xxp} switches on the old XSS auditor where it still exists, which can itself create XSS and cross-site leaks; modern browsers removed it.",
                "Send X-XSS-Protection: 0 (or nothing) and rely on CSP.", OptionPaths.XssProtection, "X-XSS-Protection", xxp);
        }

        (string Header, FindingSeverity Severity, string Why, string Fix)[] deprecated =
        [
            ("Expect-CT", FindingSeverity.Info, "Expect-CT is obsolete: Certificate Transparency is enforced by browsers anyway.", "Remove it."),
            ("Public-Key-Pins", FindingSeverity.Medium, "Public-Key-Pins (HPKP) was removed from browsers; where it once worked it could lock users out of the site.", "Remove it."),
            ("Public-Key-Pins-Report-Only", FindingSeverity.Low, "Public-Key-Pins-Report-Only was removed from browsers.", "Remove it."),
            ("Feature-Policy", FindingSeverity.Low, "Feature-Policy was replaced by Permissions-Policy (with a different syntax); only old Chromium reads it.", "Move the rules to Permissions-Policy, e.g. camera=()."),
            ("Report-To", FindingSeverity.Info, "Report-To is deprecated in favour of Reporting-Endpoints.", "Declare endpoints with Reporting-Endpoints: name=\"https://…\"."),
            ("P3P", FindingSeverity.Info, "P3P is obsolete and ignored by browsers.", "Remove it."),
            ("X-Download-Options", FindingSeverity.Info, "X-Download-Options only affected Internet Explorer 8.", "Remove it."),
        ];
        foreach (var (header, severity, why, fix) in deprecated)
        {
            if (c.Response.GetFirst(header) is { } value)
            {
                var support = Unsupported(BrowserSupport.ForHeader(header));
                var unsupported = support.Length > 0 ? $" Not supported in {string.Join(", ", support)}." : string.Empty;
                c.Add("deprecated-header", severity, "deprecated", why + unsupported, fix, OptionPaths.RemoveHeaders, header, value);
            }
        }
    }

    private static string[] Unsupported(FeatureSupport? support) => support is null ? [] : [.. support.Unsupported.Select(static b => b.BrowserName)];

    private static void Duplicates(CheckContext c)
    {
        foreach (var name in s_securityHeaders)
        {
            var values = c.Response.GetValues(name);
            if (values.Count > 1)
            {
                c.Add("duplicate-header", FindingSeverity.Low, "conflicts",
                    $"{name} is sent {values.Count} times; clients join the values with commas, which for this header is usually invalid or not what was meant.",
                    "Send it once; make sure the app, a proxy and the web server do not each add it.", header: name, evidence: string.Join(" | ", values));
            }
        }
    }

    private static void OwaspRecommendations(CheckContext c)
    {
        foreach (var (name, value) in s_recommended.Value)
        {
            if (name is "X-Permitted-Cross-Domain-Policies" && c.Response.GetFirst(name) is null)
            {
                c.Add("owasp-recommended-header", FindingSeverity.Info, "owasp",
                    $"OWASP recommends {name}: {value} (stops Flash and PDF clients from loading cross-domain policy files).",
                    $"Send {name}: {value}.", OptionPaths.CrossDomainPolicies, name);
            }
            else if (name is "Cache-Control" && c.Response.GetFirst(name) is null && c.Response.GetValues("Set-Cookie").Count > 0)
            {
                c.Add("owasp-recommended-header", FindingSeverity.Info, "owasp",
                    $"This response sets cookies but has no Cache-Control; OWASP recommends {name}: {value} for pages with user data so shared caches do not keep them.",
                    $"Send {name}: {value} on personalised responses.", header: name);
            }
        }
    }
}
