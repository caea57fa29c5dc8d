namespace SecureHeaders.Reporting;

/// <summary>Reports received in one hour.</summary>
/// <param name="Start">Start of the hour (UTC).</param>
/// <param name="Count">Reports in that hour.</param>
public readonly record struct TimelinePoint(DateTimeOffset Start, long Count);
