using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SecureHeaders.Reporting.PostgreSql;

namespace SecureHeaders.Reporting.PostgreSql.Tests;

/// <summary>
/// The database goes away while reports keep arriving and comes back: every report answered with 204 is stored, the
/// writer retried with back-off meanwhile, and said so once. The outage is a TCP proxy between Npgsql and the real
/// server cutting every connection, so the shared server other tests use is never stopped.
/// </summary>
public sealed class PostgreSqlOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly string _schema = PostgresServer.NewSchema();
    private readonly FakeTimeProvider _clock = new();
    private readonly FakeLogCollector _logs = new();
    private string _connectionString = string.Empty;
    private TcpProxy? _proxy;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _connectionString = PostgresServer.ConnectionStringOrSkip();
        var target = new NpgsqlConnectionStringBuilder(_connectionString);
        _proxy = new TcpProxy(target.Host ?? "127.0.0.1", target.Port);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_connectionString.Length > 0)
        {
            await PostgresServer.DropSchemaAsync(_connectionString, _schema);
        }
    }

    [Fact]
    public async Task An_outage_while_reports_arrive_loses_nothing()
    {
        var viaProxy = new NpgsqlConnectionStringBuilder(_connectionString) { Host = "127.0.0.1", Port = _proxy!.Port, Timeout = 5 }.ConnectionString;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddSecureHeadersReporting(o =>
        {
            o.FlushInterval = Interval;
            o.Dashboard.AllowAnonymous = true;
            o.RateLimit.Enabled = false;
        }).UsePostgreSql(o =>
        {
            o.ConnectionString = viaProxy;
            o.Schema = _schema;
        });
        await using var app = builder.Build();
        app.MapSecureHeadersReporting();
        await app.StartAsync(Ct);
        var client = app.GetTestClient();
        var accepted = 0;

        async Task PostAsync(int n, string page)
        {
            for (var i = 0; i < n; i++)
            {
                var content = new StringContent($$$"""{"csp-report":{"document-uri":"https://shop.example.com/{{{page}}}","effective-directive":"img-src","blocked-uri":"https://img{{{i % 20}}}.example.org/a.png"}}""", Encoding.UTF8);
                content.Headers.ContentType = new("application/csp-report");
                using var response = await client.PostAsync("/_secureheaders/reports", content, Ct);
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                accepted++;
            }
        }

        Task<bool> Logged(string name) => Task.FromResult(_logs.GetSnapshot().Any(r => r.Id.Name == name));

        await PostAsync(50, "before");
        await Eventually(async () => await TotalAsync(app) == 50 || Advance(Interval), "the first reports are stored");

        _proxy.Cut();
        await PostAsync(100, "during");
        await Eventually(async () => await Logged("FlushFailed") || Advance(Interval), "the writer sees the outage");
        await PostAsync(100, "still-during");
        var failedAt = _clock.GetUtcNow();
        await Eventually(() => Task.FromResult(_clock.GetUtcNow() - failedAt > TimeSpan.FromSeconds(10) || Advance(Interval)), "ten seconds of outage pass");
        await PostAsync(50, "end-of-outage");

        _proxy.Restore();
        await Eventually(async () => await Logged("StoreRecovered") || Advance(Interval), "the writer sees the store again");
        await Eventually(async () => await TotalAsync(app) == accepted || Advance(Interval), "everything accepted is stored");

        // Read straight from the server, not through the proxy: the rows are really there.
        await using var source = NpgsqlDataSource.Create(_connectionString);
        await using var sum = source.CreateCommand($"SELECT COALESCE(SUM(count), 0) FROM \"{_schema}\".sh_violations");
        Assert.Equal(300L, Convert.ToInt64(await sum.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(300, accepted);
        Assert.Single(_logs.GetSnapshot(), r => r.Id.Name == "FlushFailed");
        Assert.Single(_logs.GetSnapshot(), r => r.Id.Name == "StoreRecovered");
    }

    private bool Advance(TimeSpan by)
    {
        _clock.Advance(by);
        return false;
    }

    private static async Task<long> TotalAsync(WebApplication app)
    {
        var json = await app.GetTestClient().GetFromJsonAsync<JsonElement>("/_secureheaders/api/violations", Ct);
        return json.GetProperty("total").GetInt64();
    }

    /// <summary>Polls with a deadline; each poll may move the fake clock on.</summary>
    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting until " + what + ".");
            await Task.Delay(20, Ct);
        }
    }
}
