using System.Globalization;
using System.Text;
using System.Text.Json;
using SecureHeaders.Analysis.Drift;
using SecureHeaders.Analysis.Fetching;

namespace SecureHeaders.Analysis.Rendering;

/// <summary>Renders a crawl: every page's grade, then the pages whose headers differ from the site's usual set.</summary>
public static class CrawlReportWriter
{
    /// <summary>Plain text for a terminal.</summary>
    public static string WriteText(CrawlResult crawl, IReadOnlyList<SiteDeviation> deviations)
    {
        ArgumentNullException.ThrowIfNull(crawl);
        ArgumentNullException.ThrowIfNull(deviations);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Crawled {crawl.Pages.Length} page(s) from {crawl.Start.AbsoluteUri}").AppendLine();
        foreach (var note in crawl.Notes)
        {
            sb.Append("  note: ").AppendLine(note);
        }

        sb.AppendLine();
        foreach (var page in crawl.Pages)
        {
            var o = page.Report.Observatory;
            var verdict = page.Report.Site.FetchFailure ?? o.Error ?? $"{o.Grade,-2} {o.Score,4}";
            sb.Append(CultureInfo.InvariantCulture, $"  {verdict}  {page.Url.AbsoluteUri}");
            if (page.FinalUrl.AbsoluteUri != page.Url.AbsoluteUri)
            {
                sb.Append(" -> ").Append(page.FinalUrl.AbsoluteUri);
            }

            sb.AppendLine();
        }

        sb.AppendLine();
        if (deviations.Count == 0)
        {
            sb.AppendLine("Every page sends the same security headers.");
            return sb.ToString();
        }

        sb.Append(CultureInfo.InvariantCulture, $"{deviations.Count} inconsistenc{(deviations.Count == 1 ? "y" : "ies")} between pages:").AppendLine();
        foreach (var d in deviations)
        {
            sb.AppendLine().Append(CultureInfo.InvariantCulture, $"  [{d.Id}] {d.Message}").AppendLine();
            if (d.Kind != DeviationKind.Missing)
            {
                sb.Append("    usual: ").AppendLine(SecurityHeaderValues.Shorten(d.Usual, 200));
                sb.Append("    here:  ").AppendLine(SecurityHeaderValues.Shorten(d.Value, 200));
            }

            foreach (var url in d.Pages)
            {
                sb.Append("    - ").AppendLine(url.AbsoluteUri);
            }

            sb.Append("    Fix: ").AppendLine(d.Fix);
        }

        return sb.ToString();
    }

    /// <summary>JSON: <c>{"schemaVersion", "crawl": {...}, "deviations": [...], "pages": [full scan reports]}</c> (README).</summary>
    public static string WriteJson(CrawlResult crawl, IReadOnlyList<SiteDeviation> deviations, Action<Utf8JsonWriter>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(crawl);
        ArgumentNullException.ThrowIfNull(deviations);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", JsonReportWriter.SchemaVersion);
            w.WriteStartObject("crawl");
            w.WriteString("start", crawl.Start.AbsoluteUri);
            w.WriteNumber("pagesGraded", crawl.Pages.Length);
            w.WriteNumber("urlsFound", crawl.Discovered);
            w.WriteBoolean("truncated", crawl.Truncated);
            w.WriteStartArray("notes");
            foreach (var note in crawl.Notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteStartArray("pages");
            foreach (var page in crawl.Pages)
            {
                var o = page.Report.Observatory;
                w.WriteStartObject();
                w.WriteString("url", page.Url.AbsoluteUri);
                w.WriteString("finalUrl", page.FinalUrl.AbsoluteUri);
                w.WriteString("foundBy", page.Source.ToString().ToLowerInvariant());
                if (page.FoundOn is { } on)
                {
                    w.WriteString("foundOn", on.AbsoluteUri);
                }
                else
                {
                    w.WriteNull("foundOn");
                }

                if (page.Report.Site.Primary is { } primary)
                {
                    w.WriteNumber("status", primary.StatusCode);
                }
                else
                {
                    w.WriteNull("status");
                }

                if (o.Error is null)
                {
                    w.WriteNumber("score", o.Score);
                    w.WriteString("grade", o.Grade);
                }
                else
                {
                    w.WriteNull("score");
                    w.WriteNull("grade");
                }

                var error = page.Report.Site.FetchFailure ?? o.Error;
                if (error is null)
                {
                    w.WriteNull("error");
                }
                else
                {
                    w.WriteString("error", error);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartArray("deviations");
            foreach (var d in deviations)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("kind", d.Kind switch { DeviationKind.MissingNonce => "missing-nonce", _ => d.Kind.ToString().ToLowerInvariant() });
                w.WriteStartArray("headers");
                foreach (var header in d.Headers)
                {
                    w.WriteStringValue(header);
                }

                w.WriteEndArray();
                WriteNullable(w, "value", d.Value);
                WriteNullable(w, "usual", d.Usual);
                w.WriteNumber("usualPages", d.UsualPages);
                w.WriteStartArray("pages");
                foreach (var url in d.Pages)
                {
                    w.WriteStringValue(url.AbsoluteUri);
                }

                w.WriteEndArray();
                w.WriteString("message", d.Message);
                w.WriteString("fix", d.Fix);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            extra?.Invoke(w);
            w.WriteStartArray("reports");
            foreach (var page in crawl.Pages)
            {
                JsonReportWriter.WriteReport(w, page.Report);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Markdown for job summaries and pull-request comments.</summary>
    public static string WriteMarkdown(CrawlResult crawl, IReadOnlyList<SiteDeviation> deviations)
    {
        ArgumentNullException.ThrowIfNull(crawl);
        ArgumentNullException.ThrowIfNull(deviations);
        var sb = new StringBuilder();
        sb.Append("## Crawl of ").AppendLine(MarkdownReportWriter.Escape(crawl.Start.AbsoluteUri)).AppendLine();
        foreach (var note in crawl.Notes)
        {
            sb.Append("> ").AppendLine(MarkdownReportWriter.Escape(note));
        }

        sb.AppendLine("| Page | Grade | Score |").AppendLine("| --- | :---: | ---: |");
        foreach (var page in crawl.Pages)
        {
            var o = page.Report.Observatory;
            var error = page.Report.Site.FetchFailure ?? o.Error;
            sb.Append(CultureInfo.InvariantCulture, $"| {MarkdownReportWriter.Escape(page.Url.AbsoluteUri)} | {(error is null ? o.Grade : "error")} | {(error is null ? o.Score.ToString(CultureInfo.InvariantCulture) : MarkdownReportWriter.Escape(error))} |").AppendLine();
        }

        sb.AppendLine();
        if (deviations.Count == 0)
        {
            sb.AppendLine("Every page sends the same security headers.");
            return sb.ToString();
        }

        sb.AppendLine("### Pages whose headers differ from the rest of the site").AppendLine();
        foreach (var d in deviations)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- **{d.Id}**: {MarkdownReportWriter.Escape(d.Message)}").AppendLine();
            foreach (var url in d.Pages)
            {
                sb.Append("  - ").AppendLine(MarkdownReportWriter.Escape(url.AbsoluteUri));
            }

            sb.Append("  - Fix: ").AppendLine(MarkdownReportWriter.Escape(d.Fix));
        }

        return sb.ToString();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
