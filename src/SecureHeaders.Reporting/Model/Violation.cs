namespace SecureHeaders.Reporting;

/// <summary>
/// One de-duplicated violation: every report with the same <see cref="Fingerprint"/>, with how often and when it was seen,
/// and the details of the most recent report. URLs are stored without query string or fragment.
/// </summary>
/// <remarks>
/// The pipeline also writes instances of this type, where <see cref="Count"/>, <see cref="FirstSeen"/> and
/// <see cref="LastSeen"/> describe one flush; the store adds them to what it holds.
/// </remarks>
public sealed record Violation
{
    /// <summary>
    /// Stable hash of <see cref="Type"/>, <see cref="Disposition"/>, <see cref="DocumentOrigin"/>, <see cref="Directive"/>,
    /// <see cref="BlockedUri"/> and <see cref="SourceHost"/>, plus <see cref="Policy"/> and <see cref="Session"/> when set.
    /// </summary>
    public required string Fingerprint { get; init; }

    /// <summary>Report type, one of <see cref="ReportTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary><c>enforce</c> (the resource was blocked) or <c>report</c> (a Report-Only policy would have blocked it).</summary>
    public required string Disposition { get; init; }

    /// <summary>Origin of the page the report is about (<c>https://example.com</c>), or empty when unknown.</summary>
    public required string DocumentOrigin { get; init; }

    /// <summary>
    /// For CSP, the effective directive (<c>script-src-elem</c>, <c>img-src</c>…); for other types a type-specific key
    /// such as the permissions-policy feature or <c>coep:corp</c>.
    /// </summary>
    public required string Directive { get; init; }

    /// <summary>
    /// What was blocked, reduced: an origin (<c>https://cdn.example.com</c>), a keyword
    /// (<c>inline</c>, <c>eval</c>, <c>wasm-eval</c>, <c>trusted-types-sink</c>…), a scheme (<c>data</c>, <c>blob</c>), or <c>self</c>.
    /// </summary>
    public required string BlockedUri { get; init; }

    /// <summary>Host of the script that caused the violation, or empty.</summary>
    public required string SourceHost { get; init; }

    /// <summary>Number of reports.</summary>
    public long Count { get; init; }

    /// <summary>When the first report was generated.</summary>
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>When the most recent report was generated.</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>Page URL of the most recent report, without query string or fragment.</summary>
    public string? DocumentUrl { get; init; }

    /// <summary>Blocked URL of the most recent report, without query string or fragment.</summary>
    public string? BlockedUrl { get; init; }

    /// <summary>Script URL of the most recent report, without query string or fragment.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Line in <see cref="SourceFile"/>.</summary>
    public int? LineNumber { get; init; }

    /// <summary>Column in <see cref="SourceFile"/>.</summary>
    public int? ColumnNumber { get; init; }

    /// <summary>
    /// The first characters of the blocked inline code (CSP3 §5.3: at most 40, and only when the directive carries
    /// <c>'report-sample'</c>), or the message of a deprecation or intervention report.
    /// </summary>
    public string? Sample { get; init; }

    /// <summary>The policy that was violated, as the browser reported it (truncated when very long).</summary>
    public string? OriginalPolicy { get; init; }

    /// <summary>HTTP status of the document, when reported.</summary>
    public int? StatusCode { get; init; }

    /// <summary>
    /// The SecureHeaders policy that produced the report (from the policy's own report URL, checked against the app's
    /// policies and origins), or empty when the report could not be attributed; unattributed reports never feed a suggestion.
    /// </summary>
    public string Policy { get; init; } = string.Empty;

    /// <summary>The learning session the reports were generated in (<see cref="LearningSession.Id"/>), or 0 for none.</summary>
    public long Session { get; init; }
}
