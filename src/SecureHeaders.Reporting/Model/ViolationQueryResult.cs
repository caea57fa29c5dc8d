namespace SecureHeaders.Reporting;

/// <summary>What a store returns for a <see cref="ViolationQuery"/>.</summary>
/// <param name="Total">Number of reports stored that match the filters (the sum of the counts, before the limit).</param>
/// <param name="Violations">The matching violations, sorted and limited.</param>
public sealed record ViolationQueryResult(long Total, IReadOnlyList<Violation> Violations);
