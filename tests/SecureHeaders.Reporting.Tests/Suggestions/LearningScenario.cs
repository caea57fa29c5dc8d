using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Reporting.Tests.Suggestions;

/// <summary>Builds attributed violations with their pages, clients and samples, the way the collector stores them.</summary>
internal sealed class LearningScenario
{
    public const string Origin = "https://shop.example.com";
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A strict Report-Only candidate like the one the issue ran.</summary>
    public const string StrictCandidate =
        "default-src 'self'; script-src 'self' 'nonce' 'report-sample'; style-src 'self' 'nonce' 'report-sample'; img-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; report-uri /_secureheaders/reports?policy=default; report-to secureheaders";

    public static readonly string[] SitePages = ["/", "/products", "/cart", "/about", "/search"];

    private readonly List<Violation> _violations = [];
    private readonly List<ViolationSample> _samples = [];
    private readonly List<ViolationTally> _documents = [];
    private readonly List<ViolationTally> _clients = [];
    private int _next;

    public LearningScenario(string csp = StrictCandidate, string policy = "default", string disposition = "report")
    {
        Base = new AppPolicy(policy, disposition, csp);
    }

    public AppPolicy Base { get; }

    public List<AppInlineHash> Hashes { get; } = [];

    public List<LearningOptIn> OptIns { get; } = [];

    /// <summary>One violation reported from <paramref name="pages"/> by <paramref name="clients"/>.</summary>
    public LearningScenario Add(string directive, string blocked, string[] pages, string[]? clients = null, long count = 0, string? sample = null,
        string? policy = null, string? disposition = null)
    {
        var fp = "v" + _next++;
        clients ??= ["c1"];
        count = count > 0 ? count : pages.Length * clients.Length;
        _violations.Add(new Violation
        {
            Fingerprint = fp,
            Type = ReportTypes.CspViolation,
            Disposition = disposition ?? Base.Disposition,
            DocumentOrigin = Origin,
            Directive = directive,
            BlockedUri = blocked,
            SourceHost = string.Empty,
            Count = count,
            FirstSeen = T0,
            LastSeen = T0.AddMinutes(_next),
            DocumentUrl = Origin + pages[^1],
            Sample = sample,
            Policy = policy ?? Base.Name,
        });
        foreach (var page in pages)
        {
            _documents.Add(new ViolationTally(fp, Origin + page, Math.Max(1, count / pages.Length), T0, T0));
        }

        foreach (var client in clients)
        {
            _clients.Add(new ViolationTally(fp, client, 1, T0, T0));
        }

        if (sample is not null)
        {
            _samples.Add(new ViolationSample(fp, sample, count, T0, T0));
        }

        return this;
    }

    public LearnedPolicy Learn() =>
        PolicyLearner.Learn(Base, _violations, _samples, new ViolationEvidence(_documents, _clients), Hashes, OptIns);
}
