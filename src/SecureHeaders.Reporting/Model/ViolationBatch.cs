namespace SecureHeaders.Reporting;

/// <summary>One flush of the pipeline: de-duplicated violations (each fingerprint at most once), their hourly counts and samples.</summary>
/// <param name="Violations">Violations whose counts are added to the stored ones.</param>
/// <param name="Hourly">Hourly counts added to the timeline.</param>
/// <param name="Samples">Distinct samples per violation, added while a violation has fewer than the store's cap.</param>
public sealed record ViolationBatch(IReadOnlyList<Violation> Violations, IReadOnlyList<HourlyCount> Hourly, IReadOnlyList<ViolationSample> Samples)
{
    /// <summary>Distinct pages per violation, added while a violation has fewer than <see cref="ViolationTally.MaxPerViolation"/>.</summary>
    public IReadOnlyList<ViolationTally> Documents { get; init; } = [];

    /// <summary>Distinct client pseudonyms per violation, added while a violation has fewer than <see cref="ViolationTally.MaxPerViolation"/>.</summary>
    public IReadOnlyList<ViolationTally> Clients { get; init; } = [];

    /// <summary>Number of reports the batch stands for (the sum of the violation counts).</summary>
    public long ReportCount
    {
        get
        {
            long n = 0;
            for (var i = 0; i < Violations.Count; i++)
            {
                n += Violations[i].Count;
            }

            return n;
        }
    }
}
