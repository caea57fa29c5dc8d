using SecureHeaders.Headers;

namespace SecureHeaders.Policies;

/// <summary>
/// The headers of one policy, with SecureHeaders' defaults. A string-valued header is switched off by setting it
/// to <see langword="null"/> or an empty string. Named and per-endpoint policies start as a copy of the default
/// policy, so they only state what differs.
/// </summary>
/// <remarks>
/// Each header's value lives in a slot given by its <see cref="HeaderDescription"/> (see <see cref="HeaderRegistry"/>),
/// so that binding, copying and compiling work for every registered header without code here; the properties below are
/// typed views of those slots.
/// </remarks>
public class SecureHeadersPolicy
{
    private readonly object?[] _values;

    /// <summary>Creates a policy with SecureHeaders' defaults.</summary>
    public SecureHeadersPolicy()
    {
        var all = HeaderRegistry.All;
        _values = new object?[all.Count];
        foreach (var header in all)
        {
            _values[header.Slot] = header.CreateDefault();
        }
    }

    /// <summary>The enforced <c>Content-Security-Policy</c>. Default: the <see cref="Csp.CspPresets.Basic"/> preset (<c>default-src 'none'</c>, then same-origin scripts, styles, images, fonts, connections, media, manifest, frames and workers; <c>object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests</c>).</summary>
    public ContentSecurityPolicyOptions ContentSecurityPolicy { get => Options<ContentSecurityPolicyOptions>(ContentSecurityPolicyHeader.Description); set => SetOptions(ContentSecurityPolicyHeader.Description, value); }

    /// <summary>A second policy sent as <c>Content-Security-Policy-Report-Only</c>, to trial a stricter policy next to the enforced one. Default: off.</summary>
    public ContentSecurityPolicyOptions ContentSecurityPolicyReportOnly { get => Options<ContentSecurityPolicyOptions>(ContentSecurityPolicyHeader.ReportOnlyDescription); set => SetOptions(ContentSecurityPolicyHeader.ReportOnlyDescription, value); }

    /// <summary><c>Strict-Transport-Security</c>, sent on HTTPS responses only. Default: one year, includeSubDomains.</summary>
    public StrictTransportSecurityOptions StrictTransportSecurity { get => Options<StrictTransportSecurityOptions>(StrictTransportSecurityHeader.Description); set => SetOptions(StrictTransportSecurityHeader.Description, value); }

    /// <summary><c>X-Frame-Options</c>. Default: <c>DENY</c>, matching <c>frame-ancestors 'none'</c> for browsers without CSP2.</summary>
    public string? XFrameOptions { get => Text(XFrameOptionsHeader.Description); set => this[XFrameOptionsHeader.Description] = value; }

    /// <summary><c>X-Content-Type-Options</c>. Default: <c>nosniff</c>.</summary>
    public string? XContentTypeOptions { get => Text(XContentTypeOptionsHeader.Description); set => this[XContentTypeOptionsHeader.Description] = value; }

    /// <summary><c>Referrer-Policy</c>; a comma-separated fallback list is allowed. Default: <c>strict-origin-when-cross-origin</c>.</summary>
    public string? ReferrerPolicy { get => Text(ReferrerPolicyHeader.Description); set => this[ReferrerPolicyHeader.Description] = value; }

    /// <summary><c>Permissions-Policy</c>. Default: powerful features off, a few kept for the site itself.</summary>
    public PermissionsPolicyOptions PermissionsPolicy { get => Options<PermissionsPolicyOptions>(PermissionsPolicyHeader.Description); set => SetOptions(PermissionsPolicyHeader.Description, value); }

    /// <summary><c>Cross-Origin-Opener-Policy</c>. Default: <c>same-origin</c>.</summary>
    public string? CrossOriginOpenerPolicy { get => Text(CrossOriginOpenerPolicyHeader.Description); set => this[CrossOriginOpenerPolicyHeader.Description] = value; }

    /// <summary><c>Cross-Origin-Embedder-Policy</c>. Default: off, because <c>require-corp</c> breaks cross-origin images and scripts that do not opt in.</summary>
    public string? CrossOriginEmbedderPolicy { get => Text(CrossOriginEmbedderPolicyHeader.Description); set => this[CrossOriginEmbedderPolicyHeader.Description] = value; }

    /// <summary><c>Cross-Origin-Resource-Policy</c>. Default: <c>same-origin</c>.</summary>
    public string? CrossOriginResourcePolicy { get => Text(CrossOriginResourcePolicyHeader.Description); set => this[CrossOriginResourcePolicyHeader.Description] = value; }

    /// <summary><c>Origin-Agent-Cluster</c>. Default: <c>?1</c>.</summary>
    public string? OriginAgentCluster { get => Text(OriginAgentClusterHeader.Description); set => this[OriginAgentClusterHeader.Description] = value; }

    /// <summary><c>X-DNS-Prefetch-Control</c>. Default: <c>off</c>.</summary>
    public string? XDnsPrefetchControl { get => Text(XDnsPrefetchControlHeader.Description); set => this[XDnsPrefetchControlHeader.Description] = value; }

    /// <summary><c>X-Permitted-Cross-Domain-Policies</c>. Default: <c>none</c>.</summary>
    public string? XPermittedCrossDomainPolicies { get => Text(XPermittedCrossDomainPoliciesHeader.Description); set => this[XPermittedCrossDomainPoliciesHeader.Description] = value; }

    /// <summary><c>X-XSS-Protection</c>. Default: <c>0</c>; no other value is accepted.</summary>
    public string? XXssProtection { get => Text(XXssProtectionHeader.Description); set => this[XXssProtectionHeader.Description] = value; }

    /// <summary><c>Reporting-Endpoints</c>: endpoint name → absolute https URL or path. Default: none.</summary>
    public IDictionary<string, string> ReportingEndpoints
    {
        get => (IDictionary<string, string>)this[ReportingEndpointsHeader.Description]!;
        set => this[ReportingEndpointsHeader.Description] = new OrderedDictionary<string, string>(value ?? throw new ArgumentNullException(nameof(value)), StringComparer.Ordinal);
    }

    /// <summary><c>Clear-Site-Data</c> types, e.g. <c>cache</c>, <c>cookies</c>, <c>storage</c> — for a logout endpoint. Default: not sent.</summary>
    public IList<string>? ClearSiteData { get => (IList<string>?)this[ClearSiteDataHeader.Description]; set => this[ClearSiteDataHeader.Description] = value; }

    /// <summary><c>Integrity-Policy</c>. Default: off.</summary>
    public IntegrityPolicyOptions IntegrityPolicy { get => Options<IntegrityPolicyOptions>(IntegrityPolicyHeader.Description); set => SetOptions(IntegrityPolicyHeader.Description, value); }

    /// <summary><c>Document-Policy</c>, as a structured-field dictionary. Default: not sent.</summary>
    public string? DocumentPolicy { get => Text(DocumentPolicyHeader.Description); set => this[DocumentPolicyHeader.Description] = value; }

    /// <summary>Send <c>Cache-Control: no-store, max-age=0</c> unless the application set Cache-Control itself. Default: <see langword="false"/>.</summary>
    public bool CacheControlNoStore { get; set; }

    /// <summary>
    /// Send this policy's violation reports to the configured collector (<c>ViolationReporting</c>) when it names no
    /// destination itself. Default: <see langword="true"/>; set it off for endpoints whose reports are noise.
    /// </summary>
    public bool SendViolationReports { get; set; } = true;

    /// <summary>Other headers to send: name → value. Default: none.</summary>
    public IDictionary<string, string> CustomHeaders { get; set; } = new OrderedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The value of any registered header, by its description: an options object, a string, a list or <see langword="null"/> (off).</summary>
    /// <param name="header">A description from <see cref="HeaderRegistry"/>.</param>
    public object? this[HeaderDescription header]
    {
        get => _values[SlotOf(header)];
        set => _values[SlotOf(header)] = value;
    }

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
    public SecureHeadersPolicy Clone()
    {
        var copy = new SecureHeadersPolicy
        {
            CacheControlNoStore = CacheControlNoStore,
            SendViolationReports = SendViolationReports,
            CustomHeaders = new OrderedDictionary<string, string>(CustomHeaders, StringComparer.OrdinalIgnoreCase),
        };
        foreach (var header in HeaderRegistry.All)
        {
            copy._values[header.Slot] = header.CloneValue(_values[header.Slot]);
        }

        return copy;
    }

    private static int SlotOf(HeaderDescription header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Slot >= 0 ? header.Slot : throw new ArgumentException($"{header.Name} is not registered in HeaderRegistry.", nameof(header));
    }

    private string? Text(HeaderDescription header) => (string?)_values[header.Slot];

    private T Options<T>(HeaderDescription header)
        where T : class => (T)_values[header.Slot]!;

    private void SetOptions<T>(HeaderDescription header, T value)
        where T : class => _values[header.Slot] = value ?? throw new ArgumentNullException(nameof(value));
}
