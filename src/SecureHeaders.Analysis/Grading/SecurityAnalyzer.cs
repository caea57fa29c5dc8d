using SecureHeaders.Analysis.Checks;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Analysis.Grading;

/// <summary>
/// Runs the whole analysis on a fetched site or a saved header set: the Observatory-compatible grader and our own
/// checks (HSTS, CSP syntax and evaluator findings, framing, cookies, OWASP recommendations and leak headers,
/// Permissions-Policy, COOP/COEP/CORP, CORS, SRI, deprecated headers, duplicates and conflicts).
/// </summary>
public static class SecurityAnalyzer
{
    /// <summary>Analyses what a scan fetched, grading it as the newest Observatory release does.</summary>
    public static SecurityReport Analyze(SiteSnapshot site, IHstsPreloadList? preloadList = null, TimeProvider? time = null) =>
        Analyze(site, ObservatoryVersions.Default, preloadList, time);

    /// <summary>Analyses what a scan fetched, grading it as the given Observatory release does.</summary>
    public static SecurityReport Analyze(SiteSnapshot site, ObservatoryVersion version, IHstsPreloadList? preloadList = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var observatory = ObservatoryGrader.Grade(site, version, preloadList, now);
        var context = site.Primary is null ? null : new CheckContext(site, observatory);
        if (context is not null)
        {
            TransportChecks.Run(context);
            CspChecks.Run(context, EvaluatorCspFindings.Instance);
            HeaderChecks.Run(context);
        }

        return new SecurityReport(site, observatory, [.. context?.Findings ?? []], now);
    }

    /// <summary>
    /// Analyses a saved header set as if it were served at <paramref name="url"/> (default <c>https://localhost/</c>)
    /// over HTTPS with plain HTTP redirecting to it, or over plain HTTP only (see <see cref="SiteSnapshot.FromHeaderSet"/>).
    /// </summary>
    public static SecurityReport Analyze(HeaderSet headers, OfflineTransport transport = OfflineTransport.Https, Uri? url = null) =>
        Analyze(SiteSnapshot.FromHeaderSet(headers, transport, url));

    /// <summary>Analyses a saved header set (see the other overload) grading it as the given Observatory release does.</summary>
    public static SecurityReport Analyze(HeaderSet headers, ObservatoryVersion version, OfflineTransport transport = OfflineTransport.Https, Uri? url = null) =>
        Analyze(SiteSnapshot.FromHeaderSet(headers, transport, url), version);
}
