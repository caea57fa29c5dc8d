namespace SecureHeaders.Csp;

/// <summary>The family a CSP directive belongs to (CSP Level 3 §6).</summary>
public enum CspDirectiveKind
{
    /// <summary>Fetch directives control where resources may be loaded from (CSP3 §6.1).</summary>
    Fetch,

    /// <summary>Document directives govern properties of the document (CSP3 §6.2).</summary>
    Document,

    /// <summary>Navigation directives govern where a document may navigate or be embedded (CSP3 §6.3).</summary>
    Navigation,

    /// <summary>Reporting directives say where violation reports go (CSP3 §6.4).</summary>
    Reporting,

    /// <summary>Trusted Types directives (W3C Trusted Types §4).</summary>
    TrustedTypes,

    /// <summary>Directives defined by other specifications (Mixed Content, Upgrade Insecure Requests, SRI).</summary>
    Other,
}

/// <summary>The grammar of a directive's value: which tokens are legal after the name.</summary>
public enum CspValueKind
{
    /// <summary>A <c>serialized-source-list</c> (CSP3 §2.3.1): keywords, nonces, hashes, schemes and hosts.</summary>
    SourceList,

    /// <summary>An <c>ancestor-source-list</c> (CSP3 §6.3.2.1): schemes, hosts, <c>'self'</c> or <c>'none'</c>.</summary>
    AncestorSourceList,

    /// <summary>No value at all (<c>upgrade-insecure-requests</c>, <c>block-all-mixed-content</c>).</summary>
    None,

    /// <summary>Sandbox flags such as <c>allow-scripts</c> (CSP3 §6.2.2; HTML sandboxing flag set).</summary>
    SandboxTokens,

    /// <summary>One or more URI references (<c>report-uri</c>, CSP3 §6.4.1).</summary>
    UriReferences,

    /// <summary>A single endpoint name token (<c>report-to</c>, CSP3 §6.4.2).</summary>
    ReportingEndpointName,

    /// <summary>Trusted Types policy names, <c>'none'</c>, <c>'allow-duplicates'</c> or <c>*</c>.</summary>
    TrustedTypesPolicyNames,

    /// <summary>The sink groups of <c>require-trusted-types-for</c>: only <c>'script'</c>.</summary>
    TrustedTypesSinkGroups,

    /// <summary>MIME types (<c>plugin-types</c>, removed from CSP3).</summary>
    MediaTypes,

    /// <summary><c>'allow'</c> or <c>'block'</c> (<c>webrtc</c>, CSP3 §6.2.3).</summary>
    AllowOrBlock,

    /// <summary><c>script</c> and/or <c>style</c> (<c>require-sri-for</c>, abandoned draft).</summary>
    SriResourceTypes,

    /// <summary>Anything: the directive is unknown to the registry, so its value is kept verbatim.</summary>
    Unknown,
}

/// <summary>What the registry knows about one directive.</summary>
/// <param name="Name">The lower-case directive name.</param>
/// <param name="Kind">The family of the directive.</param>
/// <param name="ValueKind">The grammar of its value.</param>
/// <param name="Fallback">
/// The directive fallback list (CSP3 §6.8.3), starting with the directive itself, or empty when the directive
/// does not fall back. For example <c>script-src-elem → script-src → default-src</c>.
/// </param>
/// <param name="IsDeprecated">True when the directive is deprecated or removed and browsers ignore it or are dropping it.</param>
/// <param name="IsExperimental">True when the directive is not yet on a standards track in every engine.</param>
/// <param name="Replacement">What to use instead, for deprecated directives.</param>
public sealed record CspDirectiveInfo(
    string Name,
    CspDirectiveKind Kind,
    CspValueKind ValueKind,
    IReadOnlyList<string> Fallback,
    bool IsDeprecated = false,
    bool IsExperimental = false,
    string? Replacement = null)
{
    /// <summary>True for directives whose value is a source list (fetch directives, <c>base-uri</c>, <c>form-action</c>).</summary>
    public bool HasSourceList => ValueKind is CspValueKind.SourceList or CspValueKind.AncestorSourceList;

    /// <summary>
    /// Browser support from MDN's compatibility data (first version per browser, removals, MDN's deprecated and
    /// experimental flags), or <see langword="null"/> when the data does not cover this directive.
    /// </summary>
    public Compatibility.FeatureSupport? Support => Compatibility.BrowserSupport.ForCsp(Name);
}
