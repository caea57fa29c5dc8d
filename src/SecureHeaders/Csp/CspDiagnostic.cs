namespace SecureHeaders.Csp;

/// <summary>How much a diagnostic matters.</summary>
public enum CspDiagnosticSeverity
{
    /// <summary>The policy does not do what it says: browsers ignore or misread part of it. Configured policies with errors do not start.</summary>
    Error,

    /// <summary>The policy works, but something is deprecated, redundant or likely a mistake.</summary>
    Warning,

    /// <summary>Worth knowing.</summary>
    Info,
}

/// <summary>What a diagnostic is about. Names are stable and appear in JSON output in kebab-case.</summary>
public enum CspDiagnosticCode
{
    /// <summary>The policy has no directives.</summary>
    EmptyPolicy,

    /// <summary>A directive contains non-ASCII characters; browsers skip it whole (CSP3 §2.2.1 step 1.2).</summary>
    NonAsciiDirective,

    /// <summary>A control character (CR, LF, NUL…) in the policy; it would corrupt or split the header.</summary>
    ControlCharacter,

    /// <summary>A comma: in a header it starts a second policy (CSP3 §2.2.2), so it never belongs inside a directive.</summary>
    CommaInPolicy,

    /// <summary>A semicolon inside a single configured value; it would start a new directive.</summary>
    SemicolonInValue,

    /// <summary>A directive name with characters outside <c>ALPHA / DIGIT / "-"</c> (CSP3 §2.3 <c>directive-name</c>).</summary>
    InvalidDirectiveName,

    /// <summary>A directive name no browser knows; browsers ignore it.</summary>
    UnknownDirective,

    /// <summary>A directive that appears again; browsers keep the first and ignore the rest (CSP3 §2.2.1 step 1.5).</summary>
    DuplicateDirective,

    /// <summary>A deprecated or removed directive.</summary>
    DeprecatedDirective,

    /// <summary>An experimental directive that not every browser supports.</summary>
    ExperimentalDirective,

    /// <summary>A keyword written without its single quotes (<c>self</c> instead of <c>'self'</c>); it is read as a host name.</summary>
    UnquotedKeyword,

    /// <summary>A nonce or hash written without single quotes.</summary>
    UnquotedNonceOrHash,

    /// <summary>A quoted token that is not a CSP keyword.</summary>
    UnknownKeyword,

    /// <summary>A keyword from an old draft that browsers no longer understand.</summary>
    RenamedKeyword,

    /// <summary>A nonce whose value is not base64.</summary>
    InvalidNonce,

    /// <summary>A hash whose value is not a base64 digest of the right length for its algorithm.</summary>
    InvalidHash,

    /// <summary>A token that matches no source-expression production (CSP3 §2.3.1).</summary>
    InvalidSource,

    /// <summary><c>'none'</c> next to other sources: browsers ignore the <c>'none'</c>.</summary>
    NoneWithOtherSources,

    /// <summary>A source kind this directive ignores (a nonce in <c>img-src</c>, <c>'unsafe-inline'</c> in <c>frame-ancestors</c>…).</summary>
    SourceIgnoredInDirective,

    /// <summary>A fetch directive with no values, which blocks everything; <c>'none'</c> says so explicitly.</summary>
    EmptySourceList,

    /// <summary>A directive that takes no value was given one.</summary>
    UnexpectedValue,

    /// <summary>A directive that needs a value was given none.</summary>
    MissingValue,

    /// <summary>A value outside the directive's vocabulary (sandbox flags, Trusted Types keywords, <c>'allow'</c>/<c>'block'</c>…).</summary>
    InvalidValue,

    /// <summary><c>report-to</c> names more than one endpoint; only one is allowed (CSP3 §6.4.2).</summary>
    MultipleReportToEndpoints,

    /// <summary>The SecureHeaders nonce placeholder outside a configured policy.</summary>
    NoncePlaceholderInHeader,

    /// <summary>The same source twice in one directive.</summary>
    DuplicateSource,

    /// <summary>
    /// <c>'strict-dynamic'</c> without a nonce or hash in the same directive: browsers then trust no script at all
    /// (CSP3 §8.2). An error for configured policies.
    /// </summary>
    StrictDynamicWithoutNonceOrHash,

    /// <summary>A Report-Only policy without <c>report-uri</c> or <c>report-to</c>: it enforces nothing and reports nowhere.</summary>
    ReportOnlyWithoutDestination,

    /// <summary>A literal <c>'nonce-…'</c> in a configured policy: the same value on every response is no nonce at all.</summary>
    StaticNonce,
}

/// <summary>One finding of the CSP parser or validator.</summary>
/// <param name="Code">What the diagnostic is about.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Message">A sentence that says what is wrong.</param>
/// <param name="Directive">The directive it concerns, if any.</param>
/// <param name="Value">The value it concerns, if any.</param>
/// <param name="Fix">How to fix it, if there is a clear fix.</param>
public sealed record CspDiagnostic(
    CspDiagnosticCode Code,
    CspDiagnosticSeverity Severity,
    string Message,
    string? Directive = null,
    string? Value = null,
    string? Fix = null)
{
    /// <summary>A one-line rendering for logs and exceptions.</summary>
    public override string ToString() => Fix is null ? Message : Message + " Fix: " + Fix;
}
