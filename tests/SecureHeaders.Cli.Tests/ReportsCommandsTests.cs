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
        // What the app recorded at startup: the base of every suggestion, with the 'nonce' placeholder.
        await store.RecordAppPoliciesAsync(new AppPolicySnapshot(
            [new AppPolicy("default", "report", Candidate), new AppPolicy("default", "enforce", "default-src 'self'")], [], Now), Ct);
        // The reports' own original-policy is attacker-controlled and must not matter.
        const string Policy = "default-src *; script-src * 'unsafe-inline'";
        string[] pages = ["https://shop.example.com/", "https://shop.example.com/products", "https://shop.example.com/cart"];
        await store.WriteAsync(new ViolationBatch(
            [
                Row("a", "script-src-elem", "https://cdn.example.net", 12, Policy),
                Row("b", "script-src-elem", "inline", 3, Policy, sample: "go()"),
                Row("c", "img-src", "data", 5, Policy) with { Sample = "=HYPERLINK(\"http://evil\")" },
                Row("d", "img-src", "chrome-extension://abc", 40, Policy),
                Row("e", "form-action", "https://evil.example.test", 1, Policy),
            ],
            [],
            [new ViolationSample("b", "go()", 3, Now, Now)])
        {
            Documents = [.. pages.Select(p => new ViolationTally("a", p, 4, Now, Now)), new ViolationTally("b", pages[0], 3, Now, Now),
                .. pages.Select(p => new ViolationTally("c", p, 1, Now, Now)), new ViolationTally("e", "https://shop.example.com/search", 1, Now, Now)],
        }, Ct);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private const string Candidate = "default-src 'self'; script-src 'self' 'nonce' 'report-sample'; img-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; " +
        "report-uri /_secureheaders/reports?policy=default";

    /// <summary>
    /// The tool needs only the .NET runtime: run it with a dotnet root that has Microsoft.NETCore.App and nothing else
    /// (no ASP.NET Core shared framework) and read the SQLite store.
    /// </summary>
    [Fact]
    public async Task Reports_top_runs_where_only_the_plain_dotnet_runtime_is_installed()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "/usr/share/dotnet/dotnet";
        var installed = Path.GetDirectoryName(File.ResolveLinkTarget(host, returnFinalTarget: true)?.FullName ?? host)!;
        var runtimeOnly = Path.Combine(_dir, "runtime-only");
        Directory.CreateDirectory(Path.Combine(runtimeOnly, "shared"));
        File.Copy(Path.Combine(installed, "dotnet"), Path.Combine(runtimeOnly, "dotnet"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(runtimeOnly, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.CreateSymbolicLink(Path.Combine(runtimeOnly, "host"), Path.Combine(installed, "host"));
        Directory.CreateSymbolicLink(Path.Combine(runtimeOnly, "shared", "Microsoft.NETCore.App"), Path.Combine(installed, "shared", "Microsoft.NETCore.App"));

        var cli = typeof(SecureHeaders.Cli.Commands.CommandCatalog).Assembly.Location;
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(runtimeOnly, "dotnet"), [cli, "reports", "top", "--db", DbPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_ROOT"] = runtimeOnly;
        start.Environment["DOTNET_MULTILEVEL_LOOKUP"] = "0";
        start.Environment["NO_COLOR"] = "1";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}");
        Assert.Contains("cdn.example.net", await output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore.App", File.ReadAllText(Path.ChangeExtension(cli, ".runtimeconfig.json")), StringComparison.Ordinal);
    }

    private static Violation Row(string fp, string directive, string blocked, long count, string policy, string? sample = null) => new()
    {
        Fingerprint = fp,
        Type = ReportTypes.CspViolation,
        Policy = "default",
        Disposition = "report",
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
        Assert.StartsWith("61 report(s) stored", lines[0], StringComparison.Ordinal);
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
    public async Task Suggest_json_is_the_documented_contract_and_starts_from_the_apps_policy()
    {
        var (exit, jsonText, err) = await RunAsync("reports", "suggest", "--db", DbPath, "--policy", "default", "--json");
        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(jsonText);
        var root = json.RootElement;
        Assert.Equal("default", root.GetProperty("policy").GetString());
        var csp = root.GetProperty("csp").GetString()!;
        Assert.Equal("default-src 'self'; script-src 'self' 'nonce' 'report-sample' https://cdn.example.net; img-src 'self' data:; form-action 'self'; " +
            "object-src 'none'; base-uri 'none'; report-uri /_secureheaders/reports?policy=default", csp);
        Assert.DoesNotContain("'nonce-", csp, StringComparison.Ordinal);

        var added = root.GetProperty("added").EnumerateArray().ToList();
        Assert.Equal(["script-src https://cdn.example.net", "img-src data:"], added.Select(a => a.GetProperty("directive").GetString() + " " + a.GetProperty("source").GetString()));
        Assert.All(added, a =>
        {
            Assert.False(string.IsNullOrEmpty(a.GetProperty("reason").GetString()));
            Assert.True(a.GetProperty("count").GetInt64() > 0);
        });

        var rejected = root.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal(["script-src " + PolicyLearner.HashSource("go()"), "form-action https://evil.example.test"],
            rejected.Select(r => r.GetProperty("directive").GetString() + " " + r.GetProperty("source").GetString()));
        Assert.All(rejected, r =>
        {
            Assert.False(string.IsNullOrEmpty(r.GetProperty("reason").GetString()));
            Assert.Equal(1, r.GetProperty("documents").GetInt32());
            Assert.True(r.GetProperty("incident").GetBoolean());
        });
        Assert.Equal(21, root.GetProperty("reportsConsidered").GetInt64());
    }

    [Fact]
    public async Task Suggest_text_lists_both_sides_and_prints_each_form_alone()
    {
        var (exit, output, _) = await RunAsync("reports", "suggest", "--db", DbPath);
        Assert.Equal(0, exit);
        Assert.Contains("Policy default (Report-Only candidate)", output, StringComparison.Ordinal);
        Assert.Contains("script-src https://cdn.example.net", output, StringComparison.Ordinal);
        Assert.Contains("LIKELY ATTACK, blocked: form-action to another origin from 1 page", output, StringComparison.Ordinal);
        Assert.DoesNotContain("chrome-extension", output, StringComparison.Ordinal);
        Assert.Contains("appsettings.json:", output, StringComparison.Ordinal);
        Assert.Contains("Program.cs:", output, StringComparison.Ordinal);

        var (_, header, _) = await RunAsync("reports", "suggest", "--db", DbPath, "--print", "header");
        Assert.StartsWith("default-src 'self'; script-src 'self' 'nonce'", header, StringComparison.Ordinal);
        var (_, settings, _) = await RunAsync("reports", "suggest", "--db", DbPath, "--print", "appsettings");
        using var fragment = JsonDocument.Parse(settings);
        var directives = fragment.RootElement.GetProperty("SecureHeaders").GetProperty("ContentSecurityPolicy").GetProperty("Directives");
        Assert.Equal(["'self'", "'nonce'", "'report-sample'", "https://cdn.example.net"], directives.GetProperty("script-src").EnumerateArray().Select(v => v.GetString()));
        Assert.False(directives.TryGetProperty("report-uri", out _));
        Assert.False(fragment.RootElement.GetProperty("SecureHeaders").GetProperty("ContentSecurityPolicyReportOnly").GetProperty("Enabled").GetBoolean());
        var (_, code, _) = await RunAsync("reports", "suggest", "--db", DbPath, "--print", "csharp");
        Assert.StartsWith("builder.Services.AddSecureHeaders(options =>", code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_makes_the_apps_own_inline_code_allowed()
    {
        var manifest = Path.Combine(_dir, "csp-hashes.json");
        await File.WriteAllTextAsync(manifest, $$"""
            { "version": 1, "algorithm": "sha256", "scripts": [{ "file": "Pages/Index.cshtml", "line": 3, "hash": "{{PolicyLearner.HashSource("go()")}}" }], "styles": [], "attributes": [] }
            """, Ct);
        var (exit, jsonText, err) = await RunAsync("reports", "suggest", "--db", DbPath, "--manifest", manifest, "--json");
        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(jsonText);
        Assert.Contains(json.RootElement.GetProperty("added").EnumerateArray(), a => a.GetProperty("source").GetString() == PolicyLearner.HashSource("go()"));
    }

    [Fact]
    public async Task Sessions_start_end_and_choose_the_window()
    {
        var (startExit, started, _) = await RunAsync("reports", "session", "start", "--db", DbPath, "--name", "release 2", "--json");
        Assert.Equal(0, startExit);
        var id = JsonDocument.Parse(started).RootElement.GetProperty("id").GetInt64();
        var (_, listed, _) = await RunAsync("reports", "session", "list", "--db", DbPath);
        Assert.Contains("\"release 2\"", listed, StringComparison.Ordinal);
        Assert.Contains("(open)", listed, StringComparison.Ordinal);

        // Everything stored so far was recorded before the session: the latest-session suggestion adds nothing.
        var (_, inSession, _) = await RunAsync("reports", "suggest", "--db", DbPath, "--json");
        using (var json = JsonDocument.Parse(inSession))
        {
            Assert.Equal(id, json.RootElement.GetProperty("session").GetProperty("id").GetInt64());
            Assert.Empty(json.RootElement.GetProperty("added").EnumerateArray());
        }

        var (_, all, _) = await RunAsync("reports", "suggest", "--db", DbPath, "--session", "all", "--json");
        Assert.Equal(2, JsonDocument.Parse(all).RootElement.GetProperty("added").GetArrayLength());

        var (endExit, ended, _) = await RunAsync("reports", "session", "end", "--db", DbPath);
        Assert.Equal(0, endExit);
        Assert.Contains("Ended learning session " + id, ended, StringComparison.Ordinal);
        var (againExit, _, againErr) = await RunAsync("reports", "session", "end", "--db", DbPath);
        Assert.Equal(2, againExit);
        Assert.Contains("No learning session is open", againErr, StringComparison.Ordinal);
        var (badExit, _, _) = await RunAsync("reports", "suggest", "--db", DbPath, "--session", "99");
        Assert.Equal(2, badExit);
    }

    [Fact]
    public async Task Allow_records_an_opt_in_that_brings_back_the_rejected_addition()
    {
        var (exit, _, err) = await RunAsync("reports", "allow", "--db", DbPath, "--policy", "default", "--directive", "form-action",
            "--source", "https://evil.example.test", "--reason", "our payment provider after all");
        Assert.True(exit == 0, err);
        Assert.Contains("Opt-in recorded by", err, StringComparison.Ordinal);
        var (_, jsonText, _) = await RunAsync("reports", "suggest", "--db", DbPath, "--json");
        using var json = JsonDocument.Parse(jsonText);
        Assert.Contains("form-action 'self' https://evil.example.test", json.RootElement.GetProperty("csp").GetString(), StringComparison.Ordinal);

        var (nonceExit, _, nonceErr) = await RunAsync("reports", "allow", "--db", DbPath, "--policy", "default", "--directive", "script-src",
            "--source", "'nonce-abc'", "--reason", "x");
        Assert.NotEqual(0, nonceExit);
        Assert.Contains("literal nonce", nonceErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggest_without_recorded_policies_explains_what_to_do()
    {
        var empty = Path.Combine(_dir, "empty.db");
        await new SqliteViolationStore(empty).InitializeAsync(Ct);
        var (exit, _, err) = await RunAsync("reports", "suggest", "--db", empty);
        Assert.Equal(2, exit);
        Assert.Contains("recorded no compiled policy", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_writes_csv_with_formulas_defused()
    {
        var file = Path.Combine(_dir, "out.csv");
        var (exit, _, err) = await RunAsync("reports", "export", "--db", DbPath, "--format", "csv", "--output", file);
        Assert.Equal(0, exit);
        Assert.Contains("Wrote 5 violation(s)", err, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(file, Ct);
        Assert.Equal(6, lines.Length);
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
        Assert.Equal(5, json.RootElement.GetProperty("violations").GetArrayLength());
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
        Assert.Equal(61, json.RootElement.GetProperty("total").GetInt64());

        // The app here has no SecureHeaders policies of its own, so it learns from what was recorded in its store.
        var (suggestExit, suggestion, suggestErr) = await RunAsync("reports", "suggest", "--url", url, "--policy", "default", "--json");
        Assert.True(suggestExit == 0, suggestErr);
        Assert.Contains("https://cdn.example.net", JsonDocument.Parse(suggestion).RootElement.GetProperty("csp").GetString(), StringComparison.Ordinal);
        var (sessionExit, session, sessionErr) = await RunAsync("reports", "session", "start", "--url", url, "--json");
        Assert.True(sessionExit == 0, sessionErr);
        Assert.True(JsonDocument.Parse(session).RootElement.GetProperty("id").GetInt64() > 0);
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
