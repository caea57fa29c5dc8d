using SecureHeaders.Reporting.Normalization;

namespace SecureHeaders.Reporting.AspNetCore;

/// <summary>
/// Settings of the violation-report collector, bound from the configuration section
/// <c>SecureHeaders:Reporting</c> and then from the delegate given to
/// <c>AddSecureHeadersReporting</c>.
/// </summary>
/// <remarks>
/// The collector is the receiving side of CSP3 §5 "Reporting" (the <c>report-uri</c> and
/// <c>report-to</c> directives) and of the W3C Reporting API (<c>Reporting-Endpoints</c>).
/// <see cref="Path"/> and <see cref="EndpointName"/> are what a policy must name to deliver reports here.
/// </remarks>
public sealed class SecureHeadersReportingOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string ConfigurationSection = "SecureHeaders:Reporting";

    /// <summary>
    /// Path of the report endpoint that browsers POST to, relative to the app's path base.
    /// Policies put it in <c>report-uri</c> and in the <c>Reporting-Endpoints</c> header. Default <c>/_secureheaders/reports</c>.
    /// </summary>
    public string Path { get; set; } = "/_secureheaders/reports";

    /// <summary>
    /// The endpoint name for the Reporting API: the key in <c>Reporting-Endpoints: name="url"</c>
    /// (W3C Reporting API §3.2) and the token in CSP's <c>report-to name</c> directive. Default <c>secureheaders</c>.
    /// </summary>
    public string EndpointName { get; set; } = "secureheaders";

    /// <summary>Prefix of the JSON API (<c>{ApiPath}/violations</c>, <c>{ApiPath}/suggestion</c>, <c>{ApiPath}/timeline</c>). Default <c>/_secureheaders/api</c>.</summary>
    public string ApiPath { get; set; } = "/_secureheaders/api";

    /// <summary>
    /// Largest accepted request body in bytes. Larger bodies are refused with 413 before they are buffered:
    /// first from <c>Content-Length</c>, then while streaming. Default 64 KiB.
    /// </summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Most reports taken from one request body. The Reporting API delivers reports in batches (W3C Reporting API §3.5);
    /// items past this cap are skipped and counted. Default 100.
    /// </summary>
    public int MaxReportsPerRequest { get; set; } = 100;

    /// <summary>Deepest JSON nesting accepted; deeper bodies are refused with 400. Real reports nest three levels. Default 16.</summary>
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>
    /// Capacity of the in-memory queue between the endpoint and the background writer, in request bodies.
    /// When it is full the endpoint answers 503 with <c>Retry-After</c> and counts the drop, so memory stays bounded. Default 1024.
    /// </summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>
    /// How often aggregated reports are written to the store. This is also the most that a hard kill can lose. Default 2 seconds.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Most distinct fingerprints held in memory between flushes; reaching it forces an early flush, and the writer
    /// takes no more bodies from the queue until that write succeeded (the queue then fills and the endpoint answers
    /// 503), so nothing answered with 204 is ever dropped. Default 5,000.
    /// </summary>
    public int MaxPendingViolations { get; set; } = 5000;

    /// <summary>
    /// URL schemes whose reports are browser noise (extensions, internal pages) and are not stored.
    /// Compared with <see cref="StringComparison.OrdinalIgnoreCase"/> against the scheme of the blocked URL and of the source file.
    /// </summary>
    public IList<string> IgnoredSchemes { get; } = new List<string>(NoiseDefaults.Schemes);

    /// <summary>
    /// Hosts whose reports are noise (for example hosts injected by adware). An entry starting with <c>*.</c> also matches subdomains.
    /// Empty by default.
    /// </summary>
    public IList<string> IgnoredHosts { get; } = new List<string>();

    /// <summary>
    /// Origins of the app's own pages (<c>https://shop.example.com</c>). A report is attributed to a policy, and so
    /// feeds learning, only when its page is on one of these origins or on the origin the report was delivered to
    /// (the default report URL is a path, so browsers send reports to the page's own origin). Set it when reports
    /// arrive through another host name, for example behind a proxy that rewrites Host without
    /// <c>UseForwardedHeaders()</c>. Empty by default.
    /// </summary>
    public IList<string> AppOrigins { get; } = new List<string>();

    /// <summary>Per-client rate limit of the report endpoint.</summary>
    public ReportingRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>How long and how much is kept in the store.</summary>
    public ReportingRetentionOptions Retention { get; set; } = new();

    /// <summary>The dashboard page and the JSON API.</summary>
    public ReportingDashboardOptions Dashboard { get; set; } = new();

    /// <summary>
    /// Path of the SQLite database used when no other store is registered. A relative path is resolved against the
    /// app's content root. Default <c>App_Data/secureheaders-reports.db</c>.
    /// </summary>
    public string SqlitePath { get; set; } = "App_Data/secureheaders-reports.db";

    /// <summary>Problems found while binding configuration, reported at startup.</summary>
    internal SecureHeaders.Configuration.ConfigurationProblems BindingProblems { get; } = new();
}
