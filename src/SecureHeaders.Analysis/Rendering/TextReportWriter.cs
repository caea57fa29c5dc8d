using SecureHeaders.Analysis.Grading;
using System.Globalization;
using System.Text;
using SecureHeaders.Internal;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Analysis.Rendering;

/// <summary>Renders a report as readable terminal text: the grade, the Observatory's tests, then our findings with fixes.</summary>
public static class TextReportWriter
{
    /// <summary>Renders the report; <paramref name="color"/> adds ANSI colours (leave it off for NO_COLOR or non-terminals).</summary>
    public static string Write(SecurityReport report, bool color = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        // Text from the scanned site (header values in messages, errors) is cleaned of control and bidi characters;
        // the only escape sequences in the output are the colours added here.
        string Paint(string text, string code) => color ? "\u001b[" + code + "m" + TerminalText.Clean(text) + "\u001b[0m" : TerminalText.Clean(text);
        var observatory = report.Observatory;
        sb.Append(Paint(report.Target.AbsoluteUri, "1"));
        if (report.Site.IsOffline)
        {
            sb.Append(" (offline: saved header set)");
        }

        sb.AppendLine();
        if (observatory.Error is not null)
        {
            sb.Append("  ").AppendLine(Paint("Not graded: " + observatory.Error, "31"));
            AppendErrors(sb, report);
        }
        else
        {
            var gradeColor = observatory.Grade.StartsWith('A') ? "32" : observatory.Grade.StartsWith('B') ? "33" : "31";
            sb.Append("  Grade ").Append(Paint(observatory.Grade, "1;" + gradeColor))
              .Append(CultureInfo.InvariantCulture, $"  score {observatory.Score}  ({observatory.TestsPassed}/{observatory.TestsQuantity} tests passed, Mozilla Observatory {observatory.Version.Label()} compatible)")
              .AppendLine();
            if (report.TlsUnverified)
            {
                sb.Append("  ").AppendLine(Paint(report.Site.InsecureRequested ? "TLS not verified (--insecure)" : "TLS certificate NOT verified", "31"));
            }

            AppendErrors(sb, report);
            sb.AppendLine();
            sb.AppendLine(Paint("Observatory tests", "1"));
            foreach (var test in observatory.Tests)
            {
                var mark = test.Pass ? Paint("pass", "32") : Paint("FAIL", "31");
                sb.Append(CultureInfo.InvariantCulture, $"  {mark}  {test.Name,-30} {Signed(test.ScoreModifier),4}  {TerminalText.Clean(test.Result)}").AppendLine();
            }
        }

        sb.AppendLine();
        var counts = string.Join(", ", new[] { FindingSeverity.High, FindingSeverity.Medium, FindingSeverity.Low, FindingSeverity.Info }
            .Select(s => $"{report.Findings.Count(f => f.Severity == s)} {s.ToString().ToLowerInvariant()}"));
        sb.Append(Paint("Findings", "1")).Append(" (").Append(counts).AppendLine(")");
        foreach (var finding in report.Findings)
        {
            var label = finding.Severity switch
            {
                FindingSeverity.High => Paint("HIGH  ", "1;31"),
                FindingSeverity.Medium => Paint("MEDIUM", "33"),
                FindingSeverity.Low => Paint("LOW   ", "36"),
                _ => Paint("INFO  ", "2"),
            };
            sb.Append("  ").Append(label).Append(' ').Append(Paint(finding.Id, "1")).Append("  ").AppendLine(TerminalText.Clean(finding.Message));
            if (finding.Fix is not null)
            {
                sb.Append("          Fix: ").AppendLine(TerminalText.Clean(finding.Fix));
            }

            if (finding.Option is not null)
            {
                sb.Append("          Option: ").AppendLine(TerminalText.Clean(finding.Option));
            }
        }

        return sb.ToString();
    }

    private static void AppendErrors(StringBuilder sb, SecurityReport report)
    {
        if (report.Site.HttpsError is { } https && !report.Site.IsOffline)
        {
            sb.Append("  https: ").AppendLine(TerminalText.Clean(https));
        }

        if (report.Site.HttpError is { } http && !report.Site.IsOffline)
        {
            sb.Append("  http: ").AppendLine(TerminalText.Clean(http));
        }

        if (report.Site.FetchFailure is { } failure)
        {
            sb.Append("  error: ").AppendLine(TerminalText.Clean(failure));
        }
    }

    internal static string Signed(int value) => value > 0 ? "+" + value.ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
