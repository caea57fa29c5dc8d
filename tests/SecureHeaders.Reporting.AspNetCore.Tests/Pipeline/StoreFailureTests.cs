using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
using SecureHeaders.Reporting.AspNetCore.Pipeline;
using SecureHeaders.Reporting.AspNetCore.Tests.Support;
using SecureHeaders.Reporting.Sqlite;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Tests.Support;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Pipeline;

/// <summary>
/// The writer and a failing store, with time driven by <see cref="FakeTimeProvider"/>: retries follow the back-off
/// schedule and never loop, the failure is logged once per state change, and nothing answered 204 is lost.
/// </summary>
public sealed class StoreFailureTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 13, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private SwitchableStore? _store;

    public void Dispose() => _dir.Dispose();

    private async Task<ReportingApp> StartAsync(Action<SecureHeadersReportingOptions>? configure = null, TimeSpan? shutdownTimeout = null)
    {
        return await ReportingApp.StartAsync(_dir.Path, o =>
        {
            o.FlushInterval = Interval;
            o.RateLimit.Enabled = false;
            configure?.Invoke(o);
        }, services: s =>
        {
            s.AddSingleton<TimeProvider>(_clock);
            s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(_logs));
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
            s.Configure<HostOptions>(h => h.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(30));
            s.AddSecureHeadersReporting().UseStore(_ => _store = new SwitchableStore(new SqliteViolationStore(_dir.File("reports.db"))));
        });
    }

    private static ReportingMetrics Metrics(ReportingApp app) => app.Services.GetRequiredService<ReportingMetrics>();

    private static string Body(int i, int reports = 1) => Payloads.ReportingApiBatch(
        [.. Enumerable.Range(0, reports).Select(k => Payloads.ReportingApiItem(blocked: $"https://h{i}-{k}.example.org/x.js", directive: "script-src-elem"))]);

    private bool Advance(TimeSpan by)
    {
        _clock.Advance(by);
        return false;
    }

    private IReadOnlyList<FakeLogRecord> WriterLogs(LogLevel atLeast) =>
        [.. _logs.GetSnapshot().Where(r => r.Level >= atLeast && r.Category == typeof(ReportProcessor).FullName)];

    [Fact]
    public async Task Retries_follow_the_back_off_schedule_and_the_failure_is_logged_once()
    {
        await using var app = await StartAsync();
        var metrics = Metrics(app);
        _store!.Failing = true;
        for (var i = 0; i < 10; i++)
        {
            using var r = await app.PostAsync(Body(i), "application/reports+json");
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        await Eventually.TrueAsync(() => app.Services.GetRequiredService<ReportQueue>().Reader.Count == 0, "the writer took the bodies");
        _clock.Advance(Interval);
        await Eventually.TrueAsync(() => metrics.StoreFailures == 1, "the first write fails");

        // 1 s, then doubling to the 30 s cap. Just before each deadline nothing happens, however long the real
        // wait and however many reports arrive meanwhile; at the deadline exactly one more attempt does.
        var expected = 1;
        foreach (var seconds in new[] { 1, 2, 4, 8, 16, 30, 30, 30 })
        {
            _clock.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            for (var i = 0; i < 5; i++)
            {
                using var r = await app.PostAsync(Body(100 + (expected * 10) + i), "application/reports+json");
                Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
            }

            Assert.Equal(expected, metrics.StoreFailures);
            Assert.Equal(expected, _store.Attempts);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            expected++;
            await Eventually.TrueAsync(() => metrics.StoreFailures == expected, $"attempt {expected} after {seconds} s");
        }

        var failures = WriterLogs(LogLevel.Warning);
        var failed = Assert.Single(failures);
        Assert.Equal("FlushFailed", failed.Id.Name);
        Assert.Equal(LogLevel.Error, failed.Level);

        _store.Failing = false;
        _clock.Advance(TimeSpan.FromSeconds(30));
        var accepted = 10 + (8 * 5);
        await Eventually.TrueAsync(() => metrics.Stored == accepted, "everything accepted is stored");
        Assert.Equal(accepted, (await app.GetJsonAsync("/_secureheaders/api/violations")).GetProperty("total").GetInt64());
        Assert.Equal(0, metrics.Lost);
        Assert.Single(WriterLogs(LogLevel.Information), r => r.Id.Name == "StoreRecovered");
        Assert.Single(WriterLogs(LogLevel.Warning));
    }

    [Fact]
    public async Task Under_load_a_failing_store_is_not_hammered_and_every_204_is_stored_once_it_recovers()
    {
        // A small queue and pending limit, so that the load fills both: the endpoint must then say 503, not 204.
        await using var app = await StartAsync(o =>
        {
            o.QueueCapacity = 16;
            o.MaxPendingViolations = 200;
        });
        var metrics = Metrics(app);
        _store!.Failing = true;
        long acceptedReports = 0, refused = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                using var r = await app.PostAsync(Body((client * 1000) + i, reports: 10), "application/reports+json");
                if (r.StatusCode == HttpStatusCode.NoContent)
                {
                    Interlocked.Add(ref acceptedReports, 10);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
                    Assert.NotNull(r.Headers.RetryAfter);
                    Interlocked.Increment(ref refused);
                }

                if (client == 0 && i == 5)
                {
                    _clock.Advance(Interval); // the first flush is due while the load goes on
                }
            }
        })));

        // 480 requests took real time; the clock moved once, so the store saw one attempt (a loop would have made thousands).
        Assert.True(_store.Attempts <= 2, $"{_store.Attempts} write attempts");
        Assert.True(refused > 0, "the full queue refused requests");
        Assert.True(acceptedReports >= 200, "the queue and the pending reports were used before refusing");
        Assert.Single(WriterLogs(LogLevel.Warning));

        // Healed: the clock moves on in steps until the writer has caught up, which takes a few early flushes.
        _store.Failing = false;
        await Eventually.TrueAsync(() => metrics.Stored == acceptedReports || Advance(TimeSpan.FromSeconds(5)), "every accepted report is stored");
        Assert.Equal(acceptedReports, (await app.GetJsonAsync("/_secureheaders/api/violations")).GetProperty("total").GetInt64());
        Assert.Equal(0, metrics.Lost);
    }

    [Fact]
    public async Task More_distinct_violations_than_the_pending_limit_in_one_interval_are_all_stored()
    {
        // 20,000 distinct fingerprints against the default limit of 5,000, all inside one (never ending) flush
        // interval: early flushes write them, none is dropped after its 204.
        await using var app = await StartAsync(o => o.FlushInterval = TimeSpan.FromHours(1));
        var metrics = Metrics(app);
        long accepted = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                using var r = await app.PostAsync(Body((client * 100) + i, reports: 100), "application/reports+json");
                Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
                Interlocked.Add(ref accepted, 100);
            }
        })));

        Assert.Equal(20_000, accepted);
        await Eventually.TrueAsync(() => metrics.Stored >= 15_000, "early flushes wrote all but the last pending reports", timeoutMs: 60_000);
        await app.StopAsync();
        Assert.Equal(accepted, metrics.Stored);
        Assert.Equal(0, metrics.Lost);
        Assert.Empty(WriterLogs(LogLevel.Warning));
    }

    [Fact]
    public async Task A_store_still_failing_at_the_shutdown_deadline_counts_and_logs_the_loss()
    {
        await using var app = await StartAsync(shutdownTimeout: TimeSpan.FromSeconds(1));
        var metrics = Metrics(app);
        _store!.Failing = true;
        for (var i = 0; i < 3; i++)
        {
            using var r = await app.PostAsync(Body(i), "application/reports+json");
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        await app.StopAsync();

        // The host stops waiting at its deadline; the writer gives up right then, and says so.
        await Eventually.TrueAsync(() => WriterLogs(LogLevel.Error).Any(r => r.Id.Name == "FinalFlushFailed"), "the loss is logged");
        Assert.Equal(3, metrics.Lost);
    }

    /// <summary>A real SQLite store whose writes can be made to fail, counting every attempt.</summary>
    private sealed class SwitchableStore(IViolationStore inner) : IViolationStore
    {
        private int _attempts;

        public volatile bool Failing;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task WriteAsync(ViolationBatch batch, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                Interlocked.Increment(ref _attempts);
                throw new InvalidOperationException("database unavailable");
            }

            return inner.WriteAsync(batch, cancellationToken);
        }

        public Task<ViolationQueryResult> QueryAsync(ViolationQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

        public Task<IReadOnlyList<ViolationSample>> GetSamplesAsync(IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken) =>
            inner.GetSamplesAsync(fingerprints, cancellationToken);

        public Task<IReadOnlyList<TimelinePoint>> GetTimelineAsync(DateTimeOffset since, string? directive, CancellationToken cancellationToken) =>
            inner.GetTimelineAsync(since, directive, cancellationToken);

        public Task<int> ApplyRetentionAsync(DateTimeOffset olderThan, int maxViolations, CancellationToken cancellationToken) =>
            inner.ApplyRetentionAsync(olderThan, maxViolations, cancellationToken);
    }
}
