using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Reporting.AspNetCore.Dashboard;

/// <summary>Everything the dashboard shows, read before rendering starts.</summary>
internal sealed record DashboardModel(
    long Total,
    IReadOnlyList<Violation> Top,
    IReadOnlyList<Violation> Recent,
    IReadOnlyList<TimelinePoint> Timeline,
    DateTimeOffset TimelineStart,
    int TimelineHours,
    LearningResult? Learning,
    string? LearningError,
    string ApiPath,
    DashboardCounters Counters);

/// <summary>Collector counters since the process started.</summary>
internal sealed record DashboardCounters(long Accepted, long Stored, long Noise, long RateLimited, long QueueFull, long Refused);
