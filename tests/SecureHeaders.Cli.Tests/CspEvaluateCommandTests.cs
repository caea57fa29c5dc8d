using System.Text.Json;
using SecureHeaders.Cli.Commands;

namespace SecureHeaders.Cli.Tests;

public class CspEvaluateCommandTests
{
    private static CspEvaluateCommand.Settings Settings(bool json = true, bool all = false, bool evaluatorOnly = false, bool noStrict = false, bool splitCommas = false, bool reportOnly = false, string? xfo = null) =>
        new(json, noStrict, Reporting: false, all, evaluatorOnly, reportOnly, xfo, splitCommas, Color: false);

    private static (int Exit, string Output) Run(string? policy, CspEvaluateCommand.Settings settings, string stdin = "")
    {
        var output = new StringWriter();
        var exit = CspEvaluateCommand.Run(policy, settings, new StringReader(stdin), output, TextWriter.Null);
        return (exit, output.ToString());
    }

    [Fact]
    public void Json_for_one_policy_is_one_object_with_the_documented_fields()
    {
        var (exit, output) = Run("script-src 'self' 'unsafe-inline'; object-src 'none'", Settings());

        Assert.Equal(0, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal("script-src 'self' 'unsafe-inline'; object-src 'none'", root.GetProperty("policy").GetString());
        Assert.Equal("high", root.GetProperty("highestSeverity").GetString());
        var inline = root.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("check").GetString() == "script-unsafe-inline");
        Assert.Equal("high", inline.GetProperty("severity").GetString());
        Assert.Equal("script-src", inline.GetProperty("directive").GetString());
        Assert.Equal("'unsafe-inline'", inline.GetProperty("value").GetString());
        Assert.False(string.IsNullOrEmpty(inline.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(inline.GetProperty("fix").GetString()));
        var missing = root.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("check").GetString() == "missing-frame-ancestors");
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("value").ValueKind);
        Assert.Contains("'unsafe-inline'", line, StringComparison.Ordinal); // quotes are not escaped as \u0027
    }

    [Fact]
    public void Stdin_gives_one_json_line_per_input_line_in_order()
    {
        var (exit, output) = Run(null, Settings(json: false), "default-src 'none'\r\nscript-src *\n\nContent-Security-Policy: object-src 'none'\n");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("default-src 'none'", JsonDocument.Parse(lines[0]).RootElement.GetProperty("policy").GetString());
        Assert.Contains(JsonDocument.Parse(lines[1]).RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("check").GetString() == "plain-wildcard");
        Assert.Contains(JsonDocument.Parse(lines[2]).RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("check").GetString() == "missing-directives");
        Assert.DoesNotContain(JsonDocument.Parse(lines[3]).RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("check").GetString() == "unknown-directive");
    }

    [Fact]
    public void Text_output_has_no_escape_codes_without_colour()
    {
        var (_, output) = Run("script-src 'self' https:", Settings(json: false));

        Assert.DoesNotContain('\u001b', output);
        Assert.Contains("plain-url-schemes", output, StringComparison.Ordinal);
        Assert.Contains("Summary:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_select_check_sets()
    {
        static string[] Checks(string output) => [.. JsonDocument.Parse(output).RootElement.GetProperty("findings").EnumerateArray().Select(static f => f.GetProperty("check").GetString()!)];
        const string strict = "script-src 'nonce-R4nd0mN0nc3Base64AAAA' 'strict-dynamic' 'unsafe-inline'; object-src 'none'; base-uri 'none'";

        Assert.Contains("allowlist-fallback", Checks(Run(strict, Settings()).Output));
        Assert.DoesNotContain("allowlist-fallback", Checks(Run(strict, Settings(noStrict: true)).Output));
        Assert.Contains("ignored", Checks(Run(strict, Settings(all: true)).Output));
        Assert.Contains("reporting-destination-missing", Checks(Run(strict, Settings(all: true)).Output));
        Assert.DoesNotContain("missing-frame-ancestors", Checks(Run(strict, Settings(evaluatorOnly: true)).Output));
        Assert.Contains("report-only-without-destination", Checks(Run(strict, Settings(reportOnly: true)).Output));
        Assert.Contains("x-frame-options-conflict", Checks(Run(strict + "; frame-ancestors *", Settings(xfo: "DENY")).Output));
    }

    [Fact]
    public void Split_commas_evaluates_each_policy()
    {
        var (_, output) = Run("default-src 'none', script-src 'self'", Settings(splitCommas: true));

        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
