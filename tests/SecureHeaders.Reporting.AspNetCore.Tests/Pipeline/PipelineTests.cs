using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
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

        // Bodies are processed in order: once the last one is stored, the two before it have been filtered.
        var metrics = app.Services.GetRequiredService<ReportingMetrics>();
        await Eventually.TrueAsync(() => metrics.Stored == 1, "the third report is stored");
        var json = await app.GetJsonAsync("/_secureheaders/api/violations");
        Assert.Equal(1, json.GetProperty("total").GetInt64());
        Assert.Equal(2, metrics.Noise);
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
}
