using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SecureHeaders.Csp;

namespace SecureHeaders.Reporting.Suggestions;

/// <summary>
/// The learned policy in the forms users paste: an <c>appsettings.json</c> fragment and C# for <c>Program.cs</c>. Both
/// leave out <c>report-uri</c>/<c>report-to</c> (<c>AddSecureHeadersReporting()</c> adds them per policy) and the hashes
/// of the app's manifest (<c>SecureHeaders:CspHashManifest</c> adds them), keep the <c>'nonce'</c> placeholder, and
/// make the learned policy the enforced one: a Report-Only candidate is switched off once it is promoted.
/// </summary>
internal static class PolicyOutput
{
    private static readonly JsonWriterOptions s_json = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The configuration section the learned policy goes to, relative to <c>SecureHeaders</c>, or null for the default policy.</summary>
    public static string? NamedSection(LearnedPolicy learned) =>
        learned.Policy == "default" ? null : IsEndpointPolicy(learned.Policy) ? "learned-" + Slug(learned.Policy) : learned.Policy;

    public static bool IsEndpointPolicy(string name) => name.Contains('@', StringComparison.Ordinal);

    /// <summary>The directives to write: the proposed policy without reporting directives and manifest hashes.</summary>
    public static List<(string Name, List<string> Values)> Directives(LearnedPolicy learned, IReadOnlyCollection<string>? manifestHashes = null)
    {
        var list = new List<(string, List<string>)>();
        foreach (var d in CspPolicy.Parse(learned.Csp).Directives)
        {
            if (d.Name is CspDirectives.ReportUri or CspDirectives.ReportTo)
            {
                continue;
            }

            var values = d.Values.Select(static v => v.Text).Where(v => manifestHashes is null || !manifestHashes.Contains(v)).ToList();
            list.Add((d.Name, values));
        }

        return list;
    }

    public static string AppSettings(LearnedPolicy learned)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, s_json))
        {
            w.WriteStartObject();
            w.WriteStartObject("SecureHeaders");
            var section = NamedSection(learned);
            if (section is not null)
            {
                w.WriteStartObject("Policies");
                w.WriteStartObject(section);
            }

            w.WriteStartObject("ContentSecurityPolicy");
            // Presets and defaults from other configuration files would otherwise merge into the learned directives.
            w.WriteBoolean("UseDefaults", false);
            w.WriteStartObject("Directives");
            foreach (var (name, values) in Directives(learned, learned.ManifestHashes))
            {
                if (values.Count == 0)
                {
                    // A directive without values (upgrade-insecure-requests): an empty string, not null (null removes it).
                    w.WriteString(name, string.Empty);
                    continue;
                }

                w.WriteStartArray(name);
                foreach (var v in values)
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
            if (learned.Disposition == "report")
            {
                w.WriteStartObject("ContentSecurityPolicyReportOnly");
                w.WriteBoolean("Enabled", false);
                w.WriteEndObject();
            }

            if (section is not null)
            {
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string CSharp(LearnedPolicy learned)
    {
        var sb = new StringBuilder();
        var endpoint = IsEndpointPolicy(learned.Policy);
        var target = learned.Policy == "default" ? "options" : "policy";
        string indent;
        if (learned.Policy == "default")
        {
            sb.Append("builder.Services.AddSecureHeaders(options =>\n{\n");
            indent = "    ";
        }
        else if (endpoint)
        {
            sb.Append("// On the endpoint ").Append(learned.Policy[(learned.Policy.IndexOf('@', StringComparison.Ordinal) + 1)..]).Append(":\n");
            sb.Append(".WithSecureHeaders(policy =>\n{\n");
            indent = "    ";
        }
        else
        {
            sb.Append("builder.Services.AddSecureHeaders(options =>\n{\n    options.AddPolicy(").Append(Literal(learned.Policy)).Append(", policy =>\n    {\n");
            indent = "        ";
        }

        sb.Append(indent).Append(target).Append(".ContentSecurityPolicy.Clear()");
        foreach (var (name, values) in Directives(learned, learned.ManifestHashes))
        {
            sb.Append('\n').Append(indent).Append("    .Set(").Append(Literal(name));
            foreach (var v in values)
            {
                sb.Append(", ").Append(Literal(v));
            }

            sb.Append(')');
        }

        sb.Append(";\n");
        if (learned.Disposition == "report")
        {
            sb.Append(indent).Append(target).Append(".ContentSecurityPolicyReportOnly.Enabled = false;\n");
        }

        if (learned.Policy != "default" && !endpoint)
        {
            sb.Append("    });\n");
        }

        sb.Append(endpoint ? "})" : "});").Append('\n');
        return sb.ToString();
    }

    private static string Literal(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < ' ' => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static string Slug(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? char.ToLowerInvariant(c) : '-');
        }

        return sb.ToString().Trim('-');
    }
}
