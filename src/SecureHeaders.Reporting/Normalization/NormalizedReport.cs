namespace SecureHeaders.Reporting.Normalization;

/// <summary>One report after normalisation: the fingerprint parts plus the details kept as an example.</summary>
internal sealed record NormalizedReport
{
    public required string Type { get; init; }
    public required string Disposition { get; init; }
    public required string DocumentOrigin { get; init; }
    public required string Directive { get; init; }
    public required string BlockedUri { get; init; }
    public required string SourceHost { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string? DocumentUrl { get; init; }
    public string? BlockedUrl { get; init; }
    public string? SourceFile { get; init; }
    public int? LineNumber { get; init; }
    public int? ColumnNumber { get; init; }
    public string? Sample { get; init; }
    public string? OriginalPolicy { get; init; }
    public int? StatusCode { get; init; }

    /// <summary>The policy the report is attributed to (checked, see the collector's attribution), or empty.</summary>
    public string Policy { get; init; } = string.Empty;

    /// <summary>The learning session the report was generated in, or 0.</summary>
    public long Session { get; init; }

    /// <summary>Pseudonym of the client that delivered the report, or <see langword="null"/>.</summary>
    public string? Client { get; init; }
}

/// <summary>Why the normaliser did not produce a report.</summary>
internal enum NormalizeResult
{
    Ok,
    Noise,
    Invalid,
}
