using SecureHeaders.Reporting.Normalization;

namespace SecureHeaders.Reporting.Tests.Normalization;

public class FingerprintTests
{
    private static NormalizedReport Report(string origin = "https://a.example", string directive = "img-src", string blocked = "https://b.example",
        string source = "", string disposition = "enforce", string? page = null) => new()
    {
        Type = ReportTypes.CspViolation,
        Disposition = disposition,
        DocumentOrigin = origin,
        Directive = directive,
        BlockedUri = blocked,
        SourceHost = source,
        Timestamp = DateTimeOffset.UnixEpoch,
        DocumentUrl = page,
    };

    [Fact]
    public void Page_path_and_timing_do_not_split_a_violation() =>
        Assert.Equal(Fingerprint.Compute(Report(page: "https://a.example/one")), Fingerprint.Compute(Report(page: "https://a.example/two") with { Timestamp = DateTimeOffset.Now, LineNumber = 9 }));

    [Fact]
    public void Each_grouping_field_splits_a_violation()
    {
        var all = new[]
        {
            Fingerprint.Compute(Report()),
            Fingerprint.Compute(Report(origin: "https://c.example")),
            Fingerprint.Compute(Report(directive: "script-src")),
            Fingerprint.Compute(Report(blocked: "inline")),
            Fingerprint.Compute(Report(source: "cdn.example")),
            Fingerprint.Compute(Report(disposition: "report")),
        };
        Assert.Equal(all.Length, all.Distinct().Count());
    }

    [Fact]
    public void Field_boundaries_are_unambiguous() =>
        Assert.NotEqual(Fingerprint.Compute(Report(directive: "img-src", blocked: "xy")), Fingerprint.Compute(Report(directive: "img-srcx", blocked: "y")));

    [Fact]
    public void Grouping_is_equal_exactly_when_the_fingerprints_are()
    {
        var variants = new[]
        {
            Report(),
            Report(page: "https://a.example/other") with { Timestamp = DateTimeOffset.Now, LineNumber = 3, Sample = "x" },
            Report(origin: "https://c.example"),
            Report(directive: "script-src"),
            Report(blocked: "inline"),
            Report(source: "cdn.example"),
            Report(disposition: "report"),
            Report() with { Type = ReportTypes.Coep },
            Report() with { Policy = "admin" },
            Report() with { Session = 7 },
            Report() with { Policy = "admin", Session = 7 },
        };
        foreach (var a in variants)
        {
            foreach (var b in variants)
            {
                var same = Fingerprint.Compute(a) == Fingerprint.Compute(b);
                Assert.Equal(same, Fingerprint.Grouping.Equals(a, b));
                if (same)
                {
                    Assert.Equal(Fingerprint.Grouping.GetHashCode(a), Fingerprint.Grouping.GetHashCode(b));
                }
            }
        }
    }
}
