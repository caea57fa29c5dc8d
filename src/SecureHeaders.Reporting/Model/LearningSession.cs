namespace SecureHeaders.Reporting;

/// <summary>
/// A learning window: reports generated between <see cref="StartedAt"/> and <see cref="EndedAt"/> are tagged with
/// <see cref="Id"/>, so a suggestion can be computed from this window alone and never from what was recorded before it.
/// </summary>
/// <param name="Id">Positive id, assigned by the store.</param>
/// <param name="Name">Optional label.</param>
/// <param name="StartedAt">Start of the window.</param>
/// <param name="EndedAt">End of the window, or <see langword="null"/> while it is open.</param>
public sealed record LearningSession(long Id, string? Name, DateTimeOffset StartedAt, DateTimeOffset? EndedAt)
{
    /// <summary>True when a report generated at <paramref name="at"/> belongs to this window.</summary>
    /// <param name="at">When the report was generated.</param>
    public bool Contains(DateTimeOffset at) => at >= StartedAt && (EndedAt is not { } end || at <= end);
}
