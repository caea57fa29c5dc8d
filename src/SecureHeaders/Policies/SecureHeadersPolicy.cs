using SecureHeaders.Headers;

namespace SecureHeaders.Policies;

/// <summary>
/// The headers of one policy, with SecureHeaders' defaults. A string-valued header is switched off by setting it
/// to <see langword="null"/> or an empty string. Named and per-endpoint policies start as a copy of the default
/// policy, so they only state what differs.
/// </summary>
public class SecureHeadersPolicy
{
    /// <summary>The enforced <c>Content-Security-Policy</c>. Default: <c>default-src 'self'; base-uri 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; upgrade-insecure-requests</c>.</summary>
    public ContentSecurityPolicyOptions ContentSecurityPolicy { get; set; } = ContentSecurityPolicyOptions.CreateDefault();

    /// <summary>A second policy sent as <c>Content-Security-Policy-Report-Only</c>, to trial a stricter policy next to the enforced one. Default: off.</summary>
    public ContentSecurityPolicyOptions ContentSecurityPolicyReportOnly { get; set; } = new() { Enabled = false, ReportOnly = true };

    /// <summary><c>Strict-Transport-Security</c>, sent on HTTPS responses only. Default: one year, includeSubDomains.</summary>
    public StrictTransportSecurityOptions StrictTransportSecurity { get; set; } = new();

    /// <summary><c>X-Frame-Options</c>. Default: <c>DENY</c>, matching <c>frame-ancestors 'none'</c> for browsers without CSP2.</summary>
    public string? XFrameOptions { get; set; } = XFrameOptionsHeader.Deny;

    /// <summary><c>X-Content-Type-Options</c>. Default: <c>nosniff</c>.</summary>
    public string? XContentTypeOptions { get; set; } = XContentTypeOptionsHeader.NoSniff;

    /// <summary><c>Referrer-Policy</c>; a comma-separated fallback list is allowed. Default: <c>strict-origin-when-cross-origin</c>.</summary>
    public string? ReferrerPolicy { get; set; } = "strict-origin-when-cross-origin";

    /// <summary><c>Permissions-Policy</c>. Default: powerful features off, a few kept for the site itself.</summary>
    public PermissionsPolicyOptions PermissionsPolicy { get; set; } = new();

    /// <summary><c>Cross-Origin-Opener-Policy</c>. Default: <c>same-origin</c>.</summary>
    public string? CrossOriginOpenerPolicy { get; set; } = "same-origin";

    /// <summary><c>Cross-Origin-Embedder-Policy</c>. Default: off, because <c>require-corp</c> breaks cross-origin images and scripts that do not opt in.</summary>
    public string? CrossOriginEmbedderPolicy { get; set; }

    /// <summary><c>Cross-Origin-Resource-Policy</c>. Default: <c>same-origin</c>.</summary>
    public string? CrossOriginResourcePolicy { get; set; } = "same-origin";

    /// <summary><c>Origin-Agent-Cluster</c>. Default: <c>?1</c>.</summary>
    public string? OriginAgentCluster { get; set; } = "?1";

    /// <summary><c>X-DNS-Prefetch-Control</c>. Default: <c>off</c>.</summary>
    public string? XDnsPrefetchControl { get; set; } = "off";

    /// <summary><c>X-Permitted-Cross-Domain-Policies</c>. Default: <c>none</c>.</summary>
    public string? XPermittedCrossDomainPolicies { get; set; } = "none";

    /// <summary><c>X-XSS-Protection</c>. Default: <c>0</c>; no other value is accepted.</summary>
    public string? XXssProtection { get; set; } = "0";

    /// <summary><c>Reporting-Endpoints</c>: endpoint name → absolute https URL or path. Default: none.</summary>
    public IDictionary<string, string> ReportingEndpoints { get; set; } = new OrderedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>Clear-Site-Data</c> types, e.g. <c>cache</c>, <c>cookies</c>, <c>storage</c> — for a logout endpoint. Default: not sent.</summary>
    public IList<string>? ClearSiteData { get; set; }

    /// <summary>Send <c>Cache-Control: no-store, max-age=0</c> unless the application set Cache-Control itself. Default: <see langword="false"/>.</summary>
    public bool CacheControlNoStore { get; set; }

    /// <summary><c>Integrity-Policy</c>. Default: off.</summary>
    public IntegrityPolicyOptions IntegrityPolicy { get; set; } = new();

    /// <summary><c>Document-Policy</c>, as a structured-field dictionary. Default: not sent.</summary>
    public string? DocumentPolicy { get; set; }

    /// <summary>
    /// Send this policy's violation reports to the configured collector (<c>ViolationReporting</c>) when it names no
    /// destination itself. Default: <see langword="true"/>; set it off for endpoints whose reports are noise.
    /// </summary>
    public bool SendViolationReports { get; set; } = true;

    /// <summary>Other headers to send: name → value. Default: none.</summary>
    public IDictionary<string, string> CustomHeaders { get; set; } = new OrderedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Lets the listed origins embed the response in frames (for an embeddable widget): sets
    /// <c>frame-ancestors</c> and keeps <c>X-Frame-Options</c> consistent — <c>SAMEORIGIN</c> when only
    /// <c>'self'</c> is listed, otherwise removed, because it cannot name other origins.
    /// </summary>
    /// <param name="sources">CSP sources such as <c>'self'</c> or <c>https://partner.example.com</c>.</param>
    public SecureHeadersPolicy AllowFramingBy(params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Length == 0)
        {
            ContentSecurityPolicy.Set(Csp.CspDirectives.FrameAncestors, "'none'");
            XFrameOptions = XFrameOptionsHeader.Deny;
            return this;
        }

        ContentSecurityPolicy.Set(Csp.CspDirectives.FrameAncestors, sources);
        XFrameOptions = sources is ["'self'"] ? XFrameOptionsHeader.SameOrigin : null;
        return this;
    }

    /// <summary>A deep copy, so that a named or endpoint policy can change it without touching the original.</summary>
    public SecureHeadersPolicy Clone() => new()
    {
        ContentSecurityPolicy = ContentSecurityPolicy.Clone(),
        ContentSecurityPolicyReportOnly = ContentSecurityPolicyReportOnly.Clone(),
        StrictTransportSecurity = StrictTransportSecurity.Clone(),
        XFrameOptions = XFrameOptions,
        XContentTypeOptions = XContentTypeOptions,
        ReferrerPolicy = ReferrerPolicy,
        PermissionsPolicy = PermissionsPolicy.Clone(),
        CrossOriginOpenerPolicy = CrossOriginOpenerPolicy,
        CrossOriginEmbedderPolicy = CrossOriginEmbedderPolicy,
        CrossOriginResourcePolicy = CrossOriginResourcePolicy,
        OriginAgentCluster = OriginAgentCluster,
        XDnsPrefetchControl = XDnsPrefetchControl,
        XPermittedCrossDomainPolicies = XPermittedCrossDomainPolicies,
        XXssProtection = XXssProtection,
        ReportingEndpoints = new OrderedDictionary<string, string>(ReportingEndpoints, StringComparer.Ordinal),
        ClearSiteData = ClearSiteData is null ? null : [.. ClearSiteData],
        CacheControlNoStore = CacheControlNoStore,
        IntegrityPolicy = IntegrityPolicy.Clone(),
        DocumentPolicy = DocumentPolicy,
        CustomHeaders = new OrderedDictionary<string, string>(CustomHeaders, StringComparer.OrdinalIgnoreCase),
        SendViolationReports = SendViolationReports,
    };
}
