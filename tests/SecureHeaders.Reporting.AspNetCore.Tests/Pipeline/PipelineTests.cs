using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SecureHeaders.Reporting.Sqlite;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Tests.Support;
using SecureHeaders.Reporting.AspNetCore.Tests.Support;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Pipeline;

public sealed class PipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reports_that_differ_only_in_page_query_and_timing_are_counted_as_one()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path);
        for (var i = 0; i < 5; i++)
        {
            using var r = await app.PostAsync(Payloads.ChromeLegacy(
                blocked: $"https://cdn.example.net/lib{i}.js?cache={i}",
                page: $"https://shop.example.com/page{i}?user={i}#frag"));
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        using (var other = await app.PostAsync(Payloads.ChromeLegacy(blocked: "https://evil.example.org/x.js")))
        {
            Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
        }

        var json = await app.WaitForTotalAsync(6);
        Assert.Equal(6, json.GetProperty("total").GetInt64());
        var violations = json.GetProperty("violations");
        Assert.Equal(2, violations.GetArrayLength());
        Assert.Equal(5, violations[0].GetProperty("count").GetInt64());
        Assert.Equal("https://cdn.example.net", violations[0].GetProperty("blockedUri").GetString());
        Assert.DoesNotContain("?", violations[0].GetProperty("documentUrl").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("?", violations[0].GetProperty("blockedUrl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Noise_is_accepted_but_not_stored()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path);
        using (var r = await app.PostAsync(Payloads.ChromeLegacy(blocked: "chrome-extension://abcdef/inject.js"))) { Assert.Equal(HttpStatusCode.NoContent, r.StatusCode); }
        using (var r = await app.PostAsync(Payloads.FirefoxLegacy(blocked: "moz-extension://1234/c.js"))) { Assert.Equal(HttpStatusCode.NoContent, r.StatusCode); }
        using (var r = await app.PostAsync(Payloads.ChromeLegacy())) { Assert.Equal(HttpStatusCode.NoContent, r.StatusCode); }

        var json = await app.WaitForTotalAsync(1);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        json = await app.GetJsonAsync("/_secureheaders/api/violations");
        Assert.Equal(1, json.GetProperty("total").GetInt64());
        Assert.Equal(2, app.Services.GetRequiredService<ReportingMetrics>().Noise);
    }

    [Fact]
    public async Task Every_report_type_is_stored()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path);
        using (var r = await app.PostAsync(Payloads.Coep(), "application/reports+json")) { Assert.Equal(HttpStatusCode.NoContent, r.StatusCode); }
        using (var r = await app.PostAsync(Payloads.PermissionsPolicy(), "application/reports+json")) { Assert.Equal(HttpStatusCode.NoContent, r.StatusCode); }

        var json = await app.WaitForTotalAsync(2);
        var types = json.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("type").GetString()!).Order().ToArray();
        Assert.Equal(["coep", "permissions-policy-violation"], types);
        var coep = await app.GetJsonAsync("/_secureheaders/api/violations?type=coep");
        Assert.Equal("coep:corp", coep.GetProperty("violations")[0].GetProperty("directive").GetString());
        Assert.Equal("https://images.other.org", coep.GetProperty("violations")[0].GetProperty("blockedUri").GetString());
    }

    [Fact]
    public async Task Graceful_shutdown_drains_the_queue_and_a_restart_sees_every_accepted_report()
    {
        // A flush interval far longer than the test: only the shutdown drain can have written the reports.
        void Configure(SecureHeadersReportingOptions o)
        {
            o.FlushInterval = TimeSpan.FromHours(1);
            o.RateLimit.Enabled = false;
        }

        const int Clients = 8, PerClient = 50;
        long accepted = 0;
        await using (var first = await ReportingApp.StartAsync(_dir.Path, Configure, kestrel: true))
        {
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
            {
                for (var i = 0; i < PerClient; i++)
                {
                    var body = Payloads.ReportingApiBatch(Payloads.ReportingApiItem(blocked: $"https://h{i % 7}.example.org/x.js", directive: "script-src-elem"));
                    using var r = await first.PostAsync(body, "application/reports+json");
                    if (r.StatusCode == HttpStatusCode.NoContent)
                    {
                        Interlocked.Increment(ref accepted);
                    }
                }
            })));

            Assert.Equal(0, (await first.GetJsonAsync("/_secureheaders/api/violations")).GetProperty("total").GetInt64());
            await first.StopAsync();
        }

        Assert.Equal(Clients * PerClient, accepted);
        await using var second = await ReportingApp.StartAsync(_dir.Path, Configure, kestrel: true);
        var json = await second.GetJsonAsync("/_secureheaders/api/violations");
        Assert.Equal(accepted, json.GetProperty("total").GetInt64());
        Assert.Equal(7, json.GetProperty("violations").GetArrayLength());
    }

    [Fact]
    public async Task A_store_that_fails_for_a_while_loses_nothing()
    {
        FlakyStore? flaky = null;
        await using var app = await ReportingApp.StartAsync(_dir.Path, services: s => s.AddSecureHeadersReporting().UseStore(_ =>
            flaky = new FlakyStore(new SqliteViolationStore(_dir.File("flaky.db")), failures: 3)));
        for (var i = 0; i < 10; i++)
        {
            using var r = await app.PostAsync(Payloads.ChromeLegacy());
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        var json = await app.WaitForTotalAsync(10);
        Assert.Equal(10, json.GetProperty("total").GetInt64());
        Assert.True(flaky!.FailedWrites >= 3);
    }

    /// <summary>Refuses the first few writes, like a database that is restarting.</summary>
    private sealed class FlakyStore(IViolationStore inner, int failures) : IViolationStore
    {
        private int _failuresLeft = failures;

        public int FailedWrites { get; private set; }

        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task WriteAsync(ViolationBatch batch, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                FailedWrites++;
                throw new InvalidOperationException("database restarting");
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
