namespace SecureHeaders.Reporting;

/// <summary>Filters for reading violations from a store.</summary>
public sealed record ViolationQuery
{
    /// <summary>The largest <see cref="Limit"/> honoured.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only violations seen at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only this directive (exact match).</summary>
    public string? Directive { get; init; }

    /// <summary>Only this report type (see <see cref="ReportTypes"/>).</summary>
    public string? Type { get; init; }

    /// <summary>Only this disposition (<c>enforce</c> or <c>report</c>).</summary>
    public string? Disposition { get; init; }

    /// <summary>Only reports attributed to this policy (exact match; empty for unattributed reports).</summary>
    public string? Policy { get; init; }

    /// <summary>Only reports of this learning session (<see cref="LearningSession.Id"/>; 0 for reports outside every session).</summary>
    public long? Session { get; init; }

    /// <summary>How many violations to return, at most <see cref="MaxLimit"/>. Default 100.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Sort order. Default: most reports first.</summary>
    public ViolationOrder OrderBy { get; init; } = ViolationOrder.Count;
}

/// <summary>Sort order of <see cref="ViolationQuery"/>.</summary>
public enum ViolationOrder
{
    /// <summary>Most reports first.</summary>
    Count,

    /// <summary>Most recently seen first.</summary>
    LastSeen,
}
