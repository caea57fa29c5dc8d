using System.Text;
using BenchmarkDotNet.Attributes;
using SecureHeaders.Reporting.Aggregation;
using SecureHeaders.Reporting.Ingest;
using SecureHeaders.Reporting.Normalization;

namespace SecureHeaders.Benchmarks;

/// <summary>
/// The collector's work per report, stage by stage, on the bodies the load test (<c>benchmarks/reporting-load</c>)
/// posts: parsing a request body, normalising its report, and adding it to the pending violations. The load test
/// measures the whole request against a bare endpoint; this says which stage its difference is spent in.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ReportIngestBenchmarks
{
    private const int Bodies = 200;
    private static readonly ParseLimits Limits = new(64, 100);
    private readonly byte[][] _bodies = new byte[Bodies][];
    private readonly RawReport[] _raw = new RawReport[Bodies];
    private readonly List<RawReport> _into = new(1);
    private readonly ReportNormalizer _normalizer = new(new NoiseFilter(NoiseDefaults.Schemes, []));
    private readonly NormalizedReport[] _normalized = new NormalizedReport[Bodies];
    private readonly ViolationAggregator _aggregator = new();
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 1; i <= Bodies; i++)
        {
            // The same body as report.lua's: 200 distinct bodies, 50 distinct violations.
            _bodies[i - 1] = Encoding.UTF8.GetBytes(
                $$$"""[{"type":"csp-violation","age":5,"url":"https://shop.example.com/p{{{i}}}","user_agent":"wrk","body":{"documentURL":"https://shop.example.com/p{{{i}}}?session={{{i}}}","blockedURL":"https://cdn{{{i % 50}}}.example.net/lib.js?v={{{i}}}","effectiveDirective":"script-src-elem","originalPolicy":"default-src 'self'; script-src 'self'; report-to secureheaders","disposition":"enforce","statusCode":200,"lineNumber":{{{i}}},"columnNumber":7,"sourceFile":"https://shop.example.com/app.js"}}]""");
            var list = new List<RawReport>();
            ReportParser.Parse(_bodies[i - 1], Limits, list, out _, out _);
            _raw[i - 1] = list[0];
            _normalizer.Normalize(list[0], DateTimeOffset.UnixEpoch, out var normalized);
            _normalized[i - 1] = normalized!;
        }
    }

    private int Next() => _next = (_next + 1) % Bodies;

    [Benchmark]
    public int Parse()
    {
        _into.Clear();
        ReportParser.Parse(_bodies[Next()], Limits, _into, out _, out _);
        return _into.Count;
    }

    [Benchmark]
    public int Normalize() => (int)_normalizer.Normalize(_raw[Next()], DateTimeOffset.UnixEpoch, out _);

    [Benchmark]
    public long Aggregate()
    {
        _aggregator.Add(_normalized[Next()]);
        if (_aggregator.ReportCount >= 100_000)
        {
            _aggregator.Clear();
        }

        return _aggregator.ReportCount;
    }
}
