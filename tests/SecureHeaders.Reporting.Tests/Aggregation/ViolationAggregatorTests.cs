using SecureHeaders.Reporting.Normalization;
using SecureHeaders.Reporting.Aggregation;

namespace SecureHeaders.Reporting.Tests.Aggregation;

public class ViolationAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 50, 0, TimeSpan.Zero);

    private static NormalizedReport R(DateTimeOffset at, string blocked = "inline", string? sample = null, string page = "https://a.example/1") => new()
    {
        Type = ReportTypes.CspViolation,
        Disposition = "enforce",
        DocumentOrigin = "https://a.example",
        Directive = "script-src-elem",
        BlockedUri = blocked,
        SourceHost = "a.example",
        Timestamp = at,
        Sample = sample,
        DocumentUrl = page,
    };

    [Fact]
    public void Merges_by_fingerprint_with_counts_span_hours_and_newest_example()
    {
        var agg = new ViolationAggregator();
        agg.Add(R(T0.AddMinutes(5), sample: "a()", page: "https://a.example/late"));
        agg.Add(R(T0, sample: "b()", page: "https://a.example/early"));
        agg.Add(R(T0.AddMinutes(20), sample: "a()", page: "https://a.example/latest"));
        agg.Add(R(T0, blocked: "eval"));

        var batch = agg.ToBatch();
        Assert.Equal(2, batch.Violations.Count);
        Assert.Equal(4, batch.ReportCount);
        var inline = batch.Violations.Single(v => v.BlockedUri == "inline");
        Assert.Equal(3, inline.Count);
        Assert.Equal(T0, inline.FirstSeen);
        Assert.Equal(T0.AddMinutes(20), inline.LastSeen);
        Assert.Equal("https://a.example/latest", inline.DocumentUrl);
        // 10:50 and 10:55 fall in hour 10, 11:10 in hour 11.
        var hours = batch.Hourly.Where(h => h.Fingerprint == inline.Fingerprint).OrderBy(h => h.Hour).ToList();
        Assert.Equal([2L, 1L], hours.Select(h => h.Count));
        Assert.Equal(10, hours[0].Hour.Hour);
        var samples = batch.Samples.Where(s => s.Fingerprint == inline.Fingerprint).OrderBy(s => s.Sample).ToList();
        Assert.Equal([("a()", 2L), ("b()", 1L)], samples.Select(s => (s.Sample, s.Count)));
    }

    [Fact]
    public void Never_refuses_a_report_and_counts_distinct_fingerprints()
    {
        var agg = new ViolationAggregator();
        agg.Add(R(T0));
        agg.Add(R(T0, blocked: "eval"));
        agg.Add(R(T0));
        Assert.Equal(2, agg.DistinctCount);
        Assert.Equal(3, agg.ReportCount);
        agg.Clear();
        Assert.Equal(0, agg.DistinctCount);
        Assert.Equal(0, agg.ReportCount);
    }
}
