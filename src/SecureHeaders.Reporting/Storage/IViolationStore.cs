namespace SecureHeaders.Reporting.Storage;

/// <summary>
/// Where de-duplicated violations live. Implementations must merge writes (add counts, widen first/last seen, keep the
/// newest details) so that several writers, in one process or several, never lose a count.
/// </summary>
public interface IViolationStore
{
    /// <summary>
    /// Creates the schema if it does not exist, or migrates an older one to the current version (the store's schema
    /// version table records each step). Safe to call more than once and from several processes.
    /// </summary>
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

    // Learning. The SQLite and PostgreSQL stores implement every member; a custom store that does not keeps working
    // for collection and the dashboard: it simply has no evidence, sessions or recorded policies, so learning adds nothing.

    /// <summary>The pages and client pseudonyms stored for the given violations (none by default).</summary>
    /// <param name="fingerprints">Violations to read evidence of.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<ViolationEvidence> GetEvidenceAsync(IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken) =>
        Task.FromResult(ViolationEvidence.Empty);

    /// <summary>Opens a learning session starting at <paramref name="at"/>; an open session is ended at the same instant first.</summary>
    /// <param name="name">Optional label.</param>
    /// <param name="at">Start of the window.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="NotSupportedException">The store does not keep learning sessions.</exception>
    Task<LearningSession> StartSessionAsync(string? name, DateTimeOffset at, CancellationToken cancellationToken) =>
        throw new NotSupportedException(GetType().Name + " does not keep learning sessions; use the SQLite or PostgreSQL store.");

    /// <summary>Ends an open learning session; <see langword="null"/> when there is no such session. Ending an ended session changes nothing.</summary>
    /// <param name="id">The session.</param>
    /// <param name="at">End of the window.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="NotSupportedException">The store does not keep learning sessions.</exception>
    Task<LearningSession?> EndSessionAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) =>
        throw new NotSupportedException(GetType().Name + " does not keep learning sessions; use the SQLite or PostgreSQL store.");

    /// <summary>Every learning session, newest first (none by default).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<IReadOnlyList<LearningSession>> GetSessionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LearningSession>>([]);

    /// <summary>Replaces the recorded application policies and inline hashes with <paramref name="snapshot"/>.</summary>
    /// <param name="snapshot">What the app compiled.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="NotSupportedException">The store does not record application policies.</exception>
    Task RecordAppPoliciesAsync(AppPolicySnapshot snapshot, CancellationToken cancellationToken) =>
        throw new NotSupportedException(GetType().Name + " does not record application policies.");

    /// <summary>The application policies last recorded (<see cref="AppPolicySnapshot.Empty"/> when none, and by default).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<AppPolicySnapshot> GetAppPoliciesAsync(CancellationToken cancellationToken) => Task.FromResult(AppPolicySnapshot.Empty);

    /// <summary>Records an opt-in for a rejected addition.</summary>
    /// <param name="optIn">The decision.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="NotSupportedException">The store does not record opt-ins.</exception>
    Task AddOptInAsync(LearningOptIn optIn, CancellationToken cancellationToken) =>
        throw new NotSupportedException(GetType().Name + " does not record opt-ins; use the SQLite or PostgreSQL store.");

    /// <summary>Every recorded opt-in, oldest first (none by default).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<IReadOnlyList<LearningOptIn>> GetOptInsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LearningOptIn>>([]);

    /// <summary>
    /// The secret key client pseudonyms are made with (HMAC of address and user agent), created once per store so
    /// that every instance and restart names a client the same way and the stored value cannot be reversed by trying addresses.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="NotSupportedException">The store keeps no key; the collector then uses one per process.</exception>
    Task<byte[]> GetPseudonymKeyAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException(GetType().Name + " keeps no pseudonym key.");
}
