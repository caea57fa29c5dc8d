using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using SecureHeaders.Reporting.AspNetCore.Tests.Support;
using SecureHeaders.Reporting.Sqlite;
using SecureHeaders.Reporting.Tests.Support;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Process;

[CollectionDefinition(nameof(CollectorProcesses), DisableParallelization = true)]
public sealed class CollectorProcesses;

/// <summary>
/// What held when the collector was attacked and killed, kept as tests against a real process on loopback: a SIGKILL
/// under load loses at most the last flush interval and leaves an SQLite file that passes <c>integrity_check</c>; a
/// SIGTERM loses nothing answered with 204; a flood of hostile requests gets 4xx only, with memory bounded.
/// </summary>
[Collection(nameof(CollectorProcesses))]
public sealed class CollectorProcessTests : IDisposable
{
    private static readonly TimeSpan Flush = TimeSpan.FromMilliseconds(500);

    private readonly TempDirectory _dir = new();

    private string Database => _dir.File("reports.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_sigkill_under_load_loses_at_most_the_last_flush_interval_and_sqlite_opens_cleanly()
    {
        SkipUnlessLinux();
        using var host = await CollectorProcess.StartAsync(Database, Flush);
        var load = new Load(host.Address, clients: 16, reportsPerBody: 20);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        // Several flush intervals of load, so that the bound below is about the last ones, not the whole run.
        await Eventually.TrueAsync(() => load.Acked >= 20_000 && load.Elapsed > TimeSpan.FromSeconds(5), "the collector took 20,000 reports", timeoutMs: 120_000);

        var killedAt = load.Elapsed;
        host.Kill();
        await stop.CancelAsync();
        await running;

        Assert.Equal("ok", await ScalarAsync("PRAGMA integrity_check"));
        var store = new SqliteViolationStore(Database);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        var stored = (await store.QueryAsync(new ViolationQuery { Limit = 1 }, TestContext.Current.CancellationToken)).Total;
        var acked = load.Acked;

        // Reports answered 204 but not yet written when the process died: at most those of the last flush interval
        // and of a write in progress, so at most the last 1.5 s (three intervals, room for a loaded machine).
        var bound = 3 * Flush;
        var window = load.AckedSince(killedAt - bound);
        TestContext.Current.SendDiagnosticMessage($"SIGKILL after {killedAt.TotalSeconds:0.0} s: {acked} acknowledged ({acked / killedAt.TotalSeconds:0}/s), {stored} stored, {acked - stored} lost; the bound was {window}.");
        Assert.True(stored > 0, "nothing was written before the kill");
        Assert.True(stored <= acked, $"{stored} stored but only {acked} acknowledged");
        Assert.True(acked - stored <= window, $"{acked - stored} of {acked} acknowledged reports lost; the last {bound.TotalSeconds} s before the kill acknowledged {window}");
    }

    [Fact]
    public async Task A_sigterm_under_load_loses_nothing_answered_with_204()
    {
        SkipUnlessLinux();
        using var host = await CollectorProcess.StartAsync(Database, TimeSpan.FromSeconds(30));
        var load = new Load(host.Address, clients: 16, reportsPerBody: 20);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => load.Acked >= 10_000, "the collector took 10,000 reports", timeoutMs: 120_000);

        // A flush interval longer than the test: only the shutdown drain writes, while requests keep arriving.
        await host.TerminateAsync();
        await stop.CancelAsync();
        await running;

        var store = new SqliteViolationStore(Database);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        var stored = (await store.QueryAsync(new ViolationQuery { Limit = 1 }, TestContext.Current.CancellationToken)).Total;
        TestContext.Current.SendDiagnosticMessage($"SIGTERM: {load.Acked} acknowledged, {stored} stored.");
        Assert.Equal(load.Acked, stored);
        Assert.Equal("ok", await ScalarAsync("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task A_flood_of_hostile_requests_gets_only_4xx_and_memory_stays_bounded()
    {
        SkipUnlessLinux();
        using var host = await CollectorProcess.StartAsync(Database, Flush);
        var kinds = HostileKinds();
        var statuses = new ConcurrentDictionary<string, ConcurrentBag<int>>();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = host.Address };
        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                var (name, make) = kinds[(worker + i) % kinds.Count];
                int status;
                try
                {
                    using var response = await client.PostAsync("/_secureheaders/reports", make(), TestContext.Current.CancellationToken);
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException) when (name is "endless chunked body" or "declared length over the cap")
                {
                    status = 0; // the server answered 413 and closed while the client was still sending
                }

                statuses.GetOrAdd(name, _ => []).Add(status);
            }
        })));

        foreach (var (name, codes) in statuses)
        {
            Assert.All(codes, code => Assert.True(code is 0 or (>= 400 and < 500), $"{name}: {code}"));
            Assert.Contains(codes, code => code >= 400);
        }

        Assert.Equal(kinds.Count, statuses.Count);
        var peak = host.PeakResidentBytes();
        TestContext.Current.SendDiagnosticMessage($"Hostile flood: {statuses.Values.Sum(b => b.Count)} requests, statuses {string.Join(", ", statuses.SelectMany(p => p.Value).GroupBy(c => c).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}, peak RSS {peak / (1024 * 1024)} MB.");
        Assert.True(peak < 300L * 1024 * 1024, $"peak resident memory {peak / (1024 * 1024)} MB after {statuses.Values.Sum(b => b.Count)} hostile requests");
    }

    /// <summary>Request bodies of every hostile kind, each at or near the 64 KiB cap.</summary>
    private static List<(string Name, Func<HttpContent> Make)> HostileKinds()
    {
        static HttpContent Json(string body, string type = "application/csp-report")
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", type);
            return content;
        }

        var nearCap = 60 * 1024;
        return
        [
            ("declared length over the cap", () => Json(new string(' ', 200_000) + "{}")),
            ("endless chunked body", () =>
            {
                var content = new StreamContent(new RepeatingStream(1024 * 1024));
                content.Headers.TryAddWithoutValidation("Content-Type", "application/csp-report");
                return content;
            }),
            ("deep nesting", () => Json(new string('[', nearCap))),
            ("lone surrogates", () => Json("{\"csp-report\":{\"blocked-uri\":\"" + string.Concat(Enumerable.Repeat("\\ud800", nearCap / 6 - 10)) + "\"}}")),
            ("truncated JSON", () => Json("{\"csp-report\":{\"blocked-uri\":\"" + new string('a', nearCap))),
            ("invalid UTF-8", () =>
            {
                var bytes = Enumerable.Repeat((byte)0xFF, nearCap).ToArray();
                var content = new ByteArrayContent(bytes);
                content.Headers.TryAddWithoutValidation("Content-Type", "application/reports+json");
                return content;
            }),
            ("wrong content type", () => Json(Payloads.ChromeLegacy(), "text/plain")),
            ("empty body", () => Json(string.Empty)),
            ("number instead of a report", () => Json(new string('9', nearCap))),
            ("many members", () => Json("{\"csp-report\":{" + string.Join(",", Enumerable.Range(0, 4000).Select(i => $"\"m{i}\":1")) + ",}}")),
        ];
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))?.ToString();
    }

    private static void SkipUnlessLinux()
    {
        if (!CollectorProcess.Supported)
        {
            Assert.Skip("Signals and /proc are Linux features.");
        }
    }

    /// <summary>Concurrent clients posting Reporting API batches as fast as the collector answers, recording every 204.</summary>
    private sealed class Load(Uri address, int clients, int reportsPerBody)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly ConcurrentQueue<(TimeSpan At, int Reports)> _acks = new();
        private long _acked;

        public long Acked => Interlocked.Read(ref _acked);

        public TimeSpan Elapsed => _clock.Elapsed;

        public long AckedSince(TimeSpan since) => _acks.Where(a => a.At >= since).Sum(a => (long)a.Reports);

        public Task RunAsync(CancellationToken stop) => Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = address };
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var body = Payloads.ReportingApiBatch([.. Enumerable.Range(0, reportsPerBody).Select(k =>
                    Payloads.ReportingApiItem(blocked: $"https://h{(c + i + k) % 50}.example.org/x.js", directive: "script-src-elem"))]);
                var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                content.Headers.TryAddWithoutValidation("Content-Type", "application/reports+json");
                try
                {
                    using var response = await client.PostAsync("/_secureheaders/reports", content, CancellationToken.None);
                    if (response.StatusCode == HttpStatusCode.NoContent)
                    {
                        // Counted once the answer is in: this is what the browser was promised.
                        _acks.Enqueue((_clock.Elapsed, reportsPerBody));
                        Interlocked.Add(ref _acked, reportsPerBody);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the process is gone
                }
            }
        })));
    }

    /// <summary>A body that never ends within the test: chunked, unknown length.</summary>
    private sealed class RepeatingStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
