using SecureHeaders.Csp;
using SecureHeaders.Analysis.Html;

namespace SecureHeaders.Analysis.Checks;

/// <summary>
/// The configuration paths of the SecureHeaders options that fix findings (section <c>SecureHeaders</c> of
/// appsettings.json). Kept in one place so that they follow the options model.
/// </summary>
internal static class OptionPaths
{
    public const string HstsMaxAge = "SecureHeaders:StrictTransportSecurity:MaxAge";
    public const string HstsIncludeSubDomains = "SecureHeaders:StrictTransportSecurity:IncludeSubDomains";
    public const string HstsPreload = "SecureHeaders:StrictTransportSecurity:Preload";
    public const string Hsts = "SecureHeaders:StrictTransportSecurity";
    public const string HttpsRedirection = "SecureHeaders:ForceHttps";
    public const string Csp = "SecureHeaders:ContentSecurityPolicy";
    public const string CspReportOnly = "SecureHeaders:ContentSecurityPolicy:ReportOnly";
    public const string FrameAncestors = "SecureHeaders:ContentSecurityPolicy:Directives:frame-ancestors";
    public const string FrameOptions = "SecureHeaders:XFrameOptions";
    public const string ContentTypeOptions = "SecureHeaders:XContentTypeOptions";
    public const string ReferrerPolicy = "SecureHeaders:ReferrerPolicy";
    public const string PermissionsPolicy = "SecureHeaders:PermissionsPolicy";
    public const string Coop = "SecureHeaders:CrossOriginOpenerPolicy";
    public const string Coep = "SecureHeaders:CrossOriginEmbedderPolicy";
    public const string Corp = "SecureHeaders:CrossOriginResourcePolicy";
    public const string RemoveHeaders = "SecureHeaders:RemoveHeaders";
    public const string XssProtection = "SecureHeaders:XXssProtection";
    public const string CookieSecure = "SecureHeaders:Cookies:Secure";
    public const string CookieHttpOnly = "SecureHeaders:Cookies:HttpOnly";
    public const string CookieSameSite = "SecureHeaders:Cookies:SameSite";
    public const string CacheControlNoStore = "SecureHeaders:CacheControlNoStore";
    public const string CrossDomainPolicies = "SecureHeaders:XPermittedCrossDomainPolicies";
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

        foreach (var meta in Html?.Meta ?? [])
        {
            if (meta.Name == "content-security-policy" && meta.Content.Length > 0)
            {
                MetaPolicies.AddRange(CspParser.ParseHeader(meta.Content).Policies);
            }
        }
    }

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
