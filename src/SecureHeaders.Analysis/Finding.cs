namespace SecureHeaders.Analysis;

/// <summary>How much a finding matters. Ordered: <see cref="Info"/> &lt; <see cref="Low"/> &lt; <see cref="Medium"/> &lt; <see cref="High"/>.</summary>
public enum FindingSeverity
{
    /// <summary>Worth knowing; nothing to fix.</summary>
    Info,

    /// <summary>Hardening that is recommended but not urgent.</summary>
    Low,

    /// <summary>A weakness an attacker could use in some situations.</summary>
    Medium,

    /// <summary>A weakness that leaves users exposed: fix it.</summary>
    High,
}

/// <summary>One result of our own checks (beyond the Observatory's tests).</summary>
/// <param name="Id">A stable kebab-case identifier, e.g. <c>hsts-max-age-too-short</c>; CSP Evaluator findings use its finding types.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Category">The area: <c>hsts</c>, <c>csp</c>, <c>cookies</c>, <c>framing</c>, <c>owasp</c>, <c>deprecated</c>…</param>
/// <param name="Message">What is wrong (or true), in one or two sentences.</param>
/// <param name="Fix">A concrete change that fixes it, or <see langword="null"/> for information only.</param>
/// <param name="Option">The SecureHeaders configuration path that controls it, when one does.</param>
/// <param name="Header">The response header it concerns, when there is one.</param>
/// <param name="Evidence">The value or item that triggered it (a header value, a cookie name, a script URL).</param>
public sealed record Finding(
    string Id,
    FindingSeverity Severity,
    string Category,
    string Message,
    string? Fix = null,
    string? Option = null,
    string? Header = null,
    string? Evidence = null)
{
    /// <summary>A one-line rendering for exceptions and logs.</summary>
    public override string ToString() =>
        $"[{Severity.ToString().ToLowerInvariant()}] {Id}: {Message}" + (Fix is null ? string.Empty : " Fix: " + Fix);
}
