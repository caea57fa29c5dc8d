using SecureHeaders.Analysis;

namespace SecureHeaders.Testing;

/// <summary>What a response must satisfy for <see cref="SecureHeadersAssertions"/> to pass.</summary>
public sealed class SecureHeadersExpectations
{
    /// <summary>The lowest acceptable Observatory grade (A+, A, A-, B+ … F), or <see langword="null"/> for no grade check.</summary>
    public string? MinimumGrade { get; set; }

    /// <summary>Fail on any finding of this severity or worse; <see langword="null"/> for no severity check.</summary>
    public FindingSeverity? FailOnSeverity { get; set; }

    /// <summary>Headers that must be present, with the exact value expected (compared ignoring case), or <see langword="null"/> for any value.</summary>
    public IDictionary<string, string?> RequiredHeaders { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers that must be absent (for example Server or X-Powered-By).</summary>
    public ISet<string> ForbiddenHeaders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Finding ids that never fail the assertion (accepted risks).</summary>
    public ISet<string> IgnoredFindings { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Grade the response as if the app were deployed over HTTPS with plain HTTP redirecting to it (the default), or
    /// as served (a plain-HTTP test client then costs the HTTPS-related tests).
    /// </summary>
    public bool AssumeHttpsDeployment { get; set; } = true;

    /// <summary>Expectations for an A+ with no high-severity findings.</summary>
    public static SecureHeadersExpectations Strict() => new() { MinimumGrade = "A+", FailOnSeverity = FindingSeverity.High };
}
