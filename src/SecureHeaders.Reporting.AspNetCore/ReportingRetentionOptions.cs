namespace SecureHeaders.Reporting.AspNetCore;

/// <summary>How long and how many de-duplicated violations the store keeps.</summary>
public sealed class ReportingRetentionOptions
{
    /// <summary>Violations not seen for longer than this are deleted. Default 30 days.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Most violation rows kept; the least recently seen go first. Default 10,000.</summary>
    public int MaxViolations { get; set; } = 10_000;

    /// <summary>How often retention runs in the background. Default 1 hour.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
