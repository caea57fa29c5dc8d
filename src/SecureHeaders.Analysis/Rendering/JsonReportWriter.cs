using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis.Observatory;
using System.Text.Json;

namespace SecureHeaders.Analysis.Rendering;

/// <summary>
/// Writes reports as the stable JSON of <c>secureheaders scan --json</c> (schema version 1). One report is one
/// object; several are an array of such objects. Property names never change within a schema version; new
/// properties may be added.
/// </summary>
public static class JsonReportWriter
{
    /// <summary>The version of the JSON shape, written as <c>schemaVersion</c>.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Serializes one report.</summary>
    public static string Write(SecurityReport report, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteReport(writer, report);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Serializes several reports as an array.</summary>
    public static string Write(IEnumerable<SecurityReport> reports, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(reports);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var report in reports)
            {
                WriteReport(writer, report);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static void WriteReport(Utf8JsonWriter w, SecurityReport report)
    {
        var site = report.Site;
        w.WriteStartObject();
        w.WriteNumber("schemaVersion", SchemaVersion);
        w.WriteString("target", report.Target.AbsoluteUri);
        w.WriteString("analyzedAt", report.AnalyzedAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteBoolean("offline", site.IsOffline);

        w.WriteStartObject("tls");
        WriteNullableBool(w, "verified", site.Https?.TlsVerified);
        w.WriteBoolean("insecureRequested", site.InsecureRequested);
        w.WriteEndObject();

        w.WriteStartObject("errors");
        WriteNullableString(w, "https", site.HttpsError);
        WriteNullableString(w, "http", site.HttpError);
        WriteNullableString(w, "fetch", site.FetchFailure);
        w.WriteEndObject();

        var primary = site.Primary;
        if (primary is null)
        {
            w.WriteNull("response");
        }
        else
        {
            w.WriteStartObject("response");
            WriteNullableString(w, "url", primary.Url?.AbsoluteUri);
            w.WriteNumber("status", primary.StatusCode);
            w.WriteStartArray("headers");
            foreach (var header in primary.Headers)
            {
                w.WriteStartObject();
                w.WriteString("name", header.Name);
                w.WriteString("value", header.Value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("redirects");
            WriteChain(w, "http", site.Http);
            WriteChain(w, "https", site.Https);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        var observatory = report.Observatory;
        w.WriteStartObject("observatory");
        w.WriteString("version", observatory.Version.Label());
        w.WriteNumber("algorithmVersion", observatory.AlgorithmVersion);
        if (observatory.Error is null)
        {
            w.WriteNumber("score", observatory.Score);
            w.WriteString("grade", observatory.Grade);
            w.WriteNumber("uncurvedScore", observatory.UncurvedScore);
            w.WriteNumber("testsPassed", observatory.TestsPassed);
            w.WriteNumber("testsFailed", observatory.TestsFailed);
        }
        else
        {
            w.WriteNull("score");
            w.WriteNull("grade");
        }

        WriteNullableString(w, "error", observatory.Error);
        w.WriteStartObject("tests");
        foreach (var test in observatory.Tests)
        {
            w.WriteStartObject(test.Name);
            w.WriteString("result", test.Result);
            w.WriteNumber("scoreModifier", test.ScoreModifier);
            w.WriteBoolean("pass", test.Pass);
            w.WriteString("expectation", test.Expectation);
            WriteNullableString(w, "detail", test.Detail);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("findings");
        foreach (var finding in report.Findings)
        {
            w.WriteStartObject();
            w.WriteString("id", finding.Id);
            w.WriteString("severity", finding.Severity.ToString().ToLowerInvariant());
            w.WriteString("category", finding.Category);
            w.WriteString("message", finding.Message);
            WriteNullableString(w, "fix", finding.Fix);
            WriteNullableString(w, "option", finding.Option);
            WriteNullableString(w, "header", finding.Header);
            WriteNullableString(w, "evidence", finding.Evidence);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("summary");
        foreach (var severity in new[] { FindingSeverity.High, FindingSeverity.Medium, FindingSeverity.Low, FindingSeverity.Info })
        {
            w.WriteNumber(severity.ToString().ToLowerInvariant(), report.Findings.Count(f => f.Severity == severity));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteChain(Utf8JsonWriter w, string name, HeaderSet? final)
    {
        if (final is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartArray(name);
        foreach (var hop in final.RedirectChain)
        {
            w.WriteStartObject();
            w.WriteString("url", hop.Url.AbsoluteUri);
            w.WriteNumber("status", hop.StatusCode);
            w.WriteEndObject();
        }

        w.WriteStartObject();
        WriteNullableString(w, "url", final.Url?.AbsoluteUri);
        w.WriteNumber("status", final.StatusCode);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteNullableString(Utf8JsonWriter w, string name, string? value)
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

    private static void WriteNullableBool(Utf8JsonWriter w, string name, bool? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteBoolean(name, value.Value);
        }
    }
}
