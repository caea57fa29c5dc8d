using System.Text.Json;
using SecureHeaders.Analysis;
using SecureHeaders.Cli.Commands;

namespace SecureHeaders.Cli.Tests;

public class GradeCommandTests
{
    private static async Task<(int Code, string Output, string Error)> GradeAsync(string[] files, ScanOutput.Format format = ScanOutput.Format.Json, string? failUnder = null, string? stdin = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new GradeCommand.Settings(files, null, OfflineTransport.Https, format, failUnder, false);
        var code = await GradeCommand.RunAsync(settings, new StringReader(stdin ?? string.Empty), output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static string Write(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "sh-grade-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Grades_a_saved_set_as_json()
    {
        var file = Write("{\"Strict-Transport-Security\": \"max-age=63072000\", \"Content-Security-Policy\": \"default-src 'none'; frame-ancestors 'none'\", \"X-Content-Type-Options\": \"nosniff\", \"Referrer-Policy\": \"no-referrer\"}");
        var (code, output, _) = await GradeAsync([file]);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(120, json.RootElement.GetProperty("observatory").GetProperty("score").GetInt32());
        Assert.Equal("A+", json.RootElement.GetProperty("observatory").GetProperty("grade").GetString());
        Assert.True(json.RootElement.GetProperty("offline").GetBoolean());
    }

    [Fact]
    public async Task Fail_under_sets_exit_code_one_and_says_why()
    {
        var (code, _, error) = await GradeAsync(["-"], ScanOutput.Format.Text, "B", stdin: "X-Frame-Options: DENY\n");
        Assert.Equal(1, code);
        Assert.Contains("grade C is below B", error, StringComparison.Ordinal);

        var (ok, _, _) = await GradeAsync(["-"], ScanOutput.Format.Text, "D", stdin: "X-Frame-Options: DENY\n");
        Assert.Equal(0, ok);
    }

    [Fact]
    public async Task Several_files_give_a_json_array()
    {
        var a = Write("{\"X-Frame-Options\": \"DENY\"}");
        var b = Write("[[\"Content-Security-Policy\", \"default-src 'self'\"]]");
        var (code, output, _) = await GradeAsync([a, b]);
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Unreadable_input_and_ungradable_sets_exit_with_two()
    {
        var (missing, _, error) = await GradeAsync([Path.Combine(Path.GetTempPath(), "does-not-exist.json")]);
        Assert.Equal(2, missing);
        Assert.Contains("does-not-exist.json", error, StringComparison.Ordinal);

        var (bad, _, _) = await GradeAsync([Write("this is not a header")]);
        Assert.Equal(2, bad);

        var (status, output, _) = await GradeAsync([Write("{\"headers\": {}, \"status\": 500}")]);
        Assert.Equal(2, status);
        Assert.Contains("unexpected HTTP status code 500", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_line_rejects_conflicting_formats_and_bad_grades()
    {
        var root = new System.CommandLine.RootCommand();
        root.Subcommands.Add(GradeCommand.Create());
        using var error = new StringWriter();
        var config = new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = error };
        Assert.Equal(2, await root.Parse(["grade", "-", "--json", "--sarif"]).InvokeAsync(config, TestContext.Current.CancellationToken));
        Assert.Equal(2, await root.Parse(["grade", "-", "--fail-under", "Z"]).InvokeAsync(config, TestContext.Current.CancellationToken));
        Assert.Contains("not a grade", error.ToString(), StringComparison.Ordinal);
    }
}
