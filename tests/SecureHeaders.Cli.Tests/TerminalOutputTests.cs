using System.CommandLine;
using System.Text.RegularExpressions;
using SecureHeaders.Analysis;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis.Rendering;
using SecureHeaders.Cli.Commands;
using SecureHeaders.Reporting;
using SecureHeaders.Reporting.Sqlite;

namespace SecureHeaders.Cli.Tests;

/// <summary>
/// Text output never carries an escape sequence or a bidi override that came from a report or a scanned site: an OSC
/// sequence would retitle the terminal, a CSI one rewrite the screen, U+202E reorder what the reader sees. CSV cells
/// that a spreadsheet would run as formulas are defused.
/// </summary>
public sealed partial class TerminalOutputTests : IAsyncLifetime
{
    /// <summary>What hostile reports put into fields: OSC retitle, CSI clear-screen, C1 CSI, BEL, bidi override and isolate, a fake table row.</summary>
    private static readonly string[] Hostile =
    [
        "https://a.example/\u001b]0;pwned\u0007x.js",
        "https://b.example/\u001b[2J\u001b[Hx.js",
        "https://c.example/\u009b31mx.js",
        "https://d.example/\u202Esj.evil\u202C",
        "https://e.example/\u2066x\u2069",
        "https://f.example/x\n999  script-src  https://trusted.example",
        "https://g.example/\u0000\u007F\u2028",
    ];

    private const string HostileSessionName = "release\u001b]0;pwned\u0007\u202Eok";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "secureheaders-cli-tests", Guid.NewGuid().ToString("n"));

    private string DbPath => Path.Combine(_dir, "reports.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var now = DateTimeOffset.UtcNow;
        var store = new SqliteViolationStore(DbPath);
        // Suggestions start from the policy the app recorded and cover the latest learning session, whose name is
        // free text typed by whoever started it.
        await store.RecordAppPoliciesAsync(new AppPolicySnapshot([new AppPolicy("default", "enforce", "default-src 'self'")], [], now), Ct);
        await store.StartSessionAsync(HostileSessionName, now.AddHours(-1), Ct);
        await store.WriteAsync(new ViolationBatch(
            [.. Hostile.Select((blocked, i) => new Violation
            {
                Fingerprint = "f" + i,
                Type = ReportTypes.CspViolation,
                Policy = "default",
                Disposition = i % 2 == 0 ? "enforce" : "enforce\u001b[8m",
                DocumentOrigin = "https://shop.example.com\u202E",
                Directive = "script-src-elem",
                BlockedUri = blocked,
                SourceHost = string.Empty,
                Count = i + 1,
                FirstSeen = now,
                LastSeen = now,
                Sample = i % 2 == 0 ? "\u001b]0;t\u0007" : "\nformula",
                OriginalPolicy = "default-src 'self'",
            })],
            [],
            []), Ct);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Reports_top_prints_no_control_or_bidi_character()
    {
        var (exit, output) = await RunAsync("reports", "top", "--db", DbPath);

        Assert.Equal(0, exit);
        AssertTerminalSafe(output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 1 + Hostile.Length, lines.Length); // summary, header, one row each: no injected row
        Assert.Contains("https://a.example/?]0;pwned?x.js", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_suggest_text_prints_no_control_or_bidi_character()
    {
        var (exit, output) = await RunAsync("reports", "suggest", "--db", DbPath);

        Assert.Equal(0, exit);
        AssertTerminalSafe(output);
        Assert.Contains("\"release?]0;pwned??ok\"", output, StringComparison.Ordinal); // the session line, cleaned
        Assert.Contains("Policy default (enforced)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_cells_that_start_with_white_space_or_a_line_break_are_defused()
    {
        var file = Path.Combine(_dir, "out.csv");
        var (exit, _) = await RunAsync("reports", "export", "--db", DbPath, "--format", "csv", "--output", file);

        Assert.Equal(0, exit);
        var text = await File.ReadAllTextAsync(file, Ct);
        Assert.Contains(",\"'\nformula\",", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"\nformula\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_text_keeps_its_own_colours_and_nothing_from_the_site()
    {
        var set = new HeaderSet(
            ("Content-Security-Policy", "script-src 'self' https://x.example/\u001b]0;owned\u0007; x\u202E-src a"),
            ("Set-Cookie", "sid\u001b[2J=1"),
            ("Content-Type", "text/html")) { Url = new Uri("https://example.com/") };
        var report = SecurityAnalyzer.Analyze(SiteSnapshot.FromHeaderSet(set, url: set.Url));

        foreach (var color in new[] { false, true })
        {
            var text = TextReportWriter.Write(report, color);
            AssertTerminalSafe(OwnColours().Replace(text, string.Empty));
        }
    }

    [Fact]
    public async Task Csp_evaluate_text_cleans_the_policy_it_echoes()
    {
        var output = new StringWriter();
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        var exit = await root.Parse(["csp", "evaluate", "script-src 'self' \u001b]0;x\u0007 'unsafe-inline'\u202E"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() }, Ct);

        Assert.True(exit is 0 or 1 or 2, exit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AssertTerminalSafe(OwnColours().Replace(output.ToString(), string.Empty));
    }

    private static void AssertTerminalSafe(string output)
    {
        foreach (var c in output.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            Assert.True(c == '\n' || !SecureHeaders.Internal.TerminalText.IsUnsafe(c), $"U+{(int)c:X4} in the output:\n{output}");
        }
    }

    private static async Task<(int Exit, string Out)> RunAsync(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(ReportsCommands.Create());
        var output = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() }, Ct);
        return (exit, output.ToString());
    }

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex OwnColours();
}
