namespace SecureHeaders.Reporting;

/// <summary>Reports of one violation in one hour, written next to the violation for the timeline.</summary>
/// <param name="Fingerprint">The violation's fingerprint.</param>
/// <param name="Hour">Start of the hour (UTC).</param>
/// <param name="Count">Reports in that hour.</param>
public readonly record struct HourlyCount(string Fingerprint, DateTimeOffset Hour, long Count);
