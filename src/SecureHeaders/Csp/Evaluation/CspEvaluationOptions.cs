namespace SecureHeaders.Csp.Evaluation;

/// <summary>Groups of checks that <see cref="CspEvaluator"/> can run.</summary>
[Flags]
public enum CspCheckSets
{
    /// <summary>No checks.</summary>
    None = 0,

    /// <summary>The CSP Evaluator's <c>DEFAULT_CHECKS</c>: unsafe-inline/eval, plain schemes, wildcards, missing directives, allow-list bypasses, IP sources, nonce length, http: sources, deprecated and unknown directives, missing semicolons, invalid keywords.</summary>
    EvaluatorDefault = 1,

    /// <summary>The CSP Evaluator's <c>STRICTCSP_CHECKS</c>: strict-dynamic, strict-dynamic without nonce/hash, unsafe-inline fallback, allow-list fallback, Trusted Types.</summary>
    EvaluatorStrict = 2,

    /// <summary>The CSP Evaluator's <c>checkHasConfiguredReporting</c> (in none of its lists): no report-uri/report-to, or report-to only.</summary>
    EvaluatorReporting = 4,

    /// <summary>SecureHeaders' own checks (see <see cref="CspChecks"/>), including what the parser found in the text.</summary>
    Own = 8,

    /// <summary>The CSP Evaluator's <c>ignored</c> notes (severity <c>none</c>): sources that a nonce, hash or <c>'strict-dynamic'</c> switches off.</summary>
    IgnoredNotes = 16,

    /// <summary>What <c>secureheaders csp evaluate</c> runs by default: the Evaluator's default and strict sets and our own checks.</summary>
    Recommended = EvaluatorDefault | EvaluatorStrict | Own,

    /// <summary>Everything.</summary>
    All = EvaluatorDefault | EvaluatorStrict | EvaluatorReporting | Own | IgnoredNotes,
}

/// <summary>Options of <see cref="CspEvaluator"/>.</summary>
public sealed record CspEvaluationOptions
{
    /// <summary>The options <c>secureheaders csp evaluate</c> uses: <see cref="CspCheckSets.Recommended"/>, CSP Level 3.</summary>
    public static CspEvaluationOptions Default { get; } = new();

    /// <summary>Which checks run. Default: <see cref="CspCheckSets.Recommended"/>.</summary>
    public CspCheckSets Checks { get; init; } = CspCheckSets.Recommended;

    /// <summary>
    /// The CSP level whose browsers the effective policy is computed for (1, 2 or 3; default 3), as the CSP
    /// Evaluator does: from level 2 a nonce or hash switches off <c>'unsafe-inline'</c>; from level 3
    /// <c>'strict-dynamic'</c> switches off hosts, schemes, <c>'self'</c> and <c>'unsafe-inline'</c>.
    /// </summary>
    public int CspVersion { get; init; } = 3;

    /// <summary>True when the policy is sent as <c>Content-Security-Policy-Report-Only</c>: it then needs a report destination.</summary>
    public bool ReportOnly { get; init; }

    /// <summary>
    /// True when the policy comes from configuration rather than from a response: the SecureHeaders placeholder
    /// <c>'nonce'</c> then stands for the fresh nonce of each response and is evaluated as a valid nonce, and a
    /// literal <c>'nonce-…'</c> is reported as static.
    /// </summary>
    public bool ConfiguredPolicy { get; init; }

    /// <summary>The page's <c>X-Frame-Options</c> value, when known, to check it against <c>frame-ancestors</c>.</summary>
    public string? XFrameOptions { get; init; }
}
