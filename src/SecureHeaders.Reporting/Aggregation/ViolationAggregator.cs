using SecureHeaders.Reporting.Normalization;

namespace SecureHeaders.Reporting.Aggregation;

/// <summary>
/// Collapses normalised reports by fingerprint between two flushes, keeping counts, first and last seen, hourly
/// counts, a few distinct samples and the newest report as the example. Used by the single background reader only.
/// </summary>
internal sealed class ViolationAggregator
{
    internal const int MaxSamplesPerViolation = 10;

    // Grouped by the fingerprint's fields, so that the digest is computed once per violation and flush, not per report.
    private readonly Dictionary<NormalizedReport, Pending> _pending = new(Fingerprint.Grouping);

    public int DistinctCount => _pending.Count;

    public long ReportCount { get; private set; }

    /// <summary>
    /// Adds a report. Nothing is ever refused here: the caller bounds memory by reading no more input once
    /// <see cref="DistinctCount"/> reaches its limit, so that a report already acknowledged is never dropped.
    /// </summary>
    public void Add(NormalizedReport report)
    {
        if (!_pending.TryGetValue(report, out var pending))
        {
            pending = new Pending(report, Fingerprint.Compute(report));
            _pending.Add(report, pending);
        }

        pending.Add(report);
        ReportCount++;
    }

    public ViolationBatch ToBatch()
    {
        var violations = new List<Violation>(_pending.Count);
        var hourly = new List<HourlyCount>(_pending.Count);
        var samples = new List<ViolationSample>();
        var documents = new List<ViolationTally>(_pending.Count);
        var clients = new List<ViolationTally>(_pending.Count);
        foreach (var p in _pending.Values)
        {
            var fingerprint = p.Fingerprint;
            var r = p.Latest;
            violations.Add(new Violation
            {
                Fingerprint = fingerprint,
                Type = r.Type,
                Disposition = r.Disposition,
                DocumentOrigin = r.DocumentOrigin,
                Directive = r.Directive,
                BlockedUri = r.BlockedUri,
                SourceHost = r.SourceHost,
                Count = p.Count,
                FirstSeen = p.FirstSeen,
                LastSeen = p.LastSeen,
                DocumentUrl = r.DocumentUrl,
                BlockedUrl = r.BlockedUrl,
                SourceFile = r.SourceFile,
                LineNumber = r.LineNumber,
                ColumnNumber = r.ColumnNumber,
                Sample = p.LatestSample,
                OriginalPolicy = r.OriginalPolicy,
                StatusCode = r.StatusCode,
                Policy = r.Policy,
                Session = r.Session,
            });
            p.Documents?.AddTo(documents, fingerprint);
            p.Clients?.AddTo(clients, fingerprint);

            foreach (var (hour, count) in p.Hours)
            {
                hourly.Add(new HourlyCount(fingerprint, new DateTimeOffset(hour, TimeSpan.Zero), count));
            }

            if (p.Samples is not null)
            {
                foreach (var (text, s) in p.Samples)
                {
                    samples.Add(new ViolationSample(fingerprint, text, s.Count, s.First, s.Last));
                }
            }
        }

        return new ViolationBatch(violations, hourly, samples) { Documents = documents, Clients = clients };
    }

    public void Clear()
    {
        _pending.Clear();
        ReportCount = 0;
    }

    private sealed class Pending(NormalizedReport first, string fingerprint)
    {
        public readonly string Fingerprint = fingerprint;
        public NormalizedReport Latest = first;
        public long Count;
        public DateTimeOffset FirstSeen = first.Timestamp;
        public DateTimeOffset LastSeen = first.Timestamp;
        public string? LatestSample;
        public readonly List<(long HourTicks, long Count)> Hours = new(1);
        public Dictionary<string, SampleCount>? Samples;
        public TallySet? Documents;
        public TallySet? Clients;

        public void Add(NormalizedReport r)
        {
            Count++;
            if (r.Timestamp < FirstSeen)
            {
                FirstSeen = r.Timestamp;
            }

            if (r.Timestamp >= LastSeen)
            {
                LastSeen = r.Timestamp;
                Latest = r;
            }

            var hour = r.Timestamp.UtcTicks - (r.Timestamp.UtcTicks % TimeSpan.TicksPerHour);
            AddHour(hour);

            if (!string.IsNullOrEmpty(r.Sample))
            {
                LatestSample = r.Sample;
                AddSample(r.Sample, r.Timestamp);
            }

            // Pages and clients are the evidence learning weighs; only attributed reports can feed it.
            if (r.Policy.Length > 0)
            {
                if (r.DocumentUrl is { Length: > 0 } page)
                {
                    (Documents ??= new TallySet()).Add(page, r.Timestamp);
                }

                if (r.Client is { Length: > 0 } client)
                {
                    (Clients ??= new TallySet()).Add(client, r.Timestamp);
                }
            }
        }

        private void AddHour(long hour)
        {
            for (var i = 0; i < Hours.Count; i++)
            {
                if (Hours[i].HourTicks == hour)
                {
                    Hours[i] = (hour, Hours[i].Count + 1);
                    return;
                }
            }

            Hours.Add((hour, 1));
        }

        private void AddSample(string text, DateTimeOffset at)
        {
            Samples ??= new Dictionary<string, SampleCount>(StringComparer.Ordinal);
            if (Samples.TryGetValue(text, out var s))
            {
                s.Count++;
                if (at < s.First) { s.First = at; }
                if (at > s.Last) { s.Last = at; }
            }
            else if (Samples.Count < MaxSamplesPerViolation)
            {
                Samples.Add(text, new SampleCount { Count = 1, First = at, Last = at });
            }
        }
    }

    /// <summary>Distinct values with counts, bounded like the stores bound them.</summary>
    private sealed class TallySet
    {
        private readonly Dictionary<string, SampleCount> _values = new(StringComparer.Ordinal);

        public void Add(string value, DateTimeOffset at)
        {
            if (_values.TryGetValue(value, out var s))
            {
                s.Count++;
                if (at < s.First) { s.First = at; }
                if (at > s.Last) { s.Last = at; }
            }
            else if (_values.Count < ViolationTally.MaxPerViolation)
            {
                _values.Add(value, new SampleCount { Count = 1, First = at, Last = at });
            }
        }

        public void AddTo(List<ViolationTally> list, string fingerprint)
        {
            foreach (var (value, s) in _values)
            {
                list.Add(new ViolationTally(fingerprint, value, s.Count, s.First, s.Last));
            }
        }
    }

    private sealed class SampleCount
    {
        public long Count;
        public DateTimeOffset First;
        public DateTimeOffset Last;
    }
}
