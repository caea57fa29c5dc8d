namespace SecureHeaders.Reporting;

/// <summary>
/// The report types the collector stores, named as the Reporting API's <c>type</c> member names them
/// (W3C Reporting API §2.1; each feature's spec registers its own type).
/// Reports sent with CSP's legacy <c>report-uri</c> are stored as <see cref="CspViolation"/> too.
/// </summary>
public static class ReportTypes
{
    /// <summary>Content Security Policy violation (CSP3 §5.3 "Violation DOM Events" / §5.5 report body).</summary>
    public const string CspViolation = "csp-violation";

    /// <summary>Cross-Origin-Opener-Policy report (HTML §7.1.3 "Reporting").</summary>
    public const string Coop = "coop";

    /// <summary>Cross-Origin-Embedder-Policy report (HTML §7.1.4 "Reporting").</summary>
    public const string Coep = "coep";

    /// <summary>Permissions Policy violation (Permissions Policy §"Reporting").</summary>
    public const string PermissionsPolicyViolation = "permissions-policy-violation";

    /// <summary>Subresource Integrity violation (SRI's integrity-policy reporting).</summary>
    public const string IntegrityViolation = "integrity-violation";

    /// <summary>Use of a deprecated browser feature (Reporting API §"Deprecation reports").</summary>
    public const string Deprecation = "deprecation";

    /// <summary>The browser intervened, for example by blocking a request (Reporting API §"Intervention reports").</summary>
    public const string Intervention = "intervention";
}
