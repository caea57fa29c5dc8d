using System.CommandLine;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureHeaders.Reporting.Sqlite;
using SecureHeaders.Cli.Commands;
using SecureHeaders.Reporting;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Cli.Tests;

public sealed class ReportsCommandsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "secureheaders-cli-tests", Guid.NewGuid().ToString("n"));
    private string DbPath => Path.Combine(_dir, "reports.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var store = new SqliteViolationStore(DbPath);
        const string Policy = "default-src 'self'; script-src 'self'";
        await store.WriteAsync(new ViolationBatch(
            [
                Row("a", "script-src-elem", "https://cdn.example.net", 12, Policy),
                Row("b", "script-src-elem", "inline", 3, Policy, sample: "go()"),
                Row("c", "img-src", "data", 5, Policy) with { Sample = "=HYPERLINK(\"http://evil\")" },
                Row("d", "img-src", "chrome-extension://abc", 40, Policy),
            ],
            [],
            [new ViolationSample("b", "go()", 3, Now, Now)]), Ct);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static Violation Row(string fp, string directive, string blocked, long count, string policy, string? sample = null) => new()
    {
        Fingerprint = fp,
        Type = ReportTypes.CspViolation,
        Disposition = "enforce",
        DocumentOrigin = "https://shop.example.com",
        Directive = directive,
        BlockedUri = blocked,
        SourceHost = "",
        Count = count,
        FirstSeen = Now.AddHours(-1),
        LastSeen = Now,
        Sample = sample,
        OriginalPolicy = policy,
    };

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(ReportsCommands.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Ct);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Top_lists_violations_by_count_from_an_sqlite_file()
    {
        var (exit, output, _) = await RunAsync("reports", "top", "--db", DbPath, "--limit", "2");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("60 report(s) stored", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("COUNT", lines[1].TrimStart(), StringComparison.Ordinal);
        Assert.Contains("chrome-extension://abc", lines[2], StringComparison.Ordinal);
        Assert.Contains("https://cdn.example.net", lines[3], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public async Task Top_json_has_the_api_shape_and_honours_filters()
    {
        var (exit, output, _) = await RunAsync("reports", "top", "--db", DbPath, "--directive", "img-src", "--json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(45, json.RootElement.GetProperty("total").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("violations").GetArrayLength());
        Assert.Equal("img-src", json.RootElement.GetProperty("violations")[0].GetProperty("directive").GetString());
    }

    [Fact]
    public async Task Suggest_excludes_noise_and_hashes_inline_samples()
    {
        var (exit, output, _) = await RunAsync("reports", "suggest", "--db", DbPath);
        Assert.Equal(0, exit);
        Assert.Contains("script-src: add " + PolicySuggester.HashSource("go()") + " https://cdn.example.net", output, StringComparison.Ordinal);
        Assert.Contains("img-src: add data:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("chrome-extension", output, StringComparison.Ordinal);
        Assert.Contains("Proposed policy:", output, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data:", output, StringComparison.Ordinal);

        var (_, jsonText, _) = await RunAsync("reports", "suggest", "--db", DbPath, "--json");
        using var json = JsonDocument.Parse(jsonText);
        Assert.Equal(20, json.RootElement.GetProperty("reportsConsidered").GetInt64());
    }

    [Fact]
    public async Task Export_writes_csv_with_formulas_defused()
    {
        var file = Path.Combine(_dir, "out.csv");
        var (exit, _, err) = await RunAsync("reports", "export", "--db", DbPath, "--format", "csv", "--output", file);
        Assert.Equal(0, exit);
        Assert.Contains("Wrote 4 violation(s)", err, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(file, Ct);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("fingerprint,type,disposition,documentOrigin,directive,blockedUri", lines[0], StringComparison.Ordinal);
        var row = Assert.Single(lines, l => l.StartsWith("c,", StringComparison.Ordinal));
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_writes_json_to_standard_output()
    {
        var (exit, output, _) = await RunAsync("reports", "export", "--db", DbPath);
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(4, json.RootElement.GetProperty("violations").GetArrayLength());
    }

    [Theory]
    [InlineData("reports", "top")]
    [InlineData("reports", "top", "--db", "x.db", "--url", "http://localhost")]
    [InlineData("reports", "top", "--db", "x.db", "--since", "yesterday")]
    [InlineData("reports", "export", "--db", "x.db", "--format", "xml")]
    [InlineData("reports", "top", "--url", "ftp://example.com/")]
    public async Task Usage_errors_exit_non_zero(params string[] args)
    {
        var (exit, _, err) = await RunAsync(args);
        Assert.NotEqual(0, exit);
        Assert.NotEmpty(err);
    }

    [Fact]
    public async Task A_missing_database_is_reported_not_created()
    {
        var missing = Path.Combine(_dir, "nope.db");
        var (exit, _, err) = await RunAsync("reports", "top", "--db", missing);
        Assert.Equal(2, exit);
        Assert.Contains("No database", err, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task Reads_a_running_app_through_its_api()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _dir });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSecureHeadersReporting(o =>
        {
            o.SqlitePath = DbPath;
            o.Dashboard.AllowAnonymous = true;
        });
        await using var app = builder.Build();
        app.MapSecureHeadersReporting();
        await app.StartAsync(Ct);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var (exit, output, err) = await RunAsync("reports", "top", "--url", url, "--json", "--header", "X-Anything: 1");
        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(60, json.RootElement.GetProperty("total").GetInt64());

        var (suggestExit, suggestion, _) = await RunAsync("reports", "suggest", "--url", url);
        Assert.Equal(0, suggestExit);
        Assert.Contains("https://cdn.example.net", suggestion, StringComparison.Ordinal);
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task An_unreachable_url_is_a_clean_error()
    {
        var (exit, _, err) = await RunAsync("reports", "top", "--url", "http://127.0.0.1:9/");
        Assert.Equal(1, exit);
        Assert.StartsWith("Could not read reports", err, StringComparison.Ordinal);
    }
}
