using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureHeaders.Reporting.PostgreSql.Tests;

/// <summary>Two app instances behind one PostgreSQL store, as behind a load balancer.</summary>
public sealed class PostgreSqlReportingAppTests : IAsyncLifetime
{
    private string _connectionString = string.Empty;
    private readonly string _schema = PostgresServer.NewSchema();

    public ValueTask InitializeAsync()
    {
        _connectionString = PostgresServer.ConnectionStringOrSkip();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString.Length > 0)
        {
            await PostgresServer.DropSchemaAsync(_connectionString, _schema);
        }
    }

    private async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSecureHeadersReporting(o =>
        {
            o.FlushInterval = TimeSpan.FromMilliseconds(100);
            o.Dashboard.AllowAnonymous = true;
            o.RateLimit.Enabled = false;
        }).UsePostgreSql(o =>
        {
            o.ConnectionString = _connectionString;
            o.Schema = _schema;
        });
        var app = builder.Build();
        app.MapSecureHeadersReporting();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    [Fact]
    public async Task Two_instances_count_the_same_violation_together_and_lose_nothing_on_shutdown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        var clients = new[] { a.GetTestClient(), b.GetTestClient() };
        const string Body = """{"csp-report":{"document-uri":"https://shop.example.com/x?y","effective-directive":"img-src","blocked-uri":"https://img.example.org/a.png"}}""";

        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var content = new StringContent(Body, Encoding.UTF8);
                content.Headers.ContentType = new("application/csp-report");
                using var response = await client.PostAsync("/_secureheaders/reports", content, ct);
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }
        }, ct)));

        await a.StopAsync(ct);
        await b.StopAsync(ct);

        await using var c = await StartAsync();
        var json = await c.GetTestClient().GetFromJsonAsync<JsonElement>("/_secureheaders/api/violations", ct);
        Assert.Equal(120, json.GetProperty("total").GetInt64());
        var only = Assert.Single(json.GetProperty("violations").EnumerateArray());
        Assert.Equal(120, only.GetProperty("count").GetInt64());
        Assert.Equal("https://img.example.org", only.GetProperty("blockedUri").GetString());
    }
}
