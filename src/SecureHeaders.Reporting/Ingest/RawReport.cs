namespace SecureHeaders.Reporting.Ingest;

/// <summary>Which kind of report a parsed item is. <see cref="Unknown"/> items are counted and dropped.</summary>
internal enum ReportKind
{
    Unknown,
    Csp,
    Coop,
    Coep,
    PermissionsPolicy,
    Integrity,
    Deprecation,
    Intervention,
}

/// <summary>
/// The fields of one report as the browser sent them, already truncated to sane lengths but not yet normalised.
/// Both wire formats and every browser's field spelling end up here.
/// </summary>
internal sealed class RawReport
{
    public ReportKind Kind;

    /// <summary>Milliseconds between the report's generation and its delivery (Reporting API <c>age</c>).</summary>
    public long AgeMilliseconds;

    /// <summary>The Reporting API envelope's <c>url</c>: the document the report is about.</summary>
    public string? Url;
    public string? DocumentUrl;
    public string? BlockedUrl;
    public string? EffectiveDirective;
    public string? ViolatedDirective;
    public string? OriginalPolicy;
    public string? SourceFile;
    public string? Sample;
    public string? Disposition;

    /// <summary><c>featureId</c> of a permissions-policy report or <c>id</c> of a deprecation or intervention.</summary>
    public string? Feature;

    /// <summary>The body's own <c>type</c> (COOP and COEP report sub-kinds).</summary>
    public string? Subtype;
    public string? Destination;

    /// <summary>The first of the URLs a COOP report names (next/previous response, opener, other document).</summary>
    public string? RelatedUrl;
    public string? Message;
    public bool? ReportOnly;
    public int? StatusCode;
    public int? LineNumber;
    public int? ColumnNumber;
}

/// <summary>The reports of one request body, as queued for the background writer.</summary>
internal sealed class RawReportBatch(List<RawReport> reports, DateTimeOffset receivedAt)
{
    public List<RawReport> Reports { get; } = reports;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    /// <summary>
    /// The policy name the report URL claims (<c>?policy=</c>, added per policy by SecureHeaders); a claim only, checked
    /// against the app's policies before the reports are attributed.
    /// </summary>
    public string? ClaimedPolicy { get; init; }

    /// <summary>The origin the reports were delivered to (scheme and host of the request), to check the reports' page origin against.</summary>
    public string? ReceiverOrigin { get; init; }

    /// <summary>The delivering client's address and user agent, turned into a pseudonym before anything is stored.</summary>
    public string? Client { get; init; }
}
