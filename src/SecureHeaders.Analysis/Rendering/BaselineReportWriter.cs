using System.Globalization;
using System.Text;
using SecureHeaders.Analysis.Drift;
using SecureHeaders.Analysis.Grading;

namespace SecureHeaders.Analysis.Rendering;

/// <summary>Renders the comparison of a scan with its baseline as a readable diff (text) or for a CI job summary (Markdown).</summary>
public static class BaselineReportWriter
{
    /// <summary>A diff per URL: <c>-</c> for regressions, <c>+</c> for improvements, <c>~</c> for other changes.</summary>
    public static string WriteText(ScanBaseline baseline, IReadOnlyList<BaselineChange> changes, string? baselineName = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(changes);
        var sb = new StringBuilder();
        var regressions = changes.Count(static c => c.Regression);
        sb.Append(CultureInfo.InvariantCulture, $"Compared with the baseline {baselineName ?? string.Empty} (saved {baseline.SavedAt:yyyy-MM-dd HH:mm} UTC, Observatory {baseline.Observatory}): ")
          .Append(regressions == 0 ? "no regressions" : $"{regressions} regression(s)")
          .Append(CultureInfo.InvariantCulture, $", {changes.Count - regressions} other change(s).").AppendLine();
        foreach (var page in changes.GroupBy(static c => c.Url))
        {
            sb.Append("  ").AppendLine(page.Key);
            foreach (var change in page.OrderByDescending(static c => c.Regression))
            {
                var mark = change.Regression ? "-" : change.Kind is "score-higher" or "header-added" or "csp-source-removed" ? "+" : "~";
                sb.Append(CultureInfo.InvariantCulture, $"    {mark} [{change.Kind}] {change.Message}").AppendLine();
            }
        }

        return sb.ToString();
    }

    /// <summary>A Markdown section for <c>$GITHUB_STEP_SUMMARY</c>: the grade of every URL, then the changes.</summary>
    public static string WriteMarkdown(IReadOnlyList<SecurityReport> reports, ScanBaseline? baseline, IReadOnlyList<BaselineChange> changes)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(changes);
        var sb = new StringBuilder();
        var regressions = changes.Count(static c => c.Regression);
        sb.Append("## Security headers: ").AppendLine(baseline is null ? "scan" : regressions == 0 ? "no regressions ✅" : $"{regressions} regression(s) ❌").AppendLine();
        sb.AppendLine("| URL | Grade | Score |").AppendLine("| --- | :---: | ---: |");
        foreach (var report in reports)
        {
            var o = report.Observatory;
            var error = report.Site.FetchFailure ?? o.Error;
            sb.Append(CultureInfo.InvariantCulture, $"| {MarkdownReportWriter.Escape(report.Target.AbsoluteUri)} | {(error is null ? o.Grade : "error")} | {(error is null ? o.Score.ToString(CultureInfo.InvariantCulture) : MarkdownReportWriter.Escape(error))} |").AppendLine();
        }

        if (baseline is not null && changes.Count > 0)
        {
            sb.AppendLine().AppendLine("| URL | Change | Detail |").AppendLine("| --- | --- | --- |");
            foreach (var change in changes.OrderByDescending(static c => c.Regression))
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {MarkdownReportWriter.Escape(change.Url)} | {(change.Regression ? "❌ " : string.Empty)}{change.Kind} | {MarkdownReportWriter.Escape(change.Message)} |").AppendLine();
            }
        }

        return sb.AppendLine().ToString();
    }
}
