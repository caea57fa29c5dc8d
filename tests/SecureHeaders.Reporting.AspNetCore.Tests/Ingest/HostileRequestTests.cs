using System.Net;
using SecureHeaders.Reporting.AspNetCore.Tests.Support;
using SecureHeaders.Reporting.Tests.Support;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Ingest;

/// <summary>Requests an attacker sends to the report endpoint: each one gets a 4xx, none a 5xx.</summary>
public sealed class HostileRequestTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private ReportingApp? _app;

    private ReportingApp App => _app!;

    public async ValueTask InitializeAsync() => _app = await ReportingApp.StartAsync(_dir.Path, o => o.RateLimit.Enabled = false);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Lone_surrogates_get_400_on_every_field()
    {
        foreach (var body in HostileBodies.LoneSurrogates())
        {
            using var response = await App.PostAsync(body, body.StartsWith('[') ? "application/reports+json" : "application/csp-report");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {body}");
        }
    }

    [Fact]
    public async Task Malformed_bodies_get_400()
    {
        foreach (var (what, body) in HostileBodies.Malformed())
        {
            using var response = await App.PostAsync(body, "application/csp-report");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Invalid_utf8_gets_400()
    {
        foreach (var (what, body) in HostileBodies.InvalidUtf8())
        {
            var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/csp-report");
            using var response = await App.Client.PostAsync("/_secureheaders/reports", content, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
        }
    }
}
