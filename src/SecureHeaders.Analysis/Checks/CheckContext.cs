using SecureHeaders.Csp;
using SecureHeaders.Headers;
using SecureHeaders.Analysis.Html;

namespace SecureHeaders.Analysis.Checks;

/// <summary>
/// The configuration paths of the SecureHeaders settings that fix findings (section <c>SecureHeaders</c> of
/// appsettings.json). Header settings come from the headers' descriptions, so a finding always names a setting that
/// exists; the middleware's own settings (HTTPS redirect, cookies, removed headers) are checked against its settings
/// by a test of SecureHeaders.AspNetCore.
/// </summary>
internal static class OptionPaths
{
    public static readonly string Hsts = StrictTransportSecurityHeader.Description.ConfigurationPath;
    public static readonly string HstsMaxAge = StrictTransportSecurityHeader.Description.PathOf("MaxAge");
    public static readonly string HstsIncludeSubDomains = StrictTransportSecurityHeader.Description.PathOf("IncludeSubDomains");
    public static readonly string HstsPreload = StrictTransportSecurityHeader.Description.PathOf("Preload");
    public static readonly string Csp = ContentSecurityPolicyHeader.Description.ConfigurationPath;
    public static readonly string CspReportOnly = ContentSecurityPolicyHeader.Description.PathOf("ReportOnly");
    public static readonly string FrameAncestors = ContentSecurityPolicyHeader.Description.PathOf("Directives") + ":frame-ancestors";
    public static readonly string FrameOptions = XFrameOptionsHeader.Description.ConfigurationPath;
    public static readonly string ContentTypeOptions = XContentTypeOptionsHeader.Description.ConfigurationPath;
    public static readonly string ReferrerPolicy = ReferrerPolicyHeader.Description.ConfigurationPath;
    public static readonly string PermissionsPolicy = PermissionsPolicyHeader.Description.ConfigurationPath;
    public static readonly string Coop = CrossOriginOpenerPolicyHeader.Description.ConfigurationPath;
    public static readonly string Coep = CrossOriginEmbedderPolicyHeader.Description.ConfigurationPath;
    public static readonly string Corp = CrossOriginResourcePolicyHeader.Description.ConfigurationPath;
    public static readonly string XssProtection = XXssProtectionHeader.Description.ConfigurationPath;
    public static readonly string CrossDomainPolicies = XPermittedCrossDomainPoliciesHeader.Description.ConfigurationPath;
    public const string HttpsRedirection = "SecureHeaders:ForceHttps";
    public const string RemoveHeaders = "SecureHeaders:RemoveHeaders";
    public const string CookieSecure = "SecureHeaders:Cookies:Secure";
    public const string CookieHttpOnly = "SecureHeaders:Cookies:HttpOnly";
    public const string CookieSameSite = "SecureHeaders:Cookies:SameSite";
    public const string CacheControlNoStore = "SecureHeaders:CacheControlNoStore";

    /// <summary>Every path, for the test that checks them against the settings.</summary>
    public static IEnumerable<string> All =>
    [
        Hsts, HstsMaxAge, HstsIncludeSubDomains, HstsPreload, Csp, CspReportOnly, FrameOptions, ContentTypeOptions, ReferrerPolicy, PermissionsPolicy,
        Coop, Coep, Corp, XssProtection, CrossDomainPolicies, HttpsRedirection, RemoveHeaders, CookieSecure, CookieHttpOnly, CookieSameSite, CacheControlNoStore,
    ];
}

/// <summary>What every check reads: the snapshot, the primary response and its parsed CSPs.</summary>
internal sealed class CheckContext
{
    public CheckContext(SiteSnapshot site, Observatory.ObservatoryResult observatory)
    {
        Site = site;
        Observatory = observatory;
        Response = site.Primary!;
        IsHttps = site.Https is not null;
        Html = Response.Body is { } body && Response.IsHtml ? HtmlInlineScanner.ScanServedPage(body) : null;
        foreach (var value in Response.GetValues("Content-Security-Policy"))
        {
            var parsed = CspParser.ParseHeader(value);
            EnforcedPolicies.AddRange(parsed.Policies);
            CspDiagnostics.AddRange(parsed.Diagnostics);
        }

        foreach (var value in Response.GetValues("Content-Security-Policy-Report-Only"))
        {
            ReportOnlyPolicies.AddRange(CspParser.ParseHeader(value).Policies);
        }

        // Our own CSP checks read at most as much meta policy text as a header may hold: a page is up to 2 MiB,
        // and nothing real needs more, so a hostile page cannot make the evaluator's work explode.
        var budget = HeaderSetReader.MaxHeaderBytes;
        foreach (var meta in Html?.Meta ?? [])
        {
            if (meta.Name == "content-security-policy" && meta.Content.Length > 0)
            {
                budget -= meta.Content.Length;
                if (budget < 0)
                {
                    SkippedMetaPolicyText = true;
                    break;
                }

                MetaPolicies.AddRange(CspParser.ParseHeader(meta.Content).Policies);
            }
        }
    }

    /// <summary>True when the page's meta policies exceed what the checks read (64 KiB); the rest is not evaluated.</summary>
    public bool SkippedMetaPolicyText { get; }

    public SiteSnapshot Site { get; }

    public Observatory.ObservatoryResult Observatory { get; }

    public HeaderSet Response { get; }

    public bool IsHttps { get; }

    public HtmlScanResult? Html { get; }

    public List<CspPolicy> EnforcedPolicies { get; } = [];

    public List<CspPolicy> ReportOnlyPolicies { get; } = [];

    public List<CspPolicy> MetaPolicies { get; } = [];

    public List<CspDiagnostic> CspDiagnostics { get; } = [];

    public List<Finding> Findings { get; } = [];

    public void Add(string id, FindingSeverity severity, string category, string message, string? fix = null, string? option = null, string? header = null, string? evidence = null) =>
        Findings.Add(new(id, severity, category, message, fix, option, header, evidence));

    /// <summary>The header policies plus meta policies: what browsers enforce together.</summary>
    public IEnumerable<CspPolicy> AllEnforced => EnforcedPolicies.Concat(MetaPolicies);

    /// <summary>True when any enforced header policy has frame-ancestors.</summary>
    public bool HasFrameAncestors => EnforcedPolicies.Exists(static p => p.Contains(CspDirectives.FrameAncestors));
}
