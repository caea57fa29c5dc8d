using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SecureHeaders.Compatibility;
using SecureHeaders.ConformanceTests.Checks;

namespace SecureHeaders.ConformanceTests;

/// <summary>Writes <c>docs/browser-matrix.json</c> (the contract) and the page generated from it, <c>docs/browser-matrix.md</c>.</summary>
internal static class MatrixWriter
{
    private static readonly Engine[] s_engines = [Engine.Chromium, Engine.Firefox, Engine.WebKit];

    public static string Json(SortedDictionary<string, string> engines, SortedDictionary<string, SortedDictionary<string, (string Outcome, string Evidence)>> cells)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("generated", "by tests/SecureHeaders.ConformanceTests with SECUREHEADERS_CONFORMANCE_WRITE=1; do not edit by hand (see docs/browser-matrix.md)");
            writer.WriteStartObject("engines");
            foreach (var (engine, version) in engines)
            {
                writer.WriteString(engine, version);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("protections");
            foreach (var (id, row) in cells)
            {
                writer.WriteStartObject(id);
                foreach (var engine in s_engines.Select(BrowserMatrix.KeyOf))
                {
                    if (row.TryGetValue(engine, out var cell))
                    {
                        writer.WriteStartObject(engine);
                        writer.WriteString("outcome", cell.Outcome);
                        writer.WriteString("evidence", cell.Evidence);
                        writer.WriteEndObject();
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("checks");
            foreach (var id in cells.Keys)
            {
                var check = ConformanceCatalog.Get(id);
                writer.WriteStartObject(id);
                writer.WriteString("header", check.Header);
                writer.WriteString("description", check.Description);
                if (check.MdnFeature is { } mdn)
                {
                    writer.WriteString("mdn", mdn);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string Markdown(BrowserMatrix.Data matrix)
    {
        var md = new StringBuilder();
        md.AppendLine("# Browser matrix: what each protection does in each engine");
        md.AppendLine();
        md.AppendLine("<!-- Generated from docs/browser-matrix.json by tests/SecureHeaders.ConformanceTests (SECUREHEADERS_CONFORMANCE_WRITE=1). Do not edit. -->");
        md.AppendLine();
        md.AppendLine("Every cell was measured by the conformance suite in a real engine, by behaviour (a script that ran or did not, a");
        md.AppendLine("request the server received or did not), not by reading headers back. The suite serves SecureHeaders' default");
        md.AppendLine("policy (and its presets where a protection needs one) from Kestrel over HTTPS with a trusted test CA, on real");
        md.AppendLine("host names (`app.test`, `other.test`, … through a loopback proxy), so no engine applies its localhost exceptions.");
        md.AppendLine("Where MDN's browser-compat-data says otherwise for the engine's browser (Chrome, Firefox, Safari), the cell shows");
        md.AppendLine("both. WebKit is measured as WebKitGTK (MiniBrowser), Safari's engine on Linux; Safari's own release may differ.");
        md.AppendLine();
        md.Append("Engines: ");
        md.AppendLine(string.Join(", ", s_engines.Where(matrix.Versions.ContainsKey).Select(e => $"{Title(e)} {matrix.Versions[e]}")) + ".");
        md.AppendLine();
        md.AppendLine("Outcomes: **enforced** — the engine applied it as sent; **ignored** — it behaved as if the header were absent;");
        md.AppendLine("**partial** — some parts held (the evidence says which).");
        md.AppendLine();
        md.Append("| protection | header |");
        foreach (var engine in s_engines)
        {
            md.Append(' ').Append(BrowserMatrix.NameOf(engine, matrix.Versions.GetValueOrDefault(engine, "?"))).Append(" |");
        }

        md.AppendLine();
        md.Append("| --- | --- |");
        md.AppendLine(string.Concat(s_engines.Select(static _ => " --- |")));
        foreach (var protection in matrix.Protections)
        {
            md.Append("| [`").Append(protection.Id).Append("`](#").Append(protection.Id).Append(") | ").Append(protection.Header).Append(" |");
            foreach (var engine in s_engines)
            {
                var cell = protection.For(engine);
                md.Append(' ').Append(cell is null ? "not measured" : Word(cell.Outcome));
                if (cell is not null && protection.DisagreesWithMdn(engine) && protection.Mdn(engine) is { } mdn)
                {
                    md.Append(" (MDN: ").Append(mdn).Append(')');
                }

                md.Append(" |");
            }

            md.AppendLine();
        }

        md.AppendLine();
        md.AppendLine("## Where an engine does not enforce a protection");
        md.AppendLine();
        var any = false;
        foreach (var protection in matrix.Protections)
        {
            var gaps = protection.NotEnforced.ToList();
            if (gaps.Count == 0)
            {
                continue;
            }

            any = true;
            var check = ConformanceCatalog.All.FirstOrDefault(c => c.Id == protection.Id);
            md.Append("- **`").Append(protection.Id).Append("`** — ").Append(string.Join(", ", gaps.Select(static g => g.ToString()))).Append(". ");
            md.AppendLine(check?.WhereNotEnforced ?? string.Empty);
        }

        if (!any)
        {
            md.AppendLine("Every engine enforced every protection.");
        }

        md.AppendLine();
        md.AppendLine("## The data");
        md.AppendLine();
        md.AppendLine("`docs/browser-matrix.json` (also embedded in SecureHeaders as `SecureHeaders.Data.browser-matrix.json`, read by");
        md.AppendLine("`SecureHeaders.Compatibility.BrowserMatrix`) has this shape:");
        md.AppendLine();
        md.AppendLine("```json");
        md.AppendLine("{");
        md.AppendLine("  \"engines\": { \"chromium\": \"<version>\", \"firefox\": \"<version>\", \"webkit\": \"<version>\" },");
        md.AppendLine("  \"protections\": { \"<id>\": { \"chromium\": { \"outcome\": \"enforced|ignored|partial\", \"evidence\": \"…\" }, \"firefox\": { … }, \"webkit\": { … } } },");
        md.AppendLine("  \"checks\": { \"<id>\": { \"header\": \"<header>\", \"description\": \"…\", \"mdn\": \"<MDN browser-compat-data feature, optional>\" } }");
        md.AppendLine("}");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("Ids are stable; a protection's cells are the engines it was measured in. `evidence` is what the suite observed,");
        md.AppendLine("in words and without timings, so a rerun that measures the same writes the same file.");
        md.AppendLine();
        md.AppendLine("## Evidence");
        foreach (var protection in matrix.Protections)
        {
            md.AppendLine();
            md.Append("### ").AppendLine(protection.Id);
            md.AppendLine();
            md.Append(protection.Description);
            if (protection.MdnFeature is { } feature)
            {
                md.Append(" MDN feature: `").Append(feature).Append("`.");
            }

            md.AppendLine();
            md.AppendLine();
            foreach (var engine in s_engines)
            {
                if (protection.For(engine) is { } cell)
                {
                    md.Append("- ").Append(cell.EngineName).Append(": **").Append(Word(cell.Outcome)).Append("** — ").Append(cell.Evidence);
                    if (protection.Mdn(engine) is { } mdn)
                    {
                        md.Append(" MDN: ").Append(mdn).Append(protection.DisagreesWithMdn(engine) ? " (disagrees)." : ".");
                    }

                    md.AppendLine();
                }
            }
        }

        return md.ToString();
    }

    public const string ReadmeStart = "<!-- browser-matrix:begin (generated from docs/browser-matrix.json; do not edit) -->";
    public const string ReadmeEnd = "<!-- browser-matrix:end -->";

    /// <summary>The README's per-header summary: for each header, how many of its measured behaviours each engine enforced.</summary>
    public static string ReadmeTable(BrowserMatrix.Data matrix)
    {
        var md = new StringBuilder();
        md.AppendLine(ReadmeStart);
        md.Append("| Header |");
        foreach (var engine in s_engines)
        {
            md.Append(' ').Append(BrowserMatrix.NameOf(engine, matrix.Versions.GetValueOrDefault(engine, "?"))).Append(" |");
        }

        md.AppendLine();
        md.Append("| --- |").AppendLine(string.Concat(s_engines.Select(static _ => " --- |")));
        foreach (var group in matrix.Protections.GroupBy(static p => p.Header).OrderBy(static g => g.Key, StringComparer.Ordinal))
        {
            md.Append("| ").Append(group.Key).Append(" |");
            foreach (var engine in s_engines)
            {
                var cells = group.Select(p => p.For(engine)).OfType<MeasuredSupport>().ToList();
                var enforced = cells.Count(static c => c.Outcome == MeasuredOutcome.Enforced);
                md.Append(' ').Append(enforced == cells.Count ? $"enforced ({cells.Count}/{cells.Count})"
                    : enforced == 0 && cells.All(static c => c.Outcome == MeasuredOutcome.Ignored) ? $"**ignored** (0/{cells.Count})"
                    : $"**partial** ({enforced}/{cells.Count})").Append(" |");
            }

            md.AppendLine();
        }

        md.AppendLine(ReadmeEnd);
        return md.ToString();
    }

    /// <summary>Replaces the generated block of the README (between the markers) with <paramref name="table"/>.</summary>
    public static string SpliceReadme(string readme, string table)
    {
        var start = readme.IndexOf(ReadmeStart, StringComparison.Ordinal);
        var end = readme.IndexOf(ReadmeEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException("README.md has no browser-matrix block (" + ReadmeStart + " … " + ReadmeEnd + ").");
        }

        return readme[..start] + table.TrimEnd('\n') + readme[(end + ReadmeEnd.Length)..];
    }

    private static string Word(MeasuredOutcome outcome) => outcome.ToString().ToLowerInvariant();

    private static string Title(Engine engine) => engine switch
    {
        Engine.Chromium => "Chromium",
        Engine.Firefox => "Firefox ESR",
        _ => "WebKitGTK",
    };
}
