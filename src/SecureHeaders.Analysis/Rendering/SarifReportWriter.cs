using SecureHeaders.Analysis.Grading;
using System.Text.Json;

namespace SecureHeaders.Analysis.Rendering;

/// <summary>
/// Writes reports as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) for code-scanning tools: one run,
/// one rule per finding id (and per failing Observatory test), one result per finding, located at the scanned URL.
/// </summary>
public static class SarifReportWriter
{
    /// <summary>The SARIF version written.</summary>
    public const string Version = "2.1.0";

    /// <summary>The JSON schema the output conforms to.</summary>
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>Serializes the reports as one SARIF log.</summary>
    public static string Write(IEnumerable<SecurityReport> reports, string toolVersion) => Write(reports, toolVersion, []);

    /// <summary>Serializes the reports of a crawl and its inconsistencies between pages (one result per page concerned).</summary>
    public static string Write(IEnumerable<SecurityReport> reports, string toolVersion, IEnumerable<Drift.SiteDeviation> deviations)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(deviations);
        var results = new List<(string RuleId, string Level, string Message, string Uri, string Category, string? Help, double Security)>();
        foreach (var d in deviations)
        {
            foreach (var page in d.Pages)
            {
                results.Add(("crawl/" + d.Id, d.Kind == Drift.DeviationKind.Unexpected ? "note" : "warning", d.Message, page.AbsoluteUri, "consistency", d.Fix,
                    d.Kind is Drift.DeviationKind.Missing or Drift.DeviationKind.MissingNonce ? 7.0 : 4.0));
            }
        }

        foreach (var report in reports)
        {
            var uri = report.Target.AbsoluteUri;
            foreach (var test in report.Observatory.Tests.Where(static t => !t.Pass))
            {
                results.Add(("observatory/" + test.Name, "warning",
                    $"Mozilla Observatory test {test.Name}: {test.Result} ({TextReportWriter.Signed(test.ScoreModifier)}).", uri, "observatory", null, test.ScoreModifier <= -20 ? 7.0 : 4.0));
            }

            if (report.Observatory.Error is { } error)
            {
                results.Add(("observatory/error", "error", error, uri, "observatory", null, 0.0));
            }

            foreach (var f in report.Findings)
            {
                var level = f.Severity switch { FindingSeverity.High => "error", FindingSeverity.Medium => "warning", _ => "note" };
                var security = f.Severity switch { FindingSeverity.High => 8.0, FindingSeverity.Medium => 5.0, FindingSeverity.Low => 3.0, _ => 0.0 };
                var help = f.Fix is null ? null : f.Option is null ? f.Fix : f.Fix + " (option " + f.Option + ")";
                results.Add((f.Id, level, f.Message + (f.Fix is null ? string.Empty : " Fix: " + f.Fix), uri, f.Category, help, security));
            }
        }

        var rules = results.GroupBy(static r => r.RuleId).Select(static g => g.First()).ToList();
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", SchemaUri);
            w.WriteString("version", Version);
            w.WriteStartArray("runs");
            w.WriteStartObject();
            w.WriteStartObject("tool");
            w.WriteStartObject("driver");
            w.WriteString("name", "secureheaders");
            w.WriteString("version", toolVersion);
            w.WriteString("informationUri", "https://github.com/secureheaders/secureheaders");
            w.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                w.WriteStartObject();
                w.WriteString("id", rule.RuleId);
                w.WriteStartObject("shortDescription");
                w.WriteString("text", rule.RuleId);
                w.WriteEndObject();
                if (rule.Help is not null)
                {
                    w.WriteStartObject("help");
                    w.WriteString("text", rule.Help);
                    w.WriteEndObject();
                }

                w.WriteStartObject("defaultConfiguration");
                w.WriteString("level", rule.Level);
                w.WriteEndObject();
                w.WriteStartObject("properties");
                w.WriteStartArray("tags");
                w.WriteStringValue("security");
                w.WriteStringValue(rule.Category);
                w.WriteEndArray();
                w.WriteString("security-severity", rule.Security.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("results");
            foreach (var result in results)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", result.RuleId);
                w.WriteNumber("ruleIndex", rules.FindIndex(r => r.RuleId == result.RuleId));
                w.WriteString("level", result.Level);
                w.WriteStartObject("message");
                w.WriteString("text", result.Message);
                w.WriteEndObject();
                w.WriteStartArray("locations");
                w.WriteStartObject();
                w.WriteStartObject("physicalLocation");
                w.WriteStartObject("artifactLocation");
                w.WriteString("uri", result.Uri);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
