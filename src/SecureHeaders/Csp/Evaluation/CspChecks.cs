using System.Collections.Frozen;

namespace SecureHeaders.Csp.Evaluation;

/// <summary>
/// The names of every check <see cref="CspEvaluator"/> can report. The first group are the finding types of
/// Google's CSP Evaluator 1.1.8 in kebab-case, with the same meaning; the second group are SecureHeaders' own
/// checks, under names the Evaluator does not use, so that results can be compared one to one.
/// </summary>
public static class CspChecks
{
    // ---- CSP Evaluator finding types (same semantics as csp_evaluator 1.1.8) ----

    /// <summary><c>'unsafe-inline'</c> in an effective script directive: injected inline scripts and handlers run (CSP3 §6.7.3.3).</summary>
    public const string ScriptUnsafeInline = "script-unsafe-inline";

    /// <summary><c>'unsafe-hashes'</c> in an effective script directive: hashed event handlers run.</summary>
    public const string ScriptUnsafeHashes = "script-unsafe-hashes";

    /// <summary><c>'unsafe-eval'</c> in a script directive: strings reach <c>eval()</c> and friends.</summary>
    public const string ScriptUnsafeEval = "script-unsafe-eval";

    /// <summary><c>data:</c>, <c>http:</c> or <c>https:</c> alone in script-src(-attr/-elem), object-src or base-uri.</summary>
    public const string PlainUrlSchemes = "plain-url-schemes";

    /// <summary><c>*</c> (with or without a scheme) in script-src(-attr/-elem), object-src or base-uri.</summary>
    public const string PlainWildcard = "plain-wildcard";

    /// <summary>No object-src (nor default-src), no script-src (nor default-src), or a nonce-based policy without base-uri.</summary>
    public const string MissingDirectives = "missing-directives";

    /// <summary><c>'self'</c> or a host in script-src that may serve JSONP or AngularJS (known bypass hosts are <c>high</c>).</summary>
    public const string ScriptAllowlistBypass = "script-allowlist-bypass";

    /// <summary>A host in object-src known to serve Flash files, or anything but <c>'none'</c> in object-src.</summary>
    public const string ObjectAllowlistBypass = "object-allowlist-bypass";

    /// <summary>An IP address as a source: browsers match it only against URLs that use the address literally.</summary>
    public const string IpSource = "ip-source";

    /// <summary>A nonce shorter than 8 characters.</summary>
    public const string NonceLength = "nonce-length";

    /// <summary>A nonce with characters outside base64/base64url.</summary>
    public const string NonceCharset = "nonce-charset";

    /// <summary>A source or report URL over plain <c>http://</c>.</summary>
    public const string SrcHttp = "src-http";

    /// <summary><c>reflected-xss</c>, <c>referrer</c>, <c>disown-opener</c> or <c>prefetch-src</c>.</summary>
    public const string DeprecatedDirective = "deprecated-directive";

    /// <summary>A directive name outside the CSP Evaluator's list of 34.</summary>
    public const string UnknownDirective = "unknown-directive";

    /// <summary>A value that is a directive name: a <c>;</c> is probably missing.</summary>
    public const string MissingSemicolon = "missing-semicolon";

    /// <summary>A keyword, nonce or hash without quotes, or a quoted token that is no keyword.</summary>
    public const string InvalidKeyword = "invalid-keyword";

    /// <summary>(strict) A host or scheme allow-list without <c>'strict-dynamic'</c>.</summary>
    public const string StrictDynamic = "strict-dynamic";

    /// <summary>(strict) <c>'strict-dynamic'</c> without a nonce or hash blocks every script.</summary>
    public const string StrictDynamicNotStandalone = "strict-dynamic-not-standalone";

    /// <summary>(strict) A nonce or hash without the <c>'unsafe-inline'</c> fallback for CSP1 browsers.</summary>
    public const string UnsafeInlineFallback = "unsafe-inline-fallback";

    /// <summary>(strict) <c>'strict-dynamic'</c> without the <c>https:</c> fallback for CSP2 browsers.</summary>
    public const string AllowlistFallback = "allowlist-fallback";

    /// <summary>(strict) No <c>require-trusted-types-for 'script'</c>.</summary>
    public const string RequireTrustedTypesForScripts = "require-trusted-types-for-scripts";

    /// <summary>(reporting) No report-uri and no report-to.</summary>
    public const string ReportingDestinationMissing = "reporting-destination-missing";

    /// <summary>(reporting) report-to without report-uri.</summary>
    public const string ReportToOnly = "report-to-only";

    /// <summary>(note, severity none) A source switched off by a nonce, hash or <c>'strict-dynamic'</c>.</summary>
    public const string Ignored = "ignored";

    // ---- SecureHeaders' own checks ----

    /// <summary>No frame-ancestors: any site may frame the page (clickjacking). X-Frame-Options alone is the legacy way.</summary>
    public const string MissingFrameAncestors = "missing-frame-ancestors";

    /// <summary>No form-action: it does not fall back to default-src, so injected forms may post anywhere.</summary>
    public const string MissingFormAction = "missing-form-action";

    /// <summary>No base-uri in a policy the Evaluator does not already flag: an injected &lt;base&gt; redirects relative script URLs.</summary>
    public const string MissingBaseUri = "missing-base-uri";

    /// <summary>report-uri without report-to: report-uri is deprecated in CSP3; send both during the transition.</summary>
    public const string ReportUriWithoutReportTo = "report-uri-without-report-to";

    /// <summary>A Report-Only policy without report-uri or report-to: it reports nowhere and does nothing.</summary>
    public const string ReportOnlyWithoutDestination = "report-only-without-destination";

    /// <summary>A deprecated directive the Evaluator does not list (block-all-mixed-content, plugin-types, navigate-to, require-sri-for), with its browser support.</summary>
    public const string DeprecatedDirectiveSupport = "deprecated-directive-support";

    /// <summary>A directive or keyword that current versions of some major browser do not support (from MDN's data).</summary>
    public const string BrowserSupportGap = "browser-support-gap";

    /// <summary><c>'strict-dynamic'</c> without a nonce or hash, reported when the Evaluator's strict set is not run.</summary>
    public const string StrictDynamicWithoutNonceOrHash = "strict-dynamic-without-nonce-or-hash";

    /// <summary>X-Frame-Options disagrees with frame-ancestors, or uses the obsolete ALLOW-FROM.</summary>
    public const string XFrameOptionsConflict = "x-frame-options-conflict";

    /// <summary><c>'unsafe-inline'</c> in the effective style-src without a nonce or hash: injected styles apply (CSS exfiltration).</summary>
    public const string StyleSrcUnsafeInline = "style-src-unsafe-inline";

    /// <summary>A literal <c>'nonce-…'</c> in a configured policy: it would be the same on every response.</summary>
    public const string ConfiguredStaticNonce = "configured-static-nonce";

    private static readonly FrozenSet<string> s_evaluatorChecks = new[]
    {
        ScriptUnsafeInline, ScriptUnsafeHashes, ScriptUnsafeEval, PlainUrlSchemes, PlainWildcard, MissingDirectives,
        ScriptAllowlistBypass, ObjectAllowlistBypass, IpSource, NonceLength, NonceCharset, SrcHttp, DeprecatedDirective,
        UnknownDirective, MissingSemicolon, InvalidKeyword, StrictDynamic, StrictDynamicNotStandalone, UnsafeInlineFallback,
        AllowlistFallback, RequireTrustedTypesForScripts, ReportingDestinationMissing, ReportToOnly, Ignored,

        // Declared by the Evaluator but emitted by none of its checks; reserved so that we never reuse them.
        "src-no-protocol", "experimental", "wildcard-url", "x-frame-options-obsoleted", "style-unsafe-inline", "static-nonce", "nonce-hash",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="check"/> is one of the CSP Evaluator's finding types (including the ones it declares but never emits).</summary>
    public static bool IsEvaluatorCheck(string check) => s_evaluatorChecks.Contains(check);

    /// <summary>The kebab-case name of a severity: <c>high</c>, <c>syntax</c>, <c>medium</c>, <c>high-maybe</c>, <c>strict-csp</c>, <c>medium-maybe</c>, <c>info</c>, <c>none</c>.</summary>
    public static string SeverityName(CspFindingSeverity severity) => severity switch
    {
        CspFindingSeverity.High => "high",
        CspFindingSeverity.Syntax => "syntax",
        CspFindingSeverity.Medium => "medium",
        CspFindingSeverity.HighMaybe => "high-maybe",
        CspFindingSeverity.StrictCsp => "strict-csp",
        CspFindingSeverity.MediumMaybe => "medium-maybe",
        CspFindingSeverity.Info => "info",
        _ => "none",
    };
}
