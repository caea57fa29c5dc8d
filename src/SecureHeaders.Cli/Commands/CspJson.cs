using System.Text.Encodings.Web;
using System.Text.Json;
using SecureHeaders.Csp.Evaluation;

namespace SecureHeaders.Cli.Commands;

/// <summary>The JSON shapes of <c>csp evaluate</c>; documented in the README and kept stable.</summary>
internal static class CspJson
{
    /// <summary>Policies are full of quotes and angle brackets; escaping them as \u0027 helps nobody reading the output.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <c>{"policy": "...", "highestSeverity": "...", "findings": [{"check","severity","directive","value","message","fix"?}]}</c>
    /// on one line.
    /// </summary>
    public static string Evaluation(string policy, IReadOnlyList<CspFinding> findings, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions with { Indented = indented }))
        {
            writer.WriteStartObject();
            writer.WriteString("policy", policy);
            writer.WriteString("highestSeverity", CspChecks.SeverityName(CspEvaluator.HighestSeverity(findings)));
            writer.WriteStartArray("findings");
            foreach (var finding in findings)
            {
                writer.WriteStartObject();
                writer.WriteString("check", finding.Check);
                writer.WriteString("severity", finding.SeverityName);
                writer.WriteString("directive", finding.Directive);
                if (finding.Value is null)
                {
                    writer.WriteNull("value");
                }
                else
                {
                    writer.WriteString("value", finding.Value);
                }

                writer.WriteString("message", finding.Message);
                if (finding.Fix is not null)
                {
                    writer.WriteString("fix", finding.Fix);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
