using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Tests.Support;
using SecureHeaders.Reporting.AspNetCore.Tests.Support;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Api;

public sealed class ViolationsApiTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private ReportingApp? _app;

    private ReportingApp App => _app!;

    public async ValueTask InitializeAsync()
    {
        _app = await ReportingApp.StartAsync(_dir.Path);
        // Seed the store directly so the API is tested on known data, including old rows.
        var now = DateTimeOffset.UtcNow;
        var store = App.Services.GetRequiredService<IViolationStore>();
        await store.WriteAsync(new ViolationBatch(
            [
                Row("a", "script-src-elem", "https://cdn.example.net", 10, now.AddMinutes(-5)),
                Row("b", "img-src", "data", 3, now.AddMinutes(-1)),
                Row("c", "script-src-elem", "inline", 2, now.AddDays(-3), sample: "go()"),
                Row("d", "img-src", "https://img.example.org", 1, now.AddMinutes(-2)) with { Disposition = "report" },
            ],
            [new HourlyCount("a", now, 10), new HourlyCount("b", now, 3)],
            [new ViolationSample("c", "go()", 2, now.AddDays(-3), now.AddDays(-3))]), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _dir.Dispose();
    }

    private static Violation Row(string fp, string directive, string blocked, long count, DateTimeOffset at, string? sample = null) => new()
    {
        Fingerprint = fp,
        Type = ReportTypes.CspViolation,
        Disposition = "enforce",
        DocumentOrigin = "https://shop.example.com",
        Directive = directive,
        BlockedUri = blocked,
        SourceHost = "",
        Count = count,
        FirstSeen = at,
        LastSeen = at,
        Sample = sample,
        OriginalPolicy = "default-src 'self'; script-src 'self'; img-src 'self'",
    };

    [Fact]
    public async Task Lists_violations_with_the_documented_shape()
    {
        var json = await App.GetJsonAsync("/_secureheaders/api/violations");
        Assert.Equal(16, json.GetProperty("total").GetInt64());
        var first = json.GetProperty("violations")[0];
        Assert.Equal("script-src-elem", first.GetProperty("directive").GetString());
        Assert.Equal("https://cdn.example.net", first.GetProperty("blockedUri").GetString());
        Assert.Equal(10, first.GetProperty("count").GetInt64());
        Assert.True(first.GetProperty("firstSeen").TryGetDateTimeOffset(out _));
        Assert.True(first.GetProperty("lastSeen").TryGetDateTimeOffset(out _));
        Assert.False(first.TryGetProperty("sample", out _), "null members are left out");
    }

    [Fact]
    public async Task Answers_are_not_cached_or_sniffed()
    {
        using var response = await App.Client.GetAsync("/_secureheaders/api/violations", TestContext.Current.CancellationToken);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("?directive=img-src", 4, 2)]
    [InlineData("?since=1h", 14, 3)]
    [InlineData("?since=1h&limit=1", 14, 1)]
    [InlineData("?disposition=report", 1, 1)]
    [InlineData("?type=coep", 0, 0)]
    public async Task Filters(string query, long total, int rows)
    {
        var json = await App.GetJsonAsync("/_secureheaders/api/violations" + query);
        Assert.Equal(total, json.GetProperty("total").GetInt64());
        Assert.Equal(rows, json.GetProperty("violations").GetArrayLength());
    }

    [Fact]
    public async Task Since_accepts_an_instant()
    {
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-4).ToString("O"));
        Assert.Equal(16, (await App.GetJsonAsync("/_secureheaders/api/violations?since=" + since)).GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("?since=yesterday")]
    [InlineData("?limit=0")]
    [InlineData("?limit=ten")]
    [InlineData("?order=random")]
    public async Task Bad_query_values_get_400_with_a_message(string query)
    {
        using var response = await App.Client.GetAsync("/_secureheaders/api/violations" + query, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_returns_hourly_points()
    {
        var json = await App.GetJsonAsync("/_secureheaders/api/timeline");
        Assert.Equal(3600, json.GetProperty("bucketSeconds").GetInt32());
        Assert.Equal(13, json.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
    }
}
