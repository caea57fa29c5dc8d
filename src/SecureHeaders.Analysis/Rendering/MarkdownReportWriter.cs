using SecureHeaders.Analysis.Grading;
using System.Globalization;
using System.Text;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Analysis.Rendering;

/// <summary>Renders reports as GitHub-flavoured Markdown (for pull-request comments and job summaries).</summary>
public static class MarkdownReportWriter
{
    /// <summary>Renders one or more reports.</summary>
    public static string Write(IEnumerable<SecurityReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var sb = new StringBuilder();
        foreach (var report in reports)
        {
            var o = report.Observatory;
            sb.Append("## ").AppendLine(Escape(report.Target.AbsoluteUri)).AppendLine();
            if (o.Error is not null)
            {
                sb.Append("**Not graded:** ").AppendLine(Escape(o.Error)).AppendLine();
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"**Grade {o.Grade}** — score {o.Score}, {o.TestsPassed}/{o.TestsQuantity} tests passed (Mozilla HTTP Observatory {o.Version.Label()} compatible)").AppendLine();
                if (report.TlsUnverified)
                {
                    sb.AppendLine().AppendLine("> **TLS certificate not verified.**");
                }

                sb.AppendLine().AppendLine("| Test | Result | Score | Pass |").AppendLine("| --- | --- | ---: | :---: |");
                foreach (var t in o.Tests)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"| {t.Name} | `{t.Result}` | {TextReportWriter.Signed(t.ScoreModifier)} | {(t.Pass ? "✅" : "❌")} |").AppendLine();
                }
            }

            sb.AppendLine();
            if (report.Findings.IsEmpty)
            {
                sb.AppendLine("No findings.").AppendLine();
                continue;
            }

            sb.AppendLine("| Severity | Finding | Fix | Option |").AppendLine("| --- | --- | --- | --- |");
            foreach (var f in report.Findings)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {f.Severity.ToString().ToLowerInvariant()} | **{f.Id}**: {Escape(f.Message)} | {Escape(f.Fix ?? string.Empty)} | {(f.Option is null ? string.Empty : "`" + f.Option + "`")} |").AppendLine();
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    internal static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
