using SecureHeaders.Csp.Evaluation;
using SecureHeaders.Internal;

namespace SecureHeaders.Cli.Commands;

/// <summary>Human-readable output of <c>csp evaluate</c>: worst findings first, one block per finding.</summary>
internal static class CspTextRenderer
{
    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";
    private const string Dim = "\u001b[2m";

    public static void Write(TextWriter output, string policy, IReadOnlyList<CspFinding> findings, bool color)
    {
        // The policy may come from a scanned site: its text and the findings quoting it are cleaned for the terminal.
        output.WriteLine(Paint(Bold, "Policy: ", color) + TerminalText.Clean(policy));
        var shown = findings.Where(static f => f.Severity != CspFindingSeverity.None).OrderBy(static f => f.Severity).ToList();
        if (shown.Count == 0)
        {
            output.WriteLine(Paint(SeverityColor(CspFindingSeverity.Info), "No findings.", color));
            return;
        }

        foreach (var finding in shown)
        {
            var label = finding.SeverityName.ToUpperInvariant().PadRight(12);
            var origin = finding.IsEvaluatorCheck ? string.Empty : Paint(Dim, " (SecureHeaders)", color);
            output.WriteLine();
            output.WriteLine($"  {Paint(SeverityColor(finding.Severity), label, color)} {Paint(Bold, finding.Check, color)}{origin}  {TerminalText.Clean(finding.Directive)}{(finding.Value is null ? string.Empty : " " + TerminalText.Clean(finding.Value))}");
            output.WriteLine("               " + TerminalText.Clean(finding.Message));
            if (finding.Fix is not null)
            {
                output.WriteLine("               " + Paint(Dim, "Fix: ", color) + TerminalText.Clean(finding.Fix));
            }
        }

        output.WriteLine();
        var counts = shown.GroupBy(static f => f.Severity).OrderBy(static g => g.Key).Select(g => $"{g.Count()} {CspChecks.SeverityName(g.Key)}");
        output.WriteLine(Paint(Bold, "Summary: ", color) + string.Join(", ", counts) + $" (worst: {CspChecks.SeverityName(CspEvaluator.HighestSeverity(shown))})");
    }

    private static string SeverityColor(CspFindingSeverity severity) => severity switch
    {
        CspFindingSeverity.High => "\u001b[31;1m",
        CspFindingSeverity.Syntax => "\u001b[35m",
        CspFindingSeverity.Medium or CspFindingSeverity.HighMaybe => "\u001b[33;1m",
        CspFindingSeverity.StrictCsp or CspFindingSeverity.MediumMaybe => "\u001b[33m",
        _ => "\u001b[36m",
    };

    private static string Paint(string code, string text, bool color) => color ? code + text + Reset : text;
}
