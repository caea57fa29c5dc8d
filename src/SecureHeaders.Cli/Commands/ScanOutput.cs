using System.CommandLine;
using System.Reflection;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis;
using SecureHeaders.Analysis.Observatory;
using SecureHeaders.Analysis.Rendering;

namespace SecureHeaders.Cli.Commands;

/// <summary>The output formats and exit-code rules shared by <c>scan</c> and <c>grade</c>.</summary>
internal static class ScanOutput
{
    /// <summary>Everything went well (and every grade met --fail-under).</summary>
    public const int Ok = 0;

    /// <summary>At least one grade is below --fail-under.</summary>
    public const int BelowThreshold = 1;

    /// <summary>Bad usage, or a target could not be fetched, read or graded.</summary>
    public const int Error = 2;

    internal enum Format
    {
        Text,
        Json,
        Sarif,
        Markdown,
    }

    internal sealed record Options(Option<bool> Json, Option<bool> Sarif, Option<bool> Markdown, Option<string?> FailUnder, Option<bool> NoColor, Option<string?> Observatory);

    public static Options AddTo(Command command)
    {
        var options = new Options(
            new Option<bool>("--json") { Description = "Print the report as JSON (schema in the README)." },
            new Option<bool>("--sarif") { Description = "Print the report as SARIF 2.1.0 for code scanning." },
            new Option<bool>("--markdown") { Description = "Print the report as Markdown." },
            new Option<string?>("--fail-under") { Description = "Exit with code 1 when a grade is below this one (e.g. A, B+)." },
            new Option<bool>("--no-color") { Description = "No colours in text output (NO_COLOR is honoured too)." },
            new Option<string?>("--observatory") { Description = "Which Mozilla HTTP Observatory to reproduce: 1.6.3 (default, the newest release), 1.4.8 or main (unreleased COOP/COEP scoring)." });
        command.Options.Add(options.Json);
        command.Options.Add(options.Sarif);
        command.Options.Add(options.Markdown);
        command.Options.Add(options.FailUnder);
        command.Options.Add(options.NoColor);
        command.Options.Add(options.Observatory);
        return options;
    }

    /// <summary>Reads the format, threshold and Observatory release; returns an error message for bad usage.</summary>
    public static string? Read(ParseResult parse, Options options, out Format format, out string? failUnder, out ObservatoryVersion version)
    {
        var label = parse.GetValue(options.Observatory);
        if (!ObservatoryVersions.TryParse(label ?? ObservatoryVersions.Default.Label(), out version))
        {
            format = Format.Text;
            failUnder = null;
            return $"--observatory \"{label}\" is not a known release; use one of {string.Join(", ", ObservatoryVersions.Labels)}.";
        }

        var chosen = new List<Format>();
        if (parse.GetValue(options.Json))
        {
            chosen.Add(Format.Json);
        }

        if (parse.GetValue(options.Sarif))
        {
            chosen.Add(Format.Sarif);
        }

        if (parse.GetValue(options.Markdown))
        {
            chosen.Add(Format.Markdown);
        }

        format = chosen.Count == 0 ? Format.Text : chosen[0];
        failUnder = parse.GetValue(options.FailUnder);
        if (chosen.Count > 1)
        {
            return "Choose one of --json, --sarif and --markdown.";
        }

        if (failUnder is not null && ObservatoryScoring.RankOf(failUnder) < 0)
        {
            return $"--fail-under \"{failUnder}\" is not a grade; use one of A+, A, A-, B+, B, B-, C+, C, C-, D+, D, D-, F.";
        }

        return null;
    }

    public static bool UseColor(bool noColor, TextWriter output) =>
        !noColor && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    public static void Render(IReadOnlyList<SecurityReport> reports, Format format, bool color, TextWriter output)
    {
        switch (format)
        {
            case Format.Json:
                output.WriteLine(reports.Count == 1 ? JsonReportWriter.Write(reports[0]) : JsonReportWriter.Write(reports));
                break;
            case Format.Sarif:
                output.WriteLine(SarifReportWriter.Write(reports, ToolVersion));
                break;
            case Format.Markdown:
                output.Write(MarkdownReportWriter.Write(reports));
                break;
            default:
                for (var i = 0; i < reports.Count; i++)
                {
                    if (i > 0)
                    {
                        output.WriteLine();
                    }

                    output.Write(TextReportWriter.Write(reports[i], color));
                }

                break;
        }
    }

    /// <summary>The exit code: 2 when a report could not be graded, 1 when a grade is below the threshold, else 0.</summary>
    public static int ExitCode(IReadOnlyList<SecurityReport> reports, string? failUnder, TextWriter error)
    {
        var code = Ok;
        foreach (var report in reports)
        {
            if (report.Site.FetchFailure is { } failure)
            {
                error.WriteLine($"{report.Target.AbsoluteUri}: {failure}");
                code = Error;
            }
            else if (report.Observatory.Error is not null)
            {
                code = Error;
            }
            else if (failUnder is not null && ObservatoryScoring.RankOf(report.Observatory.Grade) < ObservatoryScoring.RankOf(failUnder) && code != Error)
            {
                error.WriteLine($"{report.Target.AbsoluteUri}: grade {report.Observatory.Grade} is below {failUnder.Trim().ToUpperInvariant()}.");
                code = BelowThreshold;
            }
        }

        return code;
    }

    public static string ToolVersion =>
        typeof(ScanOutput).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
