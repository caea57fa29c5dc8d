using System.Collections.Immutable;
using System.Text.Json;

namespace SecureHeaders.Csp;

/// <summary>One hashed piece of inline code in a <see cref="CspHashManifest"/>.</summary>
/// <param name="File">The file it was found in, relative to where the scan ran, with '/' separators.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Hash">The hash source, e.g. <c>'sha256-…'</c>.</param>
/// <param name="Attribute">For attributes: the attribute name (<c>onclick</c>, <c>style</c>); otherwise <see langword="null"/>.</param>
public sealed record CspHashManifestEntry(string File, int Line, CspSource Hash, string? Attribute = null)
{
    /// <summary>True for <c>style</c> attributes, false for event handlers and blocks.</summary>
    public bool IsStyleAttribute => string.Equals(Attribute, "style", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Inline code that could not be hashed because it is rendered dynamically.</summary>
/// <param name="File">The file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Kind">script, style, event-handler, style-attribute or javascript-url.</param>
/// <param name="Reason">Why, and what to do instead.</param>
public sealed record CspHashManifestDynamicEntry(string File, int Line, string Kind, string Reason);

/// <summary>
/// The build-time hashes of a site's inline scripts, styles and attributes, written by
/// <c>secureheaders csp hash --manifest FILE</c> and loaded at startup with <see cref="Load"/>:
/// <code>
/// { "version": 1, "algorithm": "sha256",
///   "scripts":    [{ "file": "Views/Home/Index.cshtml", "line": 12, "hash": "'sha256-…'" }],
///   "styles":     [{ "file": "...", "line": 3, "hash": "'sha256-…'" }],
///   "attributes": [{ "file": "...", "line": 40, "hash": "'sha256-…'", "attribute": "onclick" }],
///   "dynamic":    [{ "file": "...", "line": 7, "kind": "script", "reason": "..." }] }
/// </code>
/// Hashes are computed as browsers compute them (see <see cref="CspHashes"/>). The ASP.NET Core integration adds
/// <see cref="ScriptHashes"/> to script-src and <see cref="StyleHashes"/> to style-src.
/// </summary>
public sealed class CspHashManifest
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Creates a manifest.</summary>
    public CspHashManifest(CspHashAlgorithm algorithm, IEnumerable<CspHashManifestEntry> scripts, IEnumerable<CspHashManifestEntry> styles, IEnumerable<CspHashManifestEntry> attributes, IEnumerable<CspHashManifestDynamicEntry>? dynamic = null)
    {
        Algorithm = algorithm;
        Scripts = [.. scripts];
        Styles = [.. styles];
        Attributes = [.. attributes];
        Dynamic = [.. dynamic ?? []];
    }

    /// <summary>The digest algorithm of every hash.</summary>
    public CspHashAlgorithm Algorithm { get; }

    /// <summary>Inline &lt;script&gt; blocks.</summary>
    public ImmutableArray<CspHashManifestEntry> Scripts { get; }

    /// <summary>Inline &lt;style&gt; blocks.</summary>
    public ImmutableArray<CspHashManifestEntry> Styles { get; }

    /// <summary>Event-handler and style attributes (they need <c>'unsafe-hashes'</c>).</summary>
    public ImmutableArray<CspHashManifestEntry> Attributes { get; }

    /// <summary>Inline code that could not be hashed (informational; not needed at runtime).</summary>
    public ImmutableArray<CspHashManifestDynamicEntry> Dynamic { get; }

    /// <summary>The distinct hashes of script blocks, for script-src.</summary>
    public IReadOnlyList<CspSource> ScriptHashes => Distinct(Scripts);

    /// <summary>The distinct hashes of style blocks, for style-src.</summary>
    public IReadOnlyList<CspSource> StyleHashes => Distinct(Styles);

    /// <summary>The distinct hashes of event-handler attributes (script-src with <c>'unsafe-hashes'</c>).</summary>
    public IReadOnlyList<CspSource> ScriptAttributeHashes => Distinct(Attributes.Where(static a => !a.IsStyleAttribute));

    /// <summary>The distinct hashes of style attributes (style-src with <c>'unsafe-hashes'</c>).</summary>
    public IReadOnlyList<CspSource> StyleAttributeHashes => Distinct(Attributes.Where(static a => a.IsStyleAttribute));

    /// <summary>Reads a manifest file. Throws <see cref="FormatException"/> with the reason when the file is not a valid manifest.</summary>
    public static CspHashManifest Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a manifest from JSON text. Unknown properties are ignored, so later versions can add some.</summary>
    public static CspHashManifest Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException("The CSP hash manifest is not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The CSP hash manifest must be a JSON object.");
            }

            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != CurrentVersion)
            {
                throw new FormatException($"The CSP hash manifest must have \"version\": {CurrentVersion}.");
            }

            var algorithmName = root.TryGetProperty("algorithm", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (!CspHashes.TryParseAlgorithm(algorithmName, out var algorithm))
            {
                throw new FormatException("The CSP hash manifest's \"algorithm\" must be sha256, sha384 or sha512.");
            }

            return new(algorithm, Entries(root, "scripts"), Entries(root, "styles"), Entries(root, "attributes"), DynamicEntries(root));
        }
    }

    /// <summary>
    /// Adds the hashes to a policy: script hashes to script-src, style hashes to style-src (a missing directive
    /// starts from what default-src allowed, see <see cref="CspPolicy.AddSources"/>). With
    /// <paramref name="includeAttributes"/>, attribute hashes are added too, with <c>'unsafe-hashes'</c>.
    /// </summary>
    /// <remarks>
    /// A hash in a directive makes browsers ignore its <c>'unsafe-inline'</c> (CSP3 §6.7.3.3), including for
    /// attributes when no <c>-attr</c> directive exists: adding style hashes to <c>style-src 'self' 'unsafe-inline'</c>
    /// blocks every <c>style="…"</c> attribute that is not hashed.
    /// </remarks>
    public CspPolicy ApplyTo(CspPolicy policy, bool includeAttributes = false)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var scripts = ScriptHashes.ToList();
        var styles = StyleHashes.ToList();
        if (includeAttributes)
        {
            if (ScriptAttributeHashes.Count > 0)
            {
                scripts.Add(CspSource.UnsafeHashes);
                scripts.AddRange(ScriptAttributeHashes);
            }

            if (StyleAttributeHashes.Count > 0)
            {
                styles.Add(CspSource.UnsafeHashes);
                styles.AddRange(StyleAttributeHashes);
            }
        }

        if (scripts.Count > 0)
        {
            policy = policy.AddSources(CspDirectives.ScriptSrc, scripts);
        }

        if (styles.Count > 0)
        {
            policy = policy.AddSources(CspDirectives.StyleSrc, styles);
        }

        return policy;
    }

    /// <summary>The manifest as indented JSON (the documented format).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", CurrentVersion);
            writer.WriteString("algorithm", CspHashes.NameOf(Algorithm));
            WriteEntries(writer, "scripts", Scripts);
            WriteEntries(writer, "styles", Styles);
            WriteEntries(writer, "attributes", Attributes);
            writer.WriteStartArray("dynamic");
            foreach (var entry in Dynamic)
            {
                writer.WriteStartObject();
                writer.WriteString("file", entry.File);
                writer.WriteNumber("line", entry.Line);
                writer.WriteString("kind", entry.Kind);
                writer.WriteString("reason", entry.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    /// <summary>Writes <see cref="ToJson"/> to a file.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, ToJson());
    }

    private static void WriteEntries(Utf8JsonWriter writer, string name, ImmutableArray<CspHashManifestEntry> entries)
    {
        writer.WriteStartArray(name);
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteString("file", entry.File);
            writer.WriteNumber("line", entry.Line);
            writer.WriteString("hash", entry.Hash.Text);
            if (entry.Attribute is not null)
            {
                writer.WriteString("attribute", entry.Attribute);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static List<CspHashManifestEntry> Entries(JsonElement root, string name)
    {
        var result = new List<CspHashManifestEntry>();
        if (!root.TryGetProperty(name, out var array))
        {
            return result;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"\"{name}\" must be an array.");
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("hash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : null;
            var hash = text is null ? null : CspSource.Parse(text);
            if (hash is null || hash.Kind != CspSourceKind.Hash || !CspSource.HasExpectedDigestLength(hash))
            {
                throw new FormatException($"\"{name}\"[{index}] has no valid \"hash\" such as 'sha256-…' (found {text ?? "nothing"}).");
            }

            var file = item.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : string.Empty;
            var line = item.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt32() : 0;
            var attribute = item.TryGetProperty("attribute", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
            result.Add(new(file, line, hash, attribute));
            index++;
        }

        return result;
    }

    private static List<CspHashManifestDynamicEntry> DynamicEntries(JsonElement root)
    {
        var result = new List<CspHashManifestDynamicEntry>();
        if (root.TryGetProperty("dynamic", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray().Where(static i => i.ValueKind == JsonValueKind.Object))
            {
                result.Add(new(
                    item.TryGetProperty("file", out var f) ? f.GetString() ?? string.Empty : string.Empty,
                    item.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt32() : 0,
                    item.TryGetProperty("kind", out var k) ? k.GetString() ?? string.Empty : string.Empty,
                    item.TryGetProperty("reason", out var r) ? r.GetString() ?? string.Empty : string.Empty));
            }
        }

        return result;
    }

    private static List<CspSource> Distinct(IEnumerable<CspHashManifestEntry> entries)
    {
        var result = new List<CspSource>();
        foreach (var entry in entries)
        {
            if (!result.Contains(entry.Hash))
            {
                result.Add(entry.Hash);
            }
        }

        return result;
    }
}
