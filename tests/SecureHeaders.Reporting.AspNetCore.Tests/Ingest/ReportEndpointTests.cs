using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
using SecureHeaders.Reporting.AspNetCore.Pipeline;
using SecureHeaders.Reporting.Tests.Support;
using SecureHeaders.Reporting.AspNetCore.Tests.Support;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Ingest;

public sealed class ReportEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private ReportingApp? _app;

    private ReportingApp App => _app!;

    private ReportingMetrics Metrics => App.Services.GetRequiredService<ReportingMetrics>();

    public async ValueTask InitializeAsync() => _app = await ReportingApp.StartAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("application/csp-report")]
    [InlineData("application/json")]
    [InlineData("application/csp-report; charset=utf-8")]
    [InlineData("Application/CSP-Report")]
    public async Task Accepts_the_report_uri_format(string contentType)
    {
        using var response = await App.PostAsync(Payloads.ChromeLegacy(), contentType);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var json = await App.WaitForTotalAsync(1);
        Assert.Equal(1, json.GetProperty("total").GetInt64());
        var v = json.GetProperty("violations")[0];
        Assert.Equal("script-src-elem", v.GetProperty("directive").GetString());
        Assert.Equal("https://cdn.example.net", v.GetProperty("blockedUri").GetString());
        Assert.Equal("https://shop.example.com/cart", v.GetProperty("documentUrl").GetString());
    }

    [Fact]
    public async Task Accepts_the_reporting_api_format()
    {
        var body = Payloads.ReportingApiBatch(Payloads.ReportingApiItem(), Payloads.ReportingApiItem(blocked: "https://img.example.org/a.png", directive: "img-src"));
        using var response = await App.PostAsync(body, "application/reports+json");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var json = await App.WaitForTotalAsync(2);
        Assert.Equal(2, json.GetProperty("total").GetInt64());
        Assert.Equal(2, json.GetProperty("violations").GetArrayLength());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/reports")]
    [InlineData(null)]
    public async Task Other_content_types_get_415(string? contentType)
    {
        var content = new StringContent(Payloads.ChromeLegacy());
        content.Headers.ContentType = null;
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await App.Client.PostAsync("/_secureheaders/reports", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_gets_413_before_reading()
    {
        using var response = await App.PostAsync(new string(' ', 64 * 1024 + 1) + "{}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_streamed_body_over_the_cap_gets_413()
    {
        // No Content-Length: the cap has to hold while reading.
        var stream = new EndlessStream();
        var content = new StreamContent(stream);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/csp-report");
        using var response = await App.Client.PostAsync("/_secureheaders/reports", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(stream.Position < 1024 * 1024, $"read {stream.Position} bytes of an endless body");
    }

    [Theory]
    [InlineData("{\"csp-report\": ")]
    [InlineData("not json")]
    [InlineData("[{\"type\":\"csp-violation\",\"body\":{}},]")]
    [InlineData("{\"csp-report\":{}}{}")]
    public async Task Malformed_json_gets_400(string body)
    {
        using var response = await App.PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_empty_body_gets_400()
    {
        using var response = await App.PostAsync("");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_utf8_gets_400()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"csp-report\":{\"blocked-uri\":\"x\",\"effective-directive\":\"img-src\"}}");
        bytes[20] = 0xC3; // a lead byte followed by ASCII: not UTF-8
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/csp-report");
        using var response = await App.Client.PostAsync("/_secureheaders/reports", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_accepted()
    {
        using var response = await App.PostAsync("\uFEFF" + Payloads.ChromeLegacy());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Deep_nesting_within_the_size_cap_gets_400()
    {
        using var response = await App.PostAsync(Payloads.Deeply(30_000));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Ten_thousand_tiny_items_are_skipped_past_the_cap()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("{}", 10_000)) + "]";
        using var response = await App.PostAsync(body, "application/reports+json");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(9_900, Metrics.Skipped);
        Assert.Equal(100, Metrics.Invalid);
        Assert.Equal(0, Metrics.Accepted);
    }

    [Fact]
    public async Task Preflight_allows_cross_origin_reports()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/_secureheaders/reports");
        request.Headers.Add("Origin", "https://shop.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var response = await App.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Equal("Content-Type", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
    }

    [Fact]
    public async Task Get_on_the_report_path_is_not_allowed()
    {
        using var response = await App.Client.GetAsync("/_secureheaders/reports", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private sealed class EndlessStream : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Interlocked.Read(ref _position); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            // Stop after 16 MB so a broken cap fails the test instead of hanging it.
            if (Interlocked.Read(ref _position) > 16 * 1024 * 1024)
            {
                return 0;
            }

            Array.Fill(buffer, (byte)' ', offset, count);
            Interlocked.Add(ref _position, count);
            return count;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class ReportEndpointLimitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_retry_after()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path, o =>
        {
            o.RateLimit.BurstLimit = 3;
            o.RateLimit.RequestsPerSecond = 1;
        });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await app.PostAsync(Payloads.ChromeLegacy());
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
            }
        }

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, app.Services.GetRequiredService<ReportingMetrics>().RateLimited);
    }

    [Fact]
    public async Task Ten_thousand_real_reports_in_one_body_keep_the_first_hundred()
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path, o => o.MaxBodyBytes = 8 * 1024 * 1024);
        var items = Enumerable.Range(0, 10_000).Select(i => Payloads.ReportingApiItem(blocked: $"https://h{i}.example.org/x.js", directive: "script-src-elem"));
        using var response = await app.PostAsync(Payloads.ReportingApiBatch([.. items]), "application/reports+json");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var json = await app.WaitForTotalAsync(100);
        Assert.Equal(100, json.GetProperty("total").GetInt64());
        Assert.Equal(9_900, app.Services.GetRequiredService<ReportingMetrics>().Skipped);
    }

    [Fact]
    public async Task A_full_queue_gets_503_and_is_counted()
    {
        // Without the background reader nothing leaves the queue.
        await using var app = await ReportingApp.StartAsync(_dir.Path, o => o.QueueCapacity = 2, services: s =>
        {
            var processor = s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ReportProcessor));
            s.Remove(processor);
        });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await app.PostAsync(Payloads.ChromeLegacy());
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], statuses);
        var metrics = app.Services.GetRequiredService<ReportingMetrics>();
        Assert.Equal(2, metrics.QueueFull);
        Assert.Equal(2, metrics.Accepted);
    }
}
