namespace SecureHeaders.Reporting.Storage;

/// <summary>
/// Where de-duplicated violations live. Implementations must merge writes (add counts, widen first/last seen, keep the
/// newest details) so that several writers, in one process or several, never lose a count.
/// </summary>
public interface IViolationStore
{
    /// <summary>Creates the schema if it does not exist. Safe to call more than once and from several processes.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Adds a batch to the store in one transaction.</summary>
    /// <param name="batch">Violations (each fingerprint at most once) and hourly counts.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task WriteAsync(ViolationBatch batch, CancellationToken cancellationToken);

    /// <summary>Reads violations and the total number of reports that match the filters.</summary>
    /// <param name="query">Filters, order and limit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<ViolationQueryResult> QueryAsync(ViolationQuery query, CancellationToken cancellationToken);

    /// <summary>The stored samples of the given violations, most frequent first.</summary>
    /// <param name="fingerprints">Violations to read samples of.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<IReadOnlyList<ViolationSample>> GetSamplesAsync(IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken);

    /// <summary>Reports per hour since an instant, oldest first; hours without reports are left out.</summary>
    /// <param name="since">First hour to include.</param>
    /// <param name="directive">Only this directive, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<IReadOnlyList<TimelinePoint>> GetTimelineAsync(DateTimeOffset since, string? directive, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes violations last seen before <paramref name="olderThan"/>, then the least recently seen beyond
    /// <paramref name="maxViolations"/> rows, with their hourly counts and samples.
    /// </summary>
    /// <param name="olderThan">Age cut-off.</param>
    /// <param name="maxViolations">Most violation rows to keep.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The number of violation rows deleted.</returns>
    Task<int> ApplyRetentionAsync(DateTimeOffset olderThan, int maxViolations, CancellationToken cancellationToken);
}
