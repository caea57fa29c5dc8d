using System.Collections.Immutable;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Analysis.Grading;

/// <summary>The verdict on one site or saved header set: the Observatory-compatible block and our own findings.</summary>
public sealed class SecurityReport
{
    internal SecurityReport(SiteSnapshot site, ObservatoryResult observatory, ImmutableArray<Finding> findings, DateTimeOffset analyzedAt)
    {
        Site = site;
        Observatory = observatory;
        Findings = [.. findings.OrderByDescending(static f => f.Severity).ThenBy(static f => f.Category, StringComparer.Ordinal)];
        AnalyzedAt = analyzedAt;
    }

    /// <summary>What was fetched (or built from a saved header set).</summary>
    public SiteSnapshot Site { get; }

    /// <summary>The URL that was analysed.</summary>
    public Uri Target => Site.Target;

    /// <summary>When the analysis ran.</summary>
    public DateTimeOffset AnalyzedAt { get; }

    /// <summary>The Observatory-compatible score, grade and tests of the chosen release.</summary>
    public ObservatoryResult Observatory { get; }

    /// <summary>Our own findings, most severe first.</summary>
    public ImmutableArray<Finding> Findings { get; }

    /// <summary>The most severe finding's severity, or <see langword="null"/> when there are no findings.</summary>
    public FindingSeverity? HighestSeverity => Findings.IsEmpty ? null : Findings.Max(static f => f.Severity);

    /// <summary>The findings of one severity.</summary>
    public IEnumerable<Finding> FindingsOf(FindingSeverity severity) => Findings.Where(f => f.Severity == severity);

    /// <summary>True when the HTTPS certificate could not be verified (or verification was switched off).</summary>
    public bool TlsUnverified => Site.Https?.TlsVerified == false;
}
