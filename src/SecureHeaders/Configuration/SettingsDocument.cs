using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SecureHeaders.Configuration;

/// <summary>
/// Writes what the setting descriptions say as a JSON schema (the <c>ConfigurationSchema.json</c> that .NET tooling
/// merges into appsettings.json IntelliSense, as .NET Aspire integrations ship it) and as a Markdown settings table, so
/// that neither is ever written by hand.
/// </summary>
internal static class SettingsDocument
{
    /// <summary>The JSON schema of a section: <paramref name="sectionPath"/> (e.g. <c>SecureHeaders:Reporting</c>) holding <paramref name="settings"/>.</summary>
    public static string Schema(string sectionPath, IReadOnlyList<Setting> settings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", "http://json-schema.org/draft-07/schema#");
            writer.WriteString("type", "object");
            var segments = sectionPath.Split(':');
            for (var i = 0; i < segments.Length; i++)
            {
                writer.WriteStartObject("properties");
                writer.WriteStartObject(segments[i]);
                writer.WriteString("type", "object");
                if (i == segments.Length - 1)
                {
                    writer.WriteString("description", "SecureHeaders settings (" + sectionPath + "). Generated from the setting descriptions; see docs/configuration.md.");
                    WriteProperties(writer, settings);
                    writer.WriteBoolean("additionalProperties", false);
                }
            }

            for (var i = 0; i < segments.Length; i++)
            {
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>Markdown table rows (<c>| key | type | default | description |</c>) for every setting, nested ones with their full relative path.</summary>
    public static string Table(IReadOnlyList<Setting> settings, string prefix = "")
    {
        var sb = new StringBuilder();
        sb.Append("| Setting | Type | Default | Description |\n| --- | --- | --- | --- |\n");
        AppendRows(sb, settings, prefix);
        return sb.ToString();
    }

    private static void AppendRows(StringBuilder sb, IReadOnlyList<Setting> settings, string prefix)
    {
        foreach (var setting in settings)
        {
            var key = prefix + setting.Key;
            var type = KindText(setting) + string.Concat(setting.Shortcuts.Select(static s => " or " + KindText(s.Kind)));
            var summary = setting.Summary + string.Concat(setting.Shortcuts.Select(static s => $" As {KindText(s.Kind)}: {s.Meaning}."));
            sb.Append("| `").Append(key).Append("` | ").Append(type).Append(" | ")
              .Append(setting.Default is null ? string.Empty : "`" + Cell(setting.Default) + "`").Append(" | ")
              .Append(Cell(summary)).Append(" |\n");
            if (setting.Kind == SettingKind.Object)
            {
                AppendRows(sb, setting.Children, key + ":");
            }
            else if (setting.Kind == SettingKind.Map && setting.Children is [{ Kind: SettingKind.Object, ChildrenInTable: true } entry])
            {
                AppendRows(sb, entry.Children, key + ":<name>:");
            }
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string KindText(Setting setting) => setting.Kind switch
    {
        SettingKind.String when setting.AllowedValues.Count is > 0 and <= 8 => string.Join(" \\| ", setting.AllowedValues.Select(static v => "`" + v + "`")),
        SettingKind.Map => "object of " + (setting.Children is [{ } entry] ? KindText(entry) : "values"),
        _ => KindText(setting.Kind),
    };

    private static string KindText(SettingKind kind) => kind switch
    {
        SettingKind.String => "string",
        SettingKind.Boolean => "boolean",
        SettingKind.Integer => "integer",
        SettingKind.Number => "number",
        SettingKind.Duration => "duration",
        SettingKind.StringList => "list",
        SettingKind.Object => "object",
        _ => "object",
    };

    private static void WriteProperties(Utf8JsonWriter writer, IReadOnlyList<Setting> settings)
    {
        writer.WriteStartObject("properties");
        foreach (var setting in settings)
        {
            writer.WritePropertyName(setting.Key);
            WriteSetting(writer, setting);
        }

        writer.WriteEndObject();
    }

    private static void WriteSetting(Utf8JsonWriter writer, Setting setting)
    {
        writer.WriteStartObject();
        var types = new List<string> { JsonType(setting.Kind) };
        if (setting.Kind == SettingKind.StringList)
        {
            // One string is a list of one (or, for sources, of its space-separated parts).
            types.Add("string");
        }

        foreach (var (kind, _) in setting.Shortcuts)
        {
            types.Add(JsonType(kind));
        }

        // JSON null switches headers off and removes entries, so every setting accepts it.
        types.Add("null");
        var distinct = types.Distinct(StringComparer.Ordinal).ToList();
        writer.WriteStartArray("type");
        foreach (var type in distinct)
        {
            writer.WriteStringValue(type);
        }

        writer.WriteEndArray();
        writer.WriteString("description", setting.Summary + string.Concat(setting.Shortcuts.Select(static s => $" As {KindText(s.Kind)}: {s.Meaning}."))
            + (setting.Default is null ? string.Empty : $" Default: {setting.Default}."));
        if (setting.Kind == SettingKind.Duration)
        {
            writer.WriteString("pattern", @"^-?(\d+\.)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$");
        }

        if (setting.Kind == SettingKind.String && setting.AllowedValues.Count > 0)
        {
            // Suggested values; others are validated at startup with a did-you-mean.
            writer.WriteStartArray("examples");
            foreach (var value in setting.AllowedValues)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        if (distinct.Contains("array"))
        {
            writer.WriteStartObject("items");
            writer.WriteString("type", "string");
            writer.WriteEndObject();
        }

        switch (setting.Kind)
        {
            case SettingKind.Object when setting.Children.Count > 0:
                WriteProperties(writer, setting.Children);
                writer.WriteBoolean("additionalProperties", false);
                break;
            case SettingKind.Map when setting.Children is [{ } entry]:
                writer.WritePropertyName("additionalProperties");
                WriteSetting(writer, entry);
                break;
        }

        writer.WriteEndObject();
    }

    private static string JsonType(SettingKind kind) => kind switch
    {
        SettingKind.String or SettingKind.Duration => "string",
        SettingKind.Boolean => "boolean",
        SettingKind.Integer => "integer",
        SettingKind.Number => "number",
        SettingKind.StringList => "array",
        _ => "object",
    };
}
